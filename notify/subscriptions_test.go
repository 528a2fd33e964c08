package notify_test

import (
	"context"
	"testing"
	"time"

	"helpforce/fault"
	"helpforce/notify"
)

func TestSubscriptionsPerPersonAreCapped(t *testing.T) {
	r := newRig(t)
	p := r.sender(notify.Config{})
	user, first := r.user(p)
	ctx := context.Background()
	for i := 0; i < notify.MaxSubscriptions+2; i++ {
		s := r.svc.Subscribe()
		var in notify.Subscription
		in.Endpoint, in.Keys.P256dh, in.Keys.Auth = s.Endpoint, s.P256dh, s.Auth
		if err := p.Subscribe(ctx, notify.Owner{UserID: user}, in); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := r.db.Get(&n, `SELECT count(*) FROM push_subscriptions WHERE user_id = $1`, user); err != nil {
		t.Fatal(err)
	}
	if n != notify.MaxSubscriptions {
		t.Fatalf("%d subscriptions kept, want %d", n, notify.MaxSubscriptions)
	}
	if err := p.Unsubscribe(ctx, notify.Owner{UserID: user}, first.Endpoint); !fault.IsNotFound(err) {
		t.Fatalf("the oldest subscription should have been dropped: %v", err)
	}
}

// Another person posting a known endpoint is refused and moves nothing: the
// owner keeps the device and its keys.
func TestSubscriptionCannotBeTakenOver(t *testing.T) {
	r := newRig(t)
	p := r.sender(notify.Config{})
	a, sub := r.user(p)
	b, _ := r.user(p)
	thief := r.svc.Subscribe() // other keys, as an attacker would send
	var in notify.Subscription
	in.Endpoint, in.Keys.P256dh, in.Keys.Auth = sub.Endpoint, thief.P256dh, thief.Auth
	err := p.Subscribe(context.Background(), notify.Owner{UserID: b}, in)
	if f, ok := fault.As(err); !ok || f.Kind != fault.KindConflict {
		t.Fatalf("taking over another's endpoint answered %v, want a conflict", err)
	}
	var owner, key string
	if err := r.db.QueryRow(`SELECT user_id, p256dh FROM push_subscriptions WHERE endpoint = $1`, sub.Endpoint).
		Scan(&owner, &key); err != nil {
		t.Fatal(err)
	}
	if owner != a || key != sub.P256dh {
		t.Fatalf("the endpoint now belongs to %s with key %s", owner, key)
	}
	// The owner may register it again (a new session, renewed keys).
	in.Keys.P256dh, in.Keys.Auth = sub.P256dh, sub.Auth
	if err := p.Subscribe(context.Background(), notify.Owner{UserID: a}, in); err != nil {
		t.Fatal(err)
	}
}

func TestStaleSubscriptionsAreWarnedThenRemoved(t *testing.T) {
	r := newRig(t)
	p := r.sender(notify.Config{})
	warned, _ := r.user(p)
	gone, _ := r.user(p)
	fresh, _ := r.user(p)
	r.db.MustExec(`UPDATE push_subscriptions SET last_used_at = now() - interval '56 days' WHERE user_id = $1`, warned)
	r.db.MustExec(`UPDATE push_subscriptions SET last_used_at = now() - interval '61 days' WHERE user_id = $1`, gone)
	r.start(p)
	if err := p.Sweep(context.Background()); err != nil {
		t.Fatal(err)
	}
	m := r.svc.Wait(t, 1, 5*time.Second)[0]
	if decode(t, m)["type"] != notify.TypeReminder {
		t.Fatalf("warning payload %s", m.Plaintext)
	}
	var left []string
	if err := r.db.Select(&left, `SELECT user_id::text FROM push_subscriptions ORDER BY user_id`); err != nil {
		t.Fatal(err)
	}
	if len(left) != 2 || (left[0] != warned && left[1] != warned) || (left[0] != fresh && left[1] != fresh) {
		t.Fatalf("subscriptions left for %v", left)
	}
	if err := p.Sweep(context.Background()); err != nil { // warned once only
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	if n := len(r.svc.Messages()); n != 1 {
		t.Fatalf("%d warnings sent, want 1", n)
	}
}

func TestKeysAreKeptInTheDatabase(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	k1, err := notify.LoadKeys(ctx, r.db, notify.Keys{})
	if err != nil {
		t.Fatal(err)
	}
	k2, err := notify.LoadKeys(ctx, r.db, notify.Keys{})
	if err != nil || k1 != k2 {
		t.Fatalf("a second start got other keys: %v", err)
	}
	other, err := notify.GenerateKeys()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := notify.LoadKeys(ctx, r.db, notify.Keys{Public: k1.Public, Private: other.Private}); err == nil {
		t.Fatal("a mismatched configured pair was accepted")
	}
	if got, err := notify.LoadKeys(ctx, r.db, other); err != nil || got != other {
		t.Fatalf("configured keys not used: %v", err)
	}
}
