package holds_test

import (
	"context"
	"strings"
	"testing"

	"helpforce/fault"
	"helpforce/holds"
	"helpforce/pg/pgtest"
)

// TestPickupTakesStock: ready, a wrong code, the right one as typed at a
// counter, then a second pickup.
func TestPickupTakesStock(t *testing.T) {
	s := newShop(t, holds.Config{})
	s.subscribe()
	s.stock("TV-1", "OLED TV", 5)
	ctx := context.Background()
	sam := s.staff["sam"]
	h := s.place(s.shopper, "TV-1", 2)

	ready, err := s.k.Ready(ctx, sam, h.ID)
	if err != nil || ready.Status != "ready" || ready.ReadyAt == nil {
		t.Fatalf("ready: %+v %v", ready, err)
	}
	if got := s.pushes(s.shopper, "request_update"); len(got) != 1 || got[0]["title"] != "Your order is ready at the pickup desk" {
		t.Fatalf("shopper alerts %v", got)
	}
	_, err = s.k.Ready(ctx, sam, h.ID)
	pgtest.WantFault(t, err, fault.KindState, "")

	_, err = s.k.Pickup(ctx, sam, h.ID, "AAAAAA")
	pgtest.WantFault(t, err, fault.KindInvalid, "")
	if fe, _ := fault.As(err); fe.Field != "pickup_code" || fe.Message != "this code does not match" {
		t.Fatalf("wrong code refused as %+v", fe)
	}
	if onHand, held := s.level("TV-1"); onHand != 5 || held != 2 {
		t.Fatalf("a wrong code changed the stock: %d/%d", onHand, held)
	}
	typed := strings.ToLower(h.PickupCode[:3] + "-" + h.PickupCode[3:])
	done, err := s.k.Pickup(ctx, sam, h.ID, typed)
	if err != nil || done.Status != "picked_up" || done.PickedUpAt == nil {
		t.Fatalf("pickup: %+v %v", done, err)
	}
	if onHand, held := s.level("TV-1"); onHand != 3 || held != 0 {
		t.Fatalf("after pickup on_hand %d held %d, want 3 and 0", onHand, held)
	}
	_, err = s.k.Pickup(ctx, sam, h.ID, h.PickupCode)
	pgtest.WantFault(t, err, fault.KindState, "")
	_, err = s.k.Cancel(ctx, s.shopper, h.ID)
	pgtest.WantFault(t, err, fault.KindState, "")
	if onHand, held := s.level("TV-1"); onHand != 3 || held != 0 {
		t.Fatalf("a second pickup changed the stock: %d/%d", onHand, held)
	}
}

func TestCancelReleases(t *testing.T) {
	s := newShop(t, holds.Config{})
	s.subscribe()
	s.available("sam")
	s.stock("TV-1", "OLED TV", 5)
	ctx := context.Background()

	own := s.place(s.shopper, "TV-1", 2)
	c, err := s.k.Cancel(ctx, s.shopper, own.ID)
	if err != nil || c.Status != "cancelled" {
		t.Fatalf("cancel: %+v %v", c, err)
	}
	if _, held := s.level("TV-1"); held != 0 {
		t.Fatalf("held %d after cancel", held)
	}
	_, err = s.k.Cancel(ctx, s.shopper, own.ID)
	pgtest.WantFault(t, err, fault.KindState, "")

	// Staff cancel a prepared hold: the shopper is told, the floor puts it back.
	h := s.place(s.shopper, "TV-1", 1)
	if _, err := s.k.Ready(ctx, s.staff["sam"], h.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.k.Cancel(ctx, s.staff["remi"], h.ID); err != nil {
		t.Fatal(err)
	}
	got := s.pushes(s.shopper, "request_update")
	if last := got[len(got)-1]; last["title"] != "Your hold was cancelled" || last["hold_id"] != h.ID {
		t.Fatalf("shopper alerts %v", got)
	}
	back := s.pushes(s.staff["sam"], "request_update")
	if len(back) != 1 || !strings.HasPrefix(back[0]["title"].(string), "Put back: 1 × OLED TV") {
		t.Fatalf("floor alerts %v", back)
	}
	if _, held := s.level("TV-1"); held != 0 {
		t.Fatalf("held %d after cancel", held)
	}
}

func TestRoles(t *testing.T) {
	s := newShop(t, holds.Config{})
	s.stock("TV-1", "OLED TV", 10)
	ctx := context.Background()
	h := s.place(s.shopper, "TV-1", 1)
	mine := s.place(s.second, "TV-1", 1)
	olga, sam := s.staff["olga"], s.staff["sam"]

	for _, who := range []holds.Actor{s.shopper, sam, s.staff["claire"], s.staff["remi"], s.staff["ada"]} {
		if _, err := s.k.Hold(ctx, who, h.ID); err != nil {
			t.Fatalf("%s cannot see the hold: %v", who.Role, err)
		}
	}
	_, err := s.k.Hold(ctx, s.second, h.ID)
	pgtest.WantFault(t, err, fault.KindNotFound, "")
	_, err = s.k.Hold(ctx, olga, h.ID)
	pgtest.WantFault(t, err, fault.KindNotFound, "")
	_, err = s.k.Hold(ctx, sam, "not-an-id")
	pgtest.WantFault(t, err, fault.KindNotFound, "")

	_, err = s.k.Pickup(ctx, olga, h.ID, h.PickupCode)
	pgtest.WantFault(t, err, fault.KindNotFound, "")
	_, err = s.k.Cancel(ctx, s.second, h.ID)
	pgtest.WantFault(t, err, fault.KindNotFound, "")
	_, err = s.k.Pickup(ctx, s.shopper, h.ID, h.PickupCode)
	pgtest.WantFault(t, err, fault.KindForbidden, "")
	_, err = s.k.Ready(ctx, s.staff["remi"], h.ID)
	pgtest.WantFault(t, err, fault.KindForbidden, "")

	_, err = s.k.StoreHolds(ctx, olga, s.store.ID, "")
	pgtest.WantFault(t, err, fault.KindForbidden, "")
	_, err = s.k.StoreHolds(ctx, s.shopper, s.store.ID, "")
	pgtest.WantFault(t, err, fault.KindForbidden, "")
	_, err = s.k.ShopperHolds(ctx, sam)
	pgtest.WantFault(t, err, fault.KindForbidden, "")

	list, err := s.k.ShopperHolds(ctx, s.second)
	if err != nil || len(list) != 1 || list[0].ID != mine.ID {
		t.Fatalf("my holds: %+v %v", list, err)
	}
	if _, err := s.k.HoldByCode(ctx, sam, s.store.ID, strings.ToLower(h.PickupCode)); err != nil {
		t.Fatalf("by code: %v", err)
	}
	_, err = s.k.HoldByCode(ctx, olga, s.store.ID, h.PickupCode)
	pgtest.WantFault(t, err, fault.KindForbidden, "")
}

func TestStoreHolds(t *testing.T) {
	s := newShop(t, holds.Config{})
	s.stock("TV-1", "OLED TV", 10)
	ctx := context.Background()
	sam := s.staff["sam"]
	a := s.place(s.shopper, "TV-1", 1)
	b := s.place(s.second, "TV-1", 1)
	c := s.place(sam, "TV-1", 1)
	if _, err := s.k.Ready(ctx, sam, b.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.k.Cancel(ctx, sam, c.ID); err != nil {
		t.Fatal(err)
	}
	for status, want := range map[string][]string{
		"":          {a.ID, b.ID},
		"active":    {a.ID},
		"ready":     {b.ID},
		"cancelled": {c.ID},
		"picked_up": {},
	} {
		list, err := s.k.StoreHolds(ctx, s.staff["remi"], s.store.ID, status)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range list {
			got = append(got, h.ID)
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("status %q: %v, want %v", status, got, want)
		}
	}
	_, err := s.k.StoreHolds(ctx, sam, s.store.ID, "lost")
	pgtest.WantFault(t, err, fault.KindInvalid, "")
	list, err := s.k.StoreHolds(ctx, s.staff["olga"], s.other.ID, "")
	if err != nil || len(list) != 0 || list == nil {
		t.Fatalf("another store's list: %v %v", list, err)
	}
}

// TestPickupBelowCount: an import counted fewer units than are held; the
// pickup is refused until the count is fixed, never taking on_hand below zero.
func TestPickupBelowCount(t *testing.T) {
	s := newShop(t, holds.Config{})
	s.stock("TV-1", "OLED TV", 3)
	h := s.place(s.shopper, "TV-1", 3)
	s.db.MustExec(`UPDATE products SET on_hand = 1 WHERE sku = 'TV-1'`)
	_, err := s.k.Pickup(context.Background(), s.staff["sam"], h.ID, h.PickupCode)
	pgtest.WantFault(t, err, fault.KindConflict, "insufficient_stock")
	if onHand, held := s.level("TV-1"); onHand != 1 || held != 3 {
		t.Fatalf("on_hand %d held %d", onHand, held)
	}
	if got, err := s.k.Hold(context.Background(), s.shopper, h.ID); err != nil || got.Status != "active" {
		t.Fatalf("status %s after a refused pickup (%v)", got.Status, err)
	}
}
