package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/jmoiron/sqlx"

	"helpforce/config"
	"helpforce/demo"
	"helpforce/people"
)

// adminPasswordFile keeps the demo admin's generated password where the
// operator who started the server (and nobody else) can read it again.
func adminPasswordFile(cfg config.Config) string {
	return filepath.Join(cfg.DataDir, "admin-password")
}

// demoAdminPassword decides the demo admin's password before an empty
// database is seeded: HELPFORCE_ADMIN_PASSWORD when set, else one generated
// now and written (0600) under the data directory. A published password on an
// admin account is an open door on any reachable server.
func demoAdminPassword(ctx context.Context, db *sqlx.DB, cfg config.Config) (string, error) {
	if cfg.AdminPassword != "" {
		return cfg.AdminPassword, nil
	}
	if empty, err := demo.Empty(ctx, db); err != nil || !empty {
		return "", err
	}
	path := adminPasswordFile(cfg)
	if b, err := os.ReadFile(path); err == nil && len(strings.TrimSpace(string(b))) >= 10 {
		return strings.TrimSpace(string(b)), nil // a first start that stopped half-way
	}
	pw := rand.Text()[:20]
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return "", fmt.Errorf("keep the admin password: %w", err)
	}
	if err := os.WriteFile(path, []byte(pw+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("keep the admin password: %w", err)
	}
	return pw, nil
}

// adminLine says how to sign in as the demo admin, for the banner: the kept
// password while it still works, otherwise where it came from.
func adminLine(ctx context.Context, dir *people.Directory, cfg config.Config) string {
	path := adminPasswordFile(cfg)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) || err != nil {
		if cfg.AdminPassword != "" {
			return "password from HELPFORCE_ADMIN_PASSWORD at the first start"
		}
		return "password chosen at the first start"
	}
	pw := strings.TrimSpace(string(b))
	if _, err := dir.Authenticate(ctx, demo.AdminEmail, pw); err != nil {
		return "password changed since the first start"
	}
	return fmt.Sprintf("password %q (kept in %s)", pw, path)
}
