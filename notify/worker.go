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

// job is a claimed outbox row with its subscription.
type job struct {
	ID        int64     `db:"id"`
	Payload   string    `db:"payload"`
	Urgency   string    `db:"urgency"`
	Topic     *string   `db:"topic"`
	TTL       int       `db:"ttl_s"`
	ExpiresAt time.Time `db:"expires_at"`
	Attempts  int       `db:"attempts"`
	SubID     int64     `db:"subscription_id"`
	Endpoint  string    `db:"endpoint"`
	P256dh    string    `db:"p256dh"`
	Auth      string    `db:"auth"`
	Lang      string    `db:"lang"`
	// NextDue is when the earliest row not due yet falls due, if any: how
	// long the dispatcher may sleep, read with the claim.
	NextDue sql.NullTime `db:"next_due"`
	started time.Time    // when this attempt was sent
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
// reconnects, and otherwise sleeps until the next row falls due.
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
	go p.recordSent()
	return nil
}

// safetyNet bounds the sleep between looks at the outbox, should a
// notification be lost some other way.
const safetyNet = 5 * time.Second

func (p *Push) dispatch(ctx context.Context, jobs chan<- job) {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		batch := cap(jobs) - len(jobs)
		var claimed []job
		n := 0 // rows taken: a claim that took none returns one with id 0
		if batch > 0 {
			err := p.db.SelectContext(ctx, &claimed, claim, batch, p.cfg.Lease.Seconds())
			if err != nil && ctx.Err() == nil {
				p.log.Warn("push: claim failed", "err", err)
			}
			for _, j := range claimed {
				if j.ID != 0 {
					jobs <- j
					n++
				}
			}
		}
		if n > 0 && n == batch {
			continue // more may be due; take them as workers free up
		}
		wait := 5 * time.Millisecond // every worker busy
		if batch > 0 {
			wait = safetyNet // also when the claim failed
			if len(claimed) > 0 && claimed[0].NextDue.Valid {
				wait = min(max(time.Until(claimed[0].NextDue.Time), time.Millisecond), safetyNet)
			}
		}
		timer.Reset(wait)
		select {
		case <-ctx.Done():
			return
		case <-p.wake:
		case <-timer.C:
		}
	}
}

// send delivers one row and records the outcome.
func (p *Push) send(ctx context.Context, j job) {
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
			return // shutting down: the lease hands the row to the next worker
		}
		p.unreachable(hostOf(j.Endpoint), j.started, err.Error())
		p.retry(ctx, j, 0, "", err.Error())
		return
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 4096))
	res.Body.Close()
	p.outcome(ctx, j, res)
}
