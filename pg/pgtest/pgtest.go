// Package pgtest gives each test its own fresh PostgreSQL database.
//
// One throwaway cluster is started per test binary (or HELPFORCE_TEST_DATABASE_URL
// names a server to use instead); a template database is migrated once, and every
// test gets a clone of it, which takes milliseconds and isolates tests fully.
package pgtest

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jmoiron/sqlx"

	"helpforce/pg"
	"helpforce/pg/devdb"
)

const template = "helpforce_template"

var (
	once     sync.Once
	setupErr error
	cluster  *devdb.Cluster
	tmpDir   string
	adminURL string
	seq      atomic.Int64
	admin    *sqlx.DB
)

// Main runs the package's tests and then stops the cluster; call it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	Shutdown()
	os.Exit(code)
}

// Shutdown stops the cluster this process started, if any.
func Shutdown() {
	if admin != nil {
		admin.Close()
	}
	if cluster != nil {
		cluster.Stop()
		os.RemoveAll(tmpDir)
	}
}

func setup() error {
	ctx := context.Background()
	adminURL = os.Getenv("HELPFORCE_TEST_DATABASE_URL")
	if adminURL == "" {
		var err error
		tmpDir, err = os.MkdirTemp("", "hf-pgtest-")
		if err != nil {
			return err
		}
		cluster, err = devdb.StartCluster(ctx, tmpDir, devdb.ClusterOptions{Ephemeral: true})
		if err != nil {
			return err
		}
		adminURL = cluster.URL("postgres")
	}
	var err error
	admin, err = pg.Open(ctx, adminURL, 4)
	if err != nil {
		return err
	}
	admin.SetMaxOpenConns(4)
	dbName := fmt.Sprintf("%s_%d", template, os.Getpid())
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+pg.QuoteIdent(dbName)); err != nil {
		return fmt.Errorf("pgtest: create template: %w", err)
	}
	tdb, err := pg.Open(ctx, withDatabase(adminURL, dbName), 0)
	if err != nil {
		return err
	}
	defer tdb.Close()
	if _, err := pg.Migrate(ctx, tdb); err != nil {
		return fmt.Errorf("pgtest: migrate template: %w", err)
	}
	return nil
}

// URL returns the URL of a new database cloned from the migrated template.
// The database is dropped when the test ends.
func URL(t testing.TB) string {
	t.Helper()
	once.Do(func() { setupErr = setup() })
	if setupErr != nil {
		t.Fatalf("pgtest: no PostgreSQL for tests: %v", setupErr)
	}
	name := fmt.Sprintf("t%d_%d", os.Getpid(), seq.Add(1))
	src := fmt.Sprintf("%s_%d", template, os.Getpid())
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", pg.QuoteIdent(name), pg.QuoteIdent(src))); err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(ctx, fmt.Sprintf("DROP DATABASE %s WITH (FORCE)", pg.QuoteIdent(name))); err != nil {
			t.Errorf("pgtest: drop database: %v", err)
		}
	})
	return withDatabase(adminURL, name)
}

// New returns a connection to a fresh, migrated database of the test's own.
func New(t testing.TB) *sqlx.DB {
	t.Helper()
	_, db := Open(t)
	return db
}

// Open returns the URL of a fresh, migrated database of the test's own and
// a pool on it (pg.Open), closed when the test ends: for what needs both,
// such as app.New and Listen.
func Open(t testing.TB) (string, *sqlx.DB) {
	t.Helper()
	url := URL(t)
	db, err := pg.Open(context.Background(), url, 0)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return url, db
}

// withDatabase swaps the database name in a postgres:// URL.
func withDatabase(raw, name string) string {
	u, err := url.Parse(raw)
	if err != nil || !strings.HasPrefix(u.Scheme, "postgres") {
		panic(fmt.Sprintf("pgtest: HELPFORCE_TEST_DATABASE_URL must be a postgres:// URL, got %q", raw))
	}
	u.Path = "/" + name
	return u.String()
}

// Listen starts workers on a database listener of their own, as a server
// replica does, until the test ends or stop is called.
func Listen(t testing.TB, url string, start ...func(context.Context, *pg.Hub) error) (stop context.CancelFunc) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	hub := pg.NewHub(url, slog.New(slog.DiscardHandler))
	for _, fn := range start {
		if err := fn(ctx, hub); err != nil {
			cancel()
			t.Fatal(err)
		}
	}
	go hub.Run(ctx)
	return cancel
}
