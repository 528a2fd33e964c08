package api_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// csvInventory builds a CSV of n products.
func csvInventory(n int) string {
	var b strings.Builder
	b.WriteString("sku,name,on_hand,price\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "SKU-%05d,Product %d television,%d,%d.99\n", i, i, i%5, 100+i)
	}
	return b.String()
}

func TestInventoryImportAndSearch(t *testing.T) {
	e := newEnv(t)
	path := "/api/v1/stores/" + e.store.ID + "/inventory"
	res := e.do("PUT", path, e.tokens["manager"], csvInventory(3000), "Content-Type", "text/csv").want(200).json()
	if res["upserted"] != 3000.0 {
		t.Fatalf("import %v", res)
	}
	e.do("PUT", path, e.tokens["floor"], csvInventory(1), "Content-Type", "text/csv").wantError(403, "forbidden")
	e.do("PUT", "/api/v1/stores/"+e.other.ID+"/inventory", e.tokens["manager"], csvInventory(1), "Content-Type", "text/csv").
		wantError(403, "forbidden")
	e.do("PUT", path, e.tokens["manager"], "<xml/>", "Content-Type", "application/xml").wantError(415, "unsupported_media_type")
	bad := csvInventory(10) + "SKU-X,Broken,-4,1\n"
	errBody := e.do("PUT", path, e.tokens["admin"], bad, "Content-Type", "text/csv").wantError(422, "invalid_input")
	if !strings.Contains(errBody["message"].(string), "12") {
		t.Fatalf("the refusal does not name line 12: %v", errBody)
	}
	found := e.do("GET", "/api/v1/stores/"+e.store.ID+"/products?q=SKU-0001", e.tokens["floor"], nil).want(200).list()
	if len(found) == 0 || found[0].(map[string]any)["sku"] != "SKU-00010" && found[0].(map[string]any)["sku"] != "SKU-00001" {
		t.Fatalf("search %v", found[:min(3, len(found))])
	}
	p := found[0].(map[string]any)
	if p["available"].(float64) != p["on_hand"].(float64)-p["held"].(float64) {
		t.Fatalf("available %v", p)
	}
}

// TestInventoryImportProgress streams progress lines to a client that asks,
// over a real connection, while the upload is still being read.
func TestInventoryImportProgress(t *testing.T) {
	e := newEnv(t)
	ts := httptest.NewServer(e.srv.Handler())
	defer ts.Close()
	req, _ := http.NewRequest("PUT", ts.URL+"/api/v1/stores/"+e.store.ID+"/inventory", strings.NewReader(csvInventory(20000)))
	req.Header.Set("Content-Type", "text/csv")
	req.Header.Set("Accept", "application/x-ndjson")
	req.Header.Set("Authorization", "Bearer "+e.tokens["manager"])
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var lines []map[string]any
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		var v map[string]any
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		lines = append(lines, v)
	}
	if len(lines) < 3 || lines[0]["rows"] == nil || lines[len(lines)-1]["upserted"] != 20000.0 {
		t.Fatalf("progress lines %v", lines)
	}
}

func TestHoldsOverHTTP(t *testing.T) {
	e := newEnv(t)
	e.do("PUT", "/api/v1/stores/"+e.store.ID+"/inventory", e.tokens["manager"],
		`[{"sku":"TV-1","name":"OLED 55","on_hand":2,"price":999}]`).want(200)
	shopper := e.shopper()
	body := map[string]any{"store_id": e.store.ID, "sku": "TV-1", "quantity": 1}
	h := e.do("POST", "/api/v1/holds", shopper, body, "Idempotency-Key", "h1").want(201).json()
	again := e.do("POST", "/api/v1/holds", shopper, body, "Idempotency-Key", "h1").want(201).json()
	if h["status"] != "active" || h["pickup_code"] == "" || again["id"] != h["id"] {
		t.Fatalf("hold %v, repeat %v", h, again)
	}
	e.do("POST", "/api/v1/holds", shopper, map[string]any{"store_id": e.store.ID, "sku": "TV-1", "quantity": 2}).
		wantError(409, "insufficient_stock")
	id := h["id"].(string)
	e.do("GET", "/api/v1/holds/"+id, e.shopper(), nil).wantError(404, "not_found")
	e.do("GET", "/api/v1/holds/"+id+"/qr.svg?access_token="+shopper, "", nil).want(200)
	if mine := e.do("GET", "/api/v1/me/holds", shopper, nil).want(200).list(); len(mine) != 1 {
		t.Fatalf("my holds %v", mine)
	}
	if list := e.do("GET", "/api/v1/stores/"+e.store.ID+"/holds?status=active", e.tokens["floor"], nil).want(200).list(); len(list) != 1 {
		t.Fatalf("store holds %v", list)
	}
	e.do("POST", "/api/v1/holds/"+id+"/pickup", e.tokens["floor"], map[string]string{"pickup_code": "WRONG1"}).
		wantError(422, "invalid_input")
	code := h["pickup_code"].(string)
	e.do("GET", "/api/v1/stores/"+e.store.ID+"/holds/by-code/"+code, e.tokens["floor"], nil).want(200)
	e.do("POST", "/api/v1/holds/"+id+"/ready", e.tokens["floor"], nil).want(200)
	got := e.do("POST", "/api/v1/holds/"+id+"/pickup", e.tokens["floor"], map[string]string{"pickup_code": code}).want(200).json()
	if got["status"] != "picked_up" {
		t.Fatalf("after pickup %v", got)
	}
	e.do("POST", "/api/v1/holds/"+id+"/pickup", e.tokens["floor"], map[string]string{"pickup_code": code}).
		wantError(409, "invalid_state")
	p := e.do("GET", "/api/v1/stores/"+e.store.ID+"/products?q=TV-1", e.tokens["agent"], nil).want(200).list()[0].(map[string]any)
	if p["on_hand"] != 1.0 || p["held"] != 0.0 {
		t.Fatalf("stock after pickup %v", p)
	}
}

func TestReportsOverHTTP(t *testing.T) {
	e := newEnv(t)
	shopper := e.shopper()
	e.do("POST", "/api/v1/help-requests", shopper, map[string]any{"department": "tv", "store_id": e.store.ID}).want(201)
	r := e.do("GET", "/api/v1/reports/stores/"+e.store.ID, e.tokens["manager"], nil).want(200).json()
	if r["requests"] != 1.0 || r["answered"] != 0.0 || r["first_response_p50_s"] != nil {
		t.Fatalf("report %v", r)
	}
	csv := e.do("GET", "/api/v1/reports/stores/"+e.store.ID+"?format=csv", e.tokens["admin"], nil).want(200)
	if !strings.HasPrefix(csv.Header().Get("Content-Type"), "text/csv") || !strings.Contains(csv.Body.String(), "requests") {
		t.Fatalf("csv %q", csv.Body.String())
	}
	e.do("GET", "/api/v1/reports/stores/"+e.store.ID, e.tokens["floor"], nil).wantError(403, "forbidden")
	e.do("GET", "/api/v1/reports/stores/"+e.other.ID, e.tokens["manager"], nil).wantError(403, "forbidden")
	e.do("GET", "/api/v1/reports/stores/"+e.store.ID+"?from=2026-02-01&to=2026-01-01", e.tokens["admin"], nil).
		wantError(422, "invalid_input")
	if all := e.do("GET", "/api/v1/reports/stores", e.tokens["admin"], nil).want(200).list(); len(all) != 2 {
		t.Fatalf("all stores %v", all)
	}
	e.do("GET", "/api/v1/reports/stores", e.tokens["manager"], nil).wantError(403, "forbidden")

	// Dates are the store's days: 23:30 UTC on the 14th is 00:30 on the 15th in Paris.
	e.db.MustExec(`UPDATE help_requests SET created_at = '2026-01-14T23:30:00Z'`)
	day := "?from=2026-01-15&to=2026-01-16"
	if r := e.do("GET", "/api/v1/reports/stores/"+e.store.ID+day, e.tokens["manager"], nil).want(200).json(); r["requests"] != 1.0 {
		t.Fatalf("the store's 15 January %v", r)
	}
	csv = e.do("GET", "/api/v1/reports/stores/"+e.store.ID+day+"&format=csv", e.tokens["manager"], nil).want(200)
	if d := csv.Header().Get("Content-Disposition"); !strings.Contains(d, "helpforce-report-2026-01-15-2026-01-16.csv") {
		t.Fatalf("file %q", d)
	}
	for _, r := range e.do("GET", "/api/v1/reports/stores"+day, e.tokens["admin"], nil).want(200).list() {
		if r := r.(map[string]any); r["requests"] != 0.0 {
			t.Fatalf("15 January in UTC %v", r)
		}
	}
}
