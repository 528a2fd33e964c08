package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestStoreDayAndLoadDriveTheBinary builds the server, starts it on a fresh
// embedded database, and plays a tiny store day and a tiny lifecycle load
// against it over HTTP, with every alert going through the push double.
func TestStoreDayAndLoadDriveTheBinary(t *testing.T) {
	bin := os.Getenv("HELPFORCE_BIN")
	if bin == "" {
		bin = filepath.Join(t.TempDir(), "helpforce")
		args := []string{"build", "-o", bin, "helpforce/cmd/helpforce"}
		if out, err := exec.Command("go", args...).CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
	}
	ctx := context.Background()
	log := testLog{t}
	log.Write([]byte("built"))
	sim := options{}
	simArgs := []string{"-mode", "sim", "-bin", bin, "-stores", "2", "-staff", "3", "-agents", "1", "-shoppers", "6",
		"-duration", "4s", "-grace", "20s", "-accept-delay", "100ms-500ms", "-help-time", "200ms-800ms",
		"-pass", "0", "-ignore", "0", "-break-prob", "0", "-churn", "0", "-remote-share", "0.2", "-seed", "7",
		"-offer-timeout", "2s", "-overflow-timeout", "6s", "-abandon-after", "1m", "-log-level", "error"}
	sim, err := parseFlags(simArgs, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	tg, err := openTarget(ctx, sim, log)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if tg != nil {
			tg.stop()
		}
	}()

	day, err := run(ctx, tg, sim, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(day.Summary())
	if day.Arrivals == 0 || day.Created != day.Arrivals || day.Failed != 0 {
		t.Errorf("store day: %d arrivals, %d created, %d failed; want every arrival created", day.Arrivals, day.Created, day.Failed)
	}
	if day.NeverAlerted != 0 || day.Pushes < day.Created {
		t.Errorf("store day: %d pushes, %d requests never alerted; want an alert for each", day.Pushes, day.NeverAlerted)
	}
	if day.Taken != day.Created || day.Resolved+day.StillWaiting+day.Abandoned+day.Cancelled > day.Created {
		t.Errorf("store day: %d created, %d taken, %d resolved, %d waiting; want every request taken and counted once",
			day.Created, day.Taken, day.Resolved, day.StillWaiting)
	}
	if day.Statuses["POST /help-requests/{id}/accept 200"] != day.Taken {
		t.Errorf("store day: %d accepts won for %d requests taken; want one owner each",
			day.Statuses["POST /help-requests/{id}/accept 200"], day.Taken)
	}

	// The load runs on a server of its own, on a database the tool started
	// with pg_stat_statements (-statements).
	loadArgs := []string{"-mode", "load", "-bin", bin, "-stores", "2", "-staff", "2", "-rate", "4", "-duration", "2s",
		"-grace", "20s", "-seed", "7", "-statements", "100", "-log-level", "error"}
	lo, err := parseFlags(loadArgs, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	tg.stop()
	if tg, err = openTarget(ctx, lo, log); err != nil {
		t.Fatal(err) // tg is nil: nothing left to stop
	}
	load, err := run(ctx, tg, lo, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(load.Summary())
	if load.Created != 8 || load.NeverAlerted != 0 {
		t.Errorf("load: %d created, %d never alerted; want 8, all alerted", load.Created, load.NeverAlerted)
	}
	if load.Resolved != load.Created || load.Statuses["POST /help-requests/{id}/accept 200"] != load.Created {
		t.Errorf("load: %d resolved, %d accepts won, for %d requests; want each won once and resolved",
			load.Resolved, load.Statuses["POST /help-requests/{id}/accept 200"], load.Created)
	}
	if load.Statuses["POST /help-requests/{id}/messages 201"] != 2*load.Created {
		t.Errorf("load: %d messages for %d requests; want one each way", load.Statuses["POST /help-requests/{id}/messages 201"], load.Created)
	}
	if load.Errors != 0 {
		t.Errorf("load: %d errors: %v", load.Errors, load.Statuses)
	}
	if c := load.CPU; c.ServerS == nil || c.PostgresS == nil || *c.ServerS <= 0 || *c.PostgresS <= 0 || c.ToolS <= 0 {
		t.Errorf("load: CPU server %v, PostgreSQL %v, load tool %v s; want each measured", c.ServerS, c.PostgresS, c.ToolS)
	} else if want := fmt.Sprintf("%.1f", *c.ServerS*1000/8); !strings.Contains(load.Summary(), "cpu_per_created_server/pg/tool="+want+"/") {
		t.Errorf("load: %q does not give the server's %s ms of CPU per request created", load.Summary(), want)
	}
	checkStatements(t, load)
	if r := tg.push.Rejections(); len(r) != 0 {
		t.Errorf("the push double refused %d pushes (VAPID, headers or encryption): %q", len(r), r)
	}
}

// checkStatements: -statements reports the window's statements, the
// creation and the accept among them, one row per request each.
func checkStatements(t *testing.T, load *Report) {
	t.Helper()
	rows := map[string]int64{}
	share := 0.0
	for _, s := range load.Statements {
		share += s.Share
		for _, name := range []string{"-- Admits and writes a batch of requests", "-- Makes person $2 the one owner of request $1"} {
			if strings.HasPrefix(s.Statement, name) {
				rows[name] += s.Rows
			}
		}
		if want := float64(s.Calls) / float64(load.Created); s.PerCreated != want {
			t.Errorf("statements: %q: %.2f calls per request, want %.2f", s.Statement, s.PerCreated, want)
		}
	}
	if len(load.Statements) < 10 || share < 0.99 || share > 1.01 {
		t.Fatalf("statements: %d reported, their shares adding up to %.2f; want every statement of the window", len(load.Statements), share)
	}
	for name, n := range rows {
		if n != int64(load.Created) {
			t.Errorf("statements: %q returned %d rows for %d requests", name, n, load.Created)
		}
	}
	if len(rows) != 2 {
		t.Errorf("statements: the creation or the accept is missing: %+v", load.Statements)
	}
}

// testLog sends the tool's progress lines to the test log.
type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(time.Now().Format("15:04:05.0"), strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
