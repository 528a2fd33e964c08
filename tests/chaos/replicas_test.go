package chaos

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestReplicaKilled runs three servers on one database and the simulator's
// store day (tests/load -mode sim) spread over them, one server per person
// in turn, and SIGKILLs one server mid-way: its people move to the other
// two. Afterwards, from outside: every request answered 201 exists and the
// invariants hold; every timer fired exactly once; and event streams opened
// on the surviving servers saw every change, wherever it was made.
func TestReplicaKilled(t *testing.T) {
	t.Parallel()
	lease := pick(3*time.Second, 10*time.Second)
	day := pick(12*time.Second, 5*time.Minute)
	pushAddr := freeAddr(t)
	// The short day runs on short timers, so that waves widen, requests
	// overflow and some are abandoned within seconds; the long one on the
	// standard store day's.
	w := newWorld(t, "HELPFORCE_PUSH_LEASE="+lease.String(), "HELPFORCE_PUSH_ALLOW_HOSTS="+pushAddr,
		"HELPFORCE_LIMIT_STREAMS=0,0", "HELPFORCE_LOG_LEVEL=warn", "HELPFORCE_STREAM_RECHECK="+recheck.String(),
		"HELPFORCE_OFFER_TIMEOUT="+pick("1s", "4s"), "HELPFORCE_OVERFLOW_TIMEOUT="+pick("3s", "12s"),
		"HELPFORCE_ABANDON_AFTER="+pick("8s", "4m"))
	var servers []*server
	for range 3 {
		servers = append(servers, w.startAt(freeAddr(t), freeAddr(t)))
	}
	victim, survivors := servers[0], servers[1:]
	var urls []string
	for _, s := range servers {
		urls = append(urls, "http://"+s.addr)
	}
	db := w.openDB()

	ids, out := filepath.Join(w.dir, "created"), filepath.Join(w.dir, "report.json")
	args := []string{"-mode", "sim", "-url", strings.Join(urls, ","), "-admin-email", "admin@example.com",
		"-admin-password", password, "-push-addr", pushAddr, "-ids", ids, "-out", out, "-seed", "5", "-duration", day.String()}
	if !long {
		args = append(args, "-stores", "3", "-staff", "2", "-agents", "1", "-shoppers", "30", "-grace", "6s",
			"-accept-delay", "200ms-1500ms", "-help-time", "500ms-2s", "-break", "1s-3s")
	} else {
		args = append(args, "-shoppers", "180") // the standard day's 108 in 3 minutes, over 5
	}
	sim := exec.Command(loadBin, args...)
	simLog := &lockedBuffer{}
	sim.Stdout, sim.Stderr = simLog, simLog
	sim.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	must(t, sim.Start())
	finished := make(chan error, 1)
	go func() { finished <- sim.Wait() }()
	t.Cleanup(func() { _ = sim.Process.Kill() })

	// Live streams on the survivors for every request (every other one in
	// the long day), opened as it appears.
	watch := w.watchOn(t, survivors, pick(1, 2))
	defer watch.close()

	// Mid-way through the arrivals, one server dies.
	waitUntil(t, 2*time.Minute, "the first shopper arrives", func() bool {
		var n int
		must(t, db.Get(&n, `SELECT count(*) FROM help_requests`))
		return n > 0
	})
	time.Sleep(day / 2)
	served := readMetricsAt(t, victim.metrics)["helpforce_http_requests_total"]
	w.logf("kill -9 of the server at %s, which had answered %.0f calls", victim.addr, served)
	if served == 0 {
		t.Error("the server killed had answered no call: the people were not spread over the servers")
	}
	victim.kill()
	var killedAt time.Time
	must(t, db.Get(&killedAt, `SELECT now()`))

	select {
	case err := <-finished:
		if err != nil {
			t.Fatalf("the store day failed: %v\n%s", err, simLog.String())
		}
	case <-time.After(day + 5*time.Minute):
		t.Fatalf("the store day did not end:\n%s", simLog.String())
	}
	var rep struct {
		Created, Failed, Taken, Resolved, Errors int
		Statuses                                 map[string]int
	}
	report, err := os.ReadFile(out)
	must(t, err)
	if err := json.Unmarshal(report, &rep); err != nil {
		t.Fatalf("the store day's report: %v\n%s", err, simLog.String())
	}
	w.logf("store day over three servers: %d created, %d failed, %d taken, %d resolved, %d errors",
		rep.Created, rep.Failed, rep.Taken, rep.Resolved, rep.Errors)

	// Nobody met a server error; only calls in flight at the kill went unanswered.
	for key, n := range rep.Statuses {
		// "METHOD route status [code]", or "METHOD route no answer".
		if f := strings.Fields(key); len(f) > 2 {
			if status, err := strconv.Atoi(f[2]); err == nil && status >= 500 {
				t.Errorf("%d calls answered %s", n, key)
			}
		}
	}
	if rep.Failed > 2 {
		t.Errorf("%d shoppers' requests were not created: the killed server's people did not move", rep.Failed)
	}
	var after int
	must(t, db.Get(&after, `SELECT count(*) FROM help_requests WHERE created_at > $1`, killedAt))
	w.logf("%d requests created after the kill", after)
	if after == 0 {
		t.Error("no request was created after the kill")
	}

	raw, err := os.ReadFile(ids)
	must(t, err)
	created := strings.Fields(string(raw))
	if len(created) != rep.Created || len(created) < pick(10, 100) {
		t.Errorf("%d requests answered 201 (%d in the report); the day did not run", len(created), rep.Created)
	}
	watch.sawEverything(t, w)
	checkInvariants(t, db, created, lease)
	timersOnce(t, w)
	for _, s := range survivors {
		if n := s.logCount(`"level":"ERROR"`); n > 0 {
			t.Errorf("the server at %s logged %d errors:\n%s", s.addr, n, s.lines(`"level":"ERROR"`))
		}
	}
}

// timersOnce checks that every deadline took effect exactly once: no timer
// was written twice for one request, kind and round (reminders follow one
// another by design), none is left overdue (checkInvariants), and the log
// holds no effect twice: one wave widening per request, one overflow per
// time the request came back to the floor, one abandonment.
func timersOnce(t *testing.T, w *world) {
	t.Helper()
	db := w.openDB()
	wantNone(t, db, "timers written twice", `SELECT request_id || ' ' || kind || ' ' || generation FROM timers
		WHERE kind <> 'remind' GROUP BY request_id, kind, generation HAVING count(*) > 1`)
	wantNone(t, db, "requests whose deadlines acted twice", `SELECT request_id::text FROM request_events GROUP BY request_id
		HAVING count(*) FILTER (WHERE kind = 'offered' AND to_state LIKE 'wave 2:%') > 1
		    OR count(*) FILTER (WHERE kind = 'overflowed') > 1 + count(*) FILTER (WHERE kind IN ('taken_by_floor', 'handed_back', 'store_changed'))
		    OR count(*) FILTER (WHERE kind = 'abandoned') > 1`)
	var fired []struct {
		Kind string  `db:"kind"`
		N    int     `db:"n"`
		Late float64 `db:"late"`
	}
	must(t, db.Select(&fired, `SELECT kind, count(*) AS n, COALESCE(max(extract(epoch FROM fired_at - due_at)), 0) AS late
		FROM timers WHERE fired_at IS NOT NULL GROUP BY kind ORDER BY kind`))
	for _, f := range fired {
		w.logf("%d %s timers fired, the latest %.2f s after its time", f.N, f.Kind, f.Late)
	}
	if len(fired) == 0 {
		t.Error("no timer fired")
	}
}
