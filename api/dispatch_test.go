package api_test

import (
	"testing"
)

func (e *env) userID(role string) string {
	e.t.Helper()
	var id string
	if err := e.db.Get(&id, `SELECT id FROM users WHERE email = $1`, role+"@example.com"); err != nil {
		e.t.Fatal(err)
	}
	return id
}

// TestFreeAgainOverHTTP: the floor member busy with a first shopper sees the
// second, parked with the remote team, in "Waiting now"; finishing offers it
// to them, and taking it brings it back to the floor.
func TestFreeAgainOverHTTP(t *testing.T) {
	e := newEnv(t)
	floor := e.tokens["floor"]
	e.do("PUT", "/api/v1/me/status", floor, map[string]string{"status": "available"}).want(200)
	first := e.do("POST", "/api/v1/help-requests", e.shopper(), map[string]any{"department": "tv", "store_id": e.store.ID}).want(201).json()
	e.do("POST", "/api/v1/help-requests/"+first["id"].(string)+"/accept", floor, nil).want(200)
	second := e.do("POST", "/api/v1/help-requests", e.shopper(), map[string]any{"department": "tv", "store_id": e.store.ID}).want(201).json()
	id := second["id"].(string)
	if second["channel"] != "remote" {
		t.Fatalf("with nobody free the request is %v", second["channel"])
	}
	queue := e.do("GET", "/api/v1/queue", floor, nil).want(200).list()
	if len(queue) != 1 || queue[0].(map[string]any)["id"] != id || queue[0].(map[string]any)["channel"] != "remote" {
		t.Fatalf("the floor's queue %v", queue)
	}
	e.do("POST", "/api/v1/help-requests/"+first["id"].(string)+"/resolve", floor, nil).want(200)
	if n := e.count(`SELECT count(*) FROM offers WHERE request_id = $1 AND user_id = $2 AND answer IS NULL`, id, e.userID("floor")); n != 1 {
		t.Fatalf("free again, the floor member holds %d offers of the parked request", n)
	}
	got := e.do("POST", "/api/v1/help-requests/"+id+"/accept", floor, nil).want(200).json()
	if got["channel"] != "floor" {
		t.Fatalf("taken by the floor, the request is %v", got["channel"])
	}
}

// TestStatusAvailableOffersTheOldest: an agent coming on duty is offered the
// oldest request of the remote queue at once.
func TestStatusAvailableOffersTheOldest(t *testing.T) {
	e := newEnv(t)
	var ids []string
	for i := 0; i < 2; i++ {
		h := e.do("POST", "/api/v1/help-requests", e.shopper(), map[string]any{"department": "tv", "store_id": e.store.ID}).want(201).json()
		ids = append(ids, h["id"].(string))
	}
	e.do("PUT", "/api/v1/me/status", e.tokens["agent"], map[string]string{"status": "available"}).want(200)
	if n := e.count(`SELECT count(*) FROM offers WHERE request_id = $1 AND answer IS NULL`, ids[0]); n != 1 {
		t.Fatalf("the oldest remote request has %d open offers", n)
	}
	got := e.do("GET", "/api/v1/help-requests/"+ids[1], e.tokens["agent"], nil).want(200).json()
	if got["remote_available"] != true {
		t.Fatal("shoppers waiting are not told an agent is on duty")
	}
}

// TestRemoteByChoiceOverHTTP: remote true sends a shopper inside a store to
// the remote team, with the store first among the nearby ones.
func TestRemoteByChoiceOverHTTP(t *testing.T) {
	e := newEnv(t)
	e.do("PUT", "/api/v1/me/status", e.tokens["floor"], map[string]string{"status": "available"}).want(200)
	h := e.do("POST", "/api/v1/help-requests", e.shopper(), map[string]any{"department": "tv", "store_id": e.store.ID, "remote": true}).
		want(201).json()
	nearby, _ := h["nearby"].([]any)
	if h["channel"] != "remote" || h["store"] != nil || len(nearby) == 0 ||
		nearby[0].(map[string]any)["store"].(map[string]any)["id"] != e.store.ID {
		t.Fatalf("remote by choice: %v", h)
	}
}

// TestCapacitySetting: only an admin sets a capacity, from 1 to 10, above 1
// for agents only; the chain's default is the admin's too.
func TestCapacitySetting(t *testing.T) {
	e := newEnv(t)
	agent := "/api/v1/users/" + e.userID("agent")
	if got := e.do("GET", "/api/v1/me", e.tokens["agent"], nil).want(200).json(); got["capacity"] != float64(3) {
		t.Fatalf("a new agent's capacity is %v, want the chain default 3", got["capacity"])
	}
	e.do("PATCH", agent, e.tokens["manager"], map[string]any{"capacity": 5}).wantError(403, "forbidden")
	e.do("PATCH", agent, e.tokens["admin"], map[string]any{"capacity": 11}).wantError(422, "invalid_input")
	e.do("PATCH", "/api/v1/users/"+e.userID("floor"), e.tokens["admin"], map[string]any{"capacity": 2}).wantError(422, "invalid_input")
	if got := e.do("PATCH", agent, e.tokens["admin"], map[string]any{"capacity": 5}).want(200).json(); got["capacity"] != float64(5) {
		t.Fatalf("capacity %v", got["capacity"])
	}
	e.do("PUT", "/api/v1/settings/dispatch", e.tokens["manager"], map[string]any{"agent_capacity": 4}).wantError(403, "forbidden")
	e.do("PUT", "/api/v1/settings/dispatch", e.tokens["admin"], map[string]any{"agent_capacity": 0}).wantError(422, "invalid_input")
	e.do("PUT", "/api/v1/settings/dispatch", e.tokens["admin"], map[string]any{"agent_capacity": 4}).want(200)
	if got := e.do("GET", "/api/v1/settings/dispatch", e.tokens["admin"], nil).want(200).json(); got["agent_capacity"] != float64(4) {
		t.Fatalf("settings %v", got)
	}
	created := e.do("POST", "/api/v1/users", e.tokens["admin"], map[string]any{"email": "new.agent@example.com", "name": "New",
		"password": "long enough pw", "role": "agent"}).want(201).json()
	if created["capacity"] != float64(4) {
		t.Fatalf("a new agent takes capacity %v, want the new default 4", created["capacity"])
	}
}
