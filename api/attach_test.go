package api_test

import "testing"

// TestAttachProductFromChat: a barcode typed in an open request's chat makes
// the request about the store's product, for shopper and staff alike; an
// unknown code is kept as the reference; only those who may read the request
// may set it, and only while it is open.
func TestAttachProductFromChat(t *testing.T) {
	e := newEnv(t)
	e.do("PUT", "/api/v1/stores/"+e.store.ID+"/inventory", e.tokens["manager"],
		"sku,name,on_hand,price,gtin\nTV-1,OLED 55,4,999.00,4006381333931\n", "Content-Type", "text/csv").want(200)
	shopper := e.shopper()
	h := e.do("POST", "/api/v1/help-requests", shopper, map[string]any{"department": "tv", "store_id": e.store.ID}).want(201).json()
	if h["product"] != nil {
		t.Fatalf("a request without a code has product %v", h["product"])
	}
	path := "/api/v1/help-requests/" + h["id"].(string) + "/product"

	if f := e.do("PUT", path, shopper, map[string]any{"gtin": "4006381333932"}).wantError(422, "invalid_input"); f["field"] != "gtin" {
		t.Fatalf("a bad check digit: %v", f)
	}
	got := e.do("PUT", path, shopper, map[string]any{"gtin": " 4006381333931 "}).want(200).json()
	p, _ := got["product"].(map[string]any)
	if got["sku"] != "TV-1" || p["name"] != "OLED 55" || p["price"] != 999.0 || p["available"] != 4.0 {
		t.Fatalf("after the scan: sku %v, product %v", got["sku"], got["product"])
	}
	seen := e.do("GET", "/api/v1/help-requests/"+h["id"].(string), e.tokens["floor"], nil).want(200).json()
	if p, _ := seen["product"].(map[string]any); p["sku"] != "TV-1" {
		t.Fatalf("staff see product %v", seen["product"])
	}

	// Staff may scan too; a code the store does not sell stays as the reference.
	other := e.do("PUT", path, e.tokens["floor"], map[string]any{"gtin": "96385074"}).want(200).json()
	if other["sku"] != "96385074" || other["product"] != nil {
		t.Fatalf("an unknown code: sku %v, product %v", other["sku"], other["product"])
	}

	e.do("PUT", path, e.shopper(), map[string]any{"gtin": "4006381333931"}).wantError(404, "not_found")
	e.do("POST", "/api/v1/help-requests/"+h["id"].(string)+"/cancel", shopper, map[string]any{}).want(200)
	e.do("PUT", path, shopper, map[string]any{"gtin": "4006381333931"}).wantError(409, "invalid_state")
	if n := e.count(`SELECT count(*) FROM help_requests WHERE id = $1 AND sku = '96385074'`, h["id"]); n != 1 {
		t.Fatal("a closed request's product changed")
	}
}
