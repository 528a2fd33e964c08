package main

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"sync"
	"time"

	"helpforce/notify/pushtest"
)

// alert is what the staff app's service worker reads from a push.
type alert struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	RequestID string `json:"request_id"`
	Tag       string `json:"tag"`
}

// router hands each decrypted push to the phone it was sent to.
type router struct {
	mu    sync.RWMutex
	phone map[string]func(alert, time.Time) // by endpoint
}

func newRouter() *router { return &router{phone: map[string]func(alert, time.Time){}} }

func (r *router) add(endpoint string, fn func(alert, time.Time)) {
	r.mu.Lock()
	r.phone[endpoint] = fn
	r.mu.Unlock()
}

// deliver runs on the push double's goroutine serving the push, once the
// payload is decrypted; the phone reacts on a goroutine of its own so that
// the push service answers at once.
func (r *router) deliver(m pushtest.Message) {
	at := time.Now()
	var a alert
	if err := json.Unmarshal(m.Plaintext, &a); err != nil {
		return
	}
	r.mu.RLock()
	fn := r.phone[m.Endpoint]
	r.mu.RUnlock()
	if fn != nil {
		go fn(a, at)
	}
}

// presenceTag is the notification tag of alerts about a person's own
// presence ("you are now on a break"): the server's topic for it, the
// first 32 base64url characters of SHA-256("presence:" + id).
func presenceTag(userID string) string {
	sum := sha256.Sum256([]byte("presence:" + userID))
	return base64.RawURLEncoding.EncodeToString(sum[:])[:32]
}

// notePush counts a push about a request and keeps the first one's time.
func (w *world) notePush(requestID string, at time.Time) {
	if requestID == "" {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.pushes[requestID]++
	if first, ok := w.firstPush[requestID]; !ok || at.Before(first) {
		w.firstPush[requestID] = at
	}
}

// countUnanswered counts an alert withdrawn while still open on a phone,
// before its person answered (a wave or the floor's time ran out, or
// someone else took the request).
func (w *world) countUnanswered() {
	w.mu.Lock()
	w.unanswered++
	w.mu.Unlock()
}
