package assist_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"helpforce/assist"
	"helpforce/fault"
	"helpforce/people"
	"helpforce/pg/pgtest"
)

// TestOneOwner races many people on one request, many times: exactly one
// accept wins each time, the others are told it is already taken.
func TestOneOwner(t *testing.T) {
	f := newFloor(t, assist.Config{})
	var racers []assist.Actor
	for i := 0; i < 16; i++ {
		racers = append(racers, f.addStaff(fmt.Sprint("racer", i), "floor", "tv"))
	}
	ctx := context.Background()
	for round := 0; round < 10; round++ {
		f.db.MustExec(`UPDATE users SET status = 'available' WHERE name LIKE 'racer%'`)
		h := f.ask("tv")
		var wg sync.WaitGroup
		var mu sync.Mutex
		won, taken := 0, 0
		for _, a := range racers {
			wg.Add(1)
			go func(a assist.Actor) {
				defer wg.Done()
				_, err := f.desk.Accept(ctx, a, h.ID)
				mu.Lock()
				defer mu.Unlock()
				if err == nil {
					won++
					return
				}
				if fe, ok := fault.As(err); ok && fe.Code == "already_taken" {
					taken++
					return
				}
				t.Errorf("accept: %v", err)
			}(a)
		}
		wg.Wait()
		if won != 1 || taken != len(racers)-1 {
			t.Fatalf("round %d: %d won, %d told already taken", round, won, taken)
		}
		var busy int
		if err := f.db.Get(&busy, `SELECT count(*) FROM users WHERE status = 'busy'`); err != nil {
			t.Fatal(err)
		}
		if busy != 1 {
			t.Fatalf("round %d: %d people busy, want the one owner", round, busy)
		}
		got := f.get(h.ID)
		if got.Status != assist.StatusAssigned || got.AssignedTo == nil {
			t.Fatalf("round %d: %+v", round, got)
		}
		if _, err := f.desk.Resolve(ctx, assist.Actor{UserID: got.AssignedTo.ID, Name: got.AssignedTo.Name, Role: people.RoleFloor,
			StoreID: f.store.ID}, h.ID); err != nil {
			t.Fatal(err)
		}
	}
}

// TestAcceptWithdrawsTheOthers: the owner is named to the shopper, everyone
// else's alert is replaced under the same topic.
func TestAcceptWithdrawsTheOthers(t *testing.T) {
	f := newFloor(t, assist.Config{WaveSize: 2})
	f.subscribe()
	f.available("sam", "max")
	h := f.ask("tv")
	if _, err := f.desk.Accept(context.Background(), f.staff["sam"], h.ID); err != nil {
		t.Fatal(err)
	}
	offer, withdrawn := f.pushes("max", "help_request"), f.pushes("max", "withdrawn")
	if len(offer) != 1 || len(withdrawn) != 1 || withdrawn[0]["tag"] != offer[0]["tag"] || withdrawn[0]["title"] != "Taken by sam" {
		t.Fatalf("max got offers %v and withdrawals %v", offer, withdrawn)
	}
	if len(f.pushes("sam", "withdrawn")) != 0 {
		t.Fatal("the owner's own alert was withdrawn")
	}
	got := f.get(h.ID)
	if got.AssignedTo == nil || got.AssignedTo.Name != "sam" || f.status("sam") != "busy" {
		t.Fatalf("assigned to %+v, sam is %s", got.AssignedTo, f.status("sam"))
	}
	var shopperTitles []string
	if err := f.db.Select(&shopperTitles, `SELECT payload::json->>'title' FROM push_outbox o JOIN push_subscriptions s
		ON s.id = o.subscription_id WHERE s.shopper_id IS NOT NULL`); err != nil {
		t.Fatal(err)
	}
	if len(shopperTitles) != 1 || shopperTitles[0] != "sam is on the way" {
		t.Fatalf("the shopper was told %v", shopperTitles)
	}
}

func TestWhoMayTakeWhat(t *testing.T) {
	f := newFloor(t, assist.Config{})
	ctx := context.Background()
	f.available("sam")
	floorReq := f.ask("tv")
	other := f.addStaff("otto", "floor", "tv")
	other.StoreID = "00000000-0000-0000-0000-000000000000" // staff of another store
	_, err := f.desk.Accept(ctx, other, floorReq.ID)
	pgtest.WantFault(t, err, fault.KindNotFound, "")
	_, err = f.desk.Accept(ctx, f.staff["remi"], floorReq.ID)
	pgtest.WantFault(t, err, fault.KindForbidden, "")
	_, err = f.desk.Accept(ctx, f.shopper, floorReq.ID)
	pgtest.WantFault(t, err, fault.KindForbidden, "")

	f.db.MustExec(`UPDATE users SET status = 'busy' WHERE name = 'sam'`)
	remote := f.ask("tv")
	if remote.Channel != assist.ChannelRemote {
		t.Fatalf("nobody free in the store, yet the request is %s", remote.Channel)
	}
	if _, err := f.desk.Accept(ctx, f.staff["zoe"], remote.ID); err != nil {
		t.Fatalf("an agent could not take a remote request: %v", err)
	}
	// The floor may take back its store's request from the remote queue.
	parked := f.ask("phones")
	_, err = f.desk.Accept(ctx, other, parked.ID)
	pgtest.WantFault(t, err, fault.KindNotFound, "")
	got, err := f.desk.Accept(ctx, f.staff["lea"], parked.ID)
	if err != nil || got.Channel != assist.ChannelFloor {
		t.Fatalf("the floor could not take back a parked request: %v %s", err, got.Channel)
	}
	if k := f.kinds(parked.ID); !slices.Contains(k, "taken_by_floor") {
		t.Fatalf("the log does not say the floor took it back: %v", k)
	}
}

func TestLifecycle(t *testing.T) {
	f := newFloor(t, assist.Config{})
	ctx := context.Background()
	f.available("sam", "lea")
	h := f.ask("tv")
	_, err := f.desk.Resolve(ctx, f.staff["sam"], h.ID)
	pgtest.WantFault(t, err, fault.KindState, "")
	if _, err := f.desk.Accept(ctx, f.staff["sam"], h.ID); err != nil {
		t.Fatal(err)
	}
	err = f.desk.Rate(ctx, f.shopper, h.ID, 5, "")
	pgtest.WantFault(t, err, fault.KindState, "")
	_, err = f.desk.Resolve(ctx, f.staff["lea"], h.ID)
	pgtest.WantFault(t, err, fault.KindForbidden, "")
	if _, err := f.desk.Resolve(ctx, f.staff["sam"], h.ID); err != nil {
		t.Fatal(err)
	}
	if f.status("sam") != "available" {
		t.Fatalf("sam is %s after resolving", f.status("sam"))
	}
	pgtest.WantFault(t, f.desk.Rate(ctx, f.shopper, h.ID, 6, ""), fault.KindInvalid, "")
	if err := f.desk.Rate(ctx, f.shopper, h.ID, 4, "Quick and kind"); err != nil {
		t.Fatal(err)
	}
	pgtest.WantFault(t, f.desk.Rate(ctx, f.shopper, h.ID, 5, ""), fault.KindState, "")
	if !f.get(h.ID).Rated {
		t.Fatal("not marked rated")
	}

	second := f.ask("tv")
	if _, err := f.desk.Accept(ctx, f.staff["sam"], second.ID); err != nil {
		t.Fatal(err)
	}
	if got, err := f.desk.Cancel(ctx, f.shopper, second.ID); err != nil || got.Status != assist.StatusCancelled {
		t.Fatalf("cancel: %v %v", got.Status, err)
	}
	if f.status("sam") != "available" {
		t.Fatalf("sam is %s after the shopper cancelled", f.status("sam"))
	}
	_, err = f.desk.Cancel(ctx, f.shopper, second.ID)
	pgtest.WantFault(t, err, fault.KindState, "")
	want := []string{"created", "offered", "accepted", "resolved"}
	if got := f.kinds(h.ID); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("log %v, want %v", got, want)
	}
}

func TestConversation(t *testing.T) {
	f := newFloor(t, assist.Config{})
	ctx := context.Background()
	f.available("sam")
	h := f.ask("tv")
	if _, err := f.desk.Accept(ctx, f.staff["sam"], h.ID); err != nil {
		t.Fatal(err)
	}
	for _, line := range []struct {
		who  assist.Actor
		body string
	}{{f.shopper, "Which TV is best for gaming?"}, {f.staff["sam"], "On my way, aisle 12"}, {f.staff["lea"], "The C4 has 144 Hz"}, {f.staff["remi"], "It is also in stock at Confluence"}} {
		if _, err := f.desk.Say(ctx, line.who, h.ID, line.body); err != nil {
			t.Fatal(err)
		}
	}
	got := f.get(h.ID).Messages
	if len(got) != 4 || got[0].Author.Role != people.RoleShopper || got[1].Author.Name != "sam" || got[2].Author.Name != "lea" || got[3].Author.Role != people.RoleAgent {
		t.Fatalf("messages %+v", got)
	}
	other, _, err := f.people.NewShopper(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.desk.Say(ctx, assist.Actor{ShopperID: other, Role: people.RoleShopper}, h.ID, "hello?")
	pgtest.WantFault(t, err, fault.KindNotFound, "")
	_, err = f.desk.Say(ctx, f.shopper, h.ID, "  ")
	pgtest.WantFault(t, err, fault.KindInvalid, "")
}

// TestAcceptAfterAWaveWithdrawsItsOffers: an accept that waits for a wave
// committing new offers on the request still withdraws them, though they
// were not there when the accept began (sql/accept.sql reads the request
// again after such a change).
func TestAcceptAfterAWaveWithdrawsItsOffers(t *testing.T) {
	f := newFloor(t, assist.Config{WaveSize: 1})
	ctx := context.Background()
	f.available("sam", "max")
	h := f.ask("tv")
	offered := f.offered(h.ID)
	if len(offered) != 1 {
		t.Fatalf("offered to %v, want one person", offered)
	}
	// A wave in flight: the request touched and an offer to claire written, not yet committed.
	tx := f.db.MustBegin()
	tx.MustExec(`UPDATE help_requests SET wave = 2, updated_at = now() WHERE id = $1`, h.ID)
	tx.MustExec(`INSERT INTO offers (request_id, user_id, wave) VALUES ($1, $2, 2)`, h.ID, f.staff["claire"].UserID)
	done := make(chan error, 1)
	go func() {
		_, err := f.desk.Accept(ctx, f.staff[offered[0]], h.ID)
		done <- err
	}()
	for waiting := 0; waiting == 0; {
		if err := f.db.Get(&waiting, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`); err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-done:
			t.Fatalf("the accept did not wait for the wave: %v", err)
		case <-time.After(5 * time.Millisecond):
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if open := f.offered(h.ID); len(open) != 0 {
		t.Fatalf("offers left open after the accept: %v", open)
	}
	if got := f.get(h.ID); got.AssignedTo == nil || got.AssignedTo.Name != offered[0] {
		t.Fatalf("assigned to %+v, want %s", got.AssignedTo, offered[0])
	}
}

// TestRacingAcceptsWaitWithoutAConnection: accepts of one request wait for
// their turn in the server, not each on the request's row lock with a
// database connection held, so a replica with a few connections keeps
// serving while several people tap Accept on a request that another replica
// is taking.
func TestRacingAcceptsWaitWithoutAConnection(t *testing.T) {
	f := newFloor(t, assist.Config{})
	var racers []assist.Actor
	for i := 0; i < 6; i++ {
		racers = append(racers, f.addStaff(fmt.Sprint("racer", i), "floor", "tv"))
	}
	f.db.MustExec(`UPDATE users SET status = 'available' WHERE name LIKE 'racer%'`)
	h := f.ask("tv")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// Another replica holds the request's row, as a slow accept would.
	other := sqlx.MustConnect("postgres", f.url)
	defer other.Close()
	held, err := other.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Rollback()
	held.MustExec(`SELECT 1 FROM help_requests WHERE id = $1 FOR UPDATE`, h.ID)

	f.db.SetMaxOpenConns(3)
	var wg sync.WaitGroup
	errs := make(chan error, len(racers))
	for _, a := range racers {
		wg.Add(1)
		go func(a assist.Actor) {
			defer wg.Done()
			_, err := f.desk.Accept(ctx, a, h.ID)
			errs <- err
		}(a)
	}
	lockWaits := func() (n int) {
		if err := other.Get(&n, `SELECT count(*) FROM pg_stat_activity
			WHERE wait_event_type = 'Lock' AND datname = current_database()`); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for lockWaits() == 0 {
		if ctx.Err() != nil {
			t.Fatal("no accept reached the row lock")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Every racer has had time to reach the row lock, had it been theirs to wait on.
	time.Sleep(200 * time.Millisecond)
	read, stop := context.WithTimeout(ctx, 10*time.Second)
	defer stop()
	if _, err := f.desk.HelpRequest(read, f.admin, h.ID); err != nil {
		t.Fatalf("a read while the accepts wait: %v (the pool is held by waiting accepts)", err)
	}
	if n := lockWaits(); n != 1 {
		t.Fatalf("%d accepts wait on the row lock, want 1 (the others wait for their turn)", n)
	}
	if err := held.Commit(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	close(errs)
	won, taken := 0, 0
	for err := range errs {
		if fe, ok := fault.As(err); ok && fe.Code == "already_taken" {
			taken++
		} else if err == nil {
			won++
		} else {
			t.Errorf("accept: %v", err)
		}
	}
	if won != 1 || taken != len(racers)-1 {
		t.Fatalf("%d won, %d told already taken", won, taken)
	}
}
