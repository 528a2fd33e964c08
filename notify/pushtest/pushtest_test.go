package pushtest_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	webpush "github.com/SherClockHolmes/webpush-go"

	"helpforce/notify/pushtest"
)

type vapidKeys struct{ public, private string }

func newVAPIDKeys(t *testing.T) vapidKeys {
	t.Helper()
	private, public, err := webpush.GenerateVAPIDKeys()
	if err != nil {
		t.Fatal(err)
	}
	return vapidKeys{public: public, private: private}
}

// send pushes payload with webpush-go, as the notify package does, and
// returns the answer with its body already closed.
func send(t *testing.T, sub pushtest.Subscription, keys vapidKeys, payload string, client webpush.HTTPClient) (*http.Response, error) {
	t.Helper()
	// webpush-go pads into the caller's slice, so each send gets its own.
	resp, err := webpush.SendNotificationWithContext(context.Background(), []byte(payload),
		&webpush.Subscription{Endpoint: sub.Endpoint, Keys: webpush.Keys{Auth: sub.Auth, P256dh: sub.P256dh}},
		&webpush.Options{
			HTTPClient:      client,
			Subscriber:      "ops@example.com", // webpush-go adds the mailto:
			VAPIDPublicKey:  keys.public,
			VAPIDPrivateKey: keys.private,
			TTL:             60,
			Urgency:         webpush.UrgencyHigh,
			Topic:           "req-123",
		})
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	return resp, nil
}

func mustSend(t *testing.T, sub pushtest.Subscription, keys vapidKeys, payload string) *http.Response {
	t.Helper()
	resp, err := send(t, sub, keys, payload, nil)
	if err != nil {
		t.Fatalf("send: %v", err)
	}
	return resp
}

func TestWebpushGoMessageIsVerifiedAndDecrypted(t *testing.T) {
	svc := pushtest.New(t)
	sub := svc.Subscribe()
	keys := newVAPIDKeys(t)
	payload := `{"title":"Help needed","body":"Aisle 12 — paint","url":"/requests/req-123"}`

	resp := mustSend(t, sub, keys, payload)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("status %d, want 201; rejections: %q", resp.StatusCode, svc.Rejections())
	}
	if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, svc.URL()+"/message/") {
		t.Errorf("Location %q, want a message resource on the service", loc)
	}

	m := svc.Wait(t, 1, time.Second)[0]
	if string(m.Plaintext) != payload {
		t.Errorf("plaintext %q, want %q", m.Plaintext, payload)
	}
	if m.Endpoint != sub.Endpoint || m.Status != http.StatusCreated {
		t.Errorf("endpoint %q status %d, want %q 201", m.Endpoint, m.Status, sub.Endpoint)
	}
	if m.TTL != 60 || m.Urgency != "high" || m.Topic != "req-123" {
		t.Errorf("TTL %d Urgency %q Topic %q, want 60 high req-123", m.TTL, m.Urgency, m.Topic)
	}
	if m.Claims["aud"] != svc.URL() {
		t.Errorf("aud %v, want %s", m.Claims["aud"], svc.URL())
	}
	if m.Claims["sub"] != "mailto:ops@example.com" {
		t.Errorf("sub %v, want mailto:ops@example.com", m.Claims["sub"])
	}
	if m.VAPIDKey != keys.public {
		t.Errorf("k= %q, want %q", m.VAPIDKey, keys.public)
	}
	if m.At.IsZero() {
		t.Error("At not set")
	}
	if r := svc.Rejections(); len(r) != 0 {
		t.Errorf("rejections %q, want none", r)
	}
	if hp := svc.HostPort(); !strings.HasPrefix(hp, "127.0.0.1:") || svc.URL() != "http://"+hp {
		t.Errorf("HostPort %q, URL %q", hp, svc.URL())
	}
}

func TestRequiredKeyRefusesAnotherSigner(t *testing.T) {
	svc := pushtest.New(t)
	sub := svc.Subscribe()
	svc.RequireVAPIDKey(newVAPIDKeys(t).public)

	resp := mustSend(t, sub, newVAPIDKeys(t), "hello")
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("status %d, want 403", resp.StatusCode)
	}
	assertOneRejection(t, svc, "403", "restricted")

	keys := newVAPIDKeys(t)
	svc.RequireVAPIDKey(keys.public)
	if resp := mustSend(t, sub, keys, "hello"); resp.StatusCode != http.StatusCreated {
		t.Errorf("required key: status %d, want 201", resp.StatusCode)
	}
}

func TestScriptedAnswersReachTheSender(t *testing.T) {
	svc := pushtest.New(t)
	gone, busy := svc.Subscribe(), svc.Subscribe()
	keys := newVAPIDKeys(t)

	svc.Respond(gone.Endpoint, pushtest.Behaviour{Status: http.StatusGone})
	svc.Respond("", pushtest.Behaviour{Status: http.StatusTooManyRequests, RetryAfter: "120", Times: 1})

	for range 2 {
		if resp := mustSend(t, gone, keys, "x"); resp.StatusCode != http.StatusGone {
			t.Errorf("gone: status %d, want 410", resp.StatusCode)
		}
	}
	resp := mustSend(t, busy, keys, "x")
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "120" {
		t.Errorf("busy: status %d Retry-After %q, want 429 120", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if resp := mustSend(t, busy, keys, "x"); resp.StatusCode != http.StatusCreated {
		t.Errorf("busy after Times ran out: status %d, want 201", resp.StatusCode)
	}

	svc.Respond(gone.Endpoint, pushtest.Behaviour{})
	if resp := mustSend(t, gone, keys, "x"); resp.StatusCode != http.StatusCreated {
		t.Errorf("gone after reset: status %d, want 201", resp.StatusCode)
	}

	var got []int
	for _, m := range svc.Messages() {
		got = append(got, m.Status)
	}
	if fmt.Sprint(got) != "[410 410 429 201 201]" {
		t.Errorf("recorded statuses %v, want [410 410 429 201 201]", got)
	}
}

func TestHangOutlastsSenderTimeout(t *testing.T) {
	svc := pushtest.New(t)
	sub := svc.Subscribe()
	svc.Respond(sub.Endpoint, pushtest.Behaviour{Hang: 10 * time.Second, Times: 1})

	start := time.Now()
	_, err := send(t, sub, newVAPIDKeys(t), "slow", &http.Client{Timeout: 100 * time.Millisecond})
	if err == nil {
		t.Fatal("send through a hanging service succeeded; want a timeout")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("send took %v; the client timeout should end it", d)
	}
	if m := svc.Wait(t, 1, time.Second); string(m[0].Plaintext) != "slow" {
		t.Errorf("hung message %q not recorded", m[0].Plaintext)
	}
	if resp := mustSend(t, sub, newVAPIDKeys(t), "fast"); resp.StatusCode != http.StatusCreated {
		t.Errorf("after the hang: status %d, want 201", resp.StatusCode)
	}
}

func TestConcurrentSends(t *testing.T) {
	svc := pushtest.New(t)
	keys := newVAPIDKeys(t)
	subs := []pushtest.Subscription{svc.Subscribe(), svc.Subscribe(), svc.Subscribe()}

	const n = 30
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			resp, err := send(t, subs[i%len(subs)], keys, fmt.Sprintf("message %d", i), nil)
			if err != nil || resp.StatusCode != http.StatusCreated {
				t.Errorf("send %d: %v %v", i, err, resp)
			}
		})
	}
	wg.Wait()

	seen := map[string]bool{}
	for _, m := range svc.Wait(t, n, 5*time.Second) {
		seen[string(m.Plaintext)] = true
	}
	if len(seen) != n {
		t.Errorf("%d distinct messages, want %d", len(seen), n)
	}
}

func TestUnknownSubscriptionIsNotFound(t *testing.T) {
	svc := pushtest.New(t)
	sub := svc.Subscribe()
	sub.Endpoint = svc.URL() + "/push/unknown"

	if resp := mustSend(t, sub, newVAPIDKeys(t), "x"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("status %d, want 404", resp.StatusCode)
	}
	if len(svc.Messages()) != 0 || len(svc.Rejections()) != 0 {
		t.Errorf("unknown subscription recorded: %v %q", svc.Messages(), svc.Rejections())
	}
}

func assertOneRejection(t *testing.T, svc *pushtest.Service, want ...string) {
	t.Helper()
	r := svc.Rejections()
	if len(r) != 1 {
		t.Fatalf("rejections %q, want one", r)
	}
	for _, w := range want {
		if !strings.Contains(r[0], w) {
			t.Errorf("rejection %q does not mention %q", r[0], w)
		}
	}
	if m := svc.Messages(); len(m) != 0 {
		t.Errorf("refused request recorded as a message: %+v", m)
	}
}

func TestListenOutsideATestAndOnMessage(t *testing.T) {
	svc, err := pushtest.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	got := make(chan pushtest.Message, 1)
	svc.OnMessage(func(m pushtest.Message) { got <- m })
	sub := svc.Subscribe()

	if resp := mustSend(t, sub, newVAPIDKeys(t), `{"type":"help_request"}`); resp.StatusCode != http.StatusCreated {
		t.Fatalf("status %d, want 201; rejections: %q", resp.StatusCode, svc.Rejections())
	}
	select {
	case m := <-got:
		if string(m.Plaintext) != `{"type":"help_request"}` || m.Endpoint != sub.Endpoint {
			t.Errorf("hook got %q at %s, want the plaintext at %s", m.Plaintext, m.Endpoint, sub.Endpoint)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the hook was not called")
	}
	if n := len(svc.Messages()); n != 1 {
		t.Errorf("%d messages recorded, want 1", n)
	}
}
