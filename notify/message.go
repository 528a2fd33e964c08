package notify

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"
)

// Message types, as the app's service worker knows them.
const (
	TypeHelpRequest   = "help_request"
	TypeEscalation    = "escalation"
	TypeWithdrawn     = "withdrawn"
	TypeRequestUpdate = "request_update"
	TypeHoldPick      = "hold_pick"
	TypeReminder      = "reminder"
)

// MaxPayload is the largest payload sent: push services accept 4 KB of
// ciphertext, and encryption and padding take some of it.
const MaxPayload = 3072

// Message is one alert. The JSON fields are what the service worker reads;
// the others steer the push service.
type Message struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Body      string `json:"body"`
	URL       string `json:"url"`
	RequestID string `json:"request_id,omitempty"`
	HoldID    string `json:"hold_id,omitempty"`
	// Tag is the notification tag: the topic, so that a later message about
	// the same thing replaces the earlier one on the phone too.
	Tag string `json:"tag,omitempty"`
	// Actions name the buttons the notification offers (accept, pass).
	Actions []string `json:"actions,omitempty"`

	Urgency string        `json:"-"` // very-low, low, normal (default) or high
	TTL     time.Duration `json:"-"` // how long the alert stays useful; required
	Topic   string        `json:"-"` // replaces a pending message with the same topic
}

// Topic derives a push topic (at most 32 base64url characters, RFC 8030 §5.4)
// from what a message is about, such as a request id.
func Topic(kind, id string) string {
	sum := sha256.Sum256([]byte(kind + ":" + id))
	return base64.RawURLEncoding.EncodeToString(sum[:])[:32]
}

// encode renders the payload, cutting the body (then the title) on a
// character boundary until it fits MaxPayload.
func (m Message) encode() ([]byte, error) {
	if m.Type == "" || m.TTL <= 0 {
		return nil, fmt.Errorf("notify: a message needs a type and a TTL")
	}
	m.Tag = m.Topic
	for {
		b, err := json.Marshal(m)
		if err != nil {
			return nil, err
		}
		if len(b) <= MaxPayload {
			return b, nil
		}
		over := len(b) - MaxPayload
		switch {
		case m.Body != "":
			m.Body = cut(m.Body, over)
		case m.Title != "":
			m.Title = cut(m.Title, over)
		default:
			return nil, fmt.Errorf("notify: a %s message is %d bytes even without text", m.Type, len(b))
		}
	}
}

// cut shortens s by at least over bytes (JSON escapes may cost more than one
// byte a character, so the loop in encode tries again) and adds an ellipsis.
func cut(s string, over int) string {
	keep := len(s) - over - len("…")
	if keep <= 0 {
		return ""
	}
	for keep > 0 && !utf8.RuneStart(s[keep]) {
		keep--
	}
	return s[:keep] + "…"
}

func (m Message) urgency() string {
	switch m.Urgency {
	case "very-low", "low", "high":
		return m.Urgency
	}
	return "normal"
}
