package main

import (
	"context"
	"os"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"helpforce/config"
	"helpforce/demo"
	"helpforce/people"
	"helpforce/pg/pgtest"
	"helpforce/stores"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestDemoAdminHasNoPublishedPassword: the published demo password must not
// open the admin account of a fresh server.
func TestDemoAdminHasNoPublishedPassword(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	dir := people.New(db, bcrypt.MinCost)
	cfg := config.Config{DataDir: t.TempDir()}
	pw, err := demoAdminPassword(ctx, db, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(pw) < 16 || pw == demo.Password {
		t.Fatalf("admin password %q", pw)
	}
	info, err := os.Stat(adminPasswordFile(cfg))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("the kept password file: %v %v", info, err)
	}
	if seeded, err := demo.Seed(ctx, db, dir, stores.New(db), pw); err != nil || !seeded {
		t.Fatalf("seed: %v %v", seeded, err)
	}
	if _, err := dir.Authenticate(ctx, demo.AdminEmail, demo.Password); err == nil {
		t.Fatal("the published demo password opens the admin account")
	}
	if _, err := dir.Authenticate(ctx, demo.AdminEmail, pw); err != nil {
		t.Fatalf("the generated password does not: %v", err)
	}
	if _, err := dir.Authenticate(ctx, "sam@example.com", demo.Password); err != nil {
		t.Fatalf("demo staff keep the published password: %v", err)
	}
	// Every later start prints it again while it still works.
	if line := adminLine(ctx, dir, cfg); !strings.Contains(line, pw) {
		t.Fatalf("banner line %q", line)
	}
	if again, err := demoAdminPassword(ctx, db, cfg); err != nil || again != "" {
		t.Fatalf("a seeded database got a new admin password %q (%v)", again, err)
	}
	u, err := dir.Users(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range u {
		if p.Email == demo.AdminEmail {
			if _, err := dir.ResetPassword(ctx, p.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	if line := adminLine(ctx, dir, cfg); strings.Contains(line, pw) {
		t.Fatalf("a changed password is still printed: %q", line)
	}
}

func TestDemoAdminPasswordFromTheEnvironment(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	cfg := config.Config{DataDir: t.TempDir(), AdminPassword: "chosen by the operator"}
	pw, err := demoAdminPassword(ctx, db, cfg)
	if err != nil || pw != cfg.AdminPassword {
		t.Fatalf("password %q, %v", pw, err)
	}
	if _, err := os.Stat(adminPasswordFile(cfg)); !os.IsNotExist(err) {
		t.Fatalf("a given password was written to disk: %v", err)
	}
}

// TestDemoListensOnLoopback: demo staff passwords are published, so a demo
// server is reachable from this machine only unless an address is given.
func TestDemoListensOnLoopback(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	cfg, err := config.FromEnv(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if got := demoAddr(cfg); got != "127.0.0.1:8080" {
		t.Fatalf("default demo address %q", got)
	}
	cfg, err = config.FromEnv(env(map[string]string{"HELPFORCE_ADDR": ":9000"}))
	if err != nil {
		t.Fatal(err)
	}
	if got := demoAddr(cfg); got != ":9000" {
		t.Fatalf("a given address became %q", got)
	}
}
