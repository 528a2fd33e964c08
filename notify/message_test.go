package notify_test

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"helpforce/notify"
)

func TestTopicIsShortBase64URL(t *testing.T) {
	topic := notify.Topic("request", "6f1c8a8e-2b7e-4a53-9d1f-7c2f5d1e0a11")
	if len(topic) != 32 || strings.Trim(topic, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
		t.Fatalf("topic %q", topic)
	}
	if topic == notify.Topic("request", "another") {
		t.Fatal("two requests share a topic")
	}
}

// TestLongTextIsCut queues a message far over 3 KB: it goes out cut on a
// character boundary, never refused and never over the limit.
func TestLongTextIsCut(t *testing.T) {
	r := newRig(t)
	p := r.sender(notify.Config{})
	user, _ := r.user(p)
	r.start(p)
	msg := alert("long")
	msg.Body = strings.Repeat("Télévision 4K — « écran » ", 400)
	r.send(msg, user)
	m := r.svc.Wait(t, 1, 5*time.Second)[0]
	if len(m.Plaintext) > notify.MaxPayload || !utf8.Valid(m.Plaintext) {
		t.Fatalf("payload of %d bytes, valid UTF-8 %v", len(m.Plaintext), utf8.Valid(m.Plaintext))
	}
	body := decode(t, m)["body"].(string)
	if !strings.HasSuffix(body, "…") || !strings.HasPrefix(body, "Télévision 4K") {
		t.Fatalf("body %q…", body[:40])
	}
}

func TestMessageNeedsTypeAndTTL(t *testing.T) {
	r := newRig(t)
	tx := r.db.MustBegin()
	defer tx.Rollback()
	if _, err := notify.ToUsers(context.Background(), tx, []string{"00000000-0000-0000-0000-000000000000"},
		notify.Message{Type: notify.TypeHelpRequest}); err == nil {
		t.Fatal("a message without TTL was queued")
	}
}
