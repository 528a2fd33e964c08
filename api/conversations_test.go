package api_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"helpforce/app"
	"helpforce/pg/pgtest"
)

// remoteRequest is a shopper's request at the fixture store while nobody is
// on its floor, so it goes to the remote team; it returns the shopper's
// token and the request id.
func (e *env) remoteRequest(note string) (shopper, id string) {
	e.t.Helper()
	shopper = e.shopper()
	created := e.do("POST", "/api/v1/help-requests", shopper, map[string]any{"department": "tv", "store_id": e.store.ID,
		"note": note}).want(201).json()
	if created["channel"] != "remote" {
		e.t.Fatalf("created %v, want it with the remote team", created)
	}
	return shopper, created["id"].(string)
}

func (e *env) say(token, id, body string) int64 {
	e.t.Helper()
	return int64(e.do("POST", "/api/v1/help-requests/"+id+"/messages", token, map[string]string{"body": body}).
		want(201).json()["id"].(float64))
}

// conversations is the caller's open conversations by request id.
func (e *env) conversations(token string) ([]any, map[string]map[string]any) {
	e.t.Helper()
	list := e.do("GET", "/api/v1/me/requests", token, nil).want(200).json()["assigned"].([]any)
	byID := map[string]map[string]any{}
	for _, c := range list {
		byID[c.(map[string]any)["id"].(string)] = c.(map[string]any)
	}
	return list, byID
}

// TestMyConversationsCountUnread: an agent owning two requests sees them
// oldest first, each with its last message and the shopper's messages not
// yet seen; seeing clears the count, a new message raises it again.
func TestMyConversationsCountUnread(t *testing.T) {
	e := newEnv(t)
	agent := e.tokens["agent"]
	anna, first := e.remoteRequest("Which soundbar?")
	ben, second := e.remoteRequest("Wall mount for a 65 inch?")
	e.do("POST", "/api/v1/help-requests/"+second+"/accept", agent, nil).want(200)
	e.do("POST", "/api/v1/help-requests/"+first+"/accept", agent, nil).want(200)

	e.say(anna, first, "Hello?")
	e.say(agent, first, "Hello, one moment")
	last := e.say(anna, first, "It is for a small room")
	e.say(ben, second, "Hi")

	list, byID := e.conversations(agent)
	if len(list) != 2 || list[0].(map[string]any)["id"] != first || list[1].(map[string]any)["id"] != second {
		t.Fatalf("conversations %v, want the two requests oldest first", list)
	}
	if byID[first]["unread"] != 2.0 || byID[second]["unread"] != 1.0 {
		t.Fatalf("unread %v and %v, want 2 and 1", byID[first]["unread"], byID[second]["unread"])
	}
	lm := byID[first]["last_message"].(map[string]any)
	if lm["body"] != "It is for a small room" || lm["author"].(map[string]any)["role"] != "shopper" || lm["at"] == "" {
		t.Fatalf("last message %v", lm)
	}
	if byID[first]["store"].(map[string]any)["name"] != "Lyon Part-Dieu" || byID[first]["department"] != "tv" {
		t.Fatalf("a conversation is a request: %v", byID[first])
	}

	e.do("POST", "/api/v1/help-requests/"+first+"/seen", agent, map[string]any{"message_id": last}).want(204)
	if _, byID = e.conversations(agent); byID[first]["unread"] != 0.0 || byID[second]["unread"] != 1.0 {
		t.Fatalf("after seeing, unread %v and %v, want 0 and 1", byID[first]["unread"], byID[second]["unread"])
	}
	// The console follows its conversations on the queue stream, from any replica.
	mine := stream(t, e.replicaB().URL+"/api/v1/queue/events?mine=true", "Authorization", "Bearer "+agent)
	next(t, mine, "mine")
	e.say(anna, first, "Still there?")
	if _, byID = e.conversations(agent); byID[first]["unread"] != 1.0 {
		t.Fatalf("a new message left unread at %v", byID[first]["unread"])
	}
	nextWhere(t, mine, "mine", func(ev sseEvent) bool {
		c := ev.data["assigned"].([]any)[0].(map[string]any)
		return c["unread"] == 1.0 && c["last_message"].(map[string]any)["body"] == "Still there?"
	})
	// Another member of staff owns none of them.
	if list, _ := e.conversations(e.tokens["floor"]); len(list) != 0 {
		t.Fatalf("floor staff's conversations %v", list)
	}
}

// TestSeenNeverMovesBack: the mark is a high-water mark; each side's
// request says which of its own messages the other side has seen.
func TestSeenNeverMovesBack(t *testing.T) {
	e := newEnv(t)
	agent := e.tokens["agent"]
	shopper, id := e.remoteRequest("Is it in stock?")
	e.do("POST", "/api/v1/help-requests/"+id+"/accept", agent, nil).want(200)
	q := e.say(shopper, id, "Hello")
	a1 := e.say(agent, id, "Let me look")
	a2 := e.say(agent, id, "Yes, 3 left")

	// The latest page and a page since the start say the same.
	read := func(token string) any {
		latest := e.do("GET", "/api/v1/help-requests/"+id, token, nil).want(200).json()["seen_by_other"]
		if since := e.do("GET", "/api/v1/help-requests/"+id+"?since=0", token, nil).want(200).json()["seen_by_other"]; since != latest {
			t.Fatalf("seen_by_other %v on the latest page, %v on a page since the start", latest, since)
		}
		return latest
	}
	if read(agent) != nil || read(shopper) != nil {
		t.Fatal("seen_by_other set before anyone saw anything")
	}
	e.do("POST", "/api/v1/help-requests/"+id+"/seen", shopper, map[string]any{"message_id": a2}).want(204)
	e.do("POST", "/api/v1/help-requests/"+id+"/seen", shopper, map[string]any{"message_id": a1}).want(204)
	if got := e.count(`SELECT message_id FROM request_reads WHERE request_id = $1`, id); int64(got) != a2 {
		t.Fatalf("mark %d after seeing %d then %d, want %d", got, a2, a1, a2)
	}
	if read(agent) != float64(a2) {
		t.Fatalf("the agent's seen_by_other %v, want %d", read(agent), a2)
	}
	if read(shopper) != nil {
		t.Fatal("the shopper's own reading shows as seen by the other side")
	}
	e.do("POST", "/api/v1/help-requests/"+id+"/seen", agent, map[string]any{"message_id": a2}).want(204)
	if read(shopper) != float64(q) {
		t.Fatalf("the shopper's seen_by_other %v, want their message %d", read(shopper), q)
	}

	// A message of another request, or none, is refused.
	other, otherID := e.remoteRequest("Another")
	m := e.say(other, otherID, "Mine")
	e.do("POST", "/api/v1/help-requests/"+id+"/seen", shopper, map[string]any{"message_id": m}).wantError(422, "invalid_input")
	e.do("POST", "/api/v1/help-requests/"+id+"/seen", shopper, map[string]any{}).wantError(422, "invalid_input")
}

// TestConversationAccess: only the shopper and the owner take part; a
// stranger cannot tell the request exists.
func TestConversationAccess(t *testing.T) {
	e := newEnv(t)
	shopper, id := e.remoteRequest("Hello")
	m := e.say(shopper, id, "Anyone?")
	e.do("POST", "/api/v1/help-requests/"+id+"/accept", e.tokens["agent"], nil).want(200)
	for _, path := range []string{"/typing", "/seen"} {
		body := map[string]any{"message_id": m}
		e.do("POST", "/api/v1/help-requests/"+id+path, e.shopper(), body).wantError(404, "not_found")
		e.do("POST", "/api/v1/help-requests/"+id+path, "", body).wantError(401, "unauthorized")
		// Staff of the store may read it, but the conversation is the owner's.
		e.do("POST", "/api/v1/help-requests/"+id+path, e.tokens["manager"], body).wantError(403, "forbidden")
		e.do("POST", "/api/v1/help-requests/"+id+path, shopper, body).want(204)
		e.do("POST", "/api/v1/help-requests/"+id+path, e.tokens["agent"], body).want(204)
	}
	e.do("POST", "/api/v1/help-requests/"+id+"/resolve", e.tokens["agent"], nil).want(200)
	e.do("POST", "/api/v1/help-requests/"+id+"/typing", shopper, nil).wantError(409, "invalid_state")
}

// replicaB is a second replica on the env's database, built by app.New
// from the env's configuration and started on a listener of its own as
// serve starts one: its own services, desk timers, push workers and live
// fan-out.
func (e *env) replicaB() *httptest.Server {
	e.t.Helper()
	b, err := app.New(context.Background(), e.db, e.cfg)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { b.Close() })
	pgtest.Listen(e.t, e.url, b.Start)
	srv := httptest.NewServer(b.API.Handler())
	e.t.Cleanup(srv.Close)
	return srv
}

// TestTypingAndSeenReachOtherReplicas: typing and seen sent through one
// replica arrive on streams served by another; each side hears only the
// other, and typing faster than the limit sends nothing more.
func TestTypingAndSeenReachOtherReplicas(t *testing.T) {
	e := newEnv(t)
	b := e.replicaB()
	agent := e.tokens["agent"]
	shopper, id := e.remoteRequest("Hello")
	e.do("POST", "/api/v1/help-requests/"+id+"/accept", agent, nil).want(200)
	q := e.say(shopper, id, "Do you have it in red?")

	toShopper := stream(t, b.URL+"/api/v1/help-requests/"+id+"/events?access_token="+shopper)
	toAgent := stream(t, b.URL+"/api/v1/help-requests/"+id+"/events", "Authorization", "Bearer "+agent)
	next(t, toShopper, "status")
	next(t, toAgent, "status")

	// A second signal right after the first is dropped: the shopper hears
	// one typing, then the agent's seen.
	e.do("POST", "/api/v1/help-requests/"+id+"/typing", agent, nil).want(204)
	e.do("POST", "/api/v1/help-requests/"+id+"/typing", agent, nil).want(204)
	e.do("POST", "/api/v1/help-requests/"+id+"/seen", agent, map[string]any{"message_id": q}).want(204)
	typing := nextCue(t, toShopper)
	if typing.name != "typing" || typing.data["who"] != "staff" || typing.data["name"] != "A agent" {
		t.Fatalf("first cue %s %v", typing.name, typing.data)
	}
	cue := nextCue(t, toShopper)
	if cue.name != "seen" || cue.data["who"] != "staff" || cue.data["message_id"] != float64(q) ||
		cue.data["seen_by_other"] != float64(q) {
		t.Fatalf("after a typing too soon and a seen, the shopper got %s %v", cue.name, cue.data)
	}

	e.do("POST", "/api/v1/help-requests/"+id+"/typing", shopper, nil).want(204)
	typing = next(t, toAgent, "typing")
	if typing.data["who"] != "shopper" || typing.data["name"] != nil {
		t.Fatalf("the shopper's typing reached staff as %v", typing.data)
	}
	a := e.say(agent, id, "Yes, in red")
	e.do("POST", "/api/v1/help-requests/"+id+"/seen", shopper, map[string]any{"message_id": a}).want(204)
	seen := next(t, toAgent, "seen")
	if seen.data["who"] != "shopper" || seen.data["seen_by_other"] != float64(a) {
		t.Fatalf("seen event for the agent %v", seen.data)
	}
	// Nobody is told of their own typing or reading: the agent's stream
	// carried the shopper's cues only, the shopper's the agent's only.
	for _, ev := range drain(toAgent) {
		if (ev.name == "typing" || ev.name == "seen") && ev.data["who"] != "shopper" {
			t.Fatalf("the agent heard their own %s", ev.name)
		}
	}
	for _, ev := range drain(toShopper) {
		if (ev.name == "typing" || ev.name == "seen") && ev.data["who"] != "staff" {
			t.Fatalf("the shopper heard their own %s", ev.name)
		}
	}
	if got := fmt.Sprint(e.count(`SELECT count(*) FROM request_reads WHERE request_id = $1`, id)); got != "2" {
		t.Fatalf("%s reader rows, want one per reader", got)
	}
}

// TestTypingAfterAMessageIsToldAtOnce: a message ends its writer's typing,
// so typing the next one right after is told, within the 2-second limit.
func TestTypingAfterAMessageIsToldAtOnce(t *testing.T) {
	e := newEnv(t)
	agent := e.tokens["agent"]
	shopper, id := e.remoteRequest("Hello")
	e.do("POST", "/api/v1/help-requests/"+id+"/accept", agent, nil).want(200)
	toAgent := stream(t, e.replicaB().URL+"/api/v1/help-requests/"+id+"/events", "Authorization", "Bearer "+agent)
	next(t, toAgent, "status")

	e.do("POST", "/api/v1/help-requests/"+id+"/typing", shopper, nil).want(204)
	next(t, toAgent, "typing")
	e.say(shopper, id, "Do you have it in red?")
	next(t, toAgent, "message")
	e.do("POST", "/api/v1/help-requests/"+id+"/typing", shopper, nil).want(204)
	if cue := nextCue(t, toAgent); cue.name != "typing" || cue.data["who"] != "shopper" {
		t.Fatalf("typing right after a message reached the agent as %s %v", cue.name, cue.data)
	}
	// Without a message of theirs in between, the limit holds: the agent's
	// next cue is the shopper's seen, not a second typing.
	e.do("POST", "/api/v1/help-requests/"+id+"/typing", shopper, nil).want(204)
	a := e.say(agent, id, "Yes, in red")
	e.do("POST", "/api/v1/help-requests/"+id+"/seen", shopper, map[string]any{"message_id": a}).want(204)
	if cue := nextCue(t, toAgent); cue.name != "seen" {
		t.Fatalf("typing twice within the limit reached the agent as %s %v", cue.name, cue.data)
	}
}

// nextCue waits for the next typing or seen event.
func nextCue(t *testing.T, events <-chan sseEvent) sseEvent {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case ev := <-events:
			if ev.name == "typing" || ev.name == "seen" {
				return ev
			}
		case <-timeout:
			t.Fatal("no typing or seen event within 5s")
		}
	}
}

// drain returns the events already received.
func drain(events <-chan sseEvent) []sseEvent {
	var out []sseEvent
	for {
		select {
		case ev := <-events:
			out = append(out, ev)
		default:
			return out
		}
	}
}

// TestStoreFloorLive: the manager's floor lists presence, what waits (with
// the remote team too) and who helps whom; a stream served by another
// replica follows a member of staff going on a break.
func TestStoreFloorLive(t *testing.T) {
	e := newEnv(t)
	b := e.replicaB()
	manager, floor := e.tokens["manager"], e.tokens["floor"]
	_, waiting := e.remoteRequest("Waiting with the remote team")
	_, helped := e.remoteRequest("Being helped")
	e.do("POST", "/api/v1/help-requests/"+helped+"/accept", e.tokens["agent"], nil).want(200)
	e.do("PUT", "/api/v1/me/status", floor, map[string]string{"status": "available"}).want(200)

	path := "/api/v1/stores/" + e.store.ID + "/floor"
	f := e.do("GET", path, manager, nil).want(200).json()
	if f["store"].(map[string]any)["name"] != "Lyon Part-Dieu" {
		t.Fatalf("floor of %v", f["store"])
	}
	statuses := map[string]any{}
	for _, p := range f["staff"].([]any) {
		statuses[p.(map[string]any)["name"].(string)] = p.(map[string]any)["status"]
	}
	if statuses["A floor"] != "available" || statuses["A manager"] != "off" || len(statuses) != 2 {
		t.Fatalf("staff %v", statuses)
	}
	w := f["waiting"].([]any)
	if len(w) != 1 || w[0].(map[string]any)["id"] != waiting || w[0].(map[string]any)["channel"] != "remote" {
		t.Fatalf("waiting %v", w)
	}
	h := f["helping"].([]any)
	if len(h) != 1 || h[0].(map[string]any)["id"] != helped || h[0].(map[string]any)["since"] == nil ||
		h[0].(map[string]any)["assigned_to"].(map[string]any)["name"] != "A agent" {
		t.Fatalf("helping %v", h)
	}
	e.do("GET", path, e.tokens["admin"], nil).want(200)
	e.do("GET", path, floor, nil).wantError(403, "forbidden")
	e.do("GET", "/api/v1/stores/"+e.other.ID+"/floor", manager, nil).wantError(403, "forbidden")
	e.do("GET", "/api/v1/queue/events?floor=true", floor, nil).wantError(403, "forbidden")

	events := stream(t, b.URL+"/api/v1/queue/events?floor=true", "Authorization", "Bearer "+manager)
	next(t, events, "floor")
	e.do("PUT", "/api/v1/me/status", floor, map[string]string{"status": "break"}).want(200)
	nextWhere(t, events, "floor", func(ev sseEvent) bool {
		for _, p := range ev.data["staff"].([]any) {
			if p.(map[string]any)["name"] == "A floor" {
				return p.(map[string]any)["status"] == "break"
			}
		}
		return false
	})
}
