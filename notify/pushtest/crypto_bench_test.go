package pushtest

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	webpush "github.com/SherClockHolmes/webpush-go"
)

// keep is an HTTP client that answers 201 and keeps the last request sent,
// its body read: the sender's work without the network.
type keep struct {
	req  *http.Request
	body []byte
}

func (k *keep) Do(r *http.Request) (*http.Response, error) {
	k.req = r
	k.body, _ = io.ReadAll(r.Body)
	return &http.Response{StatusCode: http.StatusCreated, Body: io.NopCloser(strings.NewReader(""))}, nil
}

// BenchmarkPushCrypto is the CPU one web push costs each side, one at a
// time on one core: "send" is webpush-go encrypting (RFC 8291) and signing
// its VAPID token (RFC 8292) anew for every push, as the server's workers
// do; "receive" is this double verifying that token and decrypting, as the
// load tool does for every alert. A lifecycle of the lifecycle load sends
// six pushes.
func BenchmarkPushCrypto(b *testing.B) {
	s, err := Listen("127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	private, public, err := webpush.GenerateVAPIDKeys()
	if err != nil {
		b.Fatal(err)
	}
	sub := s.Subscribe()
	k := &keep{}
	payload := `{"type":"help_request","title":"Help wanted: TVs","body":"Which one should I buy?","request_id":"8d4c2f0e-5a51-4d3c-9d2e-0f6f3b1f6f0a","url":"/staff/requests/8d4c2f0e-5a51-4d3c-9d2e-0f6f3b1f6f0a"}`
	send := func() {
		res, err := webpush.SendNotificationWithContext(context.Background(), []byte(payload),
			&webpush.Subscription{Endpoint: sub.Endpoint, Keys: webpush.Keys{Auth: sub.Auth, P256dh: sub.P256dh}},
			&webpush.Options{HTTPClient: k, Subscriber: "ops@example.com", VAPIDPublicKey: public, VAPIDPrivateKey: private,
				TTL: 60, Urgency: webpush.UrgencyHigh, Topic: "request-1"})
		if err != nil {
			b.Fatal(err)
		}
		res.Body.Close()
	}
	b.Run("send", func(b *testing.B) {
		for b.Loop() {
			send()
		}
	})
	b.Run("receive", func(b *testing.B) {
		send()
		id := sub.Endpoint[strings.LastIndex(sub.Endpoint, "/")+1:]
		s.mu.Lock()
		to := s.subs[id]
		s.mu.Unlock()
		for b.Loop() {
			r := k.req.Clone(context.Background())
			r.Body = io.NopCloser(bytes.NewReader(k.body))
			m, err := s.validate(r, to, nil, time.Now())
			if err != nil || string(m.Plaintext) != payload {
				b.Fatalf("validate: %v, %q", err, m.Plaintext)
			}
		}
	})
}
