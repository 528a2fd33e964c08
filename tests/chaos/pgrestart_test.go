package chaos

import (
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"
)

// TestDatabaseRestarts takes PostgreSQL away under a running server and
// load, with a fast shutdown and with an immediate one (SIGINT and SIGQUIT to
// the postmaster, what pg_ctl stop -m fast and -m immediate send), and
// brings it back. While it is gone every answer is a prompt 503; within 5 s
// of its return the listener, live streams, push and timers work again, and
// no alert was lost or sent twice.
func TestDatabaseRestarts(t *testing.T) {
	t.Parallel()
	// Offers widen after a second, so that timers fall due during outages.
	w := newWorld(t, "HELPFORCE_OFFER_TIMEOUT=1s")
	w.start()
	sc := w.scene(3, 4)
	watcher := w.client("")
	watcher.token = watcher.must(t, http.StatusCreated, "POST", "/api/v1/shoppers", nil).str("token")
	staff := sc.staff[0].c
	l := sc.startLoad()

	modes := pick([]bool{false, true}, []bool{false, true, false, true, false, true})
	downtime := pick(2*time.Second, 10*time.Second)
	for i, immediate := range modes {
		// A request followed live from before the outage, from far from any
		// store: it waits for the remote team (there is none), so the staff
		// under load leave it open.
		before := watcher.must(t, http.StatusCreated, "POST", "/api/v1/help-requests",
			map[string]any{"department": "tv", "lat": 48.8566, "lng": 2.3522, "accuracy": 20}).str("id")
		old := watcher.follow("/api/v1/help-requests/" + before + "/events")
		if _, ok := old.waitFor("status", before, 5*time.Second); !ok {
			t.Fatal("the event stream sent no status")
		}
		time.Sleep(pick(time.Second, 3*time.Second))
		name := map[bool]string{false: "fast", true: "immediate"}[immediate]
		w.logf("round %d: stopping PostgreSQL (%s)", i+1, name)
		must(t, w.cluster.Halt(immediate))
		probeOutage(t, w, watcher, staff, sc.storeID, downtime)
		must(t, w.cluster.Restart(t.Context()))
		back := time.Now()
		alertsBefore := l.alertCount()

		ready := waitUntil(t, 5*time.Second, "/readyz answers 200", func() bool {
			r, err := watcher.call("GET", "/readyz", nil)
			return err == nil && r.Status == http.StatusOK
		})
		w.logf("round %d: ready %v after PostgreSQL returned", i+1, ready.Round(time.Millisecond))

		// The stream from before the outage delivers a message posted after.
		watcher.must(t, http.StatusCreated, "POST", "/api/v1/help-requests/"+before+"/messages",
			map[string]string{"body": fmt.Sprintf("still there? %d", i)})
		if _, ok := old.waitFor("message", fmt.Sprintf("still there? %d", i), 5*time.Second); !ok {
			t.Errorf("round %d: the stream open before the outage did not deliver a message posted after it", i+1)
		}
		old.close()
		// A stream opened now hears a change only through the listener (the
		// stream's own re-read is 15 s away): the LISTEN connection is back.
		fresh := watcher.follow("/api/v1/help-requests/" + before + "/events")
		if _, ok := fresh.waitFor("status", before, 5*time.Second); !ok {
			t.Fatalf("round %d: a new stream sent no status", i+1)
		}
		posted := time.Now()
		watcher.must(t, http.StatusCreated, "POST", "/api/v1/help-requests/"+before+"/messages",
			map[string]string{"body": fmt.Sprintf("listening again %d", i)})
		if e, ok := fresh.waitFor("message", fmt.Sprintf("listening again %d", i), 5*time.Second); !ok {
			t.Errorf("round %d: a change made after the database returned did not reach a live stream within 5 s", i+1)
		} else {
			w.logf("round %d: live event %v after the change, %v after PostgreSQL returned", i+1,
				e.at.Sub(posted).Round(time.Millisecond), e.at.Sub(back).Round(time.Millisecond))
		}
		fresh.close()
		watcher.must(t, http.StatusOK, "POST", "/api/v1/help-requests/"+before+"/cancel", nil)

		// Staff alerts flow again: push workers and dispatch are back.
		waitUntil(t, 5*time.Second, "staff alerts resume", func() bool { return l.alertCount() > alertsBefore })
		w.logf("round %d: staff alerts flowing again %v after PostgreSQL returned", i+1, time.Since(back).Round(time.Millisecond))
	}
	time.Sleep(2 * time.Second)
	l.halt()
	w.logf("load: %s", l.summary())
	l.invariants(t, time.Minute)
	exactlyOnce(t, w)
	if n := w.srv.logCount(`"level":"ERROR"`); n > 0 {
		t.Errorf("the server logged %d errors across the restarts:\n%s", n, w.srv.lines(`"level":"ERROR"`))
	}
}

// probeOutage calls the server for the whole outage: readiness and API calls
// answer 503 (unavailable, Retry-After) within a second, never hang, never 500.
func probeOutage(t *testing.T, w *world, shopper, staff *client, storeID string, d time.Duration) {
	t.Helper()
	type probe struct {
		who    *client
		method string
		path   string
		body   any
	}
	probes := []probe{
		{shopper, "GET", "/readyz", nil},
		{shopper, "POST", "/api/v1/help-requests", map[string]any{"department": "tv", "store_id": storeID}},
		{staff, "GET", "/api/v1/queue", nil},
		{staff, "GET", "/api/v1/me", nil},
		{shopper, "GET", "/api/v1/stores/" + storeID + "/products?q=tv", nil},
	}
	var mu sync.Mutex
	var calls int
	var slowest time.Duration
	end := time.Now().Add(d)
	var wg sync.WaitGroup
	for _, p := range probes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(end) {
				start := time.Now()
				r, err := p.who.call(p.method, p.path, p.body)
				took := time.Since(start)
				mu.Lock()
				calls++
				slowest = max(slowest, took)
				mu.Unlock()
				switch {
				case err != nil:
					t.Errorf("%s %s while the database is down: %v", p.method, p.path, err)
				case took > time.Second:
					t.Errorf("%s %s took %v while the database is down", p.method, p.path, took)
				case r.Status != http.StatusServiceUnavailable:
					t.Errorf("%s %s while the database is down: %d %s", p.method, p.path, r.Status, r.Raw)
				case p.path != "/readyz" && (r.code() != "unavailable" || r.Header.Get("Retry-After") == ""):
					t.Errorf("%s %s while the database is down: %s, Retry-After %q", p.method, p.path, r.Raw, r.Header.Get("Retry-After"))
				}
				time.Sleep(100 * time.Millisecond)
			}
		}()
	}
	wg.Wait()
	w.logf("outage: %d calls answered 503, the slowest in %v", calls, slowest.Round(time.Millisecond))
}

// waitUntil polls cond and returns how long it took to hold; past timeout
// it fails the test.
func waitUntil(t *testing.T, timeout time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > timeout {
			t.Fatalf("%s: not within %v", what, timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return time.Since(start)
}

func (l *load) alertCount() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.alerts
}

// exactlyOnce compares the outbox with what the push service received: every
// alert marked sent arrived once, and nothing arrived that is not marked sent.
// cuts are moments the push service double dropped its connections: an alert
// it took within a second of one may never have had its answer, and is
// rightly sent again (at least once), so it may arrive twice.
func exactlyOnce(t *testing.T, w *world, cuts ...time.Time) {
	t.Helper()
	db := w.openDB()
	waitUntil(t, 20*time.Second, "the outbox drains", func() bool {
		var n int
		must(t, db.Get(&n, `SELECT count(*) FROM push_outbox WHERE status = 'pending'`))
		return n == 0
	})
	var rows []struct {
		Endpoint string `db:"endpoint"`
		Payload  string `db:"payload"`
	}
	must(t, db.Select(&rows, `SELECT s.endpoint, o.payload FROM push_outbox o JOIN push_subscriptions s ON s.id = o.subscription_id
		WHERE o.status = 'sent'`))
	want := map[string]int{}
	for _, r := range rows {
		want[r.Endpoint+" "+r.Payload]++
	}
	got, first := map[string]int{}, map[string]time.Time{}
	for _, m := range w.push.Messages() {
		if m.Status == http.StatusCreated {
			k := m.Endpoint + " " + string(m.Plaintext)
			if got[k]++; got[k] == 1 {
				first[k] = m.At
			}
		}
	}
	twice, lost := 0, 0
	for k, n := range got {
		if n <= want[k] {
			continue
		}
		if atCut(first[k], cuts...) && n == want[k]+1 {
			t.Logf("delivered again after the push service dropped the connection of its first delivery: %s", k)
			continue
		}
		twice += n - want[k]
		if twice == 1 {
			t.Logf("delivered %d times, sent %d in the outbox: %s", n, want[k], k)
		}
	}
	for k, n := range want {
		if got[k] < n {
			lost += n - got[k]
		}
	}
	if twice > 0 || lost > 0 {
		t.Errorf("of %d alerts sent, %d were delivered more often than queued and %d never arrived", len(rows), twice, lost)
	}
	w.logf("push: %d alerts queued and delivered exactly once", len(rows))
}

// atCut says whether the push service double took a message at at within a
// second of one of cuts, when it dropped its connections: the sender may
// never have had the answer.
func atCut(at time.Time, cuts ...time.Time) bool {
	return slices.ContainsFunc(cuts, func(c time.Time) bool { return at.Sub(c).Abs() <= time.Second })
}
