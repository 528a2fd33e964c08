package api_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The fuzz targets send hostile input through the real handlers, on a real
// database: whatever arrives, the answer is never 5xx (a panic is answered
// 500 by the recoverer, so it counts too), and a refusal (4xx) leaves the
// database as it was. `make fuzz` runs each for FUZZTIME; plain `go test`
// replays the seeds and the inputs kept under testdata/fuzz.

// stateTables are the tables a refused request must leave alone. Sessions
// and rate limits are left out: a failed login is counted on purpose.
var stateTables = []string{"stores", "departments", "users", "user_departments", "shoppers", "settings",
	"products", "spots", "push_subscriptions", "push_outbox", "help_requests", "offers", "request_messages",
	"ratings", "request_events", "timers", "holds", "saved_replies"}

// digest is a fingerprint of every row of the state tables.
func (e *env) digest() string {
	e.t.Helper()
	var b strings.Builder
	for _, table := range stateTables {
		var sum string
		if err := e.db.Get(&sum, `SELECT md5(COALESCE(string_agg(t::text, '|' ORDER BY t::text), '')) FROM `+table+` t`); err != nil {
			e.t.Fatal(err)
		}
		b.WriteString(table + "=" + sum + " ")
	}
	return b.String()
}

// hostile sends one request and checks the outcome: no 5xx, and no change
// to the database when refused.
func (e *env) hostile(t *testing.T, req *http.Request) *httptest.ResponseRecorder {
	t.Helper()
	e.t = t
	before := e.digest()
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	if rec.Code >= 500 {
		t.Fatalf("%s %s answered %d: %s", req.Method, req.URL, rec.Code, rec.Body.String())
	}
	if rec.Code >= 400 {
		if after := e.digest(); after != before {
			t.Fatalf("%s %s was refused with %d (%s) but changed the database:\nbefore %s\nafter  %s",
				req.Method, req.URL, rec.Code, rec.Body.String(), before, after)
		}
	}
	return rec
}

// fuzzRequest builds a request with a raw body and bearer token.
func fuzzRequest(method, path, token, contentType string, body []byte) *http.Request {
	req := httptest.NewRequest(method, "/", strings.NewReader(string(body)))
	req.URL.Path = path
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req
}

// FuzzInventoryImport sends arbitrary CSV and JSON inventory files.
func FuzzInventoryImport(f *testing.F) {
	e := newEnv(f)
	path := "/api/v1/stores/" + e.store.ID + "/inventory"
	for _, s := range []string{
		"sku,name,on_hand,price\nTV-1,Television,4,499.00\n",
		"SKU,Name,On_Hand\nTV-2,\"Quoted, name\",0\n",
		"sku,name,on_hand,price\nTV-3,Bad,-1,1\n",
		"sku,name,on_hand,price\nTV-4,Bad,1,-1\n",
		"sku,name,on_hand,price\nTV-5,Bad,1000001,\n",
		"sku,name\nTV-6,no count\n",
		"sku,name,on_hand,on_hand\nTV-7,dup,1,2\n",
		"\xef\xbb\xbfsku,name,on_hand\nTV-8,bom,1\n",
		"sku,name,on_hand\n\"unterminated,x,1\n",
		"sku,name,on_hand\nTV-9,x,1\nTV-9,x,2\n",
		"sku,name,on_hand,price\nTV-10,x,1,1e400\n",
		"sku,name,on_hand,price\nTV-11,x,1,NaN\n",
	} {
		f.Add(true, []byte(s))
	}
	for _, s := range []string{
		`[{"sku":"TV-1","name":"Television","on_hand":4,"price":499}]`,
		`[{"sku":"","name":"x","on_hand":1}]`,
		`[{"sku":"TV-2","name":"x","on_hand":1.5}]`,
		`[{"sku":"TV-3","name":"x","on_hand":1,"price":"1"}]`,
		`{"sku":"TV-4"}`, `[]`, `[null]`, `null`, `[{"sku":"TV-5","name":"x","on_hand":1e20}]`,
	} {
		f.Add(false, []byte(s))
	}
	f.Fuzz(func(t *testing.T, csv bool, body []byte) {
		ct := "application/json"
		if csv {
			ct = "text/csv"
		}
		e.hostile(t, fuzzRequest("PUT", path, e.tokens["manager"], ct, body))
	})
}

// FuzzQueryParams sends arbitrary query strings to the endpoints that read
// them: locate, product search, the queue, a store's holds and reports.
func FuzzQueryParams(f *testing.F) {
	e := newEnv(f)
	targets := []struct{ path, role string }{
		{"/api/v1/locate", ""},
		{"/api/v1/stores/" + e.store.ID + "/products", "manager"},
		{"/api/v1/queue", "floor"},
		{"/api/v1/stores/" + e.store.ID + "/holds", "floor"},
		{"/api/v1/reports/stores/" + e.store.ID, "manager"},
		{"/api/v1/reports/stores", "admin"},
		{"/api/v1/stores/" + e.store.ID + "/requests", "manager"},
	}
	for i, q := range []string{
		"lat=45.7611&lng=4.8557&accuracy=20", "lat=91&lng=0", "lat=NaN&lng=Inf&accuracy=-1", "lat=1e308&lng=-1e308&accuracy=1e308",
		"q=tv", "q=%00%ff", "q=" + strings.Repeat("a", 300), "q=%25_%5C", "gtin=4006381333931", "gtin=abc",
		"status=active", "status=bogus",
		"from=2026-01-01&to=2026-02-01", "from=2026-02-01&to=2026-01-01", "from=0000-01-01&to=9999-12-31", "format=csv&from=garbage",
		"from=2026-01-01T00:00:00Z&to=2026-01-01T00:00:00%2B99:00", "limit=-1&offset=99999999999999999999",
	} {
		f.Add(uint8(i%len(targets)), q)
	}
	f.Fuzz(func(t *testing.T, which uint8, query string) {
		tg := targets[int(which)%len(targets)]
		req := fuzzRequest("GET", tg.path, e.tokens[tg.role], "", nil)
		req.URL.RawQuery = query
		e.hostile(t, req)
	})
}
