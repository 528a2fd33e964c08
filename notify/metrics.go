package notify

import (
	"context"
	"net/url"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	sends   *prometheus.CounterVec
	latency prometheus.Histogram
	depth   prometheus.GaugeFunc
	oldest  prometheus.GaugeFunc
}

func newMetrics(p *Push) *metrics {
	stat := func(query string) func() float64 {
		return func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			var v float64
			if err := p.db.GetContext(ctx, &v, query); err != nil {
				return -1
			}
			return v
		}
	}
	return &metrics{
		sends: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "helpforce_push_sends_total",
			Help: "Outbox rows handled, by result: sent, gone (subscription removed), retry, failed, expired, lease_out (left to a later claim: every worker was busy until its lease nearly ran out).",
		}, []string{"result"}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "helpforce_push_send_duration_seconds",
			Help:    "Time for one POST to a push service, encryption included.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10},
		}),
		depth: prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "helpforce_push_queue_depth",
			Help: "Outbox rows not yet sent: due now or waiting for a retry (a push service outage shows here).",
		}, stat(`SELECT count(*) FROM push_outbox WHERE status = 'pending'`)),
		oldest: prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "helpforce_push_oldest_due_age_seconds",
			Help: "How long the oldest outbox row not yet sent has waited since it was queued.",
		}, stat(`SELECT COALESCE(extract(epoch FROM now() - min(created_at)), 0)::float8
			FROM push_outbox WHERE status = 'pending'`)),
	}
}

func (m *metrics) result(r string) { m.sends.WithLabelValues(r).Inc() }

// Collectors are the sender's metrics, for the server's registry.
func (p *Push) Collectors() []prometheus.Collector {
	return []prometheus.Collector{p.metrics.sends, p.metrics.latency, p.metrics.depth, p.metrics.oldest}
}

// hostOf names an endpoint's host for logs without its secret path.
func hostOf(endpoint string) string {
	if u, err := url.Parse(endpoint); err == nil {
		return u.Host
	}
	return "?"
}
