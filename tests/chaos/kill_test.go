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
	w.start()
	sc := w.scene(4, pick(6, 12))
	l := sc.startLoad()
	for i := range kills {
		time.Sleep(time.Duration(pick(1200, 4000)+rand.IntN(pick(800, 4000))) * time.Millisecond)
		w.logf("kill -9 number %d", i+1)
		w.srv.kill()
		time.Sleep(time.Duration(rand.IntN(500)) * time.Millisecond)
		start := time.Now()
		w.start()
		w.logf("ready again %v after the restart began", time.Since(start).Round(time.Millisecond))
	}
	time.Sleep(pick(time.Second, 5*time.Second))
	l.halt()
	w.logf("load: %s", l.summary())
	l.invariants(t, lease)
	w.logf("outbox after settling: %v", l.outbox(t))
	if len(l.created) < 5*kills {
		t.Errorf("only %d requests were created; the load did not run", len(l.created))
	}
}
