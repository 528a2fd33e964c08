package holds_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"golang.org/x/crypto/bcrypt"

	"helpforce/holds"
	"helpforce/notify/pushtest"
	"helpforce/people"
	"helpforce/pg"
	"helpforce/pg/pgtest"
	"helpforce/stores"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

var quiet = slog.New(slog.DiscardHandler)

// shop is the Part-Dieu store with its staff, a second store (Bellecour)
// with its own, central staff, and two shoppers.
type shop struct {
	t       testing.TB
	url     string
	db      *sqlx.DB
	k       *holds.Keeper
	store   stores.Store
	other   stores.Store
	staff   map[string]holds.Actor // by first name
	shopper holds.Actor
	second  holds.Actor // another shopper
}

func newShop(t testing.TB, cfg holds.Config) *shop {
	t.Helper()
	ctx := context.Background()
	url, db := pgtest.Open(t)
	if cfg.Search == nil {
		var err error
		if cfg.Search, err = pg.OpenUnprepared(ctx, url, 2); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cfg.Search.Close() })
	}
	s := &shop{t: t, url: url, db: db, k: holds.New(db, quiet, cfg), staff: map[string]holds.Actor{}}
	reg := stores.New(db)
	s.store = s.createStore(reg, "Part-Dieu", 45.7611, 4.8557)
	s.other = s.createStore(reg, "Bellecour", 45.7578, 4.8320)
	dir := people.New(db, bcrypt.MinCost)
	for _, p := range []struct {
		name  string
		role  people.Role
		store *stores.Store
	}{
		{"sam", "floor", &s.store}, {"lea", "floor", &s.store}, {"claire", "manager", &s.store},
		{"olga", "floor", &s.other}, {"remi", "agent", nil}, {"ada", "admin", nil},
	} {
		n := people.NewUser{Email: p.name + "@example.com", Name: p.name, Password: "long enough pw", Role: p.role}
		a := holds.Actor{Name: p.name, Role: p.role}
		if p.store != nil {
			n.StoreID, n.Departments, a.StoreID = &p.store.ID, []string{"tv"}, p.store.ID
		}
		u, err := dir.CreateUser(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		a.UserID = u.ID
		s.staff[p.name] = a
	}
	for _, who := range []*holds.Actor{&s.shopper, &s.second} {
		id, _, err := dir.NewShopper(ctx, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		*who = holds.Actor{ShopperID: id, Role: "shopper"}
	}
	return s
}

func (s *shop) createStore(reg *stores.Registry, name string, lat, lng float64) stores.Store {
	ctx := context.Background()
	st, err := reg.CreateStore(ctx, stores.NewStore{Name: name, Timezone: "Europe/Paris",
		Location: &stores.Location{Lat: lat, Lng: lng}})
	if err != nil {
		s.t.Fatal(err)
	}
	if _, err := reg.CreateDepartment(ctx, st.ID, "tv", "TVs"); err != nil {
		s.t.Fatal(err)
	}
	return st
}

// stock puts a product on the store's shelves.
func (s *shop) stock(sku, name string, onHand int) {
	s.db.MustExec(`INSERT INTO products (store_id, sku, name, price, on_hand) VALUES ($1, $2, $3, 499.99, $4)`,
		s.store.ID, sku, name, onHand)
}

// level reads a product's on_hand and held.
func (s *shop) level(sku string) (onHand, held int) {
	s.t.Helper()
	var v struct {
		OnHand int `db:"on_hand"`
		Held   int `db:"held"`
	}
	if err := s.db.Get(&v, `SELECT on_hand, held FROM products WHERE store_id = $1 AND sku = $2`, s.store.ID, sku); err != nil {
		s.t.Fatal(err)
	}
	return v.OnHand, v.Held
}

func (s *shop) place(a holds.Actor, sku string, qty int) holds.Hold {
	s.t.Helper()
	h, err := s.k.Place(context.Background(), a, "", holds.NewHold{StoreID: s.store.ID, SKU: sku, Quantity: qty})
	if err != nil {
		s.t.Fatal(err)
	}
	return h
}

func (s *shop) available(names ...string) {
	for _, n := range names {
		s.db.MustExec(`UPDATE users SET status = 'available' WHERE id = $1`, s.staff[n].UserID)
	}
}

// subscribe gives every person a (fake, never sent) device so alerts are queued.
func (s *shop) subscribe() {
	for name, a := range s.staff {
		s.db.MustExec(`INSERT INTO push_subscriptions (endpoint, p256dh, auth, user_id) VALUES ($1, 'k', 'a', $2)`,
			"https://fcm.googleapis.com/fcm/send/"+name, a.UserID)
	}
	for _, a := range []holds.Actor{s.shopper, s.second} {
		s.db.MustExec(`INSERT INTO push_subscriptions (endpoint, p256dh, auth, shopper_id) VALUES ($1, 'k', 'a', $2)`,
			fmt.Sprint("https://fcm.googleapis.com/fcm/send/shopper-", a.ShopperID), a.ShopperID)
	}
}

// pushes lists the queued alerts of one type for a person, as decoded payloads.
func (s *shop) pushes(a holds.Actor, typ string) []map[string]any {
	return pushtest.Queued(s.t, s.db, a, typ)
}

// run starts a keeper's expiry worker on a listener of its own.
func (s *shop) run(k *holds.Keeper) context.CancelFunc {
	return pgtest.Listen(s.t, s.url, k.Run)
}
