// Package assist holds help requests and their dispatch: offers to the floor
// in waves, exactly one owner, overflow to the remote team, escalation to a
// store's manager, the conversation, ratings and the hand-off log. Every rule
// that must hold under concurrency is a guarded SQL statement.
package assist

import (
	"log/slog"
	"time"

	"github.com/jmoiron/sqlx"

	"helpforce/people"
	"helpforce/pg"
	"helpforce/stores"
)

// Config holds the dispatch timings.
type Config struct {
	OfferTimeout    time.Duration // a wave of floor offers waits this long before widening
	OverflowTimeout time.Duration // from creation until a waiting request goes to the remote team
	AbandonAfter    time.Duration // a waiting request nobody took is abandoned
	WaveSize        int           // how many skilled staff the first wave reaches at once
	IgnoreLimit     int           // offers ignored in a row before a person is set on a break
	OpenPerShopper  int           // requests one shopper may have open at once
	RemindLimit     int           // reminders sent to the remote team while a request waits there
	SweepEvery      time.Duration // how often free people are matched with waiting requests, as a safety net
	Policy          Policy        // how a request is offered
	MaxMessages     int           // messages in one conversation; default 200
	MaxMessageBytes int           // bytes in one message; default 6000
}

// Policy is how requests are offered to people.
type Policy string

// The dispatch policies. Waves is Helpforce's; the others exist to compare
// it with the usual alternatives at equal staffing.
const (
	// PolicyWaves offers skilled staff first, then the store, then the remote team.
	PolicyWaves Policy = "waves"
	// PolicyBroadcast offers every free member of the store and every available agent at once.
	PolicyBroadcast Policy = "broadcast"
	// PolicyFloor never hands a request in a store to the remote team.
	PolicyFloor Policy = "floor"
)

func (c *Config) defaults() {
	if c.OfferTimeout <= 0 {
		c.OfferTimeout = 30 * time.Second
	}
	if c.OverflowTimeout <= 0 {
		c.OverflowTimeout = 90 * time.Second
	}
	if c.AbandonAfter <= 0 {
		c.AbandonAfter = 30 * time.Minute
	}
	if c.WaveSize <= 0 {
		c.WaveSize = 3
	}
	if c.IgnoreLimit <= 0 {
		c.IgnoreLimit = 3
	}
	if c.OpenPerShopper <= 0 {
		c.OpenPerShopper = 3
	}
	if c.MaxMessages <= 0 {
		c.MaxMessages = 200
	}
	if c.MaxMessageBytes <= 0 {
		c.MaxMessageBytes = 6000
	}
	if c.RemindLimit <= 0 {
		c.RemindLimit = 3
	}
	if c.SweepEvery <= 0 {
		c.SweepEvery = 5 * time.Second
	}
	if c.Policy == "" {
		c.Policy = PolicyWaves
	}
	if c.Policy == PolicyBroadcast {
		c.WaveSize = 1000
	}
}

// Desk is the help desk: it takes requests and dispatches them.
type Desk struct {
	db         *sqlx.DB
	places     *stores.Places
	log        *slog.Logger
	cfg        Config
	notes      *pg.Notifier
	admissions *admissions
	sender     Sender // nil: alerts are left to the outbox's claims
	turns      turns  // accepts of one request, one at a time
}

// New returns a Desk; Run starts its timers.
func New(db *sqlx.DB, places *stores.Places, log *slog.Logger, cfg Config) *Desk {
	cfg.defaults()
	d := &Desk{db: db, places: places, log: log, cfg: cfg, notes: pg.NewNotifier(db, log)}
	d.admissions = newAdmissions(d)
	return d
}

// Actor is who acts: a member of staff or a shopper.
type Actor = people.Actor
