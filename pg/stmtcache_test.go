package pg_test

import (
	"context"
	"fmt"
	"testing"

	"helpforce/pg"
	"helpforce/pg/pgtest"
)

func TestStatementsArePreparedOncePerConnection(t *testing.T) {
	db := pgtest.New(t)
	db.SetMaxOpenConns(1)
	prepared := func() (n int) {
		// Without arguments: the simple protocol, never cached itself.
		if err := db.Get(&n, `SELECT count(*) FROM pg_prepared_statements`); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for i := range 3 {
		var got int
		if err := db.Get(&got, `SELECT $1::int + 1`, i); err != nil || got != i+1 {
			t.Fatalf("got %d, %v", got, err)
		}
	}
	if n := prepared(); n != 1 {
		t.Fatalf("%d statements prepared for one query text run three times", n)
	}
	for i := range 300 {
		if _, err := db.Exec(fmt.Sprintf(`SELECT $1::int + %d`, i), i); err != nil {
			t.Fatal(err)
		}
	}
	if n := prepared(); n != 256 {
		t.Fatalf("%d statements kept, want the bound of 256", n)
	}
}

func TestStatementIsPreparedAgainAfterItsResultChanges(t *testing.T) {
	db := pgtest.New(t)
	db.SetMaxOpenConns(1)
	ctx := context.Background()
	db.MustExec(`CREATE TABLE things (id int PRIMARY KEY)`)
	db.MustExec(`INSERT INTO things VALUES (1)`)
	read := func() error {
		rows, err := db.QueryContext(ctx, `SELECT * FROM things WHERE id = $1`, 1)
		if err != nil {
			return err
		}
		defer rows.Close()
		cols, err := rows.Columns()
		if err != nil {
			return err
		}
		if len(cols) == 0 || !rows.Next() {
			return fmt.Errorf("no row: %v", rows.Err())
		}
		return nil
	}
	if err := read(); err != nil {
		t.Fatal(err)
	}
	db.MustExec(`ALTER TABLE things ADD COLUMN name text`)
	// The server refuses the old statement once; the next call prepares it anew.
	if err := read(); err == nil {
		t.Fatal("the server accepted a statement whose result changed")
	}
	if err := read(); err != nil {
		t.Fatalf("still failing after the statement was dropped: %v", err)
	}
}

func TestPerCallQueriesArePlannedForTheirArguments(t *testing.T) {
	db := pgtest.New(t)
	db.SetMaxOpenConns(1)
	mode := func() (m string) {
		if err := db.Get(&m, `SHOW plan_cache_mode`); err != nil {
			t.Fatal(err)
		}
		return m
	}
	var n int
	if err := db.Get(&n, `SELECT $1::int`, 1); err != nil {
		t.Fatal(err)
	}
	if m := mode(); m != "force_generic_plan" {
		t.Fatalf("prepared statements run with plan_cache_mode %s", m)
	}
	if err := db.Get(&n, pg.PerCall(`SELECT count(*) FROM pg_class WHERE relname LIKE $1`), "pg_%"); err != nil || n == 0 {
		t.Fatalf("%d, %v", n, err)
	}
	if m := mode(); m != "auto" {
		t.Fatalf("a per-call query ran with plan_cache_mode %s", m)
	}
	if err := db.Get(&n, `SELECT count(*) FROM pg_prepared_statements`); err != nil || n != 1 {
		t.Fatalf("%d statements prepared, want only the first (%v)", n, err)
	}
	if err := db.Get(&n, `SELECT $1::int`, 2); err != nil || n != 2 || mode() != "force_generic_plan" {
		t.Fatalf("back to prepared statements: %d, %v, %s", n, err, mode())
	}
}
