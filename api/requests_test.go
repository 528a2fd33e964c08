package api_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"helpforce/pg"
	"helpforce/pg/pgtest"
)

// startWorkers runs the env's push sender and live fan-out on a listener of
// their own, as a server does.
func (e *env) startWorkers() {
	pgtest.Listen(e.t, e.url, e.push.Run, e.desk.Run, func(_ context.Context, hub *pg.Hub) error { return e.live.Attach(hub) })
}

// staffer creates a member of the fixture store's staff with a skill, signed
// in, available and subscribed to the push service double.
func (e *env) staffer(email, role string, departments ...string) string {
	e.t.Helper()
	e.do("POST", "/api/v1/users", e.tokens["admin"], map[string]any{"email": email, "name": "Sam Moreau",
		"password": testPassword, "role": role, "store_id": e.store.ID, "departments": departments}).want(201)
	token := e.login(email, testPassword)
	e.do("PUT", "/api/v1/me/status", token, map[string]string{"status": "available"}).want(200)
	sub := e.pushsvc.Subscribe()
	e.do("POST", "/api/v1/push/subscriptions", token, map[string]any{"endpoint": sub.Endpoint,
		"keys": map[string]string{"p256dh": sub.P256dh, "auth": sub.Auth}}).want(201)
	return token
}

func (e *env) shopper() string {
	e.t.Helper()
	return e.do("POST", "/api/v1/shoppers", "", nil).want(201).json()["token"].(string)
}

// TestHelpRequestJourney: a shopper asks, the skilled floor staff member's
// phone gets a real (decrypted) alert, accepts, chats, resolves; the shopper
// sees the name and rates.
func TestHelpRequestJourney(t *testing.T) {
	e := newEnv(t)
	e.startWorkers()
	sam := e.staffer("sam@example.com", "floor", "tv")
	shopper := e.shopper()
	body := map[string]any{"department": "tv", "note": "Which OLED for a bright room?", "store_id": e.store.ID}
	created := as[requestView](e.do("POST", "/api/v1/help-requests", shopper, body, "Idempotency-Key", "tap-1").want(201))
	id := created.ID
	if created.Status != "waiting" || created.Channel != "floor" || created.Position == nil || *created.Position != 1 {
		t.Fatalf("created %+v", created)
	}
	again := as[requestView](e.do("POST", "/api/v1/help-requests", shopper, body, "Idempotency-Key", "tap-1").want(201))
	if again.ID != id || e.count(`SELECT count(*) FROM help_requests`) != 1 {
		t.Fatal("a repeat with the same Idempotency-Key created another request")
	}

	alert := e.pushsvc.Wait(t, 1, 5*time.Second)[0]
	var payload alertPayload
	if err := json.Unmarshal(alert.Plaintext, &payload); err != nil {
		t.Fatal(err)
	}
	if payload.Type != "help_request" || payload.RequestID != id || payload.Body != "Which OLED for a bright room?" ||
		alert.Urgency != "high" || alert.Topic == "" {
		t.Fatalf("alert %+v urgency %q topic %q", payload, alert.Urgency, alert.Topic)
	}
	if q := as[[]requestView](e.do("GET", "/api/v1/queue", sam, nil).want(200)); len(q) != 1 || q[0].ID != id {
		t.Fatalf("queue %+v", q)
	}

	taken := as[requestView](e.do("POST", "/api/v1/help-requests/"+id+"/accept", sam, nil).want(200))
	if taken.assignee() != "Sam Moreau" {
		t.Fatalf("accepted %+v", taken)
	}
	e.do("POST", "/api/v1/help-requests/"+id+"/accept", e.tokens["manager"], nil).wantError(409, "already_taken")
	seen := as[requestView](e.do("GET", "/api/v1/help-requests/"+id, shopper, nil).want(200))
	if seen.Status != "assigned" || seen.assignee() != "Sam Moreau" {
		t.Fatalf("the shopper sees %+v", seen)
	}
	e.do("POST", "/api/v1/help-requests/"+id+"/messages", sam, map[string]string{"body": "On my way, aisle 12"}).want(201)
	e.do("POST", "/api/v1/help-requests/"+id+"/messages", shopper, map[string]string{"body": "Thanks!"}).want(201)
	e.do("POST", "/api/v1/help-requests/"+id+"/rating", shopper, map[string]any{"score": 5}).wantError(409, "invalid_state")
	e.do("POST", "/api/v1/help-requests/"+id+"/resolve", e.tokens["floor"], nil).wantError(403, "forbidden")
	e.do("POST", "/api/v1/help-requests/"+id+"/resolve", sam, nil).want(200)
	e.do("POST", "/api/v1/help-requests/"+id+"/rating", shopper, map[string]any{"score": 5, "comment": "Great"}).want(201)
	e.do("POST", "/api/v1/help-requests/"+id+"/rating", shopper, map[string]any{"score": 4}).wantError(409, "invalid_state")

	log := as[[]logEntry](e.do("GET", "/api/v1/help-requests/"+id+"/log", e.tokens["manager"], nil).want(200))
	if len(log) != 4 || log[2].Kind != "accepted" || log[2].Actor != "Sam Moreau (floor)" {
		t.Fatalf("log %+v", log)
	}
	final := as[requestView](e.do("GET", "/api/v1/help-requests/"+id, shopper, nil).want(200))
	if len(final.Messages) != 2 || final.Messages[0].Body != "On my way, aisle 12" || !final.Rated {
		t.Fatalf("final %+v", final)
	}
}

func TestHelpRequestAccess(t *testing.T) {
	e := newEnv(t)
	shopper, other := e.shopper(), e.shopper()
	body := map[string]any{"department": "tv", "store_id": e.store.ID}
	id := e.do("POST", "/api/v1/help-requests", shopper, body).want(201).json()["id"].(string)
	path := "/api/v1/help-requests/" + id
	e.do("POST", "/api/v1/help-requests", e.tokens["floor"], body).wantError(403, "forbidden")
	e.do("POST", "/api/v1/help-requests", "", body).wantError(401, "unauthorized")
	e.do("POST", "/api/v1/help-requests", shopper, map[string]any{"department": "tv", "lat": 95, "lng": 0}).wantError(422, "invalid_input")
	e.do("POST", "/api/v1/help-requests", shopper, map[string]any{"department": "garden", "store_id": e.store.ID}).wantError(422, "invalid_input")
	e.do("GET", path, other, nil).wantError(404, "not_found")
	e.do("GET", "/api/v1/help-requests/"+e.other.ID, shopper, nil).wantError(404, "not_found")
	e.do("GET", path, e.tokens["agent"], nil).want(200)
	e.do("GET", path, e.tokens["floor"], nil).want(200)
	e.do("POST", path+"/accept", shopper, nil).wantError(403, "forbidden")
	e.do("GET", path+"/log", shopper, nil).wantError(403, "forbidden")
	e.do("POST", path+"/cancel", other, nil).wantError(404, "not_found")
	e.do("POST", path+"/cancel", shopper, nil).want(200)
	e.do("POST", path+"/messages", shopper, map[string]string{"body": "still there?"}).wantError(409, "invalid_state")
}
