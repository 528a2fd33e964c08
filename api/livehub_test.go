package api_test

import (
	"bufio"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"helpforce/api"
	"helpforce/assist"
	"helpforce/notify"
	"helpforce/pg"
	"helpforce/pg/pgtest"
)

// liveReplica is another replica on e's database with its own listener and
// shared reads, so that its reads can be counted apart from e's.
func liveReplica(e *env, limits func(*api.Limits)) (*api.Server, *httptest.Server) {
	e.t.Helper()
	live := notify.NewLive()
	pgtest.Listen(e.t, e.url, func(_ context.Context, hub *pg.Hub) error { return live.Attach(hub) })
	l := api.DefaultLimits()
	if limits != nil {
		limits(&l)
	}
	s := api.New(api.Deps{DB: e.db, People: e.people, Stores: e.stores, Places: e.places, Push: e.push,
		Desk: assist.New(e.db, e.places, slog.New(slog.DiscardHandler), assist.Config{}), Live: live,
		Log: slog.New(slog.DiscardHandler)}, api.Options{Limits: &l})
	srv := httptest.NewServer(s.Handler())
	e.t.Cleanup(srv.Close)
	return s, srv
}

// sharedReads is how many reads of a kind (request, places, queue) s made
// for its streams.
func sharedReads(t *testing.T, s *api.Server, kind string) float64 {
	t.Helper()
	families, err := s.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != "helpforce_stream_reads_total" {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "kind" && l.GetValue() == kind {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	t.Fatalf("no %s reads counted", kind)
	return 0
}

// anyEvent is the next event of a stream, whatever its name.
func anyEvent(t *testing.T, events <-chan sseEvent) sseEvent {
	t.Helper()
	select {
	case ev := <-events:
		return ev
	case <-time.After(5 * time.Second):
		t.Fatal("no event within 5s")
	}
	return sseEvent{}
}

// TestStreamReadsAreSharedByEveryWatcher: ten streams watch one request
// through one replica; a new message reaches all ten, read once or twice
// (a message may notify twice), never once per stream.
func TestStreamReadsAreSharedByEveryWatcher(t *testing.T) {
	e := newEnv(t)
	b, srv := liveReplica(e, nil)
	shopper, id := e.remoteRequest("Do you have it in red?")
	var streams []<-chan sseEvent
	for _, who := range []string{shopper, e.tokens["floor"], e.tokens["manager"], e.tokens["agent"], e.tokens["admin"]} {
		for range 2 {
			ev := stream(t, srv.URL+"/api/v1/help-requests/"+id+"/events", "Authorization", "Bearer "+who)
			next(t, ev, "status")
			streams = append(streams, ev)
		}
	}
	// The request's creation is announced through PostgreSQL, and may reach
	// this replica after its streams opened: count from when it has.
	before := settled(t, b, "request")
	e.say(e.tokens["floor"], id, "Yes, aisle 12")
	for _, ev := range streams {
		if m := next(t, ev, "message"); m.data["body"] != "Yes, aisle 12" {
			t.Fatalf("message event %v", m.data)
		}
	}
	if reads := sharedReads(t, b, "request") - before; reads < 1 || reads > 2 {
		t.Fatalf("%v reads of the request for %d streams, want one per notification", reads, len(streams))
	}
}

// settled is the count of shared reads of kind once it has not moved for
// a quarter of a second.
func settled(t *testing.T, s *api.Server, kind string) float64 {
	t.Helper()
	n := sharedReads(t, s, kind)
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		time.Sleep(250 * time.Millisecond)
		m := sharedReads(t, s, kind)
		if m == n {
			return n
		}
		n = m
	}
	t.Fatalf("shared reads of %s kept moving", kind)
	return n
}

// pings counts the heartbeats of a stream as they arrive.
func pings(t *testing.T, url, token string) <-chan struct{} {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("stream: %v %v", res, err)
	}
	out := make(chan struct{}, 100)
	go func() {
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), ": ping") {
				out <- struct{}{}
			}
		}
	}()
	return out
}

// TestStreamHeartbeatsReadNothing: while the requests' tables are locked so
// that any read of them would wait, a request stream and a queue stream
// keep sending heartbeats: a stream that read at its heartbeat would stop
// after the first.
func TestStreamHeartbeatsReadNothing(t *testing.T) {
	e := newEnv(t)
	_, srv := liveReplica(e, func(l *api.Limits) { l.StreamHeartbeat = 20 * time.Millisecond })
	shopper, id := e.remoteRequest("Hello")
	request := pings(t, srv.URL+"/api/v1/help-requests/"+id+"/events", shopper)
	queue := pings(t, srv.URL+"/api/v1/queue/events", e.tokens["agent"])
	<-request
	<-queue

	tx, err := e.db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`LOCK TABLE help_requests, request_messages IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	deadline := time.After(5 * time.Second)
	for n := 0; n < 10; n++ {
		for _, beats := range []<-chan struct{}{request, queue} {
			select {
			case <-beats:
			case <-deadline:
				t.Fatalf("heartbeats stopped after %d while the tables were locked: a heartbeat reads", n)
			}
		}
	}
}

// TestStreamSendsOnlyWhatChanged: a shopper second in line, followed on
// another replica, is told only their new place when the first leaves, and
// only the new message when staff write; the whole request again when its
// status changes.
func TestStreamSendsOnlyWhatChanged(t *testing.T) {
	e := newEnv(t)
	_, srv := liveReplica(e, nil)
	first, firstID := e.remoteRequest("First")
	second, id := e.remoteRequest("Second")
	events := stream(t, srv.URL+"/api/v1/help-requests/"+id+"/events", "Authorization", "Bearer "+second)
	if st := next(t, events, "status"); st.data["position"] != float64(2) {
		t.Fatalf("first status %v", st.data)
	}

	e.do("POST", "/api/v1/help-requests/"+firstID+"/cancel", first, nil).want(200)
	place := anyEvent(t, events)
	if place.name != "place" || place.data["position"] != float64(1) || len(place.data) != 3 {
		t.Fatalf("after the first in line left, got %s %v, want only the new place", place.name, place.data)
	}

	e.say(e.tokens["agent"], id, "I am looking")
	msg := anyEvent(t, events)
	if msg.name != "message" || msg.data["body"] != "I am looking" {
		t.Fatalf("after a message, got %s %v, want only the message", msg.name, msg.data)
	}

	e.do("POST", "/api/v1/help-requests/"+id+"/accept", e.tokens["agent"], nil).want(200)
	st := anyEvent(t, events)
	if st.name != "status" || st.data["status"] != "assigned" || st.data["position"] != float64(0) {
		t.Fatalf("after accept, got %s %v", st.name, st.data)
	}
}

// TestStreamsCatchUpWithoutANotification: a change whose notification was
// never sent (as when a replica stops between its commit and its
// notification) still reaches the stream, at the replica's next look.
func TestStreamsCatchUpWithoutANotification(t *testing.T) {
	e := newEnv(t)
	b, srv := liveReplica(e, func(l *api.Limits) { l.StreamRecheck = 100 * time.Millisecond })
	shopper, id := e.remoteRequest("Before")
	events := stream(t, srv.URL+"/api/v1/help-requests/"+id+"/events", "Authorization", "Bearer "+shopper)
	next(t, events, "status")
	// Each look reads the places of the store the request waits in, then
	// fingerprints it: three looks begun, the request is known as it was.
	looks := sharedReads(t, b, "places")
	pgtest.Eventually(t, 10*time.Second, "three looks", func() bool { return sharedReads(t, b, "places") >= looks+3 })

	tx, err := e.db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	// The triggers stay quiet in a transaction that notifies after commit;
	// this one never does.
	if _, err := tx.Exec(`SELECT ` + pg.AfterCommit); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`UPDATE help_requests SET note = 'After' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	nextWhere(t, events, "status", func(ev sseEvent) bool { return ev.data["note"] == "After" })
}

// TestStreamsCatchUpWithAChangeBeforeTheFirstLook: a change without its
// notification that comes before the replica first looked at a newly
// watched request still reaches the stream: the first look has nothing to
// compare with, so it re-reads what changed since the request was watched.
func TestStreamsCatchUpWithAChangeBeforeTheFirstLook(t *testing.T) {
	e := newEnv(t)
	_, srv := liveReplica(e, func(l *api.Limits) { l.StreamRecheck = time.Second })
	shopper, id := e.remoteRequest("Before")
	// Taken, so that it waits in no queue whose places the looks read.
	e.do("POST", "/api/v1/help-requests/"+id+"/accept", e.tokens["agent"], nil).want(200)
	events := stream(t, srv.URL+"/api/v1/help-requests/"+id+"/events", "Authorization", "Bearer "+shopper)
	next(t, events, "status")
	tx, err := e.db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`SELECT ` + pg.AfterCommit); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`UPDATE help_requests SET note = 'After', updated_at = now() WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	nextWhere(t, events, "status", func(ev sseEvent) bool { return ev.data["note"] == "After" })
}
