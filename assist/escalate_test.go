package assist_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"helpforce/assist"
	"helpforce/fault"
	"helpforce/pg/pgtest"
)

// remoteOwned is a store request that went to the remote team (nobody on the
// floor was free) and that remi took.
func remoteOwned(t *testing.T, f *floor) assist.HelpRequest {
	t.Helper()
	f.available("remi")
	h := f.ask("tv")
	if h.Channel != assist.ChannelRemote {
		t.Fatalf("channel %s", h.Channel)
	}
	h, err := f.desk.Accept(context.Background(), f.staff["remi"], h.ID)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestEscalateToManager(t *testing.T) {
	f := newFloor(t, assist.Config{})
	f.subscribe()
	ctx := context.Background()
	h := remoteOwned(t, f)
	_, err := f.desk.Escalate(ctx, f.staff["remi"], h.ID, "manager", "")
	pgtest.WantFault(t, err, fault.KindInvalid, "")
	_, err = f.desk.Escalate(ctx, f.staff["zoe"], h.ID, "manager", "needs a price match")
	pgtest.WantFault(t, err, fault.KindForbidden, "")
	got, err := f.desk.Escalate(ctx, f.staff["remi"], h.ID, "manager", "needs a price match")
	if err != nil {
		t.Fatal(err)
	}
	if got.Escalation == nil || got.Escalation.To.Name != "claire" || got.Escalation.Acknowledged || got.AssignedTo.Name != "remi" {
		t.Fatalf("escalation %+v, owner %+v", got.Escalation, got.AssignedTo)
	}
	alert := f.pushes("claire", "escalation")
	if len(alert) != 1 || alert[0]["body"] != "needs a price match" {
		t.Fatalf("the manager got %v", alert)
	}
	_, err = f.desk.Acknowledge(ctx, f.staff["sam"], h.ID)
	pgtest.WantFault(t, err, fault.KindForbidden, "")
	if got, err = f.desk.Acknowledge(ctx, f.staff["claire"], h.ID); err != nil || !got.Escalation.Acknowledged {
		t.Fatalf("acknowledge: %v %+v", err, got.Escalation)
	}
	_, err = f.desk.Acknowledge(ctx, f.staff["claire"], h.ID)
	pgtest.WantFault(t, err, fault.KindState, "")
	want := []string{"created", "overflowed", "offered", "accepted", "escalated", "acknowledged"}
	if k := f.kinds(h.ID); !slices.Equal(k, want) {
		t.Fatalf("log %v, want %v", k, want)
	}
}

// TestUnacknowledgedEscalationWidens: the manager does not answer within the
// offer timeout, so every free member of the store's staff is alerted.
func TestUnacknowledgedEscalationWidens(t *testing.T) {
	f := newFloor(t, fast)
	f.subscribe()
	h := remoteOwned(t, f)
	f.run(f.desk)
	f.available("sam", "lea")
	if _, err := f.desk.Escalate(context.Background(), f.staff["remi"], h.ID, "manager", "customer is upset"); err != nil {
		t.Fatal(err)
	}
	pgtest.Eventually(t, 5*time.Second, "the escalation widens", func() bool {
		return len(f.pushes("sam", "escalation")) == 1 && len(f.pushes("lea", "escalation")) == 1
	})
	if k := f.kinds(h.ID); k[len(k)-1] != "escalation_widened" {
		t.Fatalf("log %v", k)
	}
}

// TestHandBackToTheFloor: an agent hands a request back; the waves start
// again and the agent is free.
func TestHandBackToTheFloor(t *testing.T) {
	f := newFloor(t, assist.Config{})
	ctx := context.Background()
	h := remoteOwned(t, f)
	f.available("sam")
	got, err := f.desk.Escalate(ctx, f.staff["remi"], h.ID, "floor", "Sam is free now")
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != assist.StatusWaiting || got.Channel != assist.ChannelFloor || got.AssignedTo != nil || f.status("remi") != "available" {
		t.Fatalf("after hand-back: %s %s %+v, remi %s", got.Status, got.Channel, got.AssignedTo, f.status("remi"))
	}
	if o := f.offered(h.ID); !slices.Equal(o, []string{"sam"}) {
		t.Fatalf("offered to %v", o)
	}
	if _, err := f.desk.Accept(ctx, f.staff["sam"], h.ID); err != nil {
		t.Fatal(err)
	}
	got, err = f.desk.Escalate(ctx, f.staff["sam"], h.ID, "remote", "needs stock from another store")
	if err != nil || got.Channel != assist.ChannelRemote || got.Status != assist.StatusWaiting {
		t.Fatalf("floor to remote: %v %s %s", err, got.Channel, got.Status)
	}
	if o := f.offered(h.ID); !slices.Equal(o, []string{"remi"}) {
		t.Fatalf("remote offers %v", o)
	}
	_, err = f.desk.Escalate(ctx, f.staff["sam"], h.ID, "elsewhere", "x")
	pgtest.WantFault(t, err, fault.KindInvalid, "")
	want := []string{"created", "overflowed", "offered", "accepted", "handed_back", "offered", "accepted", "overflowed", "offered"}
	if k := f.kinds(h.ID); !slices.Equal(k, want) {
		t.Fatalf("log %v, want %v", k, want)
	}
}

func TestQueuePositionAndEstimate(t *testing.T) {
	f := newFloor(t, assist.Config{})
	ctx := context.Background()
	f.available("sam")
	first, second := f.ask("tv"), f.ask("tv")
	if f.get(first.ID).Position != 1 || f.get(second.ID).Position != 2 || f.get(second.ID).EstimateS != nil {
		t.Fatal("positions 1 and 2 without an estimate expected")
	}
	if first.Position != 1 || second.Position != 2 {
		t.Fatalf("created at positions %d and %d", first.Position, second.Position)
	}
	f.db.MustExec(`UPDATE help_requests SET created_at = now() - interval '2 minutes' WHERE id = $1`, first.ID)
	if _, err := f.desk.Accept(ctx, f.staff["sam"], first.ID); err != nil {
		t.Fatal(err)
	}
	f.available("remi")
	got := f.get(second.ID)
	if got.Position != 1 || got.EstimateS == nil || *got.EstimateS < 110 || *got.EstimateS > 130 || !got.RemoteAvailable {
		t.Fatalf("position %d estimate %v remote available %v", got.Position, got.EstimateS, got.RemoteAvailable)
	}
	// Where a request stands is told only while it waits.
	if taken := f.get(first.ID); taken.Position != 0 || taken.EstimateS != nil || taken.RemoteAvailable {
		t.Fatalf("a request taken is at %d with estimate %v, remote available %v", taken.Position, taken.EstimateS, taken.RemoteAvailable)
	}
	// What a creation answers is what a later read says.
	f.available("lea")
	third := f.ask("tv")
	if again := f.get(third.ID); third.Position != 2 || third.EstimateS == nil || *third.EstimateS != *again.EstimateS ||
		again.Position != 2 || third.RemoteAvailable != again.RemoteAvailable {
		t.Fatalf("created %+v, read %+v", third, again)
	}
	queue, err := f.desk.Queue(ctx, f.staff["lea"])
	if err != nil || len(queue) != 2 || queue[0].ID != second.ID {
		t.Fatalf("lea's queue %v %v", queue, err)
	}
	if q, err := f.desk.Queue(ctx, f.staff["remi"]); err != nil || len(q) != 0 {
		t.Fatalf("an agent sees floor requests: %v %v", q, err)
	}
	mine, err := f.desk.Conversations(ctx, f.staff["sam"])
	if err != nil || len(mine) != 1 || mine[0].ID != first.ID {
		t.Fatalf("sam's requests %v %v", mine, err)
	}
}
