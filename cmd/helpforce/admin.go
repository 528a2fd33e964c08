package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"golang.org/x/crypto/bcrypt"

	"helpforce/config"
	"helpforce/people"
	"helpforce/pg"
)

func admin(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(stderr, "usage: helpforce admin create --email E --password P --name N")
		return errUsage
	}
	var email, password, name string
	cfg, err := loadConfig("admin create", args[1:], os.Stderr, func(fs *flag.FlagSet, _ *config.Config) {
		fs.StringVar(&email, "email", "", "the admin's email (required)")
		fs.StringVar(&password, "password", "", "at least 10 characters (required; or HELPFORCE_ADMIN_PASSWORD)")
		fs.StringVar(&name, "name", "", "the admin's name (required)")
	})
	if err != nil {
		return err
	}
	if password == "" {
		password = os.Getenv("HELPFORCE_ADMIN_PASSWORD")
	}
	ctx := context.Background()
	db, _, stop, err := database(ctx, &cfg, slog.New(slog.NewTextHandler(stderr, nil)))
	if err != nil {
		return err
	}
	defer stop()
	if applied, latest, err := pg.SchemaStatus(ctx, db); err != nil {
		return err
	} else if applied != latest {
		return fmt.Errorf("the database schema is at version %d, this binary needs %d: run \"helpforce migrate\" first", applied, latest)
	}
	u, err := people.New(db, bcrypt.DefaultCost).CreateUser(ctx, people.NewUser{
		Email: email, Password: password, Name: name, Role: people.RoleAdmin})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created admin %s <%s> (id %s)\n", u.Name, u.Email, u.ID)
	return nil
}
