package devdb

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// running reports whether a server already answers on the cluster's socket
// (another helpforce process on the same folder); it is then shared, not owned.
func (c *Cluster) running(ctx context.Context) bool {
	if _, err := os.Stat(filepath.Join(c.sockets, ".s.PGSQL.5432")); err != nil {
		return false
	}
	db, err := sql.Open("postgres", c.URL("postgres"))
	if err != nil {
		return false
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return db.PingContext(ctx) == nil
}

func (c *Cluster) waitReady(ctx context.Context, logPath string) error {
	deadline := time.Now().Add(60 * time.Second)
	for {
		db, err := sql.Open("postgres", c.URL("postgres"))
		if err == nil {
			err = db.PingContext(ctx)
			db.Close()
		}
		if err == nil {
			return nil
		}
		select {
		case <-c.exited:
			return fmt.Errorf("devdb: postgres exited during start (another server may be using %s); see %s", c.dir, logPath)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("devdb: postgres did not accept connections within 60s; see %s", logPath)
		}
	}
}
