package api_test

import (
	"testing"
	"time"

	"helpforce/pg/pgtest"
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

// TestBusyMomentsAlertWithoutAClaim follows a request through the moments
// whose alerts are leased at birth to the replica that queues them
// (creation, the racing accept, messages, the resolution): every alert is
// delivered once, and none was claimed from the outbox. A leased row's due
// time is its creation's plus the lease (60 s), both read in the queuing
// transaction; a claim would have moved it to the claim's time plus the
// lease, and counted one more attempt.
func TestBusyMomentsAlertWithoutAClaim(t *testing.T) {
	e := newEnv(t)
	e.startWorkers()
	sam := e.staffer("sam@example.com", "floor", "tv")
	e.staffer("max@example.com", "floor", "tv")
	shopper := e.shopper()
	phone := e.pushsvc.Subscribe()
	e.do("POST", "/api/v1/push/subscriptions", shopper, map[string]any{"endpoint": phone.Endpoint,
		"keys": map[string]string{"p256dh": phone.P256dh, "auth": phone.Auth}}).want(201)

	id := e.do("POST", "/api/v1/help-requests", shopper, map[string]any{"department": "tv", "store_id": e.store.ID}).
		want(201).json()["id"].(string)
	e.pushsvc.Wait(t, 2, 5*time.Second) // sam's and max's offers
	e.do("POST", "/api/v1/help-requests/"+id+"/accept", sam, nil).want(200)
	e.pushsvc.Wait(t, 4, 5*time.Second) // max's withdrawal, the shopper's "on the way"
	e.do("POST", "/api/v1/help-requests/"+id+"/messages", sam, map[string]string{"body": "Aisle 12"}).want(201)
	e.do("POST", "/api/v1/help-requests/"+id+"/messages", shopper, map[string]string{"body": "Thanks"}).want(201)
	e.do("POST", "/api/v1/help-requests/"+id+"/resolve", sam, nil).want(200)
	e.pushsvc.Wait(t, 7, 5*time.Second)

	pgtest.Eventually(t, 5*time.Second, "every alert is marked sent", func() bool {
		return e.count(`SELECT count(*) FROM push_outbox WHERE status = 'sent'`) == 7
	})
	if n := e.count(`SELECT count(*) FROM push_outbox WHERE attempts <> 1 OR due_at <> created_at + interval '60 seconds'`); n != 0 {
		t.Fatalf("%d alerts were claimed from the outbox; want all 7 sent as handed over", n)
	}
	time.Sleep(300 * time.Millisecond)
	if n := len(e.pushsvc.Messages()); n != 7 {
		t.Fatalf("%d pushes; want the 7 alerts once each", n)
	}
}
