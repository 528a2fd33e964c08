package notify_test

import (
	"context"
	"testing"
	"time"

	"github.com/lib/pq"

	"helpforce/notify"
	"helpforce/notify/pushtest"
	"helpforce/pg/pgtest"
)

// lease queues msg for users' devices with queue_alert_leased, leased for
// lease, in a committed transaction, and returns the leased rows.
func (r *rig) lease(msg notify.Message, lease time.Duration, users ...string) notify.Leased {
	r.t.Helper()
	alert, err := msg.JSON()
	if err != nil {
		r.t.Fatal(err)
	}
	tx := r.db.MustBegin()
	var l notify.Leased
	if err := tx.Get(&l, `SELECT queue_alert_leased($1::jsonb,
		ARRAY(SELECT id FROM push_subscriptions WHERE user_id = ANY($2::uuid[]) ORDER BY id), $3)`,
		alert, pq.Array(users), lease.Seconds()); err != nil {
		r.t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		r.t.Fatal(err)
	}
	return l
}

// TestLeasedAlertsAreSentOnceHanded leases alerts for an hour, so that no
// claim of any replica can take them: they go out, once each, because they
// were handed to a sender.
func TestLeasedAlertsAreSentOnceHanded(t *testing.T) {
	r := newRig(t)
	a, b := r.sender(notify.Config{Lease: time.Hour}), r.sender(notify.Config{Lease: time.Hour})
	var users []string
	for range 3 {
		u, _ := r.user(a)
		users = append(users, u)
	}
	r.start(a)
	r.start(b)
	l := r.lease(alert("born"), time.Hour, users...)
	if len(l) != 3 {
		t.Fatalf("%d rows leased; want one a device, 3", len(l))
	}
	var early int
	if err := r.db.Get(&early, `SELECT count(*) FROM push_outbox WHERE status = 'pending' AND attempts = 1
		AND due_at > now() + interval '50 minutes'`); err != nil || early != 3 {
		t.Fatalf("%d rows leased in the outbox (%v); want 3, leased for the hour", early, err)
	}
	a.Hand(l)
	msgs := r.svc.Wait(t, 3, 5*time.Second)
	for _, m := range msgs {
		got := decode(t, m)
		if got["request_id"] != "born" || m.Urgency != "high" || m.Topic != notify.Topic("request", "born") || m.TTL < 50 || m.TTL > 60 {
			t.Fatalf("payload %v, urgency %q, topic %q, TTL %d", got, m.Urgency, m.Topic, m.TTL)
		}
	}
	pgtest.Eventually(t, 5*time.Second, "the rows are marked sent", func() bool { return r.statuses()["sent"] == 3 })
	time.Sleep(300 * time.Millisecond)
	if n := len(r.svc.Messages()); n != 3 {
		t.Fatalf("%d messages; want each of the 3 once", n)
	}
}

// TestLeasedAlertsOutliveTheirReplica leases alerts to a replica that stops
// before it sends them: another sends them once the lease runs out. A lease
// of 0 queues them for any replica's claim at once.
func TestLeasedAlertsOutliveTheirReplica(t *testing.T) {
	r := newRig(t)
	dead := r.sender(notify.Config{Lease: time.Second})
	user, _ := r.user(dead)
	r.start(r.sender(notify.Config{Lease: time.Second}))
	r.lease(alert("orphan"), time.Second, user) // never handed: its replica died
	r.lease(alert("unleased"), 0, user)
	msgs := r.svc.Wait(t, 2, 10*time.Second)
	got := map[any]bool{}
	for _, m := range msgs {
		got[decode(t, m)["request_id"]] = true
	}
	if !got["orphan"] || !got["unleased"] {
		t.Fatalf("delivered %v; want both", got)
	}
	pgtest.Eventually(t, 5*time.Second, "the rows are marked sent", func() bool { return r.statuses()["sent"] == 2 })
	var attempts []int
	if err := r.db.Select(&attempts, `SELECT attempts FROM push_outbox ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	if len(attempts) != 2 || attempts[0] != 2 || attempts[1] != 1 {
		t.Fatalf("attempts %v; want 2 for the leased row (at birth, then claimed), 1 for the other", attempts)
	}
}

// TestHandedAlertsWaitForAFreeWorker hands more alerts than a sender has
// places for: each still goes out once, as workers free up.
func TestHandedAlertsWaitForAFreeWorker(t *testing.T) {
	r := newRig(t)
	p := r.sender(notify.Config{Workers: 1, Lease: time.Hour})
	var users []string
	for range 12 {
		u, _ := r.user(p)
		users = append(users, u)
	}
	r.start(p)
	l := r.lease(alert("queue"), time.Hour, users...)
	p.Hand(l[:6])
	p.Hand(l[6:])
	r.svc.Wait(t, 12, 10*time.Second)
	pgtest.Eventually(t, 5*time.Second, "the rows are marked sent", func() bool { return r.statuses()["sent"] == 12 })
	seen := map[string]bool{}
	for _, m := range r.svc.Messages() {
		if seen[m.Endpoint] {
			t.Fatalf("%s alerted twice", m.Endpoint)
		}
		seen[m.Endpoint] = true
	}
}

// TestStoppingReplicaGivesBackWhatItHolds stops a sender whose one worker
// hangs on a push while more alerts wait for it, handed over and leased for
// an hour: Release gives them all back, the one cut short mid-send too, and
// another replica sends them at once; one handed over after Release is
// given back as well.
func TestStoppingReplicaGivesBackWhatItHolds(t *testing.T) {
	r := newRig(t)
	stopping := r.sender(notify.Config{Workers: 1, Lease: time.Hour})
	var users []string
	var hung string
	for i := range 7 {
		u, sub := r.user(stopping)
		users = append(users, u)
		if i == 0 {
			hung = sub.Endpoint
		}
	}
	r.svc.Respond(hung, pushtest.Behaviour{Hang: 5 * time.Second, Times: 1})
	stop := r.start(stopping)
	l := r.lease(alert("held"), time.Hour, users[:6]...)
	stopping.Hand(l)
	r.svc.Wait(t, 1, 5*time.Second) // the first, hanging
	stop()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	stopping.Release(ctx)
	stopping.Hand(r.lease(alert("late"), time.Hour, users[6]))
	r.start(r.sender(notify.Config{Lease: time.Hour}))
	r.svc.Wait(t, 8, 10*time.Second) // the cut one again, then the 6 others
	pgtest.Eventually(t, 5*time.Second, "all are marked sent", func() bool { return r.statuses()["sent"] == 7 })
	seen := map[string]int{}
	for _, m := range r.svc.Messages() {
		seen[m.Endpoint]++
	}
	for endpoint, n := range seen {
		if want := map[bool]int{true: 2, false: 1}[endpoint == hung]; n != want {
			t.Fatalf("%s alerted %d times; want %d", endpoint, n, want)
		}
	}
	if len(seen) != 7 {
		t.Fatalf("%d devices alerted; want 7", len(seen))
	}
}
