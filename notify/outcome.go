package notify

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	"github.com/lib/pq"
)

// recordSent marks delivered rows in batches, every 25 ms or 256 rows: one
// UPDATE for many pushes instead of one each. A crash before a batch is
// written leaves its rows to be sent again when their lease runs out: at
// least once, never lost. When the database is briefly away the batch is
// kept and written once it is back, so that a restart of the database
// sends nothing twice.
func (p *Push) recordSent() {
	const most, every = 256, 25 * time.Millisecond
	var ids []int64
	var notBefore time.Time // after a failed write, wait before the next
	flush := func(force bool) {
		if len(ids) == 0 || (!force && time.Now().Before(notBefore)) {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := p.db.ExecContext(ctx, `UPDATE push_outbox SET status = 'sent', sent_at = now(), last_status = 201
			WHERE id = ANY($1) AND status = 'pending'`, pq.Array(ids)); err != nil {
			if notBefore.IsZero() {
				p.log.Warn("push: record sent; kept to write again", "rows", len(ids), "err", err)
			}
			notBefore = time.Now().Add(250 * time.Millisecond)
			return
		}
		ids, notBefore = ids[:0], time.Time{}
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case id, ok := <-p.sent:
			if !ok {
				flush(true)
				return
			}
			if ids = append(ids, id); len(ids) >= most {
				flush(false)
			}
		case <-tick.C:
			flush(false)
		}
	}
}

// outcome records what the push service answered.
func (p *Push) outcome(ctx context.Context, j job, res *http.Response) {
	code := res.StatusCode
	switch {
	case code >= 200 && code < 300:
		p.reachable(ctx, hostOf(j.Endpoint), j.started)
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
		p.unreachable(hostOf(j.Endpoint), j.started, fmt.Sprintf("answered %d", code))
		p.retry(ctx, j, code, res.Header.Get("Retry-After"), "rate limited by the push service")
	case code >= 500:
		p.unreachable(hostOf(j.Endpoint), j.started, fmt.Sprintf("answered %d", code))
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
