package chaos

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestKillUnderLoad SIGKILLs the server at random moments while shoppers
// create requests and place holds and staff accept on alerts and resolve,
// restarting it each time on the same database; then checks that nothing
// promised was lost and nothing is left half-done.
func TestKillUnderLoad(t *testing.T) {
	t.Parallel()
	kills := pick(2, 10)
	lease := pick(3*time.Second, 10*time.Second)
	w := newWorld(t, "HELPFORCE_PUSH_LEASE="+lease.String())
	l := restartsUnderLoad(t, w, kills, func() { w.srv.kill() }, "kill -9")
	l.invariants(t, lease)
	w.logf("outbox after settling: %v", l.outbox(t))
}

// restartsUnderLoad starts the server and the load, then n times, at random
// moments, ends the server with end and, after a pause of up to half a
// second, starts it again on the same database; it halts the load and
// returns it, having checked that it ran.
func restartsUnderLoad(t *testing.T, w *world, n int, end func(), what string) *load {
	t.Helper()
	w.start()
	sc := w.scene(4, pick(6, 12))
	l := sc.startLoad()
	for i := range n {
		time.Sleep(time.Duration(pick(1200, 4000)+rand.IntN(pick(800, 4000))) * time.Millisecond)
		w.logf("%s number %d", what, i+1)
		end()
		time.Sleep(time.Duration(rand.IntN(500)) * time.Millisecond)
		start := time.Now()
		w.start()
		w.logf("ready again %v after the restart began", time.Since(start).Round(time.Millisecond))
	}
	time.Sleep(pick(time.Second, 5*time.Second))
	l.halt()
	w.logf("load: %s", l.summary())
	if len(l.created) < 5*n {
		t.Errorf("only %d requests were created; the load did not run", len(l.created))
	}
	return l
}
