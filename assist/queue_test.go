package assist_test

import (
	"context"
	"testing"

	"helpforce/assist"
	"helpforce/stores"
)

// TestQueueShowsEachRequestsProduct: the queue, the floor and one's
// conversations read the products of all their requests at once, and each
// request shows its own.
func TestQueueShowsEachRequestsProduct(t *testing.T) {
	f := newFloor(t, assist.Config{})
	ctx := context.Background()
	f.db.MustExec(`INSERT INTO products (store_id, sku, name, price, on_hand, held) VALUES
		($1, 'OLED-55', 'OLED 55"', 1299.00, 4, 1), ($1, 'PHONE-X', 'Phone X', 799.00, 2, 0)`, f.store.ID)
	want := map[string]string{}
	for _, sku := range []string{"OLED-55", "PHONE-X", "UNKNOWN-1", ""} {
		h, err := f.desk.Create(ctx, f.newShopper(), "", assist.NewRequest{Department: "tv", SKU: sku,
			PlaceQuery: stores.PlaceQuery{StoreID: f.store.ID}})
		if err != nil {
			t.Fatal(err)
		}
		want[h.ID] = sku
	}
	queue, err := f.desk.Queue(ctx, f.staff["claire"])
	if err != nil {
		t.Fatal(err)
	}
	if len(queue) != len(want) {
		t.Fatalf("queue of %d, want %d", len(queue), len(want))
	}
	showsProducts(t, "the queue", queue, want)

	// The manager's floor and an owner's conversations show them the same way.
	floor, err := f.desk.Floor(ctx, f.staff["claire"], f.store.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(floor.Waiting) != len(want) {
		t.Fatalf("%d waiting on the floor, want %d", len(floor.Waiting), len(want))
	}
	showsProducts(t, "the floor", floor.Waiting, want)
	for id, sku := range want {
		if sku == "OLED-55" {
			if _, err := f.desk.Accept(ctx, f.staff["sam"], id); err != nil {
				t.Fatal(err)
			}
		}
	}
	mine, err := f.desk.Conversations(ctx, f.staff["sam"])
	if err != nil {
		t.Fatal(err)
	}
	if len(mine) != 1 || mine[0].Product == nil {
		t.Fatalf("%d conversations, want the one taken, with its product", len(mine))
	}
	showsProducts(t, "the conversations", []assist.HelpRequest{mine[0].HelpRequest}, want)
}

// showsProducts checks that each of list shows the product of the SKU want
// gives for it: none for an unknown SKU or none at all.
func showsProducts(t *testing.T, what string, list []assist.HelpRequest, want map[string]string) {
	t.Helper()
	for _, h := range list {
		sku := want[h.ID]
		switch {
		case sku == "OLED-55" && (h.Product == nil || h.Product.Name != `OLED 55"` || h.Product.Available != 3):
			t.Fatalf("%s: %s shows %+v", what, sku, h.Product)
		case sku == "PHONE-X" && (h.Product == nil || h.Product.SKU != "PHONE-X" || h.Product.Available != 2):
			t.Fatalf("%s: %s shows %+v", what, sku, h.Product)
		case (sku == "UNKNOWN-1" || sku == "") && h.Product != nil:
			t.Fatalf("%s: a request about %q shows %+v", what, sku, h.Product)
		}
	}
}
