package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// TestPeopleMoveOffADeadReplica: people are spread over the servers of
// -url in turn, and one whose server refuses connections is sent, call
// and all, to one still up.
func TestPeopleMoveOffADeadReplica(t *testing.T) {
	var hits [2]atomic.Int32
	var srv [2]*httptest.Server
	for i := range srv {
		srv[i] = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hits[i].Add(1)
			w.WriteHeader(http.StatusNoContent)
		}))
		defer srv[i].Close()
	}
	reps := newReplicas(" " + srv[0].URL + "/, " + srv[1].URL)
	if reps == nil || len(reps.urls) != 2 || newReplicas(srv[0].URL) != nil {
		t.Fatalf("-url with two servers read as %v", reps)
	}
	w := &world{t: &target{url: reps.urls[0], replicas: reps}, stats: newStats(), hc: newHTTPClient()}
	var people []*client
	for range 4 {
		people = append(people, w.newClient("", ""))
	}
	ctx := context.Background()
	for _, c := range people {
		if err := c.call(ctx, "GET /x", "GET", "/x", nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	if hits[0].Load() != 2 || hits[1].Load() != 2 {
		t.Fatalf("four people made %d and %d calls to the two servers; want two each", hits[0].Load(), hits[1].Load())
	}
	w.hc.CloseIdleConnections()
	srv[0].Close()
	for _, c := range people {
		if err := c.call(ctx, "POST /x", "POST", "/x", map[string]string{"a": "b"}, nil); err != nil {
			t.Fatalf("a call after one server died: %v", err)
		}
		if c.url() != srv[1].URL {
			t.Errorf("a person calls %s, not the server still up", c.url())
		}
	}
	if hits[1].Load() != 6 {
		t.Errorf("the server still up answered %d calls; want 6", hits[1].Load())
	}
	if n := w.stats.statuses["POST /x no answer"]; n != 0 {
		t.Errorf("%d calls counted as unanswered; a refused connection is sent again", n)
	}
}

// TestStaffTapAgainWhenTheServerIsBusy: a resolve or a message shed with 503
// is sent again after its Retry-After, as a person taps again, and both
// answers are counted.
func TestStaffTapAgainWhenTheServerIsBusy(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"error":{"code":"unavailable","message":"busy"}}`))
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	w := &world{t: &target{url: srv.URL}, stats: newStats(), hc: newHTTPClient()}
	c := w.newClient("", "")
	if err := c.insist(context.Background(), "POST /r", "POST", "/r", nil, nil); err != nil {
		t.Fatalf("a call shed once, then answered: %v", err)
	}
	if hits.Load() != 2 || w.stats.statuses["POST /r 503 unavailable"] != 1 || w.stats.statuses["POST /r 200"] != 1 {
		t.Fatalf("%d calls, counted %v; want the 503 and the 200", hits.Load(), w.stats.statuses)
	}
}
