// Package app builds Helpforce's services and the HTTP server over them from
// one configuration. The server binary and the tests build them the same
// way: app.New, then Start to run the background work of a replica.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jmoiron/sqlx"
	"golang.org/x/crypto/bcrypt"

	"helpforce/api"
	"helpforce/assist"
	"helpforce/holds"
	"helpforce/notify"
	"helpforce/people"
	"helpforce/pg"
	"helpforce/photos"
	"helpforce/stores"
)

// searchConns bounds the plain connections product searches use, apart
// from the pool of prepared statements.
const searchConns = 8

// Config is what the services are built from. Zero fields take each
// service's defaults.
type Config struct {
	// DatabaseURL is the database of the pool New is given, for the
	// connections the services open themselves (product searches).
	DatabaseURL string
	Log         *slog.Logger  // nil: discarded
	BcryptCost  int           // password hashing cost; 0: bcrypt.DefaultCost
	SessionIdle time.Duration // a staff session unused this long ends; 0: 12h
	// Push: empty Keys take the pair kept in the database, generated on
	// first use.
	Push   notify.Config
	Assist assist.Config
	Holds  holds.Config // Search is set by New
	Photos photos.Config
	API    api.Options
}

// App is every service of one replica (the Deps the handlers call) and the
// HTTP server over them.
type App struct {
	api.Deps
	API *api.Server

	search *sqlx.DB
}

// New builds the services on db (a pool from pg.Open) and the HTTP server.
// Nothing runs in the background until Start. Close releases what New
// opened; db stays the caller's.
func New(ctx context.Context, db *sqlx.DB, cfg Config) (*App, error) {
	if cfg.DatabaseURL == "" {
		return nil, errors.New("app: no database URL")
	}
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.BcryptCost == 0 {
		cfg.BcryptCost = bcrypt.DefaultCost
	}
	keys, err := notify.LoadKeys(ctx, db, cfg.Push.Keys)
	if err != nil {
		return nil, err
	}
	cfg.Push.Keys = keys
	search, err := pg.OpenUnprepared(ctx, cfg.DatabaseURL, searchConns)
	if err != nil {
		return nil, fmt.Errorf("app: the search pool: %w", err)
	}
	cfg.Holds.Search = search

	a := &App{Deps: api.Deps{DB: db, Log: log}, search: search}
	a.People = people.New(db, cfg.BcryptCost)
	if cfg.SessionIdle > 0 {
		a.People.SessionIdle = cfg.SessionIdle
	}
	a.Stores = stores.New(db)
	a.Places = stores.NewPlaces(a.Stores, log)
	a.Push = notify.New(db, log, cfg.Push)
	a.Desk = assist.New(db, a.Places, log, cfg.Assist)
	a.Desk.SendWith(a.Push)
	a.Holds = holds.New(db, log, cfg.Holds)
	a.Live = notify.NewLive()
	a.Photos = photos.New(db, cfg.Photos)
	a.API = api.New(a.Deps, cfg.API)
	return a, nil
}

// Start loads the place index and starts this replica's background work on
// hub: sessions are kept in memory and forgotten as they change, the place
// index follows store changes, the push workers send the
// outbox, the desk's timers fire, holds expire, live streams hear request
// changes. The caller runs the hub after Start.
func (a *App) Start(ctx context.Context, hub *pg.Hub) error {
	if err := a.Places.Load(ctx); err != nil {
		return err
	}
	for _, start := range []func(context.Context, *pg.Hub) error{a.People.Watch, a.Places.Watch, a.Push.Run, a.Desk.Run, a.Holds.Run} {
		if err := start(ctx, hub); err != nil {
			return err
		}
	}
	return a.Live.Attach(hub)
}

// Sweepers are the housekeeping tasks to run now and then: expired
// sessions, old rate-limit windows, stale push subscriptions, finished
// outbox rows and holds, photos past their retention.
func (a *App) Sweepers() []func(context.Context) error {
	return []func(context.Context) error{a.People.Sweep, a.People.SweepBuckets, a.Push.Sweep, a.Holds.Sweep, a.Photos.Sweep}
}

// Close releases the connections New opened.
func (a *App) Close() error { return a.search.Close() }
