package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"helpforce/app"
	"helpforce/config"
	"helpforce/demo"
	"helpforce/pg"
)

func serve(args []string, stdout, stderr io.Writer) error {
	cfg, err := loadConfig("serve", args, os.Stderr, func(fs *flag.FlagSet, c *config.Config) {
		fs.Func("addr", "listen address (env HELPFORCE_ADDR; default :8080, or 127.0.0.1:8080 with the embedded database or demo data)",
			func(v string) error { c.Addr, c.AddrGiven = v, true; return nil })
		fs.StringVar(&c.MetricsAddr, "metrics-addr", c.MetricsAddr, "where /metrics is served; empty: nowhere (env HELPFORCE_METRICS_ADDR)")
		fs.BoolVar(&c.Demo, "demo", c.Demo, "seed demo data into an empty database (env HELPFORCE_DEMO)")
		fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "debug, info, warn or error (env HELPFORCE_LOG_LEVEL)")
	})
	if err != nil {
		return err
	}
	log := newLogger(stderr, cfg.LogLevel)
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()

	db, embedded, stop, err := database(ctx, &cfg, log)
	if err != nil {
		return err
	}
	defer stop()
	if embedded {
		if _, err := pg.Migrate(ctx, db); err != nil {
			return err
		}
	} else if applied, latest, err := pg.SchemaStatus(ctx, db); err != nil {
		return err
	} else if applied != latest {
		return fmt.Errorf("the database schema is at version %d and this binary needs %d: run \"helpforce migrate\" first", applied, latest)
	}

	a, err := app.New(ctx, db, app.FromSettings(cfg, log))
	if err != nil {
		return err
	}
	defer a.Close()
	seeded := false
	if embedded || cfg.Demo {
		cfg.Addr = demoAddr(cfg)
		adminPW, err := demoAdminPassword(ctx, db, cfg)
		if err != nil {
			return err
		}
		if seeded, err = demo.Seed(ctx, db, a.People, a.Stores, adminPW); err != nil {
			if embedded {
				return fmt.Errorf("%w\nthe demo data is incomplete: delete %s and start again", err, cfg.DataDir)
			}
			return err
		}
	}
	// The background work (push, timers, live streams) runs on until the
	// server has finished the requests it took: the alerts of a request
	// answered while it stops are still sent, or left to the other replicas.
	work, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWork()
	hub := pg.NewHub(cfg.DatabaseURL, log)
	if err := a.Start(work, hub); err != nil {
		return err
	}
	go hub.Run(work)
	go sweep(work, log, a.Sweepers()...)
	srv := a.API

	// The address the operator named is taken first, so that a metrics
	// address on any free port (":0") can never take it.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (set HELPFORCE_ADDR to another address)", cfg.Addr, err)
	}
	if cfg.MetricsAddr != "" {
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			ln.Close()
			return fmt.Errorf("listen on %s: %w (set HELPFORCE_METRICS_ADDR to another address, or off)", cfg.MetricsAddr, err)
		}
		go serveMetrics(ctx, log, mln, srv.MetricsHandler())
		log.Info("serving metrics", "addr", mln.Addr().String())
	}
	admin := ""
	if embedded || cfg.Demo {
		admin = adminLine(ctx, a.People, cfg)
	}
	banner(stdout, ln.Addr(), admin, seeded)
	log.Info("serving", "addr", ln.Addr().String(), "embedded_database", embedded)
	err = srv.Serve(ctx, ln)
	stopWork()
	release, cancelRelease := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancelRelease()
	a.Push.Release(release)
	log.Info("stopped")
	return err
}

// demoAddr is where a server with demo data listens: demo staff passwords
// are published, so unless an address is given only this machine may reach it.
func demoAddr(cfg config.Config) string {
	if cfg.AddrGiven {
		return cfg.Addr
	}
	return "127.0.0.1:8080"
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}

// sweep runs the housekeeping of each part now and then: expired sessions,
// old rate-limit windows, stale push subscriptions, finished outbox rows,
// photos of requests closed longer than the retention.
func sweep(ctx context.Context, log *slog.Logger, sweepers ...func(context.Context) error) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		for _, fn := range sweepers {
			if err := fn(ctx); err != nil && ctx.Err() == nil {
				log.Warn("sweep failed", "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// banner prints where to go; admin (set with demo data) says how to sign in
// as the demo admin.
func banner(w io.Writer, addr net.Addr, admin string, seeded bool) {
	host, port, _ := net.SplitHostPort(addr.String())
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "localhost"
	}
	base := fmt.Sprintf("http://%s", net.JoinHostPort(host, port))
	fmt.Fprintf(w, "\nHelpforce is ready.\n  Shopper app:  %s/\n  Staff app:    %s/staff\n  API:          %s/api/openapi.yaml\n  Health:       %s/readyz\n",
		base, base, base, base)
	if admin != "" {
		if seeded {
			fmt.Fprintln(w, "\nDemo data was loaded into the new database.")
		}
		fmt.Fprintln(w)
		fmt.Fprint(w, demo.Describe(admin))
	}
	fmt.Fprintln(w, "\nPress Ctrl-C to stop.")
}
