package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"helpforce/config"
)

func TestReadyURL(t *testing.T) {
	cases := map[string]string{
		":8080":          "http://127.0.0.1:8080/readyz",
		"0.0.0.0:9000":   "http://127.0.0.1:9000/readyz",
		"[::]:8080":      "http://[::1]:8080/readyz",
		"127.0.0.1:8081": "http://127.0.0.1:8081/readyz",
		"10.1.2.3:80":    "http://10.1.2.3:80/readyz",
	}
	for addr, want := range cases {
		got, err := readyURL(addr)
		if err != nil || got != want {
			t.Errorf("readyURL(%q) = %q, %v; want %q", addr, got, err, want)
		}
	}
	for _, bad := range []string{"8080", "localhost", ""} {
		if _, err := readyURL(bad); err == nil {
			t.Errorf("readyURL(%q) accepted", bad)
		}
	}
}

// TestHealthcheckFollowsReadiness: the subcommand exits 0 only while /readyz
// answers 200, and says why otherwise.
func TestHealthcheckFollowsReadiness(t *testing.T) {
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/readyz" || r.Method != http.MethodGet {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status)
		io.WriteString(w, `{"status":"x"}`)
	}))
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")

	var out, errs bytes.Buffer
	if code := run([]string{"healthcheck", "--addr", addr}, &out, &errs); code != 0 {
		t.Fatalf("ready server: exit %d, stderr %s", code, errs.String())
	}
	if !strings.HasPrefix(out.String(), "ready") {
		t.Fatalf("ready server: stdout %q", out.String())
	}

	status = http.StatusServiceUnavailable
	errs.Reset()
	if code := run([]string{"healthcheck", "--addr", addr}, &out, &errs); code != 1 {
		t.Fatalf("unready server: exit %d, want 1", code)
	}
	if !strings.Contains(errs.String(), "503") {
		t.Fatalf("unready server: stderr %q does not give the status", errs.String())
	}

	t.Setenv("HELPFORCE_ADDR", closedAddr(t))
	errs.Reset()
	if code := run([]string{"healthcheck"}, &out, &errs); code != 1 {
		t.Fatalf("nothing listening: exit %d, want 1", code)
	}
	if !strings.Contains(errs.String(), "refused") {
		t.Fatalf("nothing listening: stderr %q", errs.String())
	}
}

// closedAddr is a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}

// TestNoEmbeddedDatabaseWhenTurnedOff: with HELPFORCE_EMBEDDED_DATABASE=false
// and no URL, commands refuse to start instead of creating a cluster.
func TestNoEmbeddedDatabaseWhenTurnedOff(t *testing.T) {
	dataDir := filepath.Join(t.TempDir(), "var")
	cfg, err := config.FromEnv(func(name string) string {
		return map[string]string{"HELPFORCE_EMBEDDED_DATABASE": "false", "HELPFORCE_DATA_DIR": dataDir}[name]
	})
	if err != nil {
		t.Fatal(err)
	}
	db, _, _, err := database(context.Background(), &cfg, slog.New(slog.DiscardHandler))
	if err == nil {
		db.Close()
		t.Fatal("a database was opened without DATABASE_URL")
	}
	if !strings.Contains(err.Error(), "DATABASE_URL") || !strings.Contains(err.Error(), "HELPFORCE_EMBEDDED_DATABASE=false") {
		t.Fatalf("the refusal %q does not say what to set", err)
	}
	if _, err := os.Stat(dataDir); !os.IsNotExist(err) {
		t.Fatalf("the data folder was created: %v", err)
	}
}
