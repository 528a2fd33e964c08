package assist_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"golang.org/x/crypto/bcrypt"

	"helpforce/app"
	"helpforce/assist"
	"helpforce/notify/pushtest"
	"helpforce/people"
	"helpforce/pg/pgtest"
	"helpforce/stores"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// floor is a store with staff, agents, a shopper and a desk.
type floor struct {
	t       testing.TB
	url     string
	db      *sqlx.DB
	desk    *assist.Desk
	places  *stores.Places
	people  *people.Directory
	store   stores.Store
	staff   map[string]assist.Actor // by first name
	shopper assist.Actor
	admin   assist.Actor // reads any request; never offered one
}

var quiet = slog.New(slog.DiscardHandler)

// newFloor builds the Part-Dieu fixture: sam (tv), lea (phones), max (tv),
// manager claire, agents remi and zoe; everyone off until a test says otherwise.
func newFloor(t testing.TB, cfg assist.Config) *floor {
	t.Helper()
	ctx := context.Background()
	url, db := pgtest.Open(t)
	a, err := app.New(ctx, db, app.Config{DatabaseURL: url, Log: quiet, BcryptCost: bcrypt.MinCost, Assist: cfg})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	reg, places := a.Stores, a.Places
	st, err := reg.CreateStore(ctx, stores.NewStore{Name: "Part-Dieu", Timezone: "Europe/Paris",
		Location: &stores.Location{Lat: 45.7611, Lng: 4.8557}})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"tv", "phones"} {
		if _, err := reg.CreateDepartment(ctx, st.ID, d, d); err != nil {
			t.Fatal(err)
		}
	}
	if err := places.Load(ctx); err != nil {
		t.Fatal(err)
	}
	f := &floor{t: t, url: url, db: db, desk: a.Desk, places: places, people: a.People, store: st,
		staff: map[string]assist.Actor{}}
	for _, p := range []struct {
		name string
		role people.Role
		dept string
	}{
		{"sam", "floor", "tv"}, {"lea", "floor", "phones"}, {"max", "floor", "tv"},
		{"claire", "manager", "tv"}, {"remi", "agent", ""}, {"zoe", "agent", ""},
	} {
		f.addStaff(p.name, p.role, p.dept)
	}
	f.shopper = f.newShopper()
	u, err := f.people.CreateUser(ctx, people.NewUser{Email: "ada@example.com", Name: "ada", Password: "long enough pw",
		Role: people.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	f.admin = assist.Actor{UserID: u.ID, Name: u.Name, Role: u.Role}
	return f
}

func (f *floor) newShopper() assist.Actor {
	id, _, err := f.people.NewShopper(context.Background(), time.Hour)
	if err != nil {
		f.t.Fatal(err)
	}
	return assist.Actor{ShopperID: id, Role: people.RoleShopper}
}

func (f *floor) addStaff(name string, role people.Role, dept string) assist.Actor {
	n := people.NewUser{Email: name + "@example.com", Name: name, Password: "long enough pw", Role: role}
	if role.InStore() {
		n.StoreID = &f.store.ID
		n.Departments = []string{dept}
	}
	u, err := f.people.CreateUser(context.Background(), n)
	if err != nil {
		f.t.Fatal(err)
	}
	a := assist.Actor{UserID: u.ID, Name: name, Role: role}
	if n.StoreID != nil {
		a.StoreID = f.store.ID
	}
	f.staff[name] = a
	return a
}

// available sets people available (everyone else keeps their status).
func (f *floor) available(names ...string) {
	for _, n := range names {
		f.db.MustExec(`UPDATE users SET status = 'available' WHERE id = $1`, f.staff[n].UserID)
	}
}

func (f *floor) ask(dept string) assist.HelpRequest {
	f.t.Helper()
	h, err := f.desk.Create(context.Background(), f.shopper, "", assist.NewRequest{Department: dept,
		PlaceQuery: stores.PlaceQuery{StoreID: f.store.ID}})
	if err != nil {
		f.t.Fatal(err)
	}
	return h
}

// offered lists the names of people with an open offer for request id.
func (f *floor) offered(id string) []string {
	f.t.Helper()
	var names []string
	if err := f.db.Select(&names, `SELECT u.name FROM offers o JOIN users u ON u.id = o.user_id
		WHERE o.request_id = $1 AND o.answer IS NULL ORDER BY u.name`, id); err != nil {
		f.t.Fatal(err)
	}
	return names
}

func (f *floor) status(name string) string {
	var s string
	if err := f.db.Get(&s, `SELECT status FROM users WHERE id = $1`, f.staff[name].UserID); err != nil {
		f.t.Fatal(err)
	}
	return s
}

func (f *floor) get(id string) assist.HelpRequest {
	f.t.Helper()
	h, err := f.desk.HelpRequest(context.Background(), f.admin, id)
	if err != nil {
		f.t.Fatal(err)
	}
	return h
}

// kinds lists the hand-off log's kinds for a request.
func (f *floor) kinds(id string) []string {
	var k []string
	if err := f.db.Select(&k, `SELECT kind FROM request_events WHERE request_id = $1 ORDER BY id`, id); err != nil {
		f.t.Fatal(err)
	}
	return k
}

// run starts the desk's timers on a listener of its own until the test ends.
func (f *floor) run(d *assist.Desk) context.CancelFunc {
	return pgtest.Listen(f.t, f.url, d.Run)
}

// pushes lists the queued alerts of one type for a person, as decoded payloads.
func (f *floor) pushes(name, typ string) []map[string]any {
	return pushtest.Queued(f.t, f.db, f.staff[name], typ)
}

// subscribe gives everyone a (fake, never sent) device so alerts are queued.
func (f *floor) subscribe() {
	for name, a := range f.staff {
		f.db.MustExec(`INSERT INTO push_subscriptions (endpoint, p256dh, auth, user_id) VALUES ($1, 'k', 'a', $2)`,
			"https://fcm.googleapis.com/fcm/send/"+name, a.UserID)
	}
	f.db.MustExec(`INSERT INTO push_subscriptions (endpoint, p256dh, auth, shopper_id) VALUES ($1, 'k', 'a', $2)`,
		fmt.Sprint("https://fcm.googleapis.com/fcm/send/shopper-", f.shopper.ShopperID), f.shopper.ShopperID)
}

// delivered marks every queued alert as sent, as a push service that took
// them would.
func (f *floor) delivered() {
	f.db.MustExec(`UPDATE push_outbox SET status = 'sent', sent_at = now() WHERE status = 'pending'`)
}

func placeAt(f *floor) stores.PlaceQuery { return stores.PlaceQuery{StoreID: f.store.ID} }
