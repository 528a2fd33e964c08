// Package holds keeps each store's inventory and the holds placed on it:
// products imported in one transaction, searched by SKU or name, and units
// put aside for a shopper to pick up with a code. Stock is never oversold:
// every hold, pickup, cancellation and expiry is a guarded SQL statement on
// available = on_hand - held.
package holds

import (
	"log/slog"
	"time"

	"github.com/jmoiron/sqlx"

	"helpforce/people"
)

// Config holds the rules of holds.
type Config struct {
	TTL                 time.Duration // how long a hold lasts; default 24h
	MaxQuantity         int           // units in one hold; default 10
	MaxActivePerShopper int           // open holds one shopper may have; default 5
	// FirstTTL is how long a shopper's hold lasts until they have a live
	// help request or a past pickup behind them; default 2h (never above TTL).
	FirstTTL time.Duration
	// UnitsPerAddress caps the units of one product shoppers at one client
	// address hold at one store in a day; default 10, negative for no cap.
	UnitsPerAddress int
	// MaxMessages is a conversation's cap on messages; a hold placed from a
	// full conversation says nothing in it. Default 200.
	MaxMessages int
	// Search is the pool product searches run on: plain connections that
	// plan each search for its words (pg.OpenUnprepared), since one plan
	// cannot serve every LIKE pattern well. Nil: the keeper's own pool, with
	// one plan for every search (the same results, slower on a large stock).
	Search *sqlx.DB
}

func (c *Config) defaults() {
	if c.TTL <= 0 {
		c.TTL = 24 * time.Hour
	}
	if c.MaxQuantity <= 0 {
		c.MaxQuantity = 10
	}
	if c.MaxActivePerShopper <= 0 {
		c.MaxActivePerShopper = 5
	}
	if c.FirstTTL <= 0 {
		c.FirstTTL = 2 * time.Hour
	}
	c.FirstTTL = min(c.FirstTTL, c.TTL)
	if c.UnitsPerAddress == 0 {
		c.UnitsPerAddress = 10
	}
	if c.MaxMessages <= 0 {
		c.MaxMessages = 200
	}
}

// Keeper keeps inventory and holds; Run starts its expiry worker.
type Keeper struct {
	db     *sqlx.DB
	search *sqlx.DB // product searches, planned per call (Config.Search)
	log    *slog.Logger
	cfg    Config
}

// New returns a Keeper. Defaults fill any zero field of cfg.
func New(db *sqlx.DB, log *slog.Logger, cfg Config) *Keeper {
	cfg.defaults()
	if log == nil {
		log = slog.Default()
	}
	search := cfg.Search
	if search == nil {
		search = db
	}
	return &Keeper{db: db, search: search, log: log, cfg: cfg}
}

// Actor is who acts: a member of staff or a shopper.
type Actor = people.Actor
