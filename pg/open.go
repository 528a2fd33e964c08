// Package pg is Helpforce's side of PostgreSQL in production: the
// connection pools, the migration runner, the shared LISTEN connection, the
// notifications sent after commit and the workers woken by due times. The
// embedded development server is package pg/devdb; pg/pgtest gives tests
// their databases.
package pg

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// DefaultConns is how many connections Open keeps at most: three per core
// this process may use (GOMAXPROCS, which follows a container's CPU limit),
// from 4 to 24 (6 on two cores). A few per core of the
// database server keep it busy; more only queue inside PostgreSQL, where
// each costs a process, its own first planning of every statement, and lock
// waits, instead of in the server, where waiting costs nothing. The
// replica's own cores stand for the database's: they are the same ones for
// the embedded database, and a replica's requests need its own CPU too.
var DefaultConns = connsFor(runtime.GOMAXPROCS(0))

func connsFor(cores int) int { return min(max(3*cores, 4), 24) }

// Open connects to url with at most conns connections (DefaultConns when 0)
// and checks the connection. Its connections keep their statements
// prepared, with one plan per statement (see preparingConnector): what
// every store method runs on.
func Open(ctx context.Context, url string, conns int) (*sqlx.DB, error) {
	base, err := connector(url)
	if err != nil {
		return nil, fmt.Errorf("pg: open: %w", err)
	}
	if conns <= 0 {
		conns = DefaultConns
	}
	db := sqlx.NewDb(sql.OpenDB(boundedConnector{preparingConnector{base}}), "postgres")
	// Keep every connection the pool opened while it is in use: a new one
	// costs a server process, its caches and its prepared statements. Idle
	// ones close after five minutes.
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := ping(ctx, db); err != nil {
		return nil, err
	}
	return db, nil
}

// OpenUnprepared connects to url with plain lib/pq connections, at most
// maxConns of them: each query is parsed and planned at each call, for its
// arguments, with the server's default plan_cache_mode. It is for the few
// queries whose best plan depends on their values (a LIKE pattern, say),
// which one plan for all arguments would serve badly.
func OpenUnprepared(ctx context.Context, url string, maxConns int) (*sqlx.DB, error) {
	base, err := connector(url)
	if err != nil {
		return nil, fmt.Errorf("pg: open: %w", err)
	}
	db := sqlx.NewDb(sql.OpenDB(boundedConnector{base}), "postgres")
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := ping(ctx, db); err != nil {
		return nil, err
	}
	return db, nil
}

// connector connects to url with PostgreSQL's JIT compilation off, unless
// url (or PGOPTIONS) says otherwise. Compiling pays off for long analytic
// queries only; here it made a read of ten thousand waiting requests' places
// take seconds of compiling for tens of milliseconds of work.
func connector(url string) (*pq.Connector, error) {
	cfg, err := pq.NewConfig(url)
	if err != nil {
		return nil, err
	}
	if _, set := cfg.Runtime["jit"]; !set && !strings.Contains(cfg.Options, "jit") {
		rt := map[string]string{"jit": "off"}
		for k, v := range cfg.Runtime {
			rt[k] = v
		}
		cfg.Runtime = rt
	}
	return pq.NewConnectorConfig(cfg)
}

// ping checks that db answers within 15 s, closing it when it does not.
func ping(ctx context.Context, db *sqlx.DB) error {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return fmt.Errorf("pg: cannot reach the database: %w", err)
	}
	return nil
}

// InTx runs fn in a transaction, committing when it returns nil and rolling
// back otherwise.
func InTx(ctx context.Context, db *sqlx.DB, fn func(*sqlx.Tx) error) error {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// QuoteIdent quotes an SQL identifier.
func QuoteIdent(s string) string { return pq.QuoteIdentifier(s) }
