package pushtest

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// maxBody is the largest request body accepted. RFC 8030 §7.2 lets a push
// service answer 413 to a body that is too large but not to one of 4096
// octets or less; the double caps at that floor so a sender that relies on
// a more generous service fails here first.
const maxBody = 4096

// refusal is a request refused as invalid: the status to answer and why.
type refusal struct {
	status int
	reason string
}

func (r *refusal) Error() string { return r.reason }

func refuse(status int, format string, args ...any) error {
	return &refusal{status: status, reason: fmt.Sprintf(format, args...)}
}

// push handles POST /push/{id}: the request for push message delivery of
// RFC 8030 §5.
func (s *Service) push(w http.ResponseWriter, r *http.Request) {
	arrived := time.Now()
	id := r.PathValue("id")
	endpoint := s.URL() + "/push/" + id

	s.mu.Lock()
	sub, required := s.subs[id], s.vapidKey
	s.mu.Unlock()
	if sub == nil {
		// An unknown or expired subscription; RFC 8030 §7.3 lets the push
		// service answer 404 so the sender drops it. Not a validation fault.
		http.Error(w, "no such subscription", http.StatusNotFound)
		return
	}

	m, err := s.validate(r, sub, required, arrived)
	if err != nil {
		var rf *refusal
		if !errors.As(err, &rf) {
			rf = &refusal{status: http.StatusBadRequest, reason: err.Error()}
		}
		s.reject(endpoint, rf.status, rf.reason)
		if rf.status == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", "vapid") // RFC 7235 §3.1 wants a challenge
		}
		http.Error(w, rf.reason, rf.status)
		return
	}

	b := s.behaviour(endpoint)
	m.Endpoint, m.Status, m.At = endpoint, b.Status, arrived
	// Recorded on arrival, before any hang, so a test can count attempts
	// even when the sender gives up waiting for the answer.
	s.record(m)

	if b.Hang > 0 {
		hang := time.NewTimer(b.Hang)
		defer hang.Stop()
		select {
		case <-hang.C:
		case <-r.Context().Done():
			return
		case <-s.closed:
			return
		}
	}
	if b.RetryAfter != "" {
		w.Header().Set("Retry-After", b.RetryAfter)
	}
	if b.Status == http.StatusCreated {
		// RFC 8030 §5: 201 with the push message resource in Location.
		w.Header().Set("Location", s.URL()+"/message/"+rand.Text())
	}
	w.WriteHeader(b.Status)
}

// validate runs every check of a push request in the order a push service
// would: who is sending, what it asks for, then what it sends.
func (s *Service) validate(r *http.Request, sub *subscriber, required []byte, now time.Time) (Message, error) {
	var m Message
	claims, key, err := verifyVAPID(r.Header, s.URL(), required, now)
	if err != nil {
		return m, err
	}
	m.Claims, m.VAPIDKey = claims, key

	if m.TTL, m.Urgency, m.Topic, err = pushHeaders(r.Header); err != nil {
		return m, err
	}

	// RFC 8291 §4: web push payloads use the aes128gcm content coding of
	// RFC 8188; the older aesgcm drafts are not RFC 8030 push.
	if ce := r.Header.Get("Content-Encoding"); !strings.EqualFold(strings.TrimSpace(ce), "aes128gcm") {
		return m, refuse(http.StatusUnsupportedMediaType, "Content-Encoding %q, want aes128gcm (RFC 8291 §4)", ce)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return m, refuse(http.StatusBadRequest, "read body: %v", err)
	}
	if len(body) > maxBody {
		return m, refuse(http.StatusRequestEntityTooLarge, "body over %d bytes (RFC 8030 §7.2)", maxBody)
	}
	if m.Plaintext, err = decrypt(body, sub); err != nil {
		return m, refuse(http.StatusBadRequest, "decrypt: %v", err)
	}
	return m, nil
}
