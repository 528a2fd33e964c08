package api_test

import (
	"testing"
	"time"

	"helpforce/api"
)

// TestHoldUnitsPerAddressPerDay: throwaway identities from one address
// cannot hoard a product; another address still can hold it.
func TestHoldUnitsPerAddressPerDay(t *testing.T) {
	e := newEnv(t, withLimits(func(*api.Limits) {}))
	e.do("PUT", "/api/v1/stores/"+e.store.ID+"/inventory", e.tokens["manager"],
		`[{"sku":"TV-1","name":"OLED 55","on_hand":100,"price":999},{"sku":"TV-2","name":"QLED 65","on_hand":100,"price":899}]`).want(200)
	hold := func(sku string, n int, addr string) response {
		return e.do("POST", "/api/v1/holds", e.shopper(), map[string]any{"store_id": e.store.ID, "sku": sku, "quantity": n},
			from(addr)...)
	}
	first := hold("TV-1", 6, "203.0.113.9").want(201).json()
	hold("TV-1", 5, "203.0.113.9").wantError(409, "hold_limit_reached")
	hold("TV-1", 4, "203.0.113.9").want(201)
	// Cancelling does not give the day's units back: hold-and-cancel churns the pick list too.
	e.do("POST", "/api/v1/holds/"+first["id"].(string)+"/cancel", e.tokens["floor"], nil).want(200)
	hold("TV-1", 1, "203.0.113.9").wantError(409, "hold_limit_reached")
	hold("TV-2", 10, "203.0.113.9").want(201)
	hold("TV-1", 10, "2001:db8:9::1").want(201)
	hold("TV-1", 1, "2001:db8:9::2").wantError(409, "hold_limit_reached")
	// Staff hold for the store without that cap.
	e.do("POST", "/api/v1/holds", e.tokens["floor"], map[string]any{"store_id": e.store.ID, "sku": "TV-1", "quantity": 10},
		from("203.0.113.9")...).want(201)
	// A day later the address may hold again.
	if _, err := e.db.Exec(`UPDATE holds SET created_at = created_at - interval '25 hours'`); err != nil {
		t.Fatal(err)
	}
	hold("TV-1", 10, "203.0.113.9").want(201)
}

// TestFirstHoldsAreShort: a shopper with no live request and no past pickup
// holds for the first-hold TTL (2 h); with a live request, or once they have
// picked something up, for the full TTL (24 h).
func TestFirstHoldsAreShort(t *testing.T) {
	e := newEnv(t)
	e.do("PUT", "/api/v1/stores/"+e.store.ID+"/inventory", e.tokens["manager"],
		`[{"sku":"TV-1","name":"OLED 55","on_hand":100,"price":999}]`).want(200)
	body := map[string]any{"store_id": e.store.ID, "sku": "TV-1", "quantity": 1}
	lasts := func(h map[string]any) time.Duration {
		t.Helper()
		exp, err := time.Parse(time.RFC3339Nano, h["expires_at"].(string))
		if err != nil {
			t.Fatal(err)
		}
		var created time.Time
		if err := e.db.Get(&created, `SELECT created_at FROM holds WHERE id = $1`, h["id"]); err != nil {
			t.Fatal(err)
		}
		return exp.Sub(created).Round(time.Minute)
	}
	stranger := e.shopper()
	first := e.do("POST", "/api/v1/holds", stranger, body).want(201).json()
	if d := lasts(first); d != 2*time.Hour {
		t.Fatalf("a first hold lasts %v", d)
	}
	// The same shopper, once a hold is picked up, is trusted for a day.
	code := first["pickup_code"].(string)
	e.do("POST", "/api/v1/holds/"+first["id"].(string)+"/pickup", e.tokens["floor"], map[string]string{"pickup_code": code}).want(200)
	if d := lasts(e.do("POST", "/api/v1/holds", stranger, body).want(201).json()); d != 24*time.Hour {
		t.Fatalf("after a pickup a hold lasts %v", d)
	}
	// A shopper being helped right now is trusted too.
	asking := e.shopper()
	e.do("POST", "/api/v1/help-requests", asking, map[string]any{"department": "tv", "store_id": e.store.ID}).want(201)
	if d := lasts(e.do("POST", "/api/v1/holds", asking, body).want(201).json()); d != 24*time.Hour {
		t.Fatalf("with a live request a hold lasts %v", d)
	}
}
