package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"helpforce/api"
	"helpforce/app"
	"helpforce/people"
)

// dispatchBench is a real TCP server whose desk lets a shopper keep any
// number of requests open, with pre-made shopper tokens.
type dispatchBench struct {
	e       *env
	url     string
	client  *http.Client
	bodies  [][]byte
	tokens  []string
	counter atomic.Int64
}

func newDispatchBench(b *testing.B, withAlerts bool) *dispatchBench {
	e := newEnv(b)
	if withAlerts {
		e.startWorkers()
		e.staffer("sam@example.com", "floor", "tv")
	} else {
		e.do("PUT", "/api/v1/me/status", e.tokens["floor"], map[string]string{"status": "available"}).want(200)
	}
	// The env's services, built again by app.New as serve builds them, with
	// no cap on a shopper's open requests and no abuse limits: throughput.
	cfg := e.cfg
	cfg.Log = slog.New(slog.DiscardHandler)
	cfg.Assist.OpenPerShopper = 1 << 30
	cfg.API.Limits = &api.Limits{}
	a, err := app.New(context.Background(), e.db, cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { a.Close() })
	ts := httptest.NewServer(a.API.Handler())
	b.Cleanup(ts.Close)
	d := &dispatchBench{e: e, url: ts.URL + "/api/v1/help-requests",
		client: &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 512}}}
	// Fifty stores, each with a skilled member of staff on duty, so that
	// queues stay as long as a real store's rather than piling up in one.
	storeIDs := []string{e.store.ID}
	for i := 0; i < 49; i++ {
		st := e.mustStore(fmt.Sprint("Bench store ", i), 45.70+float64(i)*0.002, 4.80)
		if _, err := e.stores.CreateDepartment(context.Background(), st.ID, "tv", "TVs"); err != nil {
			b.Fatal(err)
		}
		u, err := e.people.CreateUser(context.Background(), people.NewUser{Email: fmt.Sprintf("staff%d@example.com", i),
			Name: "Staff", Password: testPassword, Role: "floor", StoreID: &st.ID, Departments: []string{"tv"}})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := e.people.SetStatus(context.Background(), u.ID, "available"); err != nil {
			b.Fatal(err)
		}
		storeIDs = append(storeIDs, st.ID)
	}
	// The place index as Start loads it, with every store above.
	if err := a.Places.Load(context.Background()); err != nil {
		b.Fatal(err)
	}
	for _, id := range storeIDs {
		body, _ := json.Marshal(map[string]any{"department": "tv", "note": "Which soundbar fits a 55\" TV?", "store_id": id})
		d.bodies = append(d.bodies, body)
	}
	for i := 0; i < 200; i++ {
		_, token, err := e.people.NewShopper(context.Background(), time.Hour)
		if err != nil {
			b.Fatal(err)
		}
		d.tokens = append(d.tokens, token)
	}
	return d
}

// errShed is a request the server turned away at admission (503 with
// Retry-After): counted apart from the latencies, never an error.
var errShed = errors.New("shed")

// post creates one request and returns its id.
func (d *dispatchBench) post() (string, error) {
	n := d.counter.Add(1)
	req, _ := http.NewRequest("POST", d.url, bytes.NewReader(d.bodies[int(n)%len(d.bodies)]))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+d.tokens[int(n)%len(d.tokens)])
	req.Header.Set("Idempotency-Key", fmt.Sprint("k", n))
	res, err := d.client.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return "", err
	}
	if res.StatusCode == http.StatusServiceUnavailable {
		return "", errShed
	}
	if res.StatusCode != 201 {
		return "", fmt.Errorf("status %d: %s", res.StatusCode, raw)
	}
	var v struct{ ID string }
	if err := json.Unmarshal(raw, &v); err != nil {
		return "", fmt.Errorf("created request: %w: %s", err, raw)
	}
	return v.ID, nil
}

// BenchmarkCreateHelpRequests: requests created per second through HTTP,
// each placed, offered to the floor, logged and given its deadlines, by 32
// clients at once (on 2 cores), as the load against the real binary.
func BenchmarkCreateHelpRequests(b *testing.B) {
	d := newDispatchBench(b, false)
	b.SetParallelism(16)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := d.post(); err != nil && !errors.Is(err, errShed) {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "requests/s")
}

// BenchmarkCreateLatencyAt500 offers 500 requests a second for 4 s and
// reports POST latency percentiles.
func BenchmarkCreateLatencyAt500(b *testing.B) {
	d := newDispatchBench(b, false)
	d.warmUp(b, 500)
	lat := paced(b, 500, 4*time.Second, func() (time.Duration, error) {
		t0 := time.Now()
		_, err := d.post()
		return time.Since(t0), err
	})
	report(b, lat)
}

// BenchmarkTapToAlertAt200 offers 200 requests a second for 4 s, with a
// floor staff member subscribed to the push service double, and reports the
// time from the POST to the double decrypting the request's first alert.
func BenchmarkTapToAlertAt200(b *testing.B) {
	d := newDispatchBench(b, true)
	d.bodies = d.bodies[:1] // the store whose staff member's phone is subscribed
	var mu sync.Mutex
	sent := map[string]time.Time{}
	warm := d.warmUp(b, 200)
	paced(b, 200, 4*time.Second, func() (time.Duration, error) {
		t0 := time.Now()
		id, err := d.post()
		mu.Lock()
		sent[id] = t0
		mu.Unlock()
		return 0, err
	})
	msgs := d.e.pushsvc.Wait(b, warm+len(sent), time.Minute)
	var lat []time.Duration
	seen := map[string]bool{}
	for _, m := range msgs {
		var v struct {
			RequestID string `json:"request_id"`
		}
		if err := json.Unmarshal(m.Plaintext, &v); err != nil {
			b.Fatalf("alert payload: %v", err)
		}
		if t0, ok := sent[v.RequestID]; ok && !seen[v.RequestID] {
			seen[v.RequestID] = true
			lat = append(lat, m.At.Sub(t0))
		}
	}
	report(b, lat)
}

// warmUp posts at rate for a second, unmeasured, so that measuring starts
// with the connections open and the statements prepared, as on a server
// that has been running; it returns how many requests it made.
func (d *dispatchBench) warmUp(b *testing.B, rate int) int {
	return len(paced(b, rate, time.Second, func() (time.Duration, error) {
		_, err := d.post()
		return 0, err
	}))
}

// paced calls fn rate times a second for d, each call in its own goroutine
// (an open model: a slow answer does not slow the arrivals).
func paced(b *testing.B, rate int, d time.Duration, fn func() (time.Duration, error)) []time.Duration {
	b.Helper()
	var mu sync.Mutex
	var wg sync.WaitGroup
	var lat []time.Duration
	var shed atomic.Int64
	defer func() { b.ReportMetric(float64(shed.Load()), "shed") }()
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	b.ResetTimer()
	for end := time.Now().Add(d); time.Now().Before(end); {
		<-tick.C
		wg.Add(1)
		go func() {
			defer wg.Done()
			l, err := fn()
			if errors.Is(err, errShed) {
				shed.Add(1)
				return
			}
			if err != nil {
				b.Error(err)
				return
			}
			mu.Lock()
			lat = append(lat, l)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return lat
}

func report(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		b.Fatal("nothing measured")
	}
	slices.Sort(lat)
	ms := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(ms(0.5), "p50-ms")
	b.ReportMetric(ms(0.99), "p99-ms")
	b.ReportMetric(float64(len(lat)), "samples")
}
