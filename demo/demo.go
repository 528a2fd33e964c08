// Package demo seeds an empty database with a small chain in Lyon, so that a
// newcomer can try every screen at once.
package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"helpforce/people"
	"helpforce/stores"
)

// Password is every demo staff account's password, for trying things out.
// The admin's is not published: it is given to Seed.
const Password = "helpforce-demo"

// AdminEmail is the demo admin's sign-in.
const AdminEmail = "admin@example.com"

// Login is a demo account, printed at start.
type Login struct {
	Email, Name string
	Role        people.Role
	Store       string
}

type store struct {
	name, address string
	lat, lng      float64
	halfN, halfE  float64 // half the footprint's size in metres; 0 => a circle of radius
	radius        float64
	staff         []staffer
}

type staffer struct {
	email, name string
	role        people.Role
	departments []string
}

var departments = [][2]string{{"tv", "TVs"}, {"phones", "Phones"}, {"appliances", "Appliances"},
	{"computing", "Computing"}, {"gaming", "Gaming"}}

var chain = []store{
	{name: "Helpforce Part-Dieu", address: "17 rue du Docteur Bouchut, 69003 Lyon", lat: 45.76115, lng: 4.85572,
		halfN: 18, halfE: 24, staff: []staffer{
			{"sam@example.com", "Sam Moreau", people.RoleFloor, []string{"tv", "phones"}},
			{"lea@example.com", "Léa Girard", people.RoleFloor, []string{"appliances", "computing"}},
			{"manager.partdieu@example.com", "Claire Martin", people.RoleManager, []string{"tv", "phones", "appliances", "computing", "gaming"}},
		}},
	{name: "Helpforce Confluence", address: "112 cours Charlemagne, 69002 Lyon", lat: 45.74055, lng: 4.81760,
		halfN: 45, halfE: 40, staff: []staffer{
			{"hugo@example.com", "Hugo Lefèvre", people.RoleFloor, []string{"tv", "gaming"}},
			{"ines@example.com", "Inès Roux", people.RoleFloor, []string{"phones", "computing"}},
			{"manager.confluence@example.com", "Marc Petit", people.RoleManager, []string{"tv", "appliances"}},
		}},
	{name: "Helpforce Bellecour", address: "28 rue de la République, 69002 Lyon", lat: 45.76024, lng: 4.83585,
		radius: 35, staff: []staffer{
			{"tom@example.com", "Tom Fournier", people.RoleFloor, []string{"tv", "phones", "appliances"}},
			{"nina@example.com", "Nina Blanc", people.RoleFloor, []string{"computing", "gaming"}},
		}},
}

var office = []staffer{
	{"remi@example.com", "Rémi Durand", people.RoleAgent, nil},
	{"zoe@example.com", "Zoé Bernard", people.RoleAgent, nil},
	{AdminEmail, "Alex Admin", people.RoleAdmin, nil},
}

// Logins lists the demo accounts.
func Logins() []Login {
	var out []Login
	for _, s := range chain {
		for _, p := range s.staff {
			out = append(out, Login{p.email, p.name, p.role, s.name})
		}
	}
	for _, p := range office {
		out = append(out, Login{p.email, p.name, p.role, ""})
	}
	return out
}

// Empty reports whether the database has no store and no account yet.
func Empty(ctx context.Context, db *sqlx.DB) (bool, error) {
	var empty bool
	if err := db.GetContext(ctx, &empty, `SELECT NOT EXISTS (SELECT 1 FROM stores) AND NOT EXISTS (SELECT 1 FROM users)`); err != nil {
		return false, fmt.Errorf("demo: %w", err)
	}
	return empty, nil
}

// Seed fills an empty database (no store, no account) and reports whether it
// did. The demo admin gets adminPassword; everyone else Password.
func Seed(ctx context.Context, db *sqlx.DB, dir *people.Directory, reg *stores.Registry, adminPassword string) (bool, error) {
	if empty, err := Empty(ctx, db); err != nil || !empty {
		return false, err
	}
	for i, s := range chain {
		st, err := reg.CreateStore(ctx, s.newStore())
		if err != nil {
			return false, fmt.Errorf("demo: store %s: %w", s.name, err)
		}
		for _, d := range departments {
			if _, err := reg.CreateDepartment(ctx, st.ID, d[0], d[1]); err != nil {
				return false, fmt.Errorf("demo: department: %w", err)
			}
		}
		for _, p := range s.staff {
			if err := createUser(ctx, dir, p, Password, &st.ID); err != nil {
				return false, err
			}
		}
		if err := seedProducts(ctx, db, st.ID, i); err != nil {
			return false, err
		}
	}
	for _, p := range office {
		pw := Password
		if p.email == AdminEmail {
			pw = adminPassword
		}
		if err := createUser(ctx, dir, p, pw, nil); err != nil {
			return false, err
		}
	}
	return true, seedHistory(ctx, db)
}

func createUser(ctx context.Context, dir *people.Directory, p staffer, password string, storeID *string) error {
	_, err := dir.CreateUser(ctx, people.NewUser{Email: p.email, Name: p.name, Password: password,
		Role: p.role, StoreID: storeID, Departments: p.departments})
	if err != nil {
		return fmt.Errorf("demo: user %s: %w", p.email, err)
	}
	return nil
}

// newStore draws the store's footprint as a rectangle around its centre.
func (s store) newStore() stores.NewStore {
	n := stores.NewStore{Name: s.name, Timezone: "Europe/Paris", Address: s.address,
		Location: &stores.Location{Lat: s.lat, Lng: s.lng}}
	if s.halfN == 0 {
		n.RadiusM = &s.radius
		return n
	}
	dLat, dLng := metresToDegrees(s.lat, s.halfN, s.halfE)
	ring := [][2]float64{{s.lng - dLng, s.lat - dLat}, {s.lng + dLng, s.lat - dLat},
		{s.lng + dLng, s.lat + dLat}, {s.lng - dLng, s.lat + dLat}, {s.lng - dLng, s.lat - dLat}}
	n.Footprint, _ = json.Marshal(map[string]any{"type": "Polygon", "coordinates": [][][2]float64{ring}})
	return n
}

func seedProducts(ctx context.Context, db *sqlx.DB, storeID string, storeIndex int) error {
	var skus, names []string
	var prices []float64
	var onHand []int64
	for i, p := range catalog {
		skus = append(skus, p.sku)
		names = append(names, p.name)
		prices = append(prices, p.price)
		onHand = append(onHand, int64((i*7+storeIndex*5)%13))
	}
	_, err := db.ExecContext(ctx, `INSERT INTO products (store_id, sku, name, price, on_hand)
		SELECT $1, unnest($2::text[]), unnest($3::text[]), unnest($4::numeric[]), unnest($5::int[])`,
		storeID, pq.Array(skus), pq.Array(names), pq.Array(prices), pq.Array(onHand))
	if err != nil {
		return fmt.Errorf("demo: products: %w", err)
	}
	return nil
}

// Describe renders the demo logins for the start banner; admin says how to
// sign in as the admin.
func Describe(admin string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Demo logins (staff password %q):\n", Password)
	for _, l := range Logins() {
		if l.Email == AdminEmail {
			fmt.Fprintf(&b, "  %-8s %-32s %s\n", l.Role, l.Email, admin)
			continue
		}
		where := l.Store
		if where == "" {
			where = "all stores"
		}
		fmt.Fprintf(&b, "  %-8s %-32s %s, %s\n", l.Role, l.Email, l.Name, where)
	}
	return b.String()
}
