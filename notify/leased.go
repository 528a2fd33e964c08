package notify

import (
	"encoding/json"
	"fmt"
	"time"
)

// Leased is alerts a statement queued already leased to this replica, as
// queue_alert_leased (a function of the database's) returns them: the
// statements that queue the alerts of the busiest moments (a request, an
// accept, a message, a resolve) use it, and hand what it returned to Hand
// once their transaction has committed. The alerts then go out at once, with
// no claim of the outbox in between and no wake-up of every replica; should
// this replica stop first, they are sent when their lease runs out, as
// claimed rows are.
type Leased []job

// Scan reads the JSON array queue_alert_leased returns.
func (l *Leased) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*l = nil
		return nil
	case []byte:
		return json.Unmarshal(v, (*[]job)(l))
	case string:
		return json.Unmarshal([]byte(v), (*[]job)(l))
	}
	return fmt.Errorf("notify: leased alerts from %T", src)
}

// Lease is how long the rows a statement leases at birth are this
// replica's: the seconds to give queue_alert_leased.
func (p *Push) Lease() time.Duration { return p.cfg.Lease }

// Hand takes rows leased at birth, once the transaction that queued them has
// committed; the workers send them before any row they would claim.
func (p *Push) Hand(l Leased) {
	if len(l) == 0 {
		return
	}
	now := time.Now()
	p.mu.Lock()
	for _, j := range l {
		p.leased(&j, now)
		p.handedJobs = append(p.handedJobs, j)
	}
	p.mu.Unlock()
	select {
	case p.handed <- struct{}{}:
	default:
	}
}

// passHanded moves up to room handed rows to the workers. A row held so
// long that its lease could run out mid-send (every worker was busy that
// long) is left to the claim that takes it once the lease has run out,
// rather than risk its being sent twice.
func (p *Push) passHanded(jobs chan<- job, room int) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for len(p.handedJobs) > 0 && n < room {
		j := p.handedJobs[0]
		p.handedJobs = p.handedJobs[1:]
		if time.Now().After(j.until) {
			p.metrics.result("lease_out")
			continue
		}
		jobs <- j
		n++
	}
	if len(p.handedJobs) == 0 {
		p.handedJobs = nil
	}
	return n
}

// handedWaiting reports whether handed rows wait for a worker.
func (p *Push) handedWaiting() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.handedJobs) > 0
}
