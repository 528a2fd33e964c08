package notify

import (
	"context"
	"sync"
	"time"
)

// delays remembers which push services are failing, so that an outage is
// logged once when it starts and once when it ends, not once per alert:
// during a long outage every queued alert fails again at each retry.
type delays struct {
	mu    sync.Mutex
	hosts map[string]time.Time // failing hosts, since when
	back  map[string]time.Time // hosts that worked again after failing, since when
}

// failed records a failed send to host, started at started; it reports true
// the first time since the host last worked. A send that started before the
// host was seen working again proves nothing: it may have failed just
// before the service came back.
func (d *delays) failed(host string, started time.Time) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.hosts[host]; ok {
		return false
	}
	if started.Before(d.back[host]) {
		return false
	}
	if d.hosts == nil {
		d.hosts = map[string]time.Time{}
	}
	d.hosts[host] = time.Now()
	return true
}

// worked records a delivery to host of a send started at started; it
// reports true when host was failing. A send that started before the
// failure was seen proves nothing: it may have got through just before the
// service went down.
func (d *delays) worked(host string, started time.Time) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	since, ok := d.hosts[host]
	if !ok || started.Before(since) {
		return false
	}
	delete(d.hosts, host)
	if d.back == nil {
		d.back = map[string]time.Time{}
	}
	d.back[host] = time.Now()
	return true
}

// unreachable logs, once per outage, that alerts to host are delayed;
// started is when the failed send began.
func (p *Push) unreachable(host string, started time.Time, reason string) {
	if p.delays.failed(host, started) {
		p.log.Warn("push: alerts are delayed: the push service is failing; retrying with backoff until each alert's TTL",
			"endpoint_host", host, "reason", reason)
	}
}

// reachable logs, once, that a failing push service delivers again, and
// makes that service's alerts waiting for a retry due now: after a long
// outage their backoff may have grown to minutes. Rows in flight (under a
// lease, without last_error) are left alone, or they would be sent twice.
func (p *Push) reachable(ctx context.Context, host string, started time.Time) {
	if !p.delays.worked(host, started) {
		return
	}
	res, err := p.db.ExecContext(ctx, `UPDATE push_outbox o SET due_at = now() FROM push_subscriptions s
		WHERE o.status = 'pending' AND o.due_at > now() AND o.last_error IS NOT NULL AND s.id = o.subscription_id AND split_part(s.endpoint, '/', 3) = $1`, host)
	var n int64
	if err == nil {
		n, _ = res.RowsAffected()
		p.poke()
	}
	p.log.Info("push: the push service delivers again; delayed alerts are being sent", "endpoint_host", host, "delayed", n)
}
