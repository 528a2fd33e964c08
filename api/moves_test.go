package api_test

import (
	"context"
	"testing"
)

// TestMovesStayAmongTheOfferedStores: a request changes store only to one
// of the stores its position offered, and at most three times, so that one
// shopper cannot walk a request through a whole chain paging each store.
func TestMovesStayAmongTheOfferedStores(t *testing.T) {
	e := newEnv(t)
	a := e.mustStore("Mall unit A", 45.75, 4.85)
	b := e.mustStore("Mall unit B", 45.75, 4.8506) // about 47 m east: their circles overlap
	for _, id := range []string{a.ID, b.ID, e.other.ID} {
		if _, err := e.stores.CreateDepartment(context.Background(), id, "tv", "TVs"); err != nil {
			t.Fatal(err)
		}
	}
	shopper := e.shopper()
	h := e.do("POST", "/api/v1/help-requests", shopper, map[string]any{"department": "tv",
		"lat": 45.75, "lng": 4.8503, "accuracy": 20}).want(201).json()
	if len(h["nearby"].([]any)) < 2 {
		t.Fatalf("not ambiguous: %v", h["nearby"])
	}
	path := "/api/v1/help-requests/" + h["id"].(string)
	// A store of the chain the position never offered, although it has the department.
	e.do("PATCH", path, shopper, map[string]string{"store_id": e.other.ID}).wantError(422, "invalid_input")
	for i, to := range []string{b.ID, a.ID, b.ID} {
		got := e.do("PATCH", path, shopper, map[string]string{"store_id": to}).want(200).json()
		if got["store"].(map[string]any)["id"] != to {
			t.Fatalf("move %d: store %v", i+1, got["store"])
		}
	}
	e.do("PATCH", path, shopper, map[string]string{"store_id": a.ID}).wantError(409, "too_many_moves")
}
