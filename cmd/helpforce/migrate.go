package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"helpforce/pg"
)

func migrate(args []string, stdout, stderr io.Writer) error {
	cfg, err := loadConfig("migrate", args, os.Stderr, nil)
	if err != nil {
		return err
	}
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	log := slog.New(slog.NewTextHandler(stderr, nil))
	db, _, stop, err := database(ctx, &cfg, log)
	if err != nil {
		return err
	}
	defer stop()
	n, err := pg.Migrate(ctx, db)
	if err != nil {
		return err
	}
	applied, _, err := pg.SchemaStatus(ctx, db)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "applied %d migration(s); the schema is at version %d\n", n, applied)
	return nil
}
