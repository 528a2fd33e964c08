package api_test

import (
	"strings"
	"testing"
)

// TestProductsByBarcode: the import takes a gtin column and refuses a bad
// check digit with its line; a product is found by its barcode; a help
// request with a scanned code shows the product to shopper and staff.
func TestProductsByBarcode(t *testing.T) {
	e := newEnv(t)
	inv := "/api/v1/stores/" + e.store.ID + "/inventory"
	manager := e.tokens["manager"]
	bad := e.do("PUT", inv, manager, "sku,name,on_hand,gtin\nTV-1,OLED 55,4,4006381333931\nTV-2,OLED 65,2,4006381333932\n",
		"Content-Type", "text/csv").wantError(422, "invalid_input")
	if !strings.Contains(bad["message"].(string), "line 3") {
		t.Fatalf("the refusal does not name the line: %v", bad)
	}
	e.do("PUT", inv, manager, "sku,name,on_hand,gtin\nTV-1,OLED 55,4,4006381333931\nTV-2,OLED 65,2,4006381333931\n",
		"Content-Type", "text/csv").wantError(422, "invalid_input")
	e.do("PUT", inv, manager, "sku,name,on_hand,price,gtin\nTV-1,OLED 55,4,999.00,4006381333931\nCAB-1,HDMI cable,10,9.99,\n",
		"Content-Type", "text/csv").want(200)
	e.do("PUT", inv, manager, []map[string]any{{"sku": "PH-1", "name": "Phone", "on_hand": 3, "gtin": "036000291452"}}).want(200)
	e.do("PUT", inv, manager, []map[string]any{{"sku": "PH-2", "name": "Phone", "on_hand": 3, "gtin": "036000291453"}}).
		wantError(422, "invalid_input")

	products := "/api/v1/stores/" + e.store.ID + "/products?gtin="
	found := e.do("GET", products+"4006381333931", "", nil).want(200).list()
	if len(found) != 1 || found[0].(map[string]any)["sku"] != "TV-1" || found[0].(map[string]any)["gtin"] != "4006381333931" {
		t.Fatalf("found %v", found)
	}
	if upc := e.do("GET", products+"036000291452", "", nil).want(200).list(); len(upc) != 1 || upc[0].(map[string]any)["sku"] != "PH-1" {
		t.Fatalf("UPC-A found %v", upc)
	}
	if none := e.do("GET", products+"96385074", "", nil).want(200).list(); len(none) != 0 {
		t.Fatalf("an unknown code found %v", none)
	}
	e.do("GET", products+"4006381333932", "", nil).wantError(422, "invalid_input")

	shopper := e.shopper()
	req := map[string]any{"department": "tv", "store_id": e.store.ID, "gtin": "4006381333932"}
	if f := e.do("POST", "/api/v1/help-requests", shopper, req).wantError(422, "invalid_input"); f["field"] != "gtin" {
		t.Fatalf("refusal %v", f)
	}
	req["gtin"] = "4006381333931"
	h := e.do("POST", "/api/v1/help-requests", shopper, req).want(201).json()
	want := map[string]any{"sku": "TV-1", "name": "OLED 55", "price": 999.0, "available": 4.0}
	for _, who := range []string{shopper, e.tokens["floor"]} {
		seen := e.do("GET", "/api/v1/help-requests/"+h["id"].(string), who, nil).want(200).json()
		p, _ := seen["product"].(map[string]any)
		for k, v := range want {
			if p[k] != v {
				t.Fatalf("product %v, want %v", seen["product"], want)
			}
		}
		if seen["sku"] != "TV-1" {
			t.Fatalf("sku %v", seen["sku"])
		}
	}
}
