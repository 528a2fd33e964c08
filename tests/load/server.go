package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"helpforce/notify/pushtest"
)

// target is a server to drive, the push double its alerts go to, and what
// is needed to measure it.
type target struct {
	url        string
	push       *pushtest.Service
	admin      [2]string // email, password
	serverPID  int       // 0: unknown
	pgPID      int       // the postmaster; 0: unknown
	dir        string    // the started server's temp folder
	routes     *router
	replicas   *replicas       // -url with several servers; nil otherwise
	stats      *statementStats // -statements; nil otherwise
	stopServer func()
}

func (t *target) stop() {
	if t.stopServer != nil {
		t.stopServer()
	}
	t.push.Close()
}

// openTarget starts the push double and, unless -url, the binary on a fresh
// embedded database with an admin of its own.
func openTarget(ctx context.Context, o options, log io.Writer) (*target, error) {
	push, err := pushtest.Listen(o.pushAddr)
	if err != nil {
		return nil, err
	}
	reps := newReplicas(o.url)
	url := strings.TrimRight(o.url, "/")
	if reps != nil {
		url = reps.urls[0]
	}
	t := &target{url: url, replicas: reps, push: push, admin: [2]string{o.adminEmail, o.adminPassword},
		serverPID: o.serverPID, pgPID: o.pgPID, routes: newRouter()}
	push.OnMessage(t.routes.deliver)
	if t.url == "" {
		err := t.startBinary(ctx, o, log)
		if errors.Is(err, errExited) {
			// The free port may have been taken by another process in the
			// meantime; one more try on another.
			fmt.Fprintf(log, "   %v\n   starting again\n", err)
			err = t.startBinary(ctx, o, log)
		}
		if err != nil {
			push.Close()
			return nil, err
		}
	}
	// Subscriptions made with the server's key accept no other signer
	// (RFC 8292 §4), so a push signed otherwise is refused and counted.
	var key struct {
		Key string `json:"key"`
	}
	if err := getJSON(ctx, t.url+"/api/v1/push/vapid-public-key", &key); err != nil {
		t.stop()
		return nil, fmt.Errorf("read the VAPID public key: %w", err)
	}
	push.RequireVAPIDKey(key.Key)
	return t, nil
}

func (t *target) startBinary(ctx context.Context, o options, log io.Writer) error {
	bin, err := filepath.Abs(o.bin)
	if err != nil {
		return err
	}
	if _, err := os.Stat(bin); err != nil {
		return fmt.Errorf("no server binary at %s: run \"make build\" first, or pass -bin", bin)
	}
	t.dir, err = os.MkdirTemp("", "helpforce-load-")
	if err != nil {
		return err
	}
	// The embedded PostgreSQL runs as the postgres user when we are root,
	// and must pass through this folder (MkdirTemp makes it 0700).
	if err := os.Chmod(t.dir, 0o711); err != nil {
		return err
	}
	port, err := freePort()
	if err != nil {
		return err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	t.url = "http://" + addr
	env := append(withoutDatabaseURL(os.Environ()),
		"HELPFORCE_DATA_DIR="+filepath.Join(t.dir, "data"),
		"HELPFORCE_ADDR="+addr,
		"HELPFORCE_PUSH_ALLOW_HOSTS="+t.push.HostPort(),
		"HELPFORCE_OFFER_TIMEOUT="+o.offerTimeout.String(),
		"HELPFORCE_OVERFLOW_TIMEOUT="+o.overflowTimeout.String(),
		"HELPFORCE_ABANDON_AFTER="+o.abandonAfter.String(),
		"HELPFORCE_DISPATCH_POLICY="+o.policy,
		// Each simulated phone has an address of its own in X-Forwarded-For,
		// as behind a proxy, so per-address limits see people, not the tool.
		"HELPFORCE_TRUSTED_PROXIES=127.0.0.1/32",
		// Metrics on a free port of their own: other servers may run here.
		"HELPFORCE_METRICS_ADDR=127.0.0.1:0",
		"HELPFORCE_LOG_LEVEL="+o.logLevel)
	t.stats = nil
	if o.statements > 0 {
		var url string
		if t.stats, url, err = startStatementStats(ctx, filepath.Join(t.dir, "data")); err != nil {
			return err
		}
		env = append(env, "DATABASE_URL="+url)
		// A server on a database it did not start leaves migrating to the operator.
		migrate := exec.CommandContext(ctx, bin, "migrate")
		migrate.Env = env
		if out, err := migrate.CombinedOutput(); err != nil {
			t.stats.stop()
			return fmt.Errorf("helpforce migrate: %w\n%s", err, out)
		}
	}
	logFile, err := os.Create(filepath.Join(t.dir, "server.log"))
	if err != nil {
		t.stats.stop()
		return err
	}
	defer logFile.Close()
	cmd := exec.Command(bin, "serve")
	cmd.Env, cmd.Stdout, cmd.Stderr = env, logFile, logFile
	if err := cmd.Start(); err != nil {
		t.stats.stop()
		return fmt.Errorf("start %s: %w", bin, err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.serverPID = cmd.Process.Pid
	t.stopServer = func() {
		// SIGTERM lets the server stop its PostgreSQL; a harder kill would
		// leave a postmaster on the folder about to be removed.
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
		t.stats.stop()
		if o.keep {
			fmt.Fprintf(log, "kept %s\n", t.dir)
		} else {
			os.RemoveAll(t.dir)
		}
	}
	if err := waitReady(ctx, t.url, exited); err != nil {
		log := tail(filepath.Join(t.dir, "server.log"))
		t.stopServer()
		return fmt.Errorf("%w; log tail:\n%s", err, log)
	}
	t.pgPID = postmasterPID(filepath.Join(t.dir, "data", "pgdata"))
	if err := t.createAdmin(ctx, bin, env); err != nil {
		t.stopServer()
		return err
	}
	return nil
}

// createAdmin makes an admin of our own with the binary's admin command,
// which joins the embedded cluster the running server started.
func (t *target) createAdmin(ctx context.Context, bin string, env []string) error {
	t.admin = [2]string{"load-admin@load.example", rand.Text()}
	cmd := exec.CommandContext(ctx, bin, "admin", "create", "--email", t.admin[0], "--password", t.admin[1], "--name", "Load Admin")
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("helpforce admin create: %w\n%s", err, out)
	}
	return nil
}

var errExited = errors.New("helpforce serve exited early")

func waitReady(ctx context.Context, url string, exited <-chan struct{}) error {
	deadline := time.Now().Add(2 * time.Minute)
	last := "no answer yet"
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return errExited
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
		resp, err := http.Get(url + "/readyz")
		if err != nil {
			last = err.Error()
			continue
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			return nil
		}
		last = "GET /readyz answered " + resp.Status
	}
	return fmt.Errorf("helpforce serve not ready after 2m (%s)", last)
}

func getJSON(ctx context.Context, url string, out any) error {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func withoutDatabaseURL(env []string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "DATABASE_URL=") && !strings.HasPrefix(kv, "DATABASE_URL_FILE=") {
			out = append(out, kv)
		}
	}
	return out
}

// postmasterPID reads the first line of PostgreSQL's postmaster.pid.
func postmasterPID(pgdata string) int {
	b, err := os.ReadFile(filepath.Join(pgdata, "postmaster.pid"))
	if err != nil {
		return 0
	}
	line, _, _ := bytes.Cut(b, []byte("\n"))
	pid, _ := strconv.Atoi(strings.TrimSpace(string(line)))
	return pid
}

func tail(path string) string {
	b, _ := os.ReadFile(path)
	lines := strings.Split(string(b), "\n")
	if len(lines) > 40 {
		lines = lines[len(lines)-40:]
	}
	return strings.Join(lines, "\n")
}
