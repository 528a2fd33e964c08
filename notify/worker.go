package notify

import (
	"context"
	"database/sql"
	"io"
	"sync"
	"time"

	"github.com/SherClockHolmes/webpush-go"

	"helpforce/pg"
)

// job is a claimed outbox row with its subscription, or one leased at birth
// (see Leased), which comes as JSON.
type job struct {
	ID        int64     `db:"id" json:"id"`
	Payload   string    `db:"payload" json:"payload"`
	Urgency   string    `db:"urgency" json:"urgency"`
	Topic     *string   `db:"topic" json:"topic"`
	TTL       int       `db:"ttl_s" json:"ttl_s"`
	ExpiresAt time.Time `db:"expires_at" json:"expires_at"`
	Attempts  int       `db:"attempts" json:"attempts"`
	SubID     int64     `db:"subscription_id" json:"subscription_id"`
	Endpoint  string    `db:"endpoint" json:"endpoint"`
	P256dh    string    `db:"p256dh" json:"p256dh"`
	Auth      string    `db:"auth" json:"auth"`
	Lang      string    `db:"lang" json:"lang"`
	// NextDue is when the earliest row not due yet falls due, if any: how
	// long the dispatcher may sleep, read with the claim.
	NextDue sql.NullTime `db:"next_due" json:"-"`
	until   time.Time    // the last moment to start sending it within its lease (leased)
	started time.Time    // when this attempt was sent
}

// leased sets until for a row whose lease began at from: late enough that a
// send started then ends before the lease does.
func (p *Push) leased(j *job, from time.Time) {
	j.until = from.Add(p.cfg.Lease - min(p.cfg.SendTimeout, p.cfg.Lease/2))
}

// claim takes up to n due rows. SKIP LOCKED lets every replica claim at once
// without waiting on each other; the lease makes a row due again should its
// worker die before recording the outcome. Clearing last_error marks the
// row as in flight: only a row waiting for a retry carries one.
//
// Each row also carries when the dispatcher should look again, so that it
// need not ask: when rows were taken, when the earliest row not yet due
// falls due (rows due now that it skipped are another replica's, taken at
// this instant). When none was taken (a wake-up for rows an earlier claim
// already took), one row with id 0 carries when the earliest pending row
// falls due, which is now when a row due now is held for a moment by
// another transaction.
const claim = `
WITH c AS (
	SELECT id FROM push_outbox WHERE status = 'pending' AND due_at <= now()
	ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED
), taken AS (
	UPDATE push_outbox o SET due_at = now() + $2 * interval '1 second', attempts = o.attempts + 1, last_error = NULL
	FROM c, push_subscriptions s
	WHERE o.id = c.id AND s.id = o.subscription_id
	RETURNING o.id, o.payload, o.urgency, o.topic, o.ttl_s, o.expires_at, o.attempts,
		s.id AS subscription_id, s.endpoint, s.p256dh, s.auth, s.lang
)
SELECT t.*, (SELECT min(due_at) FROM push_outbox WHERE status = 'pending' AND due_at > now()) AS next_due FROM taken t
UNION ALL
SELECT 0, '', '', NULL, 0, now(), 0, 0, '', '', '', '', (SELECT min(due_at) FROM push_outbox WHERE status = 'pending')
WHERE NOT EXISTS (SELECT FROM taken)`

// Run sends the outbox until ctx ends. It is woken through hub by every
// insert (on any replica), re-reads the outbox after the listener
// reconnects, and otherwise sleeps until the next row falls due. Rows it
// holds unsent when ctx ends are kept for Release.
func (p *Push) Run(ctx context.Context, hub *pg.Hub) error {
	if err := hub.Handle(pg.ChanPush, func(string) { p.poke() }); err != nil {
		return err
	}
	hub.OnReconnect(p.poke)
	// Claim ahead of the workers, so that none waits for the next claim.
	jobs := make(chan job, 4*p.cfg.Workers)
	var workers sync.WaitGroup
	for i := 0; i < p.cfg.Workers; i++ {
		workers.Add(1)
		go func() {
			defer workers.Done()
			for j := range jobs {
				if ctx.Err() != nil {
					p.hold(j)
					continue
				}
				p.send(ctx, j)
			}
		}()
	}
	go func() {
		defer close(jobs)
		p.dispatch(ctx, jobs)
	}()
	go func() {
		workers.Wait()
		close(p.sent)
	}()
	go func() {
		p.recordSent()
		close(p.ended)
	}()
	return nil
}

// safetyNet bounds the sleep between looks at the outbox, should a
// notification be lost some other way.
const safetyNet = 5 * time.Second

// dispatch feeds the workers: first the rows handed over leased at birth
// (Hand), then, once woken for rows of the outbox or when its timer runs
// out, a claim of due rows for the places left.
func (p *Push) dispatch(ctx context.Context, jobs chan<- job) {
	timer := time.NewTimer(0)
	defer timer.Stop()
	look := false // whether to claim; the timer, armed whenever look is false, sets it
	for {
		room := cap(jobs) - len(jobs)
		passed, more := p.passHanded(jobs, room)
		room -= passed
		switch {
		case room == 0 && (look || more):
			timer.Reset(5 * time.Millisecond) // every worker busy
		case look:
			n, next := p.claimInto(ctx, jobs, room)
			if n == room {
				continue // more may be due; take them as workers free up
			}
			look = false
			timer.Reset(next)
		}
		select {
		case <-ctx.Done():
			return
		case <-p.wake:
			look = true
		case <-p.handed:
		case <-timer.C:
			look = true
		}
	}
}

// claimInto claims up to room due rows for the workers. It returns how many
// it took, and how long the dispatcher may sleep before it looks again.
func (p *Push) claimInto(ctx context.Context, jobs chan<- job, room int) (int, time.Duration) {
	var claimed []job
	start := time.Now()
	err := p.db.SelectContext(ctx, &claimed, claim, room, p.cfg.Lease.Seconds())
	if err != nil && ctx.Err() == nil {
		p.log.Warn("push: claim failed", "err", err)
	}
	n := 0 // a claim that took none returns one row, with id 0
	for _, j := range claimed {
		if j.ID != 0 {
			p.leased(&j, start)
			jobs <- j
			n++
		}
	}
	wait := safetyNet // also when the claim failed
	if len(claimed) > 0 && claimed[0].NextDue.Valid {
		wait = min(max(time.Until(claimed[0].NextDue.Time), time.Millisecond), safetyNet)
	}
	return n, wait
}

// send delivers one row and records the outcome.
func (p *Push) send(ctx context.Context, j job) {
	if time.Now().After(j.until) {
		// Waited for a worker so long (handed over or claimed) that its lease
		// may run out mid-send: left to the claim that takes it then, rather
		// than sent twice.
		p.metrics.result("lease_out")
		return
	}
	if time.Now().After(j.ExpiresAt) {
		p.finish(ctx, j, "expired", 0, "the message outlived its TTL before it could be sent")
		return
	}
	sub := &webpush.Subscription{Endpoint: j.Endpoint, Keys: webpush.Keys{P256dh: j.P256dh, Auth: j.Auth}}
	opts := &webpush.Options{
		HTTPClient:      p.client,
		Subscriber:      p.cfg.Subject,
		VAPIDPublicKey:  p.cfg.Keys.Public,
		VAPIDPrivateKey: p.cfg.Keys.Private,
		// webpush-go sends "TTL: 0" when unset, which tells the push service to
		// drop the message unless the phone is reachable this instant.
		TTL:     max(1, int(time.Until(j.ExpiresAt).Seconds())),
		Urgency: webpush.Urgency(j.Urgency),
	}
	if j.Topic != nil {
		opts.Topic = *j.Topic
	}
	sendCtx, cancel := context.WithTimeout(ctx, p.cfg.SendTimeout)
	defer cancel()
	start := time.Now()
	j.started = start
	// webpush-go pads the message inside the slice it is given: each send
	// gets its own copy.
	// The alert is put in the language of the phone's app here, at sending.
	res, err := webpush.SendNotificationWithContext(sendCtx, []byte(localize(j.Payload, j.Lang)), sub, opts)
	p.metrics.latency.Observe(time.Since(start).Seconds())
	if err != nil {
		if ctx.Err() != nil {
			// Stopping: Release gives the row back (the push service may
			// have it already: at least once), or, should the replica not
			// get that far, its lease runs out.
			p.hold(j)
			return
		}
		p.unreachable(hostOf(j.Endpoint), j.started, err.Error())
		p.retry(ctx, j, 0, "", err.Error())
		return
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 4096))
	res.Body.Close()
	p.outcome(ctx, j, res)
}
