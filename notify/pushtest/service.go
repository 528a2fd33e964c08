// Package pushtest is a Web Push service double for tests. It issues
// subscriptions the way a browser does, verifies VAPID (RFC 8292), checks the
// RFC 8030 request headers and decrypts aes128gcm payloads (RFC 8291,
// RFC 8188), so a test that passes through it proves the sender speaks the
// protocol, not merely that it made an HTTP request.
package pushtest

import (
	"bytes"
	"crypto/ecdh"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// Service is a push service on a local httptest server (plain http on
// 127.0.0.1). Its methods are safe for concurrent use.
type Service struct {
	srv    *httptest.Server
	ln     *switchable
	closed chan struct{} // closed at cleanup so hanging answers end at once

	mu         sync.Mutex
	onMessage  func(Message)          // see OnMessage; nil: none
	subs       map[string]*subscriber // by subscription id
	scripts    map[string]*script     // by endpoint; "" applies to all
	messages   []Message
	rejections []string
	vapidKey   []byte        // nil: any key whose own signature verifies
	arrived    chan struct{} // closed and replaced on every new Message
}

// subscriber is the browser's half of a subscription: the keys a user agent
// keeps to decrypt what the push service delivers (RFC 8291 §2).
type subscriber struct {
	key  *ecdh.PrivateKey
	auth []byte
}

// Subscription is what a browser's PushSubscription hands to the application
// server: the endpoint and the two keys of PushSubscription.getKey().
type Subscription struct {
	Endpoint string // URL()+"/push/"+random id
	P256dh   string // base64url (no padding) uncompressed P-256 public key, 65 bytes
	Auth     string // base64url (no padding) 16 random bytes
}

// Message is one push the service accepted and validated. Status is the
// answer the scripted Behaviour chose, so refused-by-script attempts count too.
type Message struct {
	Endpoint  string
	Plaintext []byte         // decrypted, padding removed
	TTL       int            // seconds, from the TTL header
	Urgency   string         // "" if absent
	Topic     string         // "" if absent
	Claims    map[string]any // VAPID JWT claims (aud, exp, sub)
	VAPIDKey  string         // the k= public key (base64url)
	Status    int            // what the service answered
	At        time.Time      // when the request arrived
}

// New starts a Service; t.Cleanup closes it.
func New(t testing.TB) *Service {
	t.Helper()
	s, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatalf("pushtest: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// Listen starts a Service on addr ("127.0.0.1:0" for any free port) for a
// program that is not a test, such as a load generator, which must call
// Close when done. A fixed addr lets a server started elsewhere be told
// which host:port to allow for push.
func Listen(addr string) (*Service, error) {
	ln, err := newSwitchable(addr)
	if err != nil {
		return nil, fmt.Errorf("pushtest: listen on %s: %w", addr, err)
	}
	s := &Service{
		closed:  make(chan struct{}),
		subs:    map[string]*subscriber{},
		scripts: map[string]*script{},
		arrived: make(chan struct{}),
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /push/{id}", s.push)
	s.ln = ln
	s.srv = httptest.NewUnstartedServer(mux)
	s.srv.Listener.Close()
	s.srv.Listener = ln
	s.srv.Start()
	return s, nil
}

// Close ends hanging answers and stops the service.
func (s *Service) Close() {
	close(s.closed)
	s.srv.Close()
}

// OnMessage has fn called with each message the service accepts, as it
// arrives, from the goroutine serving the push; fn must be safe for
// concurrent use. Nil removes the hook.
func (s *Service) OnMessage(fn func(Message)) {
	s.mu.Lock()
	s.onMessage = fn
	s.mu.Unlock()
}

// URL is the service's origin, e.g. http://127.0.0.1:PORT.
func (s *Service) URL() string { return s.srv.URL }

// HostPort is "127.0.0.1:PORT", the form HELPFORCE_PUSH_ALLOW_HOSTS takes.
func (s *Service) HostPort() string { return s.srv.Listener.Addr().String() }

// Subscribe issues a subscription with a fresh P-256 key pair and auth
// secret, as a browser would.
func (s *Service) Subscribe() Subscription {
	key, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		panic("pushtest: generate P-256 key: " + err.Error())
	}
	auth := make([]byte, 16) // RFC 8291 §3.2: a 16-octet authentication secret
	rand.Read(auth)
	id := rand.Text()

	s.mu.Lock()
	s.subs[id] = &subscriber{key: key, auth: auth}
	s.mu.Unlock()
	return Subscription{
		Endpoint: s.URL() + "/push/" + id,
		P256dh:   base64.RawURLEncoding.EncodeToString(key.PublicKey().Bytes()),
		Auth:     base64.RawURLEncoding.EncodeToString(auth),
	}
}

// RequireVAPIDKey makes the service accept only JWTs signed by pub, a
// base64url uncompressed P-256 public key, as a subscription created with
// applicationServerKey is restricted to that key (RFC 8292 §4). An empty pub
// goes back to the default: any JWT whose signature verifies against its own
// k=. A pub that is not such a key panics, being a mistake in the test.
func (s *Service) RequireVAPIDKey(pub string) {
	var key []byte
	if pub != "" {
		var err error
		if key, err = decodeKey(pub); err != nil {
			panic("pushtest: RequireVAPIDKey: " + err.Error())
		}
	}
	s.mu.Lock()
	s.vapidKey = key
	s.mu.Unlock()
}

// Messages returns every message so far, in arrival order.
func (s *Service) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.copyMessages()
}

// Rejections returns a human reason for each request refused as invalid (bad
// JWT, bad headers, undecryptable), in arrival order.
func (s *Service) Rejections() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.rejections)
}

// Wait returns the messages once at least n have arrived; after timeout it
// fails the test with what did arrive and what was refused.
func (s *Service) Wait(t testing.TB, n int, timeout time.Duration) []Message {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		if len(s.messages) >= n {
			out := s.copyMessages()
			s.mu.Unlock()
			return out
		}
		arrived := s.arrived
		s.mu.Unlock()

		select {
		case <-arrived:
		case <-deadline.C:
			t.Fatalf("pushtest: waited %v for %d messages; %s", timeout, n, s.summary())
			return nil
		}
	}
}

func (s *Service) record(m Message) {
	s.mu.Lock()
	s.messages = append(s.messages, m)
	close(s.arrived)
	s.arrived = make(chan struct{})
	fn := s.onMessage
	s.mu.Unlock()
	if fn != nil {
		m.Plaintext = bytes.Clone(m.Plaintext)
		m.Claims = maps.Clone(m.Claims)
		fn(m)
	}
}

func (s *Service) reject(endpoint string, status int, reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejections = append(s.rejections, fmt.Sprintf("%d %s: %s", status, endpoint, reason))
}

// copyMessages clones what a caller could otherwise mutate under the lock's
// feet; s.mu must be held.
func (s *Service) copyMessages() []Message {
	out := make([]Message, len(s.messages))
	for i, m := range s.messages {
		m.Plaintext = bytes.Clone(m.Plaintext)
		m.Claims = maps.Clone(m.Claims)
		out[i] = m
	}
	return out
}

func (s *Service) summary() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var b strings.Builder
	fmt.Fprintf(&b, "%d arrived", len(s.messages))
	for _, m := range s.messages {
		fmt.Fprintf(&b, "\n  %d %s %q", m.Status, m.Endpoint, m.Plaintext)
	}
	fmt.Fprintf(&b, "\n%d refused", len(s.rejections))
	for _, r := range s.rejections {
		fmt.Fprintf(&b, "\n  %s", r)
	}
	return b.String()
}

// Since returns the messages that arrived after the first n, and the new
// count to pass next time: a poller's cursor, without copying the history.
func (s *Service) Since(n int) ([]Message, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n >= len(s.messages) {
		return nil, len(s.messages)
	}
	out := make([]Message, len(s.messages)-n)
	for i, m := range s.messages[n:] {
		m.Plaintext = bytes.Clone(m.Plaintext)
		m.Claims = maps.Clone(m.Claims)
		out[i] = m
	}
	return out, len(s.messages)
}
