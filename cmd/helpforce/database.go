package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"

	"github.com/jmoiron/sqlx"

	"helpforce/config"
	"helpforce/pg"
	"helpforce/pg/devdb"
)

var errUsage = errors.New("usage")

// commonFlags registers the flags every command shares over cfg.
func commonFlags(fs *flag.FlagSet, cfg *config.Config) {
	fs.StringVar(&cfg.DatabaseURL, "database-url", cfg.DatabaseURL, "PostgreSQL URL (env DATABASE_URL); empty: embedded cluster")
	fs.StringVar(&cfg.DataDir, "data-dir", cfg.DataDir, "folder of the embedded cluster (env HELPFORCE_DATA_DIR)")
}

// loadConfig reads the environment, then the flags, then validates.
func loadConfig(name string, args []string, stderr *os.File, extra func(*flag.FlagSet, *config.Config)) (config.Config, error) {
	cfg, envErr := config.FromEnv(os.Getenv)
	fs := flag.NewFlagSet("helpforce "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	commonFlags(fs, &cfg)
	if extra != nil {
		extra(fs, &cfg)
	}
	if err := fs.Parse(args); err != nil {
		return cfg, errUsage
	}
	if envErr != nil {
		return cfg, fmt.Errorf("configuration:\n%s", indent(envErr.Error(), "  "))
	}
	if err := cfg.Validate(); err != nil {
		return cfg, fmt.Errorf("configuration:\n%s", indent(err.Error(), "  "))
	}
	return cfg, nil
}

// database opens the configured database, starting the embedded cluster when
// no DATABASE_URL is set (or joining one that a running server already started).
// stop closes the connection and stops the cluster this call started. With
// the embedded cluster, cfg.DatabaseURL is set to it for connections of
// their own, such as the listener.
func database(ctx context.Context, cfg *config.Config, log *slog.Logger) (db *sqlx.DB, embedded bool, stop func(), err error) {
	if cfg.DatabaseURL != "" {
		db, err := pg.Open(ctx, cfg.DatabaseURL, cfg.DBConns)
		if err != nil {
			return nil, false, nil, err
		}
		return db, false, func() { db.Close() }, nil
	}
	if !cfg.EmbeddedDatabase {
		return nil, false, nil, errors.New("DATABASE_URL is not set (nor DATABASE_URL_FILE, nor --database-url), " +
			"and HELPFORCE_EMBEDDED_DATABASE=false forbids starting an embedded PostgreSQL here: " +
			"give the URL of your PostgreSQL server")
	}
	cluster, err := devdb.StartCluster(ctx, cfg.DataDir, devdb.ClusterOptions{Logger: log})
	if errors.Is(err, devdb.ErrNoBinaries) {
		return nil, true, nil, fmt.Errorf("%w\n(or set DATABASE_URL to use a server of your own)", err)
	}
	if err != nil {
		return nil, true, nil, err
	}
	if err := cluster.EnsureDatabase(ctx, "helpforce"); err != nil {
		cluster.Stop()
		return nil, true, nil, err
	}
	cfg.DatabaseURL = cluster.URL("helpforce")
	db, err = pg.Open(ctx, cfg.DatabaseURL, cfg.DBConns)
	if err != nil {
		cluster.Stop()
		return nil, true, nil, err
	}
	return db, true, func() { db.Close(); cluster.Stop() }, nil
}
