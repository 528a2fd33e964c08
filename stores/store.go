// Package stores holds the stores of the chain, the area each covers and
// their departments.
package stores

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"helpforce/fault"
	"helpforce/geo"
	"helpforce/pg"
)

// Location is a WGS84 position.
type Location struct {
	Lat float64 `json:"lat"`
	Lng float64 `json:"lng"`
}

// Store is one shop of the chain.
type Store struct {
	ID        string          `db:"id" json:"id"`
	Name      string          `db:"name" json:"name"`
	Timezone  string          `db:"timezone" json:"timezone"`
	Address   string          `db:"address" json:"address"`
	Lat       float64         `db:"lat" json:"-"`
	Lng       float64         `db:"lng" json:"-"`
	Location  Location        `db:"-" json:"location"`
	Footprint json.RawMessage `db:"-" json:"footprint,omitempty"`
	RawArea   []byte          `db:"footprint" json:"-"`
	RadiusM   float64         `db:"radius_m" json:"radius_m"`
	Cells     pq.StringArray  `db:"cells" json:"cells,omitempty"` // admins only`
	CreatedAt time.Time       `db:"created_at" json:"created_at"`
	UpdatedAt time.Time       `db:"updated_at" json:"updated_at"`
	// OpenNow and OpensAt come from the store's opening hours (see Hours):
	// whether it is open at the time of reading and, when it is closed, when
	// it next opens within 14 days.
	OpenNow bool       `db:"open_now" json:"open_now"`
	OpensAt *time.Time `db:"opens_at" json:"opens_at"`
}

// Area is what the store covers, for the place index.
func (s Store) Area() (geo.Area, error) {
	a := geo.Area{StoreID: s.ID, Location: geo.Point{Lat: s.Lat, Lng: s.Lng}, RadiusM: s.RadiusM}
	if len(s.RawArea) > 0 {
		ring, err := geo.ParseFootprint(s.RawArea)
		if err != nil {
			return a, err
		}
		a.Footprint = ring
	}
	return a, nil
}

// NewStore is what creating or replacing a store takes.
type NewStore struct {
	Name      string          `json:"name"`
	Timezone  string          `json:"timezone"`
	Address   string          `json:"address"`
	Location  *Location       `json:"location"`
	Footprint json.RawMessage `json:"footprint"`
	RadiusM   *float64        `json:"radius_m"`
}

// Registry keeps stores and departments in PostgreSQL.
type Registry struct {
	db *sqlx.DB
}

// New returns a Registry on db.
func New(db *sqlx.DB) *Registry { return &Registry{db: db} }

// selectStore reads stores with their opening state now. store_open_state
// is inlined into this query, so that listing a thousand stores is one plan.
const selectStore = `SELECT id, name, timezone, address, lat, lng, footprint, radius_m, cells, created_at, updated_at,
	COALESCE(o.open_now, true) AS open_now, o.opens_at
FROM stores LEFT JOIN LATERAL store_open_state(stores.id, now()) o ON true`

// validate checks a store's fields and works out the cells it covers.
func (n *NewStore) validate() (geo.Area, []string, error) {
	n.Name = strings.TrimSpace(n.Name)
	n.Address = strings.TrimSpace(n.Address)
	if n.Name == "" || len([]rune(n.Name)) > 120 {
		return geo.Area{}, nil, fault.Invalid("name", "a name of 1 to 120 characters is required")
	}
	if len(n.Address) > 300 {
		return geo.Area{}, nil, fault.Invalid("address", "the address is longer than 300 characters")
	}
	if _, err := time.LoadLocation(n.Timezone); err != nil || n.Timezone == "" || n.Timezone == "Local" {
		return geo.Area{}, nil, fault.Invalid("timezone", "an IANA time zone such as Europe/Paris is required")
	}
	if n.Location == nil {
		return geo.Area{}, nil, fault.Invalid("location", "location {lat, lng} is required")
	}
	l := *n.Location
	if math.IsNaN(l.Lat) || l.Lat < -90 || l.Lat > 90 || math.IsNaN(l.Lng) || l.Lng < -180 || l.Lng > 180 {
		return geo.Area{}, nil, fault.Invalid("location", "lat must be within -90..90 and lng within -180..180")
	}
	area := geo.Area{Location: geo.Point{Lat: l.Lat, Lng: l.Lng}, RadiusM: geo.DefaultRadiusM}
	if n.RadiusM != nil {
		if r := *n.RadiusM; math.IsNaN(r) || r < 5 || r > geo.MaxRadiusM {
			return geo.Area{}, nil, fault.Invalid("radius_m", "radius_m must be between 5 and %d metres", geo.MaxRadiusM)
		}
		area.RadiusM = *n.RadiusM
	}
	if len(n.Footprint) > 0 && string(n.Footprint) != "null" {
		ring, err := geo.ParseFootprint(n.Footprint)
		if err != nil {
			var in *geo.InputError
			if errors.As(err, &in) {
				return geo.Area{}, nil, fault.Invalid("footprint", "%s", in.Message)
			}
			return geo.Area{}, nil, fault.Invalid("footprint", "%v", err)
		}
		area.Footprint = ring
	} else {
		n.Footprint = nil
	}
	area.StoreID = "new"
	if err := area.Validate(); err != nil {
		var in *geo.InputError
		if errors.As(err, &in) {
			return geo.Area{}, nil, fault.Invalid(in.Field, "%s %s", in.Field, in.Message)
		}
		return geo.Area{}, nil, err
	}
	cells, err := geo.Cells(area)
	if err != nil {
		return geo.Area{}, nil, fault.Invalid("footprint", "the area cannot be indexed: %v", err)
	}
	return area, cells, nil
}

// CreateStore adds a store.
func (r *Registry) CreateStore(ctx context.Context, n NewStore) (Store, error) {
	area, cells, err := n.validate()
	if err != nil {
		return Store{}, err
	}
	var s Store
	err = r.db.GetContext(ctx, &s, `INSERT INTO stores (name, timezone, address, lat, lng, footprint, radius_m, cells)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		RETURNING id, name, timezone, address, lat, lng, footprint, radius_m, cells, created_at, updated_at,
			true AS open_now, NULL::timestamptz AS opens_at`, // a new store has no hours yet
		n.Name, n.Timezone, n.Address, area.Location.Lat, area.Location.Lng, nullJSON(n.Footprint), area.RadiusM, pq.Array(cells))
	if err != nil {
		return Store{}, fmt.Errorf("stores: create: %w", err)
	}
	return s.withLocation(), nil
}

// UpdateStore replaces a store's description and area.
func (r *Registry) UpdateStore(ctx context.Context, id string, n NewStore) (Store, error) {
	area, cells, err := n.validate()
	if err != nil {
		return Store{}, err
	}
	var s Store
	err = r.db.GetContext(ctx, &s, `UPDATE stores SET name = $2, timezone = $3, address = $4, lat = $5, lng = $6,
		footprint = $7, radius_m = $8, cells = $9, updated_at = now() WHERE id = $1
		RETURNING id, name, timezone, address, lat, lng, footprint, radius_m, cells, created_at, updated_at,
			true AS open_now, NULL::timestamptz AS opens_at`,
		id, n.Name, n.Timezone, n.Address, area.Location.Lat, area.Location.Lng, nullJSON(n.Footprint), area.RadiusM, pq.Array(cells))
	if errors.Is(err, sql.ErrNoRows) {
		return Store{}, fault.NotFound("store")
	}
	if err != nil {
		return Store{}, fmt.Errorf("stores: update %s: %w", id, err)
	}
	// Read after the update: within it, the rule would still see the old time zone.
	if s.OpenNow, s.OpensAt, err = r.OpenAt(ctx, id, time.Now()); err != nil {
		return Store{}, err
	}
	return s.withLocation(), nil
}

// Store returns the store with id.
func (r *Registry) Store(ctx context.Context, id string) (Store, error) {
	var s Store
	err := r.db.GetContext(ctx, &s, selectStore+` WHERE id = $1`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return Store{}, fault.NotFound("store")
	}
	if err != nil {
		return Store{}, fmt.Errorf("stores: store %s: %w", id, err)
	}
	return s.withLocation(), nil
}

// Stores lists every store by name.
func (r *Registry) Stores(ctx context.Context) ([]Store, error) {
	list := []Store{}
	// Over thousands of stores the plan's estimated cost passes the point
	// where PostgreSQL compiles it to machine code, which takes seconds;
	// the query itself takes milliseconds.
	err := pg.InTx(ctx, r.db, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `SET LOCAL jit = off`); err != nil {
			return err
		}
		return tx.SelectContext(ctx, &list, selectStore+` ORDER BY name, id`)
	})
	if err != nil {
		return nil, fmt.Errorf("stores: list: %w", err)
	}
	for i := range list {
		list[i] = list[i].withLocation()
	}
	return list, nil
}

func (s Store) withLocation() Store {
	s.Location = Location{Lat: s.Lat, Lng: s.Lng}
	if len(s.RawArea) > 0 {
		s.Footprint = json.RawMessage(s.RawArea)
	}
	return s
}

func nullJSON(raw json.RawMessage) any {
	if len(raw) == 0 {
		return nil
	}
	return []byte(raw)
}
