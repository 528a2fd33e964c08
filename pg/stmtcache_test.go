package pg_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/jmoiron/sqlx"

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

func TestPreparedPoolPlansOnceAndTheUnpreparedPoolPerCall(t *testing.T) {
	db := pgtest.New(t)
	db.SetMaxOpenConns(1)
	unprepared, err := pg.OpenUnprepared(context.Background(), pgtest.URL(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	defer unprepared.Close()
	mode := func(db *sqlx.DB) (m string) {
		if err := db.Get(&m, `SHOW plan_cache_mode`); err != nil {
			t.Fatal(err)
		}
		return m
	}
	prepared := func(db *sqlx.DB) (n int) {
		if err := db.Get(&n, `SELECT count(*) FROM pg_prepared_statements`); err != nil {
			t.Fatal(err)
		}
		return n
	}
	var n int
	if err := db.Get(&n, `SELECT $1::int`, 1); err != nil {
		t.Fatal(err)
	}
	if m := mode(db); m != "force_generic_plan" {
		t.Fatalf("prepared statements run with plan_cache_mode %s", m)
	}
	for range 3 {
		if err := unprepared.Get(&n, `SELECT count(*) FROM pg_class WHERE relname LIKE $1`, "pg_%"); err != nil || n == 0 {
			t.Fatalf("%d, %v", n, err)
		}
	}
	if m := mode(unprepared); m != "auto" {
		t.Fatalf("the unprepared pool runs with plan_cache_mode %s", m)
	}
	if n := prepared(unprepared); n != 0 {
		t.Fatalf("%d statements kept prepared by the unprepared pool", n)
	}
	if n := prepared(db); n != 1 {
		t.Fatalf("%d statements prepared by the prepared pool, want its one query", n)
	}
	// The setting is the session's from its start: a transaction that rolls
	// back leaves it as it was.
	tx := db.MustBegin()
	if err := tx.Get(&n, `SELECT $1::int`, 2); err != nil || n != 2 {
		t.Fatalf("%d, %v", n, err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if m := mode(db); m != "force_generic_plan" {
		t.Fatalf("after a rollback, plan_cache_mode %s", m)
	}
}
