package api_test

import (
	"io"
	"net/http/httptest"
	"testing"
	"time"

	"helpforce/api"
)

// TestOverloadIsShed: with every place taken, API requests are answered at
// once with 503 unavailable and Retry-After, having written nothing; health
// checks still answer; once places free up the same requests go through.
func TestOverloadIsShed(t *testing.T) {
	e, sam, shopper, body, id := admitted(t, 2)
	written := func() [4]int {
		return [4]int{e.count(`SELECT count(*) FROM help_requests`), e.count(`SELECT count(*) FROM request_events`),
			e.count(`SELECT count(*) FROM offers`), e.count(`SELECT count(*) FROM push_outbox`)}
	}
	before := written()

	release := e.srv.HoldPlaces(2)
	for _, call := range []struct{ method, path, token string }{
		{"POST", "/api/v1/help-requests", shopper},
		{"POST", "/api/v1/help-requests/" + id + "/accept", sam},
		{"GET", "/api/v1/help-requests/" + id, shopper},
	} {
		var payload any
		if call.path == "/api/v1/help-requests" {
			payload = body
		}
		res := e.do(call.method, call.path, call.token, payload, "Idempotency-Key", "tap-2")
		res.wantError(503, "unavailable")
		if res.Header().Get("Retry-After") != "1" {
			t.Fatalf("%s %s: Retry-After %q, want 1 (second)", call.method, call.path, res.Header().Get("Retry-After"))
		}
	}
	if after := written(); after != before {
		t.Fatalf("shed requests wrote: requests, log, offers, alerts went from %v to %v", before, after)
	}
	if e.count(`SELECT count(*) FROM help_requests WHERE status = 'waiting' AND assigned_to IS NULL`) != 1 {
		t.Fatal("the shed accept changed the request")
	}
	e.do("GET", "/healthz", "", nil).want(200)

	release()
	e.do("POST", "/api/v1/help-requests", shopper, body, "Idempotency-Key", "tap-2").want(201)
	e.do("POST", "/api/v1/help-requests/"+id+"/accept", sam, nil).want(200)
}

// TestWorkInProgressComesFirst: when arrivals hold their share of the
// places, a new request or a new shopper is shed while an accept, a message
// and a resolve of a request already admitted still go through.
func TestWorkInProgressComesFirst(t *testing.T) {
	e, sam, shopper, body, id := admitted(t, 4)

	release := e.srv.HoldArrivals(3) // three arrivals being worked on: their whole share
	e.do("POST", "/api/v1/help-requests", shopper, body, "Idempotency-Key", "tap-2").wantError(503, "unavailable")
	e.do("POST", "/api/v1/shoppers", "", nil).wantError(503, "unavailable")
	e.do("POST", "/api/v1/help-requests/"+id+"/accept", sam, nil).want(200)
	e.do("POST", "/api/v1/help-requests/"+id+"/messages", sam, map[string]any{"body": "On my way"}).want(201)
	e.do("POST", "/api/v1/help-requests/"+id+"/resolve", sam, nil).want(200)
	release()
	e.do("POST", "/api/v1/shoppers", "", nil).want(201)
}

// TestArrivalsDoNotWaitWhileShed: once an arrival has waited its time for
// a place and been shed, the next arrival is answered at once, where
// waiting would have got it the place freed a moment later. An accept, work
// in progress, still waits for a place.
func TestArrivalsDoNotWaitWhileShed(t *testing.T) {
	e := newEnv(t, func(o *api.Options) { o.MaxInFlight = 4; o.QueueWait = 3 * time.Second })
	sam := e.staffer("sam@example.com", "floor", "tv")
	shopper := e.shopper()
	body := map[string]any{"department": "tv", "store_id": e.store.ID}
	id := e.do("POST", "/api/v1/help-requests", shopper, body, "Idempotency-Key", "tap-1").want(201).json()["id"].(string)

	// answered is the status of a call made while held places are taken, or
	// 0 when it had no answer within 1.5 s, until held was released.
	answered := func(release func(), method, path, token string) int {
		done := make(chan int, 1)
		go func() { done <- e.do(method, path, token, nil).Code }()
		select {
		case code := <-done:
			release()
			return code
		case <-time.After(1500 * time.Millisecond):
			release()
			<-done
			return 0
		}
	}
	arrivals := e.srv.HoldArrivals(3) // the arrivals' whole share
	e.do("POST", "/api/v1/shoppers", "", nil).wantError(503, "unavailable")
	if got := answered(arrivals, "POST", "/api/v1/shoppers", ""); got != 503 {
		t.Fatalf("the arrival after a shed one answered %d, want 503 at once (0: it waited)", got)
	}
	if got := answered(e.srv.HoldPlaces(4), "POST", "/api/v1/help-requests/"+id+"/accept", sam); got != 0 {
		t.Fatalf("an accept with every place taken answered %d, want it to wait for a place", got)
	}
}

// admitted is an env with places API requests at once, shed after a
// millisecond's wait, and one request of shopper's (made with body,
// Idempotency-Key tap-1) waiting for sam.
func admitted(t *testing.T, places int) (e *env, sam, shopper string, body map[string]any, id string) {
	t.Helper()
	e = newEnv(t, func(o *api.Options) { o.MaxInFlight = places; o.QueueWait = time.Millisecond })
	sam = e.staffer("sam@example.com", "floor", "tv")
	shopper = e.shopper()
	body = map[string]any{"department": "tv", "note": "Which OLED?", "store_id": e.store.ID}
	id = e.do("POST", "/api/v1/help-requests", shopper, body, "Idempotency-Key", "tap-1").want(201).json()["id"].(string)
	return e, sam, shopper, body, id
}

// TestSlowBodiesHoldNoPlace: a client sending its body slowly holds its
// connection, never an admission place, so that a few slow clients cannot
// turn everyone else away; its request goes through once the body is in.
func TestSlowBodiesHoldNoPlace(t *testing.T) {
	e := newEnv(t, func(o *api.Options) { o.MaxInFlight = 1; o.QueueWait = time.Millisecond })
	shopper := e.shopper()
	body, slow := io.Pipe()
	req := httptest.NewRequest("POST", "/api/v1/help-requests", body)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+shopper)
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		defer close(done)
		e.srv.Handler().ServeHTTP(rec, req)
	}()
	// A pipe's write returns once the server has read it: the body has begun.
	if _, err := io.WriteString(slow, `{"department": "tv", `); err != nil {
		t.Fatal(err)
	}
	e.do("GET", "/api/v1/help-requests/00000000-0000-4000-8000-000000000000", shopper, nil).wantError(404, "not_found")
	if _, err := io.WriteString(slow, `"note": "Which OLED?", "store_id": "`+e.store.ID+`"}`); err != nil {
		t.Fatal(err)
	}
	if err := slow.Close(); err != nil {
		t.Fatal(err)
	}
	<-done
	if rec.Code != 201 {
		t.Fatalf("the slow request answered %d %s, want 201", rec.Code, rec.Body)
	}
}
