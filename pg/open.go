package pg

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// Open connects to url and checks the connection.
func Open(ctx context.Context, url string) (*sqlx.DB, error) {
	base, err := pq.NewConnector(url)
	if err != nil {
		return nil, fmt.Errorf("pg: open: %w", err)
	}
	db := sqlx.NewDb(sql.OpenDB(boundedConnector{connector{base}}), "postgres")
	// Keep every connection the pool opened while it is in use: a new one
	// costs a server process, its caches and its prepared statements. Idle
	// ones close after five minutes.
	db.SetMaxOpenConns(40)
	db.SetMaxIdleConns(40)
	db.SetConnMaxIdleTime(5 * time.Minute)
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("pg: cannot reach the database: %w", err)
	}
	return db, nil
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
