package reports

import (
	"context"
	"sync"

	"github.com/jmoiron/sqlx"

	"helpforce/pg"
)

// reportSettings give a report query room to sort its percentiles in
// memory rather than on disk, and keep PostgreSQL from compiling the plan to
// machine code, which takes longer than these aggregates run.
const reportSettings = `SET LOCAL work_mem = '32MB'; SET LOCAL jit = off`

// read runs one report query in a transaction of its own, for its settings.
func read(ctx context.Context, db *sqlx.DB, dest any, query string, args ...any) error {
	return pg.InTx(ctx, db, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, reportSettings); err != nil {
			return err
		}
		return tx.SelectContext(ctx, dest, query, args...)
	})
}

// concurrently runs the queries of one report side by side, each on its own
// connection, so that a report takes as long as its slowest query rather
// than their sum; it returns the first error.
func concurrently(queries ...func() error) error {
	errs := make([]error, len(queries))
	var wg sync.WaitGroup
	for i, q := range queries {
		wg.Go(func() { errs[i] = q() })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
