package chaos

import (
	"bufio"
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"helpforce/notify/pushtest"
)

// TestPushOutage takes the push service away under load: first refusing
// connections, then answering 503. Alerts whose TTL passes meanwhile are
// marked expired and never sent late; the rest arrive once it is back;
// retries back off; the metrics show the backlog; the log says it once.
// A second store, away from the load, has one person whose offers all
// expire undelivered: they are not put on a break, and a request made
// once the service is back reaches them at once, ahead of the backlog.
func TestPushOutage(t *testing.T) {
	t.Parallel()
	outage := pick(6*time.Second, 3*time.Minute)
	// Floor offers live until overflow: short here, so that some expire
	// during the outage.
	w := newWorld(t, "HELPFORCE_OFFER_TIMEOUT="+pick("2s", "20s"), "HELPFORCE_OVERFLOW_TIMEOUT="+pick("4s", "60s"))
	w.start()
	sc := w.scene(3, 4)
	quiet := w.scene(1, 4)
	l := sc.startLoad()
	time.Sleep(time.Second)

	w.logf("push service down: connections refused")
	start := time.Now()
	w.push.Down()
	// More undelivered offers than it takes to bench someone who ignores them.
	for _, p := range quiet.shoppers[:3] {
		quiet.ask(p)
	}
	var depth, oldest float64
	sample := func() {
		m := w.readMetrics(t)
		depth, oldest = max(depth, m["helpforce_push_queue_depth"]), max(oldest, m["helpforce_push_oldest_due_age_seconds"])
	}
	for time.Since(start) < outage/2 {
		time.Sleep(500 * time.Millisecond)
		sample()
	}
	w.logf("push service up but answering 503")
	w.push.Respond("", pushtest.Behaviour{Status: http.StatusServiceUnavailable})
	w.push.Up()
	for time.Since(start) < outage {
		time.Sleep(500 * time.Millisecond)
		sample()
	}
	during := len(w.push.Messages())
	w.push.Respond("", pushtest.Behaviour{})
	back := time.Now()
	asked := time.Now()
	probe := quiet.ask(quiet.shoppers[3])
	w.logf("push service back; during the outage the queue reached %v alerts, the oldest %.1f s", depth, oldest)
	if depth < 5 || oldest < outage.Seconds()/2 {
		t.Errorf("the metrics hid the outage: queue depth at most %v, oldest alert at most %.1f s", depth, oldest)
	}

	// The person whose offers never reached them is still on the floor, and
	// a new request reaches them ahead of the backlog.
	db := w.openDB()
	alone := quiet.staff[0]
	var presence string
	var ignored int
	must(t, db.QueryRow(`SELECT status, ignored_offers FROM users WHERE id = $1`, alone.id).Scan(&presence, &ignored))
	if presence != "available" || ignored != 0 {
		t.Errorf("three offers lost to the outage left their person %s with %d ignored offers, want available with none", presence, ignored)
	}
	var alerted time.Time
	waitUntil(t, 30*time.Second, "the request made after the return alerts its store", func() bool {
		alerted = alertAt(w.push, alone.sub.Endpoint, probe, back)
		return !alerted.IsZero()
	})
	took := alerted.Sub(asked)
	w.logf("a request made once the service was back reached the store's free person %v after it was asked", took.Round(time.Millisecond))
	if limit := pick(5*time.Second, time.Second); took > limit {
		t.Errorf("a request made after the outage was alerted %v after creation, want within %v", took, limit)
	}

	// Everything still worth sending goes out soon after the service returns.
	drained := waitUntil(t, 20*time.Second, "the outbox drains after the outage", func() bool {
		var n int
		must(t, db.Get(&n, `SELECT count(*) FROM push_outbox WHERE status = 'pending' AND created_at < $1`, back))
		return n == 0
	})
	w.logf("the backlog was delivered or expired %v after the service's return", drained.Round(10*time.Millisecond))
	time.Sleep(time.Second)
	l.halt()
	w.logf("load: %s", l.summary())

	// Retries backed off: no row was tried more than its backoff allows.
	var attempts int
	must(t, db.Get(&attempts, `SELECT COALESCE(max(attempts), 0) FROM push_outbox`))
	if most := int(math.Log2(outage.Seconds())) + 4; attempts > most {
		t.Errorf("an alert was tried %d times in a %v outage; backoff allows %d", attempts, outage, most)
	}
	answered503 := 0
	for _, m := range w.push.Messages()[:during] {
		if m.Status == http.StatusServiceUnavailable {
			answered503++
		}
	}
	w.logf("the push service answered 503 %d times in %v; the most attempts of one alert: %d", answered503, outage/2, attempts)

	// Expired alerts were never sent, early or late; sent ones within their TTL.
	status := l.outbox(t)
	w.logf("outbox: %v", status)
	if status["expired"] == 0 {
		t.Errorf("no alert expired during a %v outage with 4 s offers", outage)
	}
	var expired []struct {
		Endpoint string `db:"endpoint"`
		Payload  string `db:"payload"`
	}
	must(t, db.Select(&expired, `SELECT s.endpoint, o.payload FROM push_outbox o JOIN push_subscriptions s ON s.id = o.subscription_id
		WHERE o.status = 'expired'`))
	// Only one the double took just before it dropped the connection (so the
	// server never heard it arrived) may have reached it.
	delivered := map[string]bool{}
	for _, m := range w.push.Messages() {
		if m.Status == http.StatusCreated && !atCut(m.At, start) {
			delivered[m.Endpoint+" "+string(m.Plaintext)] = true
		}
	}
	for _, e := range expired {
		if delivered[e.Endpoint+" "+e.Payload] {
			t.Errorf("an expired alert was delivered: %s", e.Payload)
		}
	}
	// Sent within their TTL: the push service took each before it expired
	// (sent_at is written later, in batches, so it is not the moment).
	var sent []struct {
		Endpoint string    `db:"endpoint"`
		Payload  string    `db:"payload"`
		Expires  time.Time `db:"expires_at"`
	}
	must(t, db.Select(&sent, `SELECT s.endpoint, o.payload, o.expires_at FROM push_outbox o
		JOIN push_subscriptions s ON s.id = o.subscription_id WHERE o.status = 'sent'`))
	expires := map[string]time.Time{}
	for _, r := range sent {
		expires[r.Endpoint+" "+r.Payload] = r.Expires
	}
	late := 0
	for _, m := range w.push.Messages() {
		if exp, ok := expires[m.Endpoint+" "+string(m.Plaintext)]; ok && m.Status == http.StatusCreated && m.At.After(exp.Add(time.Second)) {
			late++
			t.Logf("delivered %v after its TTL: %s", m.At.Sub(exp).Round(time.Millisecond), m.Plaintext)
		}
	}
	if late > 0 {
		t.Errorf("%d alerts reached the push service after their TTL", late)
	}
	exactlyOnce(t, w, start)
	l.invariants(t, time.Minute)

	// The log says it once, not once per alert.
	if n := w.srv.logCount("alerts are delayed"); n != 1 {
		t.Errorf("the log said %d times that alerts are delayed, want once:\n%s", n, w.srv.lines("push"))
	}
	if n := w.srv.logCount("delivers again"); n != 1 {
		t.Errorf("the log said %d times that the push service delivers again, want once", n)
	}
}

// metrics reads the server's Prometheus metrics (unlabelled ones).
func (w *world) readMetrics(t *testing.T) map[string]float64 {
	t.Helper()
	return readMetricsAt(t, w.metrics)
}

// readMetricsAt reads the Prometheus metrics served at addr; labelled
// series are summed under their name.
func readMetricsAt(t *testing.T, addr string) map[string]float64 {
	t.Helper()
	res, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out := map[string]float64{}
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		line := sc.Text()
		cut := strings.LastIndexByte(line, ' ')
		if cut < 0 || strings.HasPrefix(line, "#") {
			continue
		}
		name, value := line[:cut], line[cut+1:]
		if labels := strings.IndexByte(name, '{'); labels >= 0 {
			name = name[:labels]
		}
		if v, err := strconv.ParseFloat(value, 64); err == nil {
			out[name] += v
		}
	}
	return out
}
