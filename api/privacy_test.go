package api_test

import (
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestStrangersSeeAvailabilityNotCounts: a competitor scraping the public
// search learns what can be had, not the store's stock and holds.
func TestStrangersSeeAvailabilityNotCounts(t *testing.T) {
	e := newEnv(t)
	e.do("PUT", "/api/v1/stores/"+e.store.ID+"/inventory", e.tokens["manager"],
		`[{"sku":"TV-1","name":"OLED 55","on_hand":7,"price":999}]`).want(200)
	path := "/api/v1/stores/" + e.store.ID + "/products?q=TV-1"
	for who, token := range map[string]string{"anonymous": "", "shopper": e.shopper()} {
		p := e.do("GET", path, token, nil).want(200).list()[0].(map[string]any)
		if got := strings.Join(keys(p), ","); got != "available,name,price,sku" || p["available"] != 7.0 {
			t.Fatalf("%s sees %v", who, p)
		}
	}
	for _, role := range []string{"floor", "manager", "agent", "admin"} {
		p := e.do("GET", path, e.tokens[role], nil).want(200).list()[0].(map[string]any)
		if p["on_hand"] != 7.0 || p["held"] != 0.0 {
			t.Fatalf("%s sees %v", role, p)
		}
	}
	// Another store's staff are strangers here.
	other := e.do("GET", "/api/v1/stores/"+e.other.ID+"/products", e.tokens["floor"], nil).want(200).list()
	for _, p := range other {
		if _, ok := p.(map[string]any)["on_hand"]; ok {
			t.Fatalf("another store's staff see %v", p)
		}
	}
}

func TestPublicStoresHaveNoCells(t *testing.T) {
	e := newEnv(t)
	for _, token := range []string{"", e.shopper(), e.tokens["floor"]} {
		for _, st := range e.do("GET", "/api/v1/stores", token, nil).want(200).list() {
			if _, ok := st.(map[string]any)["cells"]; ok {
				t.Fatalf("the store list shows cells: %v", st)
			}
		}
		if _, ok := e.do("GET", "/api/v1/stores/"+e.store.ID, token, nil).want(200).json()["cells"]; ok {
			t.Fatal("a store shows its cells")
		}
	}
	if st := e.do("GET", "/api/v1/stores/"+e.store.ID, e.tokens["admin"], nil).want(200).json(); st["cells"] == nil {
		t.Fatalf("the admin does not see the cells: %v", st)
	}
}

// TestShoppersSeeNoStaffIdsOrEscalationReasons: the shopper sees who helps
// them by name, never an account id or what staff wrote to each other.
func TestShoppersSeeNoStaffIdsOrEscalationReasons(t *testing.T) {
	e := newEnv(t)
	e.startWorkers()
	shopper := e.shopper()
	id := e.do("POST", "/api/v1/help-requests", shopper, map[string]any{"department": "tv", "store_id": e.store.ID}).
		want(201).json()["id"].(string)
	path := "/api/v1/help-requests/" + id
	e.do("POST", path+"/accept", e.tokens["agent"], nil).want(200)
	e.do("PUT", "/api/v1/me/status", e.tokens["manager"], map[string]string{"status": "available"}).want(200)
	const reason = "shopper was rude to the floor team"
	staffView := e.do("POST", path+"/escalate", e.tokens["agent"], map[string]string{"to": "manager", "reason": reason}).want(200).json()
	if staffView["escalation"].(map[string]any)["reason"] != reason {
		t.Fatalf("staff lose the reason: %v", staffView["escalation"])
	}

	seen := e.do("GET", path, shopper, nil).want(200)
	body := seen.Body.String()
	for _, secret := range []string{reason, e.userID("agent"), e.userID("manager")} {
		if strings.Contains(body, secret) {
			t.Fatalf("the shopper's view contains %q: %s", secret, body)
		}
	}
	v := seen.json()
	if v["assigned_to"].(map[string]any)["name"] != "A agent" || v["escalation"].(map[string]any)["to"].(map[string]any)["name"] != "A manager" {
		t.Fatalf("the shopper no longer sees who helps: %v", v)
	}

	srv := httptest.NewServer(e.srv.Handler())
	t.Cleanup(srv.Close)
	events := stream(t, srv.URL+path+"/events?access_token="+shopper)
	select {
	case ev := <-events:
		raw := strings.Join(keys(ev.data), ",")
		if ev.name != "status" || ev.data["assigned_to"].(map[string]any)["id"] != nil || ev.data["escalation"].(map[string]any)["reason"] != nil {
			t.Fatalf("the shopper's stream sends %s %v (%s)", ev.name, ev.data, raw)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no status event")
	}
	// The hand-off log, with the reason, is for staff.
	e.do("GET", path+"/log", shopper, nil).wantError(403, "forbidden")
}
