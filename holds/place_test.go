package holds_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"helpforce/fault"
	"helpforce/holds"
	"helpforce/pg/pgtest"
)

// TestConcurrentHoldsNeverOversell: 200 holds at once on 7 units: exactly 7
// succeed, every other one is refused with insufficient_stock.
func TestConcurrentHoldsNeverOversell(t *testing.T) {
	s := newShop(t, holds.Config{})
	s.stock("TV-OLED-55", "OLED TV 55", 7)
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, short := 0, 0
	for i := 0; i < 200; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.k.Place(context.Background(), s.staff["remi"], "", holds.NewHold{StoreID: s.store.ID, SKU: "TV-OLED-55", Quantity: 1})
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				ok++
				return
			}
			if fe, isFault := fault.As(err); isFault && fe.Code == "insufficient_stock" {
				short++
				return
			}
			t.Errorf("unexpected error: %v", err)
		}()
	}
	wg.Wait()
	if ok != 7 || short != 193 {
		t.Fatalf("%d held and %d refused, want 7 and 193", ok, short)
	}
	if onHand, held := s.level("TV-OLED-55"); onHand != 7 || held != 7 {
		t.Fatalf("on_hand %d held %d, want 7 and 7", onHand, held)
	}
	var n int
	if err := s.db.Get(&n, `SELECT count(*) FROM holds`); err != nil {
		t.Fatal(err)
	}
	if n != 7 {
		t.Fatalf("%d holds written, want 7", n)
	}
}

// TestConcurrentMixedQuantities: holds of 1 to 4 units race for 20; what is
// held is exactly the sum of the holds that succeeded, and a refused
// quantity was truly more than what remained.
func TestConcurrentMixedQuantities(t *testing.T) {
	s := newShop(t, holds.Config{})
	s.stock("PHONE-1", "Phone", 20)
	var wg sync.WaitGroup
	var mu sync.Mutex
	sum, minRefused := 0, 99
	for i := 0; i < 120; i++ {
		wg.Add(1)
		go func(q int) {
			defer wg.Done()
			_, err := s.k.Place(context.Background(), s.staff["remi"], "", holds.NewHold{StoreID: s.store.ID, SKU: "PHONE-1", Quantity: q})
			mu.Lock()
			defer mu.Unlock()
			switch fe, _ := fault.As(err); {
			case err == nil:
				sum += q
			case fe != nil && fe.Code == "insufficient_stock":
				minRefused = min(minRefused, q)
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}(i%4 + 1)
	}
	wg.Wait()
	_, held := s.level("PHONE-1")
	var total int
	if err := s.db.Get(&total, `SELECT coalesce(sum(quantity), 0) FROM holds WHERE status = 'active'`); err != nil {
		t.Fatal(err)
	}
	if held != sum || total != sum || sum > 20 {
		t.Fatalf("held %d, holds total %d, successes %d (of 20)", held, total, sum)
	}
	// Available only went down, so a refusal means less than that remained at the end too.
	if left := 20 - sum; left >= minRefused {
		t.Fatalf("%d units left although a hold of %d was refused", left, minRefused)
	}
}

func TestPlaceRules(t *testing.T) {
	s := newShop(t, holds.Config{MaxQuantity: 3, MaxActivePerShopper: 2})
	s.stock("A", "Kettle", 100)
	s.stock("B", "Toaster", 1)
	place := func(a holds.Actor, n holds.NewHold) error {
		if n.StoreID == "" {
			n.StoreID = s.store.ID
		}
		_, err := s.k.Place(context.Background(), a, "", n)
		return err
	}
	cases := []struct {
		name string
		who  holds.Actor
		n    holds.NewHold
		kind fault.Kind
		code string
	}{
		{"no units", s.shopper, holds.NewHold{SKU: "A", Quantity: 0}, fault.KindInvalid, ""},
		{"over the quantity limit", s.shopper, holds.NewHold{SKU: "A", Quantity: 4}, fault.KindInvalid, ""},
		{"unknown sku", s.shopper, holds.NewHold{SKU: "NOPE", Quantity: 1}, fault.KindInvalid, ""},
		{"more than available", s.shopper, holds.NewHold{SKU: "B", Quantity: 2}, fault.KindConflict, "insufficient_stock"},
		{"unknown store", s.shopper, holds.NewHold{StoreID: "6f1c8a8e-2b7e-4a53-9d1f-7c2f5d1e0a11", SKU: "A", Quantity: 1}, fault.KindNotFound, ""},
		{"not an id", s.shopper, holds.NewHold{StoreID: "part-dieu", SKU: "A", Quantity: 1}, fault.KindNotFound, ""},
		{"staff of another store", s.staff["olga"], holds.NewHold{SKU: "A", Quantity: 1}, fault.KindForbidden, ""},
		{"nobody", holds.Actor{}, holds.NewHold{SKU: "A", Quantity: 1}, fault.KindForbidden, ""},
		{"someone else's request", s.shopper, holds.NewHold{SKU: "A", Quantity: 1, HelpRequestID: s.request(s.second)}, fault.KindNotFound, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { pgtest.WantFault(t, place(c.who, c.n), c.kind, c.code) })
	}
	t.Run("open holds per shopper", func(t *testing.T) {
		s.place(s.shopper, "A", 1)
		s.place(s.shopper, "A", 1)
		err := place(s.shopper, holds.NewHold{SKU: "A", Quantity: 1})
		pgtest.WantFault(t, err, fault.KindState, "")
		if !strings.Contains(err.Error(), "2 holds") {
			t.Fatalf("unclear message: %v", err)
		}
		if _, held := s.level("A"); held != 2 {
			t.Fatalf("held %d after a refusal, want 2", held)
		}
		s.place(s.second, "A", 1) // another shopper is not affected
		s.place(s.staff["sam"], "A", 3)
	})
}

func TestPlacedHold(t *testing.T) {
	s := newShop(t, holds.Config{TTL: 2 * time.Hour})
	s.stock("TV-1", "Téléviseur OLED", 5)
	before := time.Now()
	h := s.place(s.shopper, "TV-1", 2)
	if h.Status != "active" || h.StoreID != s.store.ID || h.StoreName != "Part-Dieu" || h.SKU != "TV-1" ||
		h.ProductName != "Téléviseur OLED" || h.Quantity != 2 || h.HelpRequestID != nil || h.ReadyAt != nil {
		t.Fatalf("hold %+v", h)
	}
	if !regexp.MustCompile(`^[ACDEFHJKMNPRTUVWXY3479]{6}$`).MatchString(h.PickupCode) {
		t.Fatalf("pickup code %q", h.PickupCode)
	}
	if d := h.ExpiresAt.Sub(before); d < 2*time.Hour-time.Minute || d > 2*time.Hour+time.Minute {
		t.Fatalf("expires in %v, want 2h", d)
	}
	if h.ExpiresAt.Location() != time.UTC {
		t.Fatal("times are not UTC")
	}
	p, err := s.k.Products(context.Background(), s.store.ID, "TV-1", 0)
	if err != nil || len(p) != 1 || p[0].OnHand != 5 || p[0].Held != 2 || p[0].Available != 3 {
		t.Fatalf("product %+v %v", p, err)
	}
}

// request opens a help request for a shopper at the store.
func (s *shop) request(shopper holds.Actor) string {
	var id string
	if err := s.db.Get(&id, `INSERT INTO help_requests (shopper_id, store_id, department, channel)
		VALUES ($1, $2, 'tv', 'remote') RETURNING id`, shopper.ShopperID, s.store.ID); err != nil {
		s.t.Fatal(err)
	}
	return id
}

// TestHoldFromAConversation: an agent holds for the request's shopper; the
// hold is theirs, the conversation says so, and the store and the shopper
// are alerted.
func TestHoldFromAConversation(t *testing.T) {
	s := newShop(t, holds.Config{})
	s.subscribe()
	s.available("sam")
	s.stock("TV-1", "OLED TV", 5)
	req := s.request(s.shopper)
	h, err := s.k.Place(context.Background(), s.staff["remi"], "", holds.NewHold{StoreID: s.store.ID, SKU: "TV-1", Quantity: 2, HelpRequestID: req})
	if err != nil {
		t.Fatal(err)
	}
	if h.HelpRequestID == nil || *h.HelpRequestID != req {
		t.Fatalf("hold not linked: %+v", h)
	}
	if _, err := s.k.Hold(context.Background(), s.shopper, h.ID); err != nil {
		t.Fatalf("the request's shopper cannot see the hold: %v", err)
	}
	var m struct {
		Name string `db:"author_name"`
		Role string `db:"author_role"`
		Body string `db:"body"`
	}
	if err := s.db.Get(&m, `SELECT author_name, author_role, body FROM request_messages WHERE request_id = $1`, req); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("Held 2 × OLED TV at Part-Dieu until %s — pickup code %s",
		h.ExpiresAt.In(mustZone(t, "Europe/Paris")).Format("Mon 2 Jan 15:04"), h.PickupCode)
	if m.Name != "remi" || m.Role != "agent" || m.Body != want {
		t.Fatalf("message %+v, want body %q", m, want)
	}
	var answers int
	if err := s.db.Get(&answers, `SELECT staff_answers FROM help_requests WHERE id = $1`, req); err != nil || answers != 1 {
		t.Fatalf("the request counts %d staff answers (%v); the hold's message is one", answers, err)
	}
	pick := s.pushes(s.staff["sam"], "hold_pick")
	if len(pick) != 1 || pick[0]["title"] != "Pick list: 2 × OLED TV" || pick[0]["url"] != "/staff/holds" || pick[0]["hold_id"] != h.ID {
		t.Fatalf("pick list alert %v", pick)
	}
	if len(s.pushes(s.staff["lea"], "hold_pick")) != 0 {
		t.Fatal("staff who are not available were alerted")
	}
	if got := s.pushes(s.shopper, "request_update"); len(got) != 1 || got[0]["hold_id"] != h.ID {
		t.Fatalf("shopper alerts %v", got)
	}
}

// TestPickListWithNobodyAvailable: the managers hear of the hold.
func TestPickListWithNobodyAvailable(t *testing.T) {
	s := newShop(t, holds.Config{})
	s.subscribe()
	s.stock("TV-1", "OLED TV", 5)
	s.place(s.shopper, "TV-1", 1)
	if len(s.pushes(s.staff["claire"], "hold_pick")) != 1 || len(s.pushes(s.staff["sam"], "hold_pick")) != 0 {
		t.Fatal("the manager was not alerted when nobody was available")
	}
	if len(s.pushes(s.shopper, "request_update")) != 0 {
		t.Fatal("a shopper was told of their own hold")
	}
}

func mustZone(t *testing.T, name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
