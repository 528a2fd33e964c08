package chaos

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// invariants checks, from the database and the load's record of what the
// API answered, everything that must hold after any crash. lease is the
// push lease the server runs with: alerts a killed server had claimed are
// sent again once it runs out.
func (l *load) invariants(t *testing.T, lease time.Duration) {
	t.Helper()
	db := l.sc.w.openDB()
	l.mu.Lock()
	created := slices.Collect(maps.Keys(l.created))
	owners := maps.Clone(l.owners)
	fiveHund := slices.Clone(l.fiveHund)
	l.mu.Unlock()

	if len(fiveHund) > 0 {
		t.Errorf("%d answers were 5xx other than 503 unavailable with Retry-After, e.g. %s", len(fiveHund), fiveHund[0])
	}
	for id, who := range owners {
		if len(who) > 1 {
			t.Errorf("request %s: accept answered 200 to %d people: %v", id, len(who), who)
		}
	}
	checkInvariants(t, db, created, lease)
}

// checkInvariants checks, from the database, that every request answered
// 201 (created) exists and that nothing is left half-done: one owner at
// most, every request owned, finished or waiting on a timer, no timer
// overdue, presence and counters in agreement with the requests, no hold
// oversold, and the push outbox settled (rows a killed server had claimed
// wait for their lease).
func checkInvariants(t *testing.T, db *sqlx.DB, created []string, lease time.Duration) {
	t.Helper()
	var found int
	must(t, db.Get(&found, `SELECT count(*) FROM help_requests WHERE id = ANY($1::uuid[])`, pq.Array(created)))
	if found != len(created) {
		t.Errorf("%d requests were answered 201 but only %d exist", len(created), found)
	}
	wantNone(t, db, "requests accepted by two people", `SELECT request_id FROM offers WHERE answer = 'accepted'
		GROUP BY request_id HAVING count(*) > 1`)
	wantNone(t, db, "requests neither owned, finished, nor waiting on a timer", `SELECT id || ' ' || status FROM help_requests r
		WHERE NOT (status IN ('resolved', 'cancelled', 'abandoned')
			OR (status = 'assigned' AND assigned_to IS NOT NULL)
			OR (status = 'waiting' AND EXISTS (SELECT 1 FROM timers t WHERE t.request_id = r.id AND t.fired_at IS NULL)))`)
	wantNone(t, db, "timers overdue by more than one wake-up interval (5 s)", `SELECT id || ' ' || kind || ' due ' || due_at
		FROM timers WHERE fired_at IS NULL AND due_at < now() - interval '5 seconds'`)
	// A person owns at most their capacity (1 on the floor); busy means at it.
	wantNone(t, db, "people whose load is not the requests they own", `SELECT name || ' load ' || load FROM users u
		WHERE load <> (SELECT count(*) FROM help_requests r WHERE r.assigned_to = u.id AND r.status = 'assigned')`)
	wantNone(t, db, "people busy below their capacity", `SELECT name || ' owns ' || load || ' of ' || capacity FROM users
		WHERE status = 'busy' AND load < capacity`)
	wantNone(t, db, "people available at their capacity", `SELECT name || ' owns ' || load || ' of ' || capacity FROM users
		WHERE status = 'available' AND load >= capacity`)
	wantNone(t, db, "shoppers whose open_requests is not their open requests", `SELECT s.id || ' ' || s.open_requests
		FROM shoppers s WHERE open_requests <> (SELECT count(*) FROM help_requests r
			WHERE r.shopper_id = s.id AND r.status IN ('waiting', 'assigned'))`)
	wantNone(t, db, "products oversold or whose held is not the sum of open holds", `SELECT p.sku || ' on_hand ' || p.on_hand || ' held ' || p.held
		FROM products p WHERE p.held > p.on_hand OR p.held <> (SELECT COALESCE(sum(quantity), 0) FROM holds h
			WHERE h.store_id = p.store_id AND h.sku = p.sku AND h.status IN ('active', 'ready'))`)

	// The outbox settles: every alert is sent or expired by its TTL. Rows a
	// killed server had claimed wait for their lease; give them that long.
	eventuallyNone(t, db, lease+10*time.Second, "push alerts neither sent nor expired",
		`SELECT id || ' attempts ' || attempts || ' due ' || due_at || ' ' || COALESCE(last_error, '')
		FROM push_outbox WHERE status = 'pending' AND (created_at < now() - $1 * interval '1 second' OR due_at < now() - interval '5 seconds')`,
		lease.Seconds())
	wantNone(t, db, "push alerts failed", `SELECT id || ' ' || COALESCE(last_error, '') FROM push_outbox WHERE status = 'failed'`)
}

// outbox counts the outbox rows by status.
func (l *load) outbox(t *testing.T) map[string]int {
	t.Helper()
	var rows []struct {
		Status string `db:"status"`
		N      int    `db:"n"`
	}
	must(t, l.sc.w.openDB().Select(&rows, `SELECT status, count(*) AS n FROM push_outbox GROUP BY status`))
	out := map[string]int{}
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out
}

// summary is what the load did, for the log and the README's figures.
func (l *load) summary() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	owned := 0
	for _, who := range l.owners {
		if len(who) > 0 {
			owned++
		}
	}
	return fmt.Sprintf("created %d, accepted %d, resolved %d, cancelled %d, alerts to staff %d, holds %d, refusals %v, unanswered calls %d",
		len(l.created), owned, l.resolved, l.cancelled, l.alerts, len(l.holds), l.refused, l.transport)
}

func wantNone(t *testing.T, db interface {
	Select(any, string, ...any) error
}, what, query string, args ...any) {
	t.Helper()
	var bad []string
	must(t, db.Select(&bad, query, args...))
	if len(bad) > 0 {
		t.Errorf("%d %s: %s", len(bad), what, strings.Join(bad[:min(len(bad), 5)], "; "))
	}
}

// eventuallyNone waits up to within for query to list no rows, then
// reports those it still lists as wantNone does.
func eventuallyNone(t *testing.T, db *sqlx.DB, within time.Duration, what, query string, args ...any) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		var left int
		must(t, db.Get(&left, `SELECT count(*) FROM (`+query+`) q`, args...))
		if left == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	wantNone(t, db, what, query, args...)
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
