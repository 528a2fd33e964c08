package api_test

import (
	"testing"
)

func TestPushSubscriptions(t *testing.T) {
	e := newEnv(t)
	key := e.do("GET", "/api/v1/push/vapid-public-key", "", nil).want(200).json()["key"].(string)
	if len(key) != 87 { // 65 bytes, base64url without padding
		t.Fatalf("VAPID key %q", key)
	}
	sub := e.pushsvc.Subscribe()
	body := map[string]any{"endpoint": sub.Endpoint, "keys": map[string]string{"p256dh": sub.P256dh, "auth": sub.Auth}}
	e.do("POST", "/api/v1/push/subscriptions", e.tokens["floor"], body).want(201)
	e.do("POST", "/api/v1/push/subscriptions", e.tokens["floor"], body).want(201) // renewing is the same call
	shopper := e.do("POST", "/api/v1/shoppers", "", nil).want(201).json()["token"].(string)
	other := e.pushsvc.Subscribe()
	e.do("POST", "/api/v1/push/subscriptions", shopper, map[string]any{"endpoint": other.Endpoint,
		"keys": map[string]string{"p256dh": other.P256dh, "auth": other.Auth}}).want(201)
	if n := e.count(`SELECT count(*) FROM push_subscriptions`); n != 2 {
		t.Fatalf("%d subscriptions stored, want 2", n)
	}

	refused := []map[string]any{
		{"endpoint": "http://169.254.169.254/latest", "keys": map[string]string{"p256dh": sub.P256dh, "auth": sub.Auth}},
		{"endpoint": "https://evil.example.com/push", "keys": map[string]string{"p256dh": sub.P256dh, "auth": sub.Auth}},
		{"endpoint": "https://fcm.googleapis.com/fcm/send/x", "keys": map[string]string{"p256dh": "nope", "auth": sub.Auth}},
		{"endpoint": "https://fcm.googleapis.com/fcm/send/x", "keys": map[string]string{"p256dh": sub.P256dh, "auth": "AAAA"}},
		{"endpoint": "https://fcm.googleapis.com/fcm/send/x"},
	}
	for _, b := range refused {
		e.do("POST", "/api/v1/push/subscriptions", e.tokens["floor"], b).wantError(422, "invalid_input")
	}
	e.do("POST", "/api/v1/push/subscriptions", "", body).wantError(401, "unauthorized")
	if n := e.count(`SELECT count(*) FROM push_subscriptions`); n != 2 {
		t.Fatalf("%d subscriptions after refusals, want 2", n)
	}

	e.do("DELETE", "/api/v1/push/subscriptions", e.tokens["agent"], map[string]string{"endpoint": sub.Endpoint}).
		wantError(404, "not_found")
	e.do("DELETE", "/api/v1/push/subscriptions", e.tokens["floor"], map[string]string{"endpoint": sub.Endpoint}).want(204)
	e.do("DELETE", "/api/v1/push/subscriptions", e.tokens["floor"], map[string]string{"endpoint": sub.Endpoint}).
		wantError(404, "not_found")
	e.do("DELETE", "/api/v1/push/subscriptions", e.tokens["floor"], map[string]string{}).wantError(422, "invalid_input")
}
