package reports_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"helpforce/pg/pgtest"
	"helpforce/reports"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// fixture is a database with stores built by plain SQL, a shopper who asks
// and a member of staff who answers.
type fixture struct {
	t       testing.TB
	db      *sqlx.DB
	shopper string
	staff   map[string]string // store id → a floor user of that store
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	f := &fixture{t: t, db: pgtest.New(t), staff: map[string]string{}}
	f.must(f.db.Get(&f.shopper, `INSERT INTO shoppers DEFAULT VALUES RETURNING id`))
	return f
}

// store creates a store with departments given as code, name, code, name, ….
func (f *fixture) store(name, tz string, departments ...string) string {
	f.t.Helper()
	var id, staff string
	f.must(f.db.Get(&id, `INSERT INTO stores (name, timezone, lat, lng) VALUES ($1, $2, 45.76, 4.85) RETURNING id`, name, tz))
	for i := 0; i+1 < len(departments); i += 2 {
		f.db.MustExec(`INSERT INTO departments (store_id, code, name) VALUES ($1, $2, $3)`, id, departments[i], departments[i+1])
	}
	f.must(f.db.Get(&staff, `INSERT INTO users (email, name, role, store_id, password_hash)
		VALUES ($1 || '@example.com', 'Sam', 'floor', $1::uuid, 'x') RETURNING id`, id))
	f.staff[id] = staff
	return id
}

// req is a help request with its history given as seconds after creation
// (0: never happened).
type req struct {
	at       string // created_at, RFC 3339
	dept     string
	status   string
	accepted int // first_accepted_at
	remote   int // remote_at
	resolved int // resolved_at
	rating   int // 1–5, 0 for none
	staff    int // messages by staff and agents
	shopper  int // messages by the shopper
}

const insertRequest = `
INSERT INTO help_requests (shopper_id, store_id, department, status, channel, assigned_to,
	created_at, first_accepted_at, remote_at, resolved_at, closed_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`

// add inserts requests into a store, with their messages and ratings
// written as the app writes them, so that the counting triggers run.
func (f *fixture) add(storeID string, reqs ...req) {
	f.t.Helper()
	after := func(t time.Time, s int) *time.Time {
		if s == 0 {
			return nil
		}
		at := t.Add(time.Duration(s) * time.Second)
		return &at
	}
	for _, r := range reqs {
		created := at(f.t, r.at)
		channel := "floor"
		if r.remote > 0 {
			channel = "remote"
		}
		var owner *string
		if r.status == "assigned" || r.status == "resolved" {
			owner = ptr(f.staff[storeID])
		}
		var closed *time.Time
		if r.status != "waiting" && r.status != "assigned" {
			closed = ptr(created.Add(time.Hour))
		}
		var id string
		f.must(f.db.Get(&id, insertRequest, f.shopper, storeID, r.dept, r.status, channel, owner,
			created, after(created, r.accepted), after(created, r.remote), after(created, r.resolved), closed))
		roles := []string{"floor", "agent", "manager", "admin"}
		for i := range r.staff {
			f.db.MustExec(`INSERT INTO request_messages (request_id, author_name, author_role, body)
				VALUES ($1, 'Sam', $2, 'On my way')`, id, roles[i%len(roles)])
		}
		for range r.shopper {
			f.db.MustExec(`INSERT INTO request_messages (request_id, author_name, author_role, body)
				VALUES ($1, 'Shopper', 'shopper', 'Thanks')`, id)
		}
		if r.rating > 0 {
			f.db.MustExec(`INSERT INTO ratings (request_id, score) VALUES ($1, $2)`, id, r.rating)
		}
	}
}

func (f *fixture) must(err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
}

func at(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func period(t testing.TB, from, to string) reports.Period {
	return reports.Period{From: at(t, from), To: at(t, to)}
}

func ptr[T any](v T) *T { return &v }

// val is a figure that is not null.
func val(x float64) *float64 { return &x }

// sameJSON compares reports as their JSON, which is what callers see and
// what reads best when they differ.
func sameJSON(t *testing.T, got, want any) {
	t.Helper()
	g, _ := json.MarshalIndent(got, "", " ")
	w, _ := json.MarshalIndent(want, "", " ")
	if string(g) != string(w) {
		t.Errorf("got\n%s\nwant\n%s", g, w)
	}
}
