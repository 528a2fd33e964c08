package api_test

import (
	"encoding/json"
	"net/http"
	"testing"
)

// bodyRoute is an endpoint that takes a JSON body, the role that calls it
// and a valid body to seed the corpus with.
type bodyRoute struct {
	method, path, role string
	seed               any
}

// FuzzJSONBodies sends arbitrary bodies to every endpoint that reads JSON,
// as a caller allowed to use it, with an arbitrary Content-Type now and then.
func FuzzJSONBodies(f *testing.F) {
	e := newEnv(f)
	floor := e.staffer("sam@example.com", "floor", "tv")
	shopper := e.shopper()
	e.tokens["shopper"], e.tokens["sam"] = shopper, floor
	e.do("PUT", "/api/v1/stores/"+e.store.ID+"/inventory", e.tokens["manager"], "sku,name,on_hand\nTV-1,Television,5\n",
		"Content-Type", "text/csv").want(http.StatusOK)
	req := e.do("POST", "/api/v1/help-requests", shopper, map[string]any{"department": "tv", "store_id": e.store.ID}).
		want(http.StatusCreated).json()["id"].(string)
	hold := e.do("POST", "/api/v1/holds", shopper, map[string]any{"store_id": e.store.ID, "sku": "TV-1", "quantity": 1}).
		want(http.StatusCreated).json()["id"].(string)
	var userID string
	if err := e.db.Get(&userID, `SELECT id FROM users WHERE email = 'sam@example.com'`); err != nil {
		f.Fatal(err)
	}
	store := "/api/v1/stores/" + e.store.ID
	routes := []bodyRoute{
		{"POST", "/api/v1/auth/login", "", map[string]string{"email": "floor@example.com", "password": testPassword}},
		{"PUT", "/api/v1/me/status", "sam", map[string]string{"status": "break"}},
		{"POST", "/api/v1/users", "admin", map[string]any{"email": "new@example.com", "name": "New", "password": testPassword,
			"role": "floor", "store_id": e.store.ID, "departments": []string{"tv"}}},
		{"PATCH", "/api/v1/users/" + userID, "admin", map[string]any{"name": "Sam M", "departments": []string{"tv", "phones"}}},
		{"POST", "/api/v1/stores", "admin", map[string]any{"name": "Lyon Bellecour", "timezone": "Europe/Paris",
			"address": "Place Bellecour", "location": map[string]float64{"lat": 45.7578, "lng": 4.8320}, "radius_m": 50}},
		{"PUT", store, "admin", map[string]any{"name": "Lyon Part-Dieu", "timezone": "Europe/Paris", "address": "Part-Dieu",
			"location": map[string]float64{"lat": 45.7611, "lng": 4.8557}, "footprint": map[string]any{"type": "Polygon",
				"coordinates": [][][]float64{{{4.855, 45.761}, {4.857, 45.761}, {4.857, 45.762}, {4.855, 45.761}}}}}},
		{"POST", store + "/departments", "manager", map[string]string{"code": "garden", "name": "Garden"}},
		{"POST", store + "/spots", "manager", map[string]string{"department": "tv", "label": "Aisle 12"}},
		{"POST", "/api/v1/help-requests", "shopper", map[string]any{"department": "tv", "lat": 45.7611, "lng": 4.8557, "accuracy": 15, "note": "hi"}},
		{"PATCH", "/api/v1/help-requests/" + req, "shopper", map[string]string{"store_id": e.other.ID}},
		{"POST", "/api/v1/help-requests/" + req + "/messages", "shopper", map[string]string{"body": "Where are the TVs?"}},
		{"POST", "/api/v1/help-requests/" + req + "/escalate", "sam", map[string]string{"to": "remote", "reason": "no stock"}},
		{"POST", "/api/v1/help-requests/" + req + "/rating", "shopper", map[string]any{"score": 5, "comment": "great"}},
		{"POST", "/api/v1/holds", "shopper", map[string]any{"store_id": e.store.ID, "sku": "TV-1", "quantity": 2}},
		{"POST", "/api/v1/holds/" + hold + "/pickup", "sam", map[string]string{"pickup_code": "ACDEFH"}},
		{"POST", "/api/v1/push/subscriptions", "shopper", map[string]any{"endpoint": "https://fcm.googleapis.com/fcm/send/abc",
			"keys": map[string]string{"p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM", "auth": "tBHItJI5svbpez7KI4CCXg"}}},
		{"DELETE", "/api/v1/push/subscriptions", "shopper", map[string]string{"endpoint": "https://fcm.googleapis.com/fcm/send/abc"}},
		{"POST", "/api/v1/saved-replies", "admin", map[string]string{"title": "Hello", "body": "How can I help?"}},
		{"PUT", "/api/v1/help-requests/" + req + "/product", "shopper", map[string]string{"gtin": "4006381333931"}},
	}
	for i, r := range routes {
		raw, _ := json.Marshal(r.seed)
		f.Add(uint8(i), false, raw)
	}
	for i, garbage := range []string{"", "null", "[]", "{", `{"a":1}{"b":2}`, `"str"`, `{"department":{"$ne":1}}`,
		`{"email":"` + "\u0000" + `","password":1e999}`, `{"quantity":-9223372036854775809}`, `{"location":{"lat":"x"}}`,
		`{"score":1.5}`, `{"body":"` + string(make([]byte, 10)) + `"}`} {
		f.Add(uint8(i), i%3 == 0, []byte(garbage))
	}
	f.Fuzz(func(t *testing.T, which uint8, oddType bool, body []byte) {
		r := routes[int(which)%len(routes)]
		ct := "application/json"
		if oddType {
			ct = "text/plain; charset=utf-8"
		}
		e.hostile(t, fuzzRequest(r.method, r.path, e.tokens[r.role], ct, body))
	})
}
