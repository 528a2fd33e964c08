package api_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

type sseEvent struct {
	name, id string
	data     map[string]any
	list     []any
}

// stream reads Server-Sent Events from url into a channel.
func stream(t *testing.T, url string, headers ...string) <-chan sseEvent {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("event stream answered %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	out := make(chan sseEvent, 64)
	go func() {
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				ev.name = line[7:]
			case strings.HasPrefix(line, "id: "):
				ev.id = line[4:]
			case strings.HasPrefix(line, "data: "):
				if strings.HasPrefix(line[6:], "[") {
					_ = json.Unmarshal([]byte(line[6:]), &ev.list)
				} else {
					_ = json.Unmarshal([]byte(line[6:]), &ev.data)
				}
			case line == "" && ev.name != "":
				out <- ev
				ev = sseEvent{}
			}
		}
	}()
	return out
}

func next(t *testing.T, events <-chan sseEvent, name string) sseEvent {
	t.Helper()
	return nextWhere(t, events, name, func(sseEvent) bool { return true })
}

// nextWhere waits for the first event of a name that satisfies ok; a stream
// may show intermediate states first.
func nextWhere(t *testing.T, events <-chan sseEvent, name string, ok func(sseEvent) bool) sseEvent {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case ev := <-events:
			if ev.name == name && ok(ev) {
				return ev
			}
		case <-timeout:
			t.Fatalf("no %q event within 5s", name)
		}
	}
}

// TestEventsReachOtherReplicas: the shopper's stream is served by one
// replica while staff act through another; changes arrive live through
// PostgreSQL, and a reconnect resumes after the last message seen.
func TestEventsReachOtherReplicas(t *testing.T) {
	e := newEnv(t)
	e.startWorkers()
	sam := e.staffer("sam@example.com", "floor", "tv")

	// Replica B: its own desk, live fan-out and listener on the same database,
	// closed after the streams below are cancelled (cleanups run last-in first-out).
	replicaB := e.replicaB()

	shopper := e.shopper()
	id := e.do("POST", "/api/v1/help-requests", shopper, map[string]any{"department": "tv", "store_id": e.store.ID}).
		want(201).json()["id"].(string)
	events := stream(t, replicaB.URL+"/api/v1/help-requests/"+id+"/events?access_token="+shopper)
	queue := stream(t, replicaB.URL+"/api/v1/queue/events", "Authorization", "Bearer "+sam)
	if first := next(t, events, "status"); first.data["status"] != "waiting" {
		t.Fatalf("first event %v", first.data)
	}
	if q := next(t, queue, "queue"); len(q.list) != 1 {
		t.Fatalf("queue %v", q.list)
	}

	e.do("POST", "/api/v1/help-requests/"+id+"/accept", sam, nil).want(200)
	taken := nextWhere(t, events, "status", func(ev sseEvent) bool { return ev.data["status"] != "waiting" })
	if taken.data["status"] != "assigned" || taken.data["assigned_to"].(map[string]any)["name"] != "Sam Moreau" {
		t.Fatalf("status after accept %v", taken.data)
	}
	nextWhere(t, queue, "queue", func(ev sseEvent) bool { return len(ev.list) == 0 })
	e.do("POST", "/api/v1/help-requests/"+id+"/messages", sam, map[string]string{"body": "On my way"}).want(201)
	msg := next(t, events, "message")
	if msg.data["body"] != "On my way" || msg.id == "" {
		t.Fatalf("message event %v id %q", msg.data, msg.id)
	}
	e.do("POST", "/api/v1/help-requests/"+id+"/messages", sam, map[string]string{"body": "Aisle 12"}).want(201)
	next(t, events, "message")

	resumed := stream(t, replicaB.URL+"/api/v1/help-requests/"+id+"/events?access_token="+shopper, "Last-Event-ID", msg.id)
	next(t, resumed, "status")
	if again := next(t, resumed, "message"); again.data["body"] != "Aisle 12" {
		t.Fatalf("resume sent %v, want only what came after Last-Event-ID", again.data)
	}
	// Someone else's token gets nothing.
	res, err := http.Get(replicaB.URL + "/api/v1/help-requests/" + id + "/events?access_token=" + e.shopper())
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 404 {
		t.Fatalf("a stranger's stream answered %d", res.StatusCode)
	}
}
