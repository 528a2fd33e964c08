package notify

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/SherClockHolmes/webpush-go"
	"github.com/lib/pq"

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
}

// claim takes up to n due rows. SKIP LOCKED lets every replica claim at once
// without waiting on each other; the lease makes a row due again should its
// worker die before recording the outcome.
const claim = `
WITH c AS (
	SELECT id FROM push_outbox WHERE status = 'pending' AND due_at <= now()
	ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED)
UPDATE push_outbox o SET due_at = now() + $2 * interval '1 second', attempts = o.attempts + 1
FROM c, push_subscriptions s
WHERE o.id = c.id AND s.id = o.subscription_id
RETURNING o.id, o.payload, o.urgency, o.topic, o.ttl_s, o.expires_at, o.attempts,
	s.id AS subscription_id, s.endpoint, s.p256dh, s.auth`

// Run sends the outbox until ctx ends. It is woken through hub by every
// insert (on any replica), re-reads the outbox after the listener
// reconnects, and otherwise sleeps until the next row falls due.
func (p *Push) Run(ctx context.Context, hub *pg.Hub) error {
	if err := hub.Handle("helpforce_push", func(string) { p.poke() }); err != nil {
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

// recordSent marks delivered rows in batches: one UPDATE for many pushes
// instead of one each. A crash before a batch is written leaves its rows to
// be sent again when their lease runs out: at least once, never lost.
func (p *Push) recordSent() {
	const most, every = 256, 5 * time.Millisecond
	var ids []int64
	flush := func() {
		if len(ids) == 0 {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := p.db.ExecContext(ctx, `UPDATE push_outbox SET status = 'sent', sent_at = now(), last_status = 201
			WHERE id = ANY($1) AND status = 'pending'`, pq.Array(ids)); err != nil {
			p.log.Warn("push: record sent", "rows", len(ids), "err", err)
		}
		ids = ids[:0]
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case id, ok := <-p.sent:
			if !ok {
				flush()
				return
			}
			if ids = append(ids, id); len(ids) >= most {
				flush()
			}
		case <-tick.C:
			flush()
		}
	}
}

// safetyNet bounds the sleep between looks at the outbox, should a
// notification be lost some other way.
const safetyNet = 5 * time.Second

func (p *Push) dispatch(ctx context.Context, jobs chan<- job) {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		batch := cap(jobs) - len(jobs)
		n := 0
		if batch > 0 {
			var claimed []job
			err := p.db.SelectContext(ctx, &claimed, claim, batch, p.cfg.Lease.Seconds())
			if err != nil && ctx.Err() == nil {
				p.log.Warn("push: claim failed", "err", err)
			}
			for _, j := range claimed {
				jobs <- j
			}
			n = len(claimed)
		}
		if n > 0 && n == batch {
			continue // more may be due; take them as workers free up
		}
		wait := 5 * time.Millisecond // every worker busy
		if batch > 0 {
			wait = p.untilNextDue(ctx)
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

// untilNextDue is how long until the earliest pending row falls due.
func (p *Push) untilNextDue(ctx context.Context) time.Duration {
	var secs *float64
	err := p.db.GetContext(ctx, &secs, `SELECT extract(epoch FROM min(due_at) - now())::float8
		FROM push_outbox WHERE status = 'pending'`)
	if err != nil || secs == nil {
		return safetyNet
	}
	d := time.Duration(*secs * float64(time.Second))
	return min(max(d, time.Millisecond), safetyNet)
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
	// webpush-go pads the message inside the slice it is given: each send
	// gets its own copy.
	res, err := webpush.SendNotificationWithContext(sendCtx, []byte(j.Payload), sub, opts)
	p.metrics.latency.Observe(time.Since(start).Seconds())
	if err != nil {
		if ctx.Err() != nil {
			return // shutting down: the lease hands the row to the next worker
		}
		p.retry(ctx, j, 0, "", err.Error())
		return
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 4096))
	res.Body.Close()
	p.outcome(ctx, j, res)
}

// outcome records what the push service answered.
func (p *Push) outcome(ctx context.Context, j job, res *http.Response) {
	code := res.StatusCode
	switch {
	case code >= 200 && code < 300:
		p.metrics.result("sent")
		p.sent <- j.ID
	case code == http.StatusNotFound || code == http.StatusGone:
		p.metrics.result("gone")
		// The subscription is dead; its pending rows go with it.
		if _, err := p.db.ExecContext(ctx, `DELETE FROM push_subscriptions WHERE id = $1`, j.SubID); err != nil {
			p.log.Warn("push: prune subscription", "err", err)
		}
	case code == http.StatusRequestEntityTooLarge:
		p.log.Error("push: payload too large for the push service; not retried", "outbox_id", j.ID, "bytes", len(j.Payload))
		p.finish(ctx, j, "failed", code, "payload too large")
	case code == http.StatusTooManyRequests:
		p.retry(ctx, j, code, res.Header.Get("Retry-After"), "rate limited by the push service")
	case code >= 500:
		p.retry(ctx, j, code, "", fmt.Sprintf("push service answered %d", code))
	default:
		// 400, 401, 403: the request is wrong, typically the VAPID key does not
		// match the one the browser subscribed with. Retrying cannot help.
		p.log.Error("push: refused by the push service; check the VAPID keys", "outbox_id", j.ID, "status", code,
			"endpoint_host", hostOf(j.Endpoint))
		p.finish(ctx, j, "failed", code, fmt.Sprintf("refused with %d", code))
	}
}

func (p *Push) finish(ctx context.Context, j job, status string, code int, msg string) {
	p.metrics.result(status)
	_, err := p.db.ExecContext(ctx, `UPDATE push_outbox SET status = $2, last_status = NULLIF($3, 0),
		last_error = NULLIF($4, ''), sent_at = CASE WHEN $2 = 'sent' THEN now() END WHERE id = $1`, j.ID, status, code, msg)
	if err != nil && ctx.Err() == nil {
		p.log.Warn("push: record outcome", "outbox_id", j.ID, "err", err)
	}
}

// retry schedules another attempt: after Retry-After when the push service
// gave one, else with exponential backoff and jitter, until the TTL runs out.
func (p *Push) retry(ctx context.Context, j job, code int, retryAfter, msg string) {
	delay := backoff(j.Attempts)
	if s, err := strconv.Atoi(retryAfter); err == nil && s >= 0 {
		delay = time.Duration(s) * time.Second
	} else if t, err := http.ParseTime(retryAfter); err == nil {
		delay = time.Until(t)
	}
	if time.Now().Add(delay).After(j.ExpiresAt) {
		p.finish(ctx, j, "expired", code, msg)
		return
	}
	p.metrics.result("retry")
	_, err := p.db.ExecContext(ctx, `UPDATE push_outbox SET due_at = now() + $2 * interval '1 second',
		last_status = NULLIF($3, 0), last_error = $4 WHERE id = $1`, j.ID, delay.Seconds(), code, msg)
	if err != nil && ctx.Err() == nil {
		p.log.Warn("push: schedule retry", "outbox_id", j.ID, "err", err)
	}
	p.poke() // the dispatcher may be asleep past the new due time
}

// backoff doubles from one second up to five minutes, with full jitter over
// the upper half so that many failed sends do not return in lockstep.
func backoff(attempts int) time.Duration {
	d := time.Second << min(max(attempts-1, 0), 8)
	d = min(d, 5*time.Minute)
	return d/2 + rand.N(d/2+1)
}
