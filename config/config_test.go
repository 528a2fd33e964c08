package config_test

import (
	"strings"
	"testing"
	"time"

	"helpforce/config"
	"helpforce/pg"
)

func env(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

func TestDefaults(t *testing.T) {
	c, err := config.FromEnv(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.DataDir != "./var" || c.OfferTimeout != 30*time.Second || c.OverflowTimeout != 90*time.Second ||
		c.AbandonAfter != 30*time.Minute || c.HoldTTL != 24*time.Hour || c.BodyLimit != 1<<20 || c.PushWorkers != 16 ||
		c.SessionIdle != 12*time.Hour || c.AddrGiven || c.ReadTimeout != 30*time.Second || c.PushLease != time.Minute ||
		!c.EmbeddedDatabase || c.DBConns != pg.DefaultConns || c.MaxInFlight != pg.DefaultConns+pg.DefaultConns/3 {
		t.Fatalf("defaults %+v", c)
	}
	c, err = config.FromEnv(env(map[string]string{"HELPFORCE_DB_CONNS": "40"}))
	if err != nil || c.MaxInFlight != 53 {
		t.Fatalf("with 40 connections, %d places (%v); want 53", c.MaxInFlight, err)
	}
	c, err = config.FromEnv(env(map[string]string{"HELPFORCE_DB_CONNS": "40", "HELPFORCE_MAX_INFLIGHT": "0"}))
	if err != nil || c.MaxInFlight != 0 {
		t.Fatalf("HELPFORCE_MAX_INFLIGHT=0 gave %d places (%v); want no bound", c.MaxInFlight, err)
	}
}

func TestInvalidSettingsAreNamed(t *testing.T) {
	cases := map[string]string{
		"HELPFORCE_ADDR":              "8080",
		"HELPFORCE_OFFER_TIMEOUT":     "soon",
		"HELPFORCE_HOLD_TTL":          "-1h",
		"HELPFORCE_PUSH_ALLOW_HOSTS":  "localhost",
		"HELPFORCE_TRUSTED_PROXIES":   "not-a-cidr",
		"HELPFORCE_BODY_LIMIT":        "12",
		"HELPFORCE_LOG_LEVEL":         "loud",
		"HELPFORCE_PUBLIC_URL":        "help.example.com",
		"HELPFORCE_VAPID_PUBLIC_KEY":  "only-one-half",
		"HELPFORCE_DEMO":              "maybe",
		"HELPFORCE_EMBEDDED_DATABASE": "perhaps",
		"HELPFORCE_PUSH_WORKERS":      "0",
		"HELPFORCE_DB_CONNS":          "1",
		"HELPFORCE_SESSION_IDLE":      "forever",
		"HELPFORCE_ADMIN_PASSWORD":    "short",
		"HELPFORCE_READ_TIMEOUT":      "0s",
		"HELPFORCE_PUSH_LEASE":        "forever",
	}
	for name, value := range cases {
		_, err := config.FromEnv(env(map[string]string{name: value}))
		if err == nil {
			t.Errorf("%s=%q was accepted", name, value)
			continue
		}
		if want := strings.TrimPrefix(name, "HELPFORCE_"); !strings.Contains(err.Error(), want) && !strings.Contains(err.Error(), "address") &&
			!strings.Contains(err.Error(), "VAPID") {
			t.Errorf("%s: the error %q does not name the setting", name, err)
		}
	}
}

func TestSecretsFromFiles(t *testing.T) {
	dir := t.TempDir()
	path := dir + "/db"
	if err := writeFile(path, "postgres://u@db/helpforce\n"); err != nil {
		t.Fatal(err)
	}
	c, err := config.FromEnv(env(map[string]string{"DATABASE_URL_FILE": path}))
	if err != nil || c.DatabaseURL != "postgres://u@db/helpforce" {
		t.Fatalf("%q %v", c.DatabaseURL, err)
	}
	if _, err := config.FromEnv(env(map[string]string{"DATABASE_URL_FILE": path, "DATABASE_URL": "x"})); err == nil {
		t.Fatal("both DATABASE_URL and its file were accepted")
	}
}
