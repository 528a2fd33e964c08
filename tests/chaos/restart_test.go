package chaos

import (
	"syscall"
	"testing"
	"time"
)

// TestRollingRestart stops the server with SIGTERM at random moments while
// shoppers ask and staff accept, chat and resolve, as a deploy does, and
// starts it again on the same database. The alerts a stopping server holds
// unsent (leased to it when written, claimed, or cut short mid-send) are
// given back for the next one: with a lease of ten minutes, any left to its
// lease would still be waiting when the outbox is checked, seconds later.
func TestRollingRestart(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "HELPFORCE_PUSH_LEASE=10m")
	l := restartsUnderLoad(t, w, pick(2, 8), func() {
		start := time.Now()
		w.srv.stop(t)
		w.logf("stopped in %v", time.Since(start).Round(time.Millisecond))
	}, "SIGTERM")
	l.invariants(t, 5*time.Second)
	// Every alert is sent within seconds, not once a ten-minute lease runs out.
	eventuallyNone(t, w.openDB(), 15*time.Second, "alerts left to a stopped server's lease",
		`SELECT id || ' attempts ' || attempts || ' due ' || due_at FROM push_outbox WHERE status = 'pending'`)
	w.logf("outbox after settling: %v", l.outbox(t))
}

// stop sends SIGTERM, as a deploy or systemd does, and waits for the server
// to finish what it took and exit.
func (s *server) stop(t *testing.T) {
	t.Helper()
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		t.Fatalf("the server did not stop within 30 s of SIGTERM:\n%s", s.lines("level"))
	}
	if s.exit != nil {
		t.Errorf("the server stopped with %v:\n%s", s.exit, s.lines("level"))
	}
}
