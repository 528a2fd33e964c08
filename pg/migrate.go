package pg

import (
	"context"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strconv"

	"github.com/jmoiron/sqlx"

	"helpforce/migrations"
)

// Migration is one numbered SQL file.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

var migrationName = regexp.MustCompile(`^(\d{4})_([a-z0-9_]+)\.sql$`)

// migrateLock is the advisory lock key that serialises migrations across replicas.
const migrateLock = 7_311_2024

// Migrations lists the embedded migrations in order.
func Migrations() ([]Migration, error) {
	entries, err := fs.ReadDir(migrations.FS, ".")
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, e := range entries {
		m := migrationName.FindStringSubmatch(e.Name())
		if m == nil {
			return nil, fmt.Errorf("pg: migration file %q is not named NNNN_name.sql", e.Name())
		}
		body, err := fs.ReadFile(migrations.FS, e.Name())
		if err != nil {
			return nil, err
		}
		v, _ := strconv.Atoi(m[1])
		out = append(out, Migration{Version: v, Name: m[2], SQL: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i := 1; i < len(out); i++ {
		if out[i].Version == out[i-1].Version {
			return nil, fmt.Errorf("pg: two migrations numbered %04d", out[i].Version)
		}
	}
	return out, nil
}

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    integer PRIMARY KEY,
	name       text NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT now()
)`

// Migrate applies every pending migration, each in its own transaction, and
// returns how many it applied. Replicas starting together take turns.
func Migrate(ctx context.Context, db *sqlx.DB) (int, error) {
	all, err := Migrations()
	if err != nil {
		return 0, err
	}
	conn, err := db.Connx(ctx)
	if err != nil {
		return 0, fmt.Errorf("pg: migrate: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrateLock); err != nil {
		return 0, fmt.Errorf("pg: migrate: lock: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrateLock) //nolint:errcheck
	if _, err := conn.ExecContext(ctx, createMigrationsTable); err != nil {
		return 0, fmt.Errorf("pg: migrate: %w", err)
	}
	applied := map[int]bool{}
	var versions []int
	if err := conn.SelectContext(ctx, &versions, `SELECT version FROM schema_migrations`); err != nil {
		return 0, fmt.Errorf("pg: migrate: read applied: %w", err)
	}
	for _, v := range versions {
		applied[v] = true
	}
	n := 0
	for _, m := range all {
		if applied[m.Version] {
			continue
		}
		tx, err := conn.BeginTxx(ctx, nil)
		if err != nil {
			return n, err
		}
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			tx.Rollback()
			return n, fmt.Errorf("pg: migration %04d_%s: %w", m.Version, m.Name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, m.Version, m.Name); err != nil {
			tx.Rollback()
			return n, fmt.Errorf("pg: record migration %04d: %w", m.Version, err)
		}
		if err := tx.Commit(); err != nil {
			return n, fmt.Errorf("pg: commit migration %04d: %w", m.Version, err)
		}
		n++
	}
	return n, nil
}

// SchemaStatus reports the applied and the latest migration version.
func SchemaStatus(ctx context.Context, db sqlx.QueryerContext) (applied, latest int, err error) {
	all, err := Migrations()
	if err != nil {
		return 0, 0, err
	}
	if len(all) > 0 {
		latest = all[len(all)-1].Version
	}
	var exists bool
	if err := sqlx.GetContext(ctx, db, &exists, `SELECT to_regclass('schema_migrations') IS NOT NULL`); err != nil {
		return 0, latest, fmt.Errorf("pg: schema status: %w", err)
	}
	if !exists {
		return 0, latest, nil
	}
	if err := sqlx.GetContext(ctx, db, &applied, `SELECT COALESCE(max(version), 0) FROM schema_migrations`); err != nil {
		return 0, latest, fmt.Errorf("pg: schema status: %w", err)
	}
	return applied, latest, nil
}
