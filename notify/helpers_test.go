package notify_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"helpforce/notify"
	"helpforce/notify/pushtest"
	"helpforce/pg/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// rig is a database, a push service double and a way to start senders.
type rig struct {
	t    testing.TB
	url  string
	db   *sqlx.DB
	svc  *pushtest.Service
	keys notify.Keys
}

func newRig(t testing.TB) *rig {
	t.Helper()
	url, db := pgtest.Open(t)
	keys, err := notify.GenerateKeys()
	if err != nil {
		t.Fatal(err)
	}
	svc := pushtest.New(t)
	svc.RequireVAPIDKey(keys.Public)
	return &rig{t: t, url: url, db: db, svc: svc, keys: keys}
}

// sender builds a Push on the rig; start runs it until the returned stop.
func (r *rig) sender(cfg notify.Config) *notify.Push {
	cfg.Keys = r.keys
	if cfg.Subject == "" {
		cfg.Subject = "mailto:ops@example.com"
	}
	cfg.AllowHosts = append(cfg.AllowHosts, r.svc.HostPort())
	return notify.New(r.db, slog.New(slog.DiscardHandler), cfg)
}

func (r *rig) start(p *notify.Push) (stop func()) {
	return pgtest.Listen(r.t, r.url, p.Run)
}

// user creates a member of staff with one subscription at the double.
func (r *rig) user(p *notify.Push) (string, pushtest.Subscription) {
	r.t.Helper()
	var id string
	n := time.Now().UnixNano()
	if err := r.db.Get(&id, `INSERT INTO users (email, name, role, password_hash) VALUES ($1, 'Agent', 'agent', 'x') RETURNING id`,
		fmt.Sprintf("a%d@example.com", n)); err != nil {
		r.t.Fatal(err)
	}
	sub := r.svc.Subscribe()
	var in notify.Subscription
	in.Endpoint, in.Keys.P256dh, in.Keys.Auth = sub.Endpoint, sub.P256dh, sub.Auth
	if err := p.Subscribe(context.Background(), notify.Owner{UserID: id}, in); err != nil {
		r.t.Fatal(err)
	}
	return id, sub
}

// send queues msg to users in a committed transaction.
func (r *rig) send(msg notify.Message, users ...string) {
	r.t.Helper()
	tx := r.db.MustBegin()
	if _, err := notify.ToUsers(context.Background(), tx, users, msg); err != nil {
		r.t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		r.t.Fatal(err)
	}
}

func (r *rig) statuses() map[string]int {
	r.t.Helper()
	var rows []struct {
		Status string `db:"status"`
		N      int    `db:"n"`
	}
	if err := r.db.Select(&rows, `SELECT status, count(*) AS n FROM push_outbox GROUP BY status`); err != nil {
		r.t.Fatal(err)
	}
	out := map[string]int{}
	for _, row := range rows {
		out[row.Status] = row.N
	}
	return out
}

func alert(requestID string) notify.Message {
	return notify.Message{Type: notify.TypeHelpRequest, Title: "Help needed in TVs", Body: "A shopper is waiting",
		URL: "/staff/requests/" + requestID, RequestID: requestID, Urgency: "high", TTL: time.Minute,
		Topic: notify.Topic("request", requestID), Actions: []string{"accept", "pass"}}
}

func decode(t testing.TB, m pushtest.Message) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(m.Plaintext, &v); err != nil {
		t.Fatalf("payload is not JSON: %q", m.Plaintext)
	}
	return v
}
