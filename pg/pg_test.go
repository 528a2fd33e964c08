package pg_test

import (
	"context"
	"testing"

	"helpforce/pg"
	"helpforce/pg/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestMigrateIsRerunnable(t *testing.T) {
	db := pgtest.New(t)
	ctx := context.Background()
	n, err := pg.Migrate(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("a migrated database applied %d migrations again", n)
	}
	applied, latest, err := pg.SchemaStatus(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if applied != latest || latest == 0 {
		t.Fatalf("schema at %d, latest %d", applied, latest)
	}
}

func TestSchemaStatusOnEmptyDatabase(t *testing.T) {
	db := pgtest.New(t)
	ctx := context.Background()
	if _, err := db.Exec(`DROP TABLE schema_migrations`); err != nil {
		t.Fatal(err)
	}
	applied, latest, err := pg.SchemaStatus(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if applied != 0 || latest == 0 {
		t.Fatalf("applied %d latest %d, want 0 and >0", applied, latest)
	}
}

func TestMigrationsAreNumberedInOrder(t *testing.T) {
	all, err := pg.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range all {
		if m.Version != i+1 {
			t.Fatalf("migration %d is numbered %04d; numbers must run 0001, 0002, … without gaps", i, m.Version)
		}
	}
}

// TestConnectionsCompileNothing: the pools' connections run with JIT
// compilation off, unless the URL asks for it.
func TestConnectionsCompileNothing(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	for _, c := range []struct{ url, want string }{{url, "off"}, {url + "&jit=on", "on"}} {
		db, err := pg.Open(ctx, c.url, 0)
		if err != nil {
			t.Fatal(err)
		}
		var jit string
		err = db.GetContext(ctx, &jit, `SHOW jit`)
		db.Close()
		if err != nil || jit != c.want {
			t.Fatalf("%s: jit %q (%v), want %q", c.url, jit, err, c.want)
		}
	}
}
