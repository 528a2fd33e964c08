package assist_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"helpforce/assist"
	"helpforce/fault"
	"helpforce/notify"
	"helpforce/pg/pgtest"
	"helpforce/stores"
)

// The cap on a shopper's open requests holds when many taps arrive at once,
// and a request that closes makes room for another.
func TestOpenRequestCapHoldsUnderConcurrentTaps(t *testing.T) {
	f := newFloor(t, assist.Config{OpenPerShopper: 3})
	f.available("sam", "max")
	ctx := context.Background()
	var mu sync.Mutex
	var created []assist.HelpRequest
	refused := 0
	var wg sync.WaitGroup
	for i := range 24 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h, err := f.desk.Create(ctx, f.shopper, fmt.Sprint("tap-", i), assist.NewRequest{Department: "tv", PlaceQuery: placeAt(f)})
			mu.Lock()
			defer mu.Unlock()
			if fe, ok := fault.As(err); ok && fe.Kind == fault.KindState {
				refused++
				return
			}
			if err != nil {
				t.Error(err)
				return
			}
			created = append(created, h)
		}()
	}
	wg.Wait()
	if len(created) != 3 || refused != 21 {
		t.Fatalf("%d created and %d refused, want 3 and 21", len(created), refused)
	}
	openCount := func() (counted, kept int) {
		if err := f.db.Get(&counted, `SELECT count(*) FROM help_requests WHERE shopper_id = $1 AND status IN ('waiting', 'assigned')`, f.shopper.ShopperID); err != nil {
			t.Fatal(err)
		}
		if err := f.db.Get(&kept, `SELECT open_requests FROM shoppers WHERE id = $1`, f.shopper.ShopperID); err != nil {
			t.Fatal(err)
		}
		return counted, kept
	}
	if counted, kept := openCount(); counted != 3 || kept != 3 {
		t.Fatalf("%d open requests, %d on the shopper's row; want 3 and 3", counted, kept)
	}
	if _, err := f.desk.Cancel(ctx, f.shopper, created[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.desk.Accept(ctx, f.staff["sam"], created[1].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.desk.Resolve(ctx, f.staff["sam"], created[1].ID); err != nil {
		t.Fatal(err)
	}
	f.ask("tv")
	f.ask("tv")
	_, err := f.desk.Create(ctx, f.shopper, "", assist.NewRequest{Department: "tv", PlaceQuery: placeAt(f)})
	pgtest.WantFault(t, err, fault.KindState, "")
	if counted, kept := openCount(); counted != 3 || kept != 3 {
		t.Fatalf("after closing two and asking twice: %d open requests, %d on the shopper's row; want 3 and 3", counted, kept)
	}
}

// A floor offer's alert names the department, unless the name would make
// it too long to send; then it keeps the department's code.
func TestOfferAlertNamesTheDepartment(t *testing.T) {
	f := newFloor(t, assist.Config{OpenPerShopper: 5})
	f.subscribe()
	f.available("sam")
	f.db.MustExec(`UPDATE departments SET name = 'TVs & "sound"' WHERE code = 'tv'`)
	h := f.ask("tv")
	alerts := f.pushes("sam", notify.TypeHelpRequest)
	if len(alerts) != 1 || alerts[0]["title"] != `TVs & "sound" — help needed` || alerts[0]["request_id"] != h.ID ||
		alerts[0]["url"] != "/staff/requests/"+h.ID || alerts[0]["body"] != "A shopper is waiting at Part-Dieu" {
		t.Fatalf("alert %v", alerts)
	}

	// The note fits the alert (2,600 bytes escaped); a name of 80 four-byte
	// characters would not.
	f.db.MustExec(`UPDATE departments SET name = $1 WHERE code = 'tv'`, strings.Repeat("📺", 80))
	long, err := f.desk.Create(context.Background(), f.shopper, "", assist.NewRequest{Department: "tv",
		Note: strings.Repeat("<", 300) + strings.Repeat("🙂", 200), PlaceQuery: placeAt(f)})
	if err != nil {
		t.Fatal(err)
	}
	var title, body string
	var size int
	if err := f.db.QueryRow(`SELECT payload::json->>'title', payload::json->>'body', octet_length(payload) FROM push_outbox
		WHERE payload::json->>'request_id' = $1`, long.ID).Scan(&title, &body, &size); err != nil {
		t.Fatal(err)
	}
	if title != "tv — help needed" || body != long.Note || size > notify.MaxPayload {
		t.Fatalf("a full alert is titled %q, says %q and is %d bytes", title, body, size)
	}
}

// In one batch, a shopper's requests count against the cap in turn, and each
// request takes its own place in its store's queue.
func TestABatchCountsAndQueuesInTurn(t *testing.T) {
	f := newFloor(t, assist.Config{OpenPerShopper: 1})
	f.available("sam", "max")
	other := f.newShopper()
	at := stores.Placement{Store: &stores.Summary{ID: f.store.ID, Name: f.store.Name}, Confidence: "chosen"}
	tv := assist.NewRequest{Department: "tv"}
	hs, errs := f.desk.CreateTogether(assist.Together{Shopper: f.shopper, Request: tv, Place: at},
		assist.Together{Shopper: f.shopper, Request: tv, Place: at}, assist.Together{Shopper: other, Request: tv, Place: at})
	if errs[0] != nil || errs[2] != nil {
		t.Fatalf("refused %v", errs)
	}
	pgtest.WantFault(t, errs[1], fault.KindState, "")
	if hs[0].Position != 1 || hs[2].Position != 2 {
		t.Fatalf("positions %d and %d, want 1 and 2", hs[0].Position, hs[2].Position)
	}
	for _, h := range []assist.HelpRequest{hs[0], hs[2]} {
		if got := f.get(h.ID); got.Position != h.Position || len(f.offered(h.ID)) != 2 {
			t.Fatalf("%s reads at position %d, offered to %v", h.ID, got.Position, f.offered(h.ID))
		}
		if k := f.kinds(h.ID); len(k) != 2 || k[0] != "created" || k[1] != "offered" {
			t.Fatalf("log %v", k)
		}
	}
}

// A request that fails the batch's statement fails alone.
func TestABatchFailsOnlyTheRequestAtFault(t *testing.T) {
	f := newFloor(t, assist.Config{})
	f.available("sam")
	at := stores.Placement{Store: &stores.Summary{ID: f.store.ID, Name: f.store.Name}, Confidence: "chosen"}
	gone := stores.Placement{Store: &stores.Summary{ID: "00000000-0000-4000-8000-000000000000", Name: "Gone"}, Confidence: "chosen"}
	tv := assist.NewRequest{Department: "tv"}
	hs, errs := f.desk.CreateTogether(assist.Together{Shopper: f.shopper, Request: tv, Place: at},
		assist.Together{Shopper: f.newShopper(), Request: tv, Place: gone}, assist.Together{Shopper: f.newShopper(), Request: tv, Place: at})
	if errs[0] != nil || errs[1] == nil || errs[2] != nil {
		t.Fatalf("errors %v, want the second only", errs)
	}
	if f.get(hs[0].ID).Status != assist.StatusWaiting || f.get(hs[2].ID).Status != assist.StatusWaiting {
		t.Fatal("the others were not written")
	}
}

// Two replicas writing batches for the same shoppers at once neither
// deadlock nor let any shopper past the cap.
func TestBatchesOfTwoReplicasKeepTheCap(t *testing.T) {
	f := newFloor(t, assist.Config{OpenPerShopper: 3})
	f.available("sam", "max")
	replicas := []*assist.Desk{f.desk, assist.New(f.db, f.places, quiet, assist.Config{OpenPerShopper: 3})}
	shoppers := []assist.Actor{f.shopper}
	for range 9 {
		shoppers = append(shoppers, f.newShopper())
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	created := map[string]int{}
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := shoppers[i%len(shoppers)]
			_, err := replicas[i%2].Create(context.Background(), s, fmt.Sprint("tap-", i),
				assist.NewRequest{Department: "tv", PlaceQuery: placeAt(f)})
			if fe, ok := fault.As(err); ok && fe.Kind == fault.KindState {
				return
			}
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			created[s.ShopperID]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	for _, s := range shoppers {
		var open, kept int
		if err := f.db.Get(&open, `SELECT count(*) FROM help_requests WHERE shopper_id = $1 AND status = 'waiting'`, s.ShopperID); err != nil {
			t.Fatal(err)
		}
		if err := f.db.Get(&kept, `SELECT open_requests FROM shoppers WHERE id = $1`, s.ShopperID); err != nil {
			t.Fatal(err)
		}
		if created[s.ShopperID] != 3 || open != 3 || kept != 3 {
			t.Fatalf("shopper %s: %d created, %d open, %d counted; want 3 each", s.ShopperID, created[s.ShopperID], open, kept)
		}
	}
}
