package api_test

import (
	"encoding/json"
	"testing"
	"time"
)

// subscribeIn subscribes a device of token's owner to the push double with
// the app in lang, and returns the endpoint.
func (e *env) subscribeIn(token, lang string) string {
	e.t.Helper()
	sub := e.pushsvc.Subscribe()
	e.do("POST", "/api/v1/push/subscriptions", token, map[string]any{"endpoint": sub.Endpoint, "lang": lang,
		"keys": map[string]string{"p256dh": sub.P256dh, "auth": sub.Auth}}).want(201)
	return sub.Endpoint
}

// TestAlertsInTheAppsLanguage: a staff member whose app is in French gets
// the first offer (queued by the creation statement) and later alerts in
// French; an English shopper reads English, a French one French.
func TestAlertsInTheAppsLanguage(t *testing.T) {
	e := newEnv(t)
	e.startWorkers()
	e.do("POST", "/api/v1/users", e.tokens["admin"], map[string]any{"email": "camille@example.com", "name": "Camille",
		"password": testPassword, "role": "floor", "store_id": e.store.ID, "departments": []string{"tv"}}).want(201)
	camille := e.login("camille@example.com", testPassword)
	e.do("PUT", "/api/v1/me/status", camille, map[string]string{"status": "available"}).want(200)
	sub := e.pushsvc.Subscribe()
	e.do("POST", "/api/v1/push/subscriptions", camille, map[string]any{"endpoint": sub.Endpoint, "lang": "de",
		"keys": map[string]string{"p256dh": sub.P256dh, "auth": sub.Auth}}).wantError(422, "invalid_input")

	toCamille := e.subscribeIn(camille, "fr")
	english, french := e.shopper(), e.shopper()
	toEnglish, toFrench := e.subscribeIn(english, "en"), e.subscribeIn(french, "fr")
	// next returns the next alert a device received, decrypted.
	read := map[string]int{}
	next := func(endpoint string) map[string]any {
		t.Helper()
		for n := 1; ; n++ {
			var mine []map[string]any
			for _, m := range e.pushsvc.Wait(t, n, 5*time.Second) {
				if m.Endpoint == endpoint {
					var p map[string]any
					if err := json.Unmarshal(m.Plaintext, &p); err != nil {
						t.Fatal(err)
					}
					mine = append(mine, p)
				}
			}
			if len(mine) > read[endpoint] {
				read[endpoint]++
				return mine[read[endpoint]-1]
			}
		}
	}

	id := e.do("POST", "/api/v1/help-requests", english, map[string]any{"department": "tv", "store_id": e.store.ID}).
		want(201).json()["id"].(string)
	offer := next(toCamille)
	if offer["title"] != "tv — besoin d'aide" || offer["body"] != "Un client attend à Lyon Part-Dieu" ||
		offer["type"] != "help_request" || offer["request_id"] != id || offer["url"] != "/staff/requests/"+id {
		t.Fatalf("offer %v", offer)
	}
	e.do("POST", "/api/v1/help-requests/"+id+"/accept", camille, nil).want(200)
	if p := next(toEnglish); p["title"] != "Camille is on the way" || p["body"] != "Open the app to chat." {
		t.Fatalf("the English shopper read %v", p)
	}
	e.do("POST", "/api/v1/help-requests/"+id+"/messages", english, map[string]string{"body": "Near the soundbars"}).want(201)
	if p := next(toCamille); p["title"] != "Le client a écrit" || p["body"] != "Near the soundbars" {
		t.Fatalf("Camille read %v", p)
	}

	e.do("POST", "/api/v1/help-requests/"+id+"/resolve", camille, nil).want(200)
	if p := next(toEnglish); p["title"] != "Your request is resolved" {
		t.Fatalf("the English shopper read %v", p)
	}
	id = e.do("POST", "/api/v1/help-requests", french, map[string]any{"department": "tv", "store_id": e.store.ID}).
		want(201).json()["id"].(string)
	if p := next(toCamille); p["title"] != "tv — besoin d'aide" {
		t.Fatalf("the second offer %v", p)
	}
	e.do("POST", "/api/v1/help-requests/"+id+"/accept", camille, nil).want(200)
	if p := next(toFrench); p["title"] != "Camille arrive" || p["body"] != "Ouvrez l'application pour discuter." {
		t.Fatalf("the French shopper read %v", p)
	}
}
