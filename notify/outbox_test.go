package notify_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"helpforce/notify"
	"helpforce/notify/pushtest"
	"helpforce/pg/pgtest"
)

func TestDeliversDecryptablePush(t *testing.T) {
	r := newRig(t)
	p := r.sender(notify.Config{})
	user, sub := r.user(p)
	r.start(p)
	r.send(alert("r1"), user)
	m := r.svc.Wait(t, 1, 5*time.Second)[0]
	got := decode(t, m)
	if got["type"] != "help_request" || got["title"] != "Help needed in TVs" || got["request_id"] != "r1" ||
		got["url"] != "/staff/requests/r1" || got["tag"] != notify.Topic("request", "r1") {
		t.Fatalf("payload %v", got)
	}
	if m.Endpoint != sub.Endpoint || m.Urgency != "high" || m.Topic != notify.Topic("request", "r1") || m.TTL < 50 || m.TTL > 60 {
		t.Fatalf("headers: urgency %q topic %q ttl %d", m.Urgency, m.Topic, m.TTL)
	}
	if m.Claims["sub"] != "mailto:ops@example.com" || m.VAPIDKey != r.keys.Public {
		t.Fatalf("VAPID sub %v key %v", m.Claims["sub"], m.VAPIDKey)
	}
	pgtest.Eventually(t, 5*time.Second, "the row is marked sent", func() bool { return r.statuses()["sent"] == 1 })
}

func TestRolledBackChangeSendsNothing(t *testing.T) {
	r := newRig(t)
	p := r.sender(notify.Config{})
	user, _ := r.user(p)
	r.start(p)
	tx := r.db.MustBegin()
	if n, err := notify.ToUsers(context.Background(), tx, []string{user}, alert("r2")); err != nil || n != 1 {
		t.Fatalf("queued %d: %v", n, err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	r.send(alert("r3"), user) // a committed one after it, to know the sender ran
	msgs := r.svc.Wait(t, 1, 5*time.Second)
	time.Sleep(300 * time.Millisecond)
	if msgs = r.svc.Messages(); len(msgs) != 1 || decode(t, msgs[0])["request_id"] != "r3" {
		t.Fatalf("delivered %d messages; want only the committed one", len(msgs))
	}
}

func TestPushServiceAnswers(t *testing.T) {
	cases := []struct {
		name       string
		behaviour  pushtest.Behaviour
		attempts   int    // messages the double records
		status     string // final outbox status; "" when the row went with its subscription
		subscribed bool   // the subscription survives
	}{
		{"created", pushtest.Behaviour{Status: 201}, 1, "sent", true},
		{"gone", pushtest.Behaviour{Status: 410}, 1, "", false},
		{"not found", pushtest.Behaviour{Status: 404}, 1, "", false},
		{"payload too large", pushtest.Behaviour{Status: 413}, 1, "failed", true},
		{"rate limited", pushtest.Behaviour{Status: 429, RetryAfter: "1", Times: 1}, 2, "sent", true},
		{"server error", pushtest.Behaviour{Status: 503, Times: 2}, 3, "sent", true},
		{"timeout", pushtest.Behaviour{Hang: 5 * time.Second, Times: 1}, 2, "sent", true},
		{"bad request", pushtest.Behaviour{Status: 400}, 1, "failed", true},
		{"unauthorized", pushtest.Behaviour{Status: 401}, 1, "failed", true},
		{"forbidden", pushtest.Behaviour{Status: 403}, 1, "failed", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := newRig(t)
			p := r.sender(notify.Config{SendTimeout: 300 * time.Millisecond})
			user, sub := r.user(p)
			r.svc.Respond(sub.Endpoint, c.behaviour)
			r.start(p)
			r.send(alert("r"), user)
			r.svc.Wait(t, c.attempts, 10*time.Second)
			pgtest.Eventually(t, 10*time.Second, "the outcome is recorded", func() bool {
				s := r.statuses()
				if c.status == "" {
					return len(s) == 0
				}
				return s[c.status] == 1
			})
			time.Sleep(200 * time.Millisecond)
			if n := len(r.svc.Messages()); n != c.attempts {
				t.Fatalf("%d attempts, want %d", n, c.attempts)
			}
			var subs int
			if err := r.db.Get(&subs, `SELECT count(*) FROM push_subscriptions`); err != nil {
				t.Fatal(err)
			}
			if (subs == 1) != c.subscribed {
				t.Fatalf("%d subscriptions left; want kept=%v", subs, c.subscribed)
			}
		})
	}
}

func TestRetriesStopAtTTL(t *testing.T) {
	r := newRig(t)
	p := r.sender(notify.Config{})
	user, sub := r.user(p)
	r.svc.Respond(sub.Endpoint, pushtest.Behaviour{Status: 429, RetryAfter: "3600"})
	r.start(p)
	r.send(alert("r"), user)
	r.svc.Wait(t, 1, 5*time.Second)
	pgtest.Eventually(t, 5*time.Second, "the message expires rather than waiting past its TTL",
		func() bool { return r.statuses()["expired"] == 1 })
}

// TestWorkerStoppedMidSend stops a sender while its push hangs; a new sender
// delivers the alert once the claim's lease runs out: at least once.
func TestWorkerStoppedMidSend(t *testing.T) {
	r := newRig(t)
	first := r.sender(notify.Config{Lease: time.Second, SendTimeout: 10 * time.Second})
	user, sub := r.user(first)
	r.svc.Respond(sub.Endpoint, pushtest.Behaviour{Hang: 10 * time.Second, Times: 1})
	stop := r.start(first)
	r.send(alert("crash"), user)
	r.svc.Wait(t, 1, 5*time.Second)
	stop()
	r.start(r.sender(notify.Config{Lease: time.Second}))
	msgs := r.svc.Wait(t, 2, 10*time.Second)
	if last := msgs[len(msgs)-1]; last.Status != 201 || decode(t, last)["request_id"] != "crash" {
		t.Fatalf("after the restart: status %d payload %s", last.Status, last.Plaintext)
	}
	pgtest.Eventually(t, 5*time.Second, "the row is marked sent", func() bool { return r.statuses()["sent"] == 1 })
}

// TestReplicasShareTheOutbox runs three senders on one database: every row
// is sent, none twice.
func TestReplicasShareTheOutbox(t *testing.T) {
	r := newRig(t)
	senders := []*notify.Push{r.sender(notify.Config{Workers: 4}), r.sender(notify.Config{Workers: 4}), r.sender(notify.Config{Workers: 4})}
	var users []string
	for i := 0; i < 20; i++ {
		u, _ := r.user(senders[0])
		users = append(users, u)
	}
	for _, s := range senders {
		r.start(s)
	}
	for i := 0; i < 15; i++ {
		r.send(alert(fmt.Sprint("req-", i)), users...)
	}
	r.svc.Wait(t, 300, 20*time.Second)
	time.Sleep(300 * time.Millisecond)
	seen := map[string]bool{}
	for _, m := range r.svc.Messages() {
		key := m.Endpoint + " " + decode(t, m)["request_id"].(string)
		if seen[key] {
			t.Fatalf("sent twice: %s", key)
		}
		seen[key] = true
	}
	if len(seen) != 300 || r.statuses()["sent"] != 300 {
		t.Fatalf("%d delivered, statuses %v; want 300 sent", len(seen), r.statuses())
	}
}
