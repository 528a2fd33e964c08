package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/lib/pq"

	"helpforce/pg"
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
	if p.released {
		p.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		p.giveBack(ctx, l)
		return
	}
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

// passHanded moves up to room handed rows to the workers. It returns how
// many it moved, and whether more wait for a place.
func (p *Push) passHanded(jobs chan<- job, room int) (n int, more bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	n = min(room, len(p.handedJobs))
	for _, j := range p.handedJobs[:n] {
		jobs <- j
	}
	p.handedJobs = p.handedJobs[n:]
	if len(p.handedJobs) == 0 {
		p.handedJobs = nil
	}
	return n, p.handedJobs != nil
}

// hold keeps a row a worker did not send because Run's context ended, for
// Release.
func (p *Push) hold(j job) {
	p.mu.Lock()
	p.handedJobs = append(p.handedJobs, j)
	p.mu.Unlock()
}

// Release, once Run's context has ended (Run must have been called), waits
// for the workers to end and what they sent to be recorded, then gives the
// rows this replica holds unsent (handed over, claimed and waiting for a worker, or cut short
// mid-send) back to the outbox, due at once, and wakes every replica's
// dispatcher: a replica that stops leaves its alerts to the others now
// rather than when their lease runs out. Rows handed over later are given
// back as they come. Call it once the server has finished the requests
// that hand rows over.
func (p *Push) Release(ctx context.Context) {
	select {
	case <-p.ended:
	case <-ctx.Done():
		return
	}
	p.mu.Lock()
	p.released = true
	held := p.handedJobs
	p.handedJobs = nil
	p.mu.Unlock()
	p.giveBack(ctx, held)
}

// giveBack makes rows this replica held due at once, for any replica.
func (p *Push) giveBack(ctx context.Context, held []job) {
	if len(held) == 0 {
		return
	}
	ids := make([]int64, len(held))
	for i, j := range held {
		ids[i] = j.ID
	}
	_, err := p.db.ExecContext(ctx, `WITH freed AS (
			UPDATE push_outbox SET due_at = now() WHERE id = ANY($1) AND status = 'pending' RETURNING id
		) SELECT count(pg_notify($2, '')) FROM (SELECT FROM freed LIMIT 1) f`, pq.Array(ids), string(pg.ChanPush))
	if err != nil {
		p.log.Warn("push: alerts not given back; they are sent once their lease runs out", "rows", len(ids), "err", err)
	}
}
