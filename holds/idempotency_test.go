package holds_test

import (
	"context"
	"sync"
	"testing"

	"helpforce/holds"
)

func TestIdempotentRepeat(t *testing.T) {
	s := newShop(t, holds.Config{})
	s.stock("A", "Kettle", 10)
	ctx := context.Background()
	n := holds.NewHold{StoreID: s.store.ID, SKU: "A", Quantity: 2}
	first, err := s.k.Place(ctx, s.shopper, "key-1", n)
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.k.Place(ctx, s.shopper, "key-1", n)
	if err != nil || again.ID != first.ID || again.PickupCode != first.PickupCode {
		t.Fatalf("repeat gave %+v, %v; want the first hold %s", again, err, first.ID)
	}
	if _, held := s.level("A"); held != 2 {
		t.Fatalf("held %d after a repeat, want 2", held)
	}
	// The key belongs to its caller: another caller's same key is a new hold.
	other, err := s.k.Place(ctx, s.second, "key-1", n)
	if err != nil || other.ID == first.ID {
		t.Fatalf("another shopper's key: %+v, %v", other, err)
	}
	staff, err := s.k.Place(ctx, s.staff["sam"], "key-1", n)
	if err != nil || staff.ID == first.ID || staff.ID == other.ID {
		t.Fatalf("staff's key: %+v, %v", staff, err)
	}
	if _, held := s.level("A"); held != 6 {
		t.Fatalf("held %d, want 6", held)
	}
}

// TestIdempotentConcurrentRepeats: repeats sent at once make one hold, and
// every one of them answers with it, even when the first took the last unit.
func TestIdempotentConcurrentRepeats(t *testing.T) {
	s := newShop(t, holds.Config{})
	s.stock("A", "Kettle", 2)
	for _, who := range []holds.Actor{s.shopper, s.staff["remi"]} {
		var wg sync.WaitGroup
		ids := make([]string, 8)
		for i := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				h, err := s.k.Place(context.Background(), who, "same-key", holds.NewHold{StoreID: s.store.ID, SKU: "A", Quantity: 1})
				if err != nil {
					t.Error(err)
					return
				}
				ids[i] = h.ID
			}()
		}
		wg.Wait()
		for _, id := range ids {
			if id != ids[0] {
				t.Fatalf("repeats answered with different holds: %v", ids)
			}
		}
	}
	var n int
	if err := s.db.Get(&n, `SELECT count(*) FROM holds`); err != nil {
		t.Fatal(err)
	}
	if _, held := s.level("A"); held != 2 || n != 2 {
		t.Fatalf("held %d in %d holds, want 2 in 2", held, n)
	}
}
