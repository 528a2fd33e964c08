package chaos

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"helpforce/notify/pushtest"
	"helpforce/pg"
	"helpforce/pg/devdb"
)

// world is a PostgreSQL cluster owned by the test, the push service double,
// and the helpforce server running against them (restartable).
type world struct {
	t       *testing.T
	dir     string
	cluster *devdb.Cluster
	dbURL   string
	db      *sqlx.DB // the test's own connection, for checks from the database
	push    *pushtest.Service
	env     []string // extra environment for the server
	addr    string
	metrics string // where /metrics is served
	srv     *server
	starts  int
	scenes  int // stores made so far
}

// newWorld starts a cluster, migrates it with the binary and creates an admin.
func newWorld(t *testing.T, env ...string) *world {
	t.Helper()
	// Not t.TempDir: its parent is private, and PostgreSQL runs as the
	// postgres user when the tests run as root.
	dir, err := os.MkdirTemp("", "hf-chaos-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// PostgreSQL's own account of what went wrong (deadlocks, crashes).
		if raw, err := os.ReadFile(filepath.Join(dir, "postgres.log")); err == nil && t.Failed() {
			t.Logf("postgres.log, errors:\n%s", pgErrors(string(raw)))
		}
		os.RemoveAll(dir)
	})
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, dir: dir, env: env}
	ctx := context.Background()
	// Commits reach the operating system before they return, so that an
	// immediate shutdown loses none (fsync is off: the machine stays up).
	c, err := devdb.StartCluster(ctx, w.dir, devdb.ClusterOptions{Ephemeral: true, CrashSafe: true})
	if err != nil {
		t.Fatal(err)
	}
	w.cluster = c
	t.Cleanup(c.Stop)
	if err := c.EnsureDatabase(ctx, "helpforce"); err != nil {
		t.Fatal(err)
	}
	w.dbURL = c.URL("helpforce")
	w.run("migrate")
	w.run("admin", "create", "--email", "admin@example.com", "--password", password, "--name", "Ada Admin")
	w.push = pushtest.New(t)
	w.addr, w.metrics = freeAddr(t), freeAddr(t)
	w.logf("cluster started and migrated")
	return w
}

const password = "correct horse battery"

// run runs a helpforce command against the world's database.
func (w *world) run(args ...string) {
	w.t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+w.dbURL)
	if out, err := cmd.CombinedOutput(); err != nil {
		w.t.Fatalf("helpforce %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// openDB opens the test's own connection to the database (after start, so
// that it sees the migrated schema).
func (w *world) openDB() *sqlx.DB {
	w.t.Helper()
	if w.db == nil {
		db, err := pg.Open(context.Background(), w.dbURL, 0)
		if err != nil {
			w.t.Fatal(err)
		}
		w.db = db
		w.t.Cleanup(func() { db.Close() })
	}
	return w.db
}

// pgErrors keeps PostgreSQL's ERROR lines and the DETAIL and STATEMENT
// lines after them.
func pgErrors(log string) string {
	var out []string
	keep := false
	for _, l := range strings.Split(log, "\n") {
		switch {
		case strings.Contains(l, "ERROR:") && !strings.Contains(l, "canceling statement"):
			keep = true
		case strings.Contains(l, "LOG:") || strings.Contains(l, "FATAL:"):
			keep = false
		}
		if keep {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// base is the server's URL.
func (w *world) base() string { return "http://" + w.addr }

// server is one run of the binary.
type server struct {
	cmd  *exec.Cmd
	log  *lockedBuffer
	done chan struct{}
	exit error // how the process ended, once done is closed
	addr string
	// metrics is where its /metrics is served.
	metrics string
}

// lockedBuffer collects the server's log lines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// start runs the server and waits until /readyz answers 200.
func (w *world) start() {
	w.t.Helper()
	w.srv = w.startAt(w.addr, w.metrics)
}

// startAt runs a server on addr (metrics on metrics) against the world's
// database and waits until /readyz answers 200.
func (w *world) startAt(addr, metrics string) *server {
	w.t.Helper()
	w.starts++
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(),
		"DATABASE_URL="+w.dbURL,
		"HELPFORCE_ADDR="+addr,
		"HELPFORCE_METRICS_ADDR="+metrics,
		"HELPFORCE_PUSH_ALLOW_HOSTS="+w.push.HostPort(),
		// Clients are told apart by X-Forwarded-For, so that the per-address
		// limits on sign-ups and logins do not throttle the load.
		"HELPFORCE_TRUSTED_PROXIES=127.0.0.1/32",
		"HELPFORCE_VAPID_SUBJECT=ops@example.com",
		// A handful of shoppers here stand for a crowd: the abuse limits a
		// stranger meets would stop the load, not test the server.
		"HELPFORCE_LIMIT_CREATE=100000/1m,100000/1m", "HELPFORCE_LIMIT_CANCEL=100000/1m,100000/1m",
		"HELPFORCE_LIMIT_MESSAGE=100000/1m,100000/1m", "HELPFORCE_LIMIT_HOLD=100000/1m,100000/1m",
		"HELPFORCE_LIMIT_PUBLIC=100000/1m", "HELPFORCE_LIMIT_MESSAGES=5000", "HELPFORCE_LIMIT_HOLD_UNITS=off",
	)
	// Later entries win: a test's own settings override the ones above.
	cmd.Env = append(cmd.Env, w.env...)
	log := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		w.t.Fatal(err)
	}
	s := &server{cmd: cmd, log: log, done: make(chan struct{}), addr: addr, metrics: metrics}
	go func() { s.exit = cmd.Wait(); close(s.done) }()
	w.t.Cleanup(func() { s.kill() })
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s
			}
		}
		select {
		case <-s.done:
			w.t.Fatalf("the server exited during start:\n%s", log.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("the server was not ready within 30s:\n%s", log.String())
		}
	}
}

// kill sends SIGKILL and waits for the process to be gone.
func (s *server) kill() {
	select {
	case <-s.done:
		return
	default:
	}
	_ = s.cmd.Process.Kill()
	<-s.done
}

// logCount counts the server's log lines that contain every one of parts.
func (s *server) logCount(parts ...string) int {
	n := 0
	for _, line := range strings.Split(s.log.String(), "\n") {
		all := line != ""
		for _, p := range parts {
			all = all && strings.Contains(line, p)
		}
		if all {
			n++
		}
	}
	return n
}

// lines returns the server's log lines that contain text.
func (s *server) lines(text string) string {
	var out []string
	for _, line := range strings.Split(s.log.String(), "\n") {
		if strings.Contains(line, text) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

func (w *world) logf(format string, args ...any) {
	w.t.Helper()
	w.t.Logf("%s %s", time.Now().Format("15:04:05.000"), fmt.Sprintf(format, args...))
}
