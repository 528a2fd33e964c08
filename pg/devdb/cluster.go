package devdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/lib/pq"
)

// ClusterOptions tunes an embedded cluster.
type ClusterOptions struct {
	// Ephemeral trades durability for speed (fsync off): for throwaway test clusters only.
	Ephemeral bool
	// CrashSafe, with Ephemeral, keeps synchronous_commit on: a commit is
	// written to the operating system before it returns, so it survives
	// PostgreSQL being killed (not the machine crashing). For tests that
	// stop the server with an immediate shutdown.
	CrashSafe bool
	// Settings are more server settings, name=value each, as -c takes them
	// (shared_preload_libraries=pg_stat_statements, for one).
	Settings []string
	// Logger receives start and stop messages; nil discards them.
	Logger *slog.Logger
}

// Cluster is a private PostgreSQL server under one folder, reachable only
// through a unix socket inside that folder, so it never collides on a TCP port.
type Cluster struct {
	dir     string // the data folder given by the caller
	pgdata  string
	sockets string
	cmd     *exec.Cmd
	exited  chan struct{}
	log     *slog.Logger
	// What start needs again for Restart.
	bin       string
	cred      *syscall.Credential
	ephemeral bool
	crashSafe bool
	settings  []string
}

// StartCluster initialises (first time) and starts a cluster under dir.
// PostgreSQL refuses to run as root, so when root it runs as the postgres
// system user, which must own the folders.
func StartCluster(ctx context.Context, dir string, opts ClusterOptions) (*Cluster, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	bin, err := FindBinaries()
	if err != nil {
		return nil, err
	}
	dir, err = filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("devdb: data folder: %w", err)
	}
	c := &Cluster{dir: dir, pgdata: filepath.Join(dir, "pgdata"), sockets: filepath.Join(dir, "run"), log: log}
	if err := checkSocketDir(c.sockets); err != nil {
		return nil, err
	}
	cred, err := serverCredential()
	if err != nil {
		return nil, err
	}
	if err := c.prepareFolders(cred); err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(c.pgdata, "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		log.Info("creating the embedded PostgreSQL cluster", "dir", c.pgdata)
		if err := c.initdb(ctx, bin, cred, opts.Ephemeral); err != nil {
			return nil, err
		}
	}
	if c.running(ctx) {
		log.Info("joining the embedded PostgreSQL another process started", "socket", c.sockets)
		return c, nil
	}
	c.bin, c.cred, c.ephemeral, c.crashSafe, c.settings = bin, cred, opts.Ephemeral, opts.CrashSafe, opts.Settings
	if err := c.start(ctx, bin, cred, opts.Ephemeral); err != nil {
		return nil, err
	}
	return c, nil
}

// serverCredential is the identity postgres runs under: nil (ourselves) unless we are root.
func serverCredential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("devdb: running as root, and PostgreSQL refuses to run as root; " +
			"the postgres system user it would run as does not exist (apt-get install -y postgresql creates it)")
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

func (c *Cluster) prepareFolders(cred *syscall.Credential) error {
	for _, d := range []string{c.dir, c.pgdata, c.sockets} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return fmt.Errorf("devdb: create %s: %w", d, err)
		}
		if cred != nil {
			if err := os.Chown(d, int(cred.Uid), int(cred.Gid)); err != nil {
				return fmt.Errorf("devdb: give %s to the postgres user: %w", d, err)
			}
		}
	}
	if cred != nil {
		// The postgres user must be able to walk down to the data folder.
		for p := filepath.Dir(c.dir); p != "/"; p = filepath.Dir(p) {
			fi, err := os.Stat(p)
			if err == nil && fi.Mode().Perm()&0o001 == 0 {
				return fmt.Errorf("devdb: the postgres user cannot enter %s (mode %v); "+
					"choose a HELPFORCE_DATA_DIR outside it or run chmod o+x %s", p, fi.Mode().Perm(), p)
			}
		}
	}
	return nil
}

// initdb creates the cluster beside its final place and moves it in when
// complete, so an interrupted first start leaves nothing half-made behind.
func (c *Cluster) initdb(ctx context.Context, bin string, cred *syscall.Credential, ephemeral bool) error {
	tmp := c.pgdata + ".init"
	if err := os.RemoveAll(tmp); err != nil {
		return fmt.Errorf("devdb: clear %s: %w", tmp, err)
	}
	args := []string{"-D", tmp, "--username=postgres", "--auth=trust", "--encoding=UTF8",
		"--locale=C.UTF-8", "--no-instructions"}
	if ephemeral {
		args = append(args, "--no-sync")
	}
	cmd := exec.CommandContext(ctx, filepath.Join(bin, "initdb"), args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	cmd.Dir = "/"
	if out, err := cmd.CombinedOutput(); err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("devdb: initdb failed: %w\n%s", err, out)
	}
	if err := os.Remove(c.pgdata); err != nil {
		return fmt.Errorf("devdb: replace %s: %w", c.pgdata, err)
	}
	if err := os.Rename(tmp, c.pgdata); err != nil {
		return fmt.Errorf("devdb: move the new cluster into place: %w", err)
	}
	return nil
}

func (c *Cluster) start(ctx context.Context, bin string, cred *syscall.Credential, ephemeral bool) error {
	logPath := filepath.Join(c.dir, "postgres.log")
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("devdb: open %s: %w", logPath, err)
	}
	defer logFile.Close()
	args := []string{"-D", c.pgdata, "-k", c.sockets, "-c", "listen_addresses=", "-c", "unix_socket_permissions=0700",
		"-c", "max_connections=200", "-c", "shared_buffers=128MB"}
	if ephemeral {
		args = append(args, "-c", "fsync=off", "-c", "full_page_writes=off")
		if !c.crashSafe {
			args = append(args, "-c", "synchronous_commit=off")
		}
	}
	for _, kv := range c.settings {
		args = append(args, "-c", kv)
	}
	c.cmd = exec.Command(filepath.Join(bin, "postgres"), args...)
	c.cmd.Dir = "/"
	c.cmd.Stdout, c.cmd.Stderr = logFile, logFile
	// Pdeathsig stops the server if this process dies without a clean stop,
	// so no stray postgres outlives it.
	c.cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGINT, Setpgid: true}
	if err := c.cmd.Start(); err != nil {
		return fmt.Errorf("devdb: start postgres: %w", err)
	}
	c.exited = make(chan struct{})
	go func() { _ = c.cmd.Wait(); close(c.exited) }()
	if err := c.waitReady(ctx, logPath); err != nil {
		c.Stop()
		return err
	}
	c.log.Info("embedded PostgreSQL is up", "socket", c.sockets)
	return nil
}

// URL is the connection URL of database name on this cluster.
func (c *Cluster) URL(name string) string {
	return fmt.Sprintf("postgres://postgres@/%s?host=%s&sslmode=disable", name, c.sockets)
}

// EnsureDatabase creates database name if it does not exist.
func (c *Cluster) EnsureDatabase(ctx context.Context, name string) error {
	db, err := sql.Open("postgres", c.URL("postgres"))
	if err != nil {
		return err
	}
	defer db.Close()
	var exists bool
	if err := db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return fmt.Errorf("devdb: look up database %s: %w", name, err)
	}
	if exists {
		return nil
	}
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+pq.QuoteIdentifier(name)); err != nil {
		return fmt.Errorf("devdb: create database %s: %w", name, err)
	}
	return nil
}

// Stop shuts the server down with a fast shutdown and waits for it to exit.
func (c *Cluster) Stop() {
	if c == nil || c.cmd == nil || c.cmd.Process == nil {
		return
	}
	select {
	case <-c.exited:
		return
	default:
	}
	_ = c.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-c.exited:
	case <-time.After(30 * time.Second):
		_ = c.cmd.Process.Kill()
		<-c.exited
	}
	c.log.Info("embedded PostgreSQL stopped")
}
