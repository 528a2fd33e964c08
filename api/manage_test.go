package api_test

import (
	"testing"
)

func TestUpdateUser(t *testing.T) {
	e := newEnv(t)
	floorID := e.do("GET", "/api/v1/me", e.tokens["floor"], nil).want(200).json()["id"].(string)
	agentID := e.do("GET", "/api/v1/me", e.tokens["agent"], nil).want(200).json()["id"].(string)
	managerID := e.do("GET", "/api/v1/me", e.tokens["manager"], nil).want(200).json()["id"].(string)
	path := "/api/v1/users/" + floorID
	got := e.do("PATCH", path, e.tokens["manager"], map[string]any{"departments": []string{"tv", "phones"}, "name": "Sam M."}).
		want(200).json()
	if got["name"] != "Sam M." || len(got["departments"].([]any)) != 2 {
		t.Fatalf("updated %v", got)
	}
	e.do("PATCH", path, e.tokens["manager"], map[string]any{"departments": []string{"garden"}}).wantError(422, "invalid_input")
	if deps := e.do("GET", "/api/v1/me", e.tokens["floor"], nil).want(200).json()["departments"].([]any); len(deps) != 2 {
		t.Fatalf("a refused change was half-written: %v", deps)
	}
	e.do("PATCH", "/api/v1/users/"+agentID, e.tokens["manager"], map[string]any{"name": "X"}).wantError(403, "forbidden")
	e.do("PATCH", path, e.tokens["floor"], map[string]any{"name": "X"}).wantError(403, "forbidden")
	e.do("PATCH", "/api/v1/users/"+managerID, e.tokens["manager"], map[string]any{"active": false}).wantError(403, "forbidden")
	e.do("PATCH", path, e.tokens["manager"], map[string]any{"active": false}).want(200)
	e.do("GET", "/api/v1/me", e.tokens["floor"], nil).wantError(401, "unauthorized")
	e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "floor@example.com", "password": testPassword}).
		wantError(401, "unauthorized")
	e.do("PATCH", path, e.tokens["admin"], map[string]any{"active": true}).want(200)
	e.login("floor@example.com", testPassword)
}

func TestSavedReplies(t *testing.T) {
	e := newEnv(t)
	seeded := e.do("GET", "/api/v1/saved-replies", e.tokens["agent"], nil).want(200).list()
	if len(seeded) == 0 {
		t.Fatal("no saved replies to start with")
	}
	r := e.do("POST", "/api/v1/saved-replies", e.tokens["admin"], map[string]string{"title": "Opening hours", "body": "We open at 9."}).
		want(201).json()
	id := r["id"].(string)
	e.do("POST", "/api/v1/saved-replies", e.tokens["admin"], map[string]string{"title": "opening HOURS", "body": "x"}).wantError(409, "already_exists")
	e.do("POST", "/api/v1/saved-replies", e.tokens["agent"], map[string]string{"title": "T", "body": "B"}).wantError(403, "forbidden")
	e.do("PUT", "/api/v1/saved-replies/"+id, e.tokens["admin"], map[string]string{"title": "Opening hours", "body": "We open at 10."}).want(200)
	e.do("PUT", "/api/v1/saved-replies/"+id, e.tokens["admin"], map[string]string{"title": "", "body": "x"}).wantError(422, "invalid_input")
	e.do("GET", "/api/v1/saved-replies", e.tokens["floor"], nil).wantError(403, "forbidden")
	e.do("DELETE", "/api/v1/saved-replies/"+id, e.tokens["admin"], nil).want(204)
	e.do("DELETE", "/api/v1/saved-replies/"+id, e.tokens["admin"], nil).wantError(404, "not_found")
}

func TestStoreRequests(t *testing.T) {
	e := newEnv(t)
	shopper := e.shopper()
	e.do("POST", "/api/v1/help-requests", shopper, map[string]any{"department": "tv", "store_id": e.store.ID}).want(201)
	if n := len(e.do("GET", "/api/v1/stores/"+e.store.ID+"/requests", e.tokens["manager"], nil).want(200).list()); n != 1 {
		t.Fatalf("%d requests listed", n)
	}
	if n := len(e.do("GET", "/api/v1/stores/"+e.store.ID+"/requests?status=resolved", e.tokens["agent"], nil).want(200).list()); n != 0 {
		t.Fatalf("%d resolved requests listed", n)
	}
	e.do("GET", "/api/v1/stores/"+e.other.ID+"/requests", e.tokens["manager"], nil).wantError(403, "forbidden")
	e.do("GET", "/api/v1/stores/"+e.store.ID+"/requests", e.tokens["floor"], nil).wantError(403, "forbidden")
}
