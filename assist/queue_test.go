package assist_test

import (
	"context"
	"testing"

	"helpforce/assist"
	"helpforce/stores"
)

// TestQueueShowsEachRequestsProduct: the queue reads the products of all
// its requests at once, and each request shows its own.
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
	for _, h := range queue {
		sku := want[h.ID]
		switch {
		case sku == "OLED-55" && (h.Product == nil || h.Product.Name != `OLED 55"` || h.Product.Available != 3):
			t.Fatalf("%s shows %+v", sku, h.Product)
		case sku == "PHONE-X" && (h.Product == nil || h.Product.SKU != "PHONE-X" || h.Product.Available != 2):
			t.Fatalf("%s shows %+v", sku, h.Product)
		case (sku == "UNKNOWN-1" || sku == "") && h.Product != nil:
			t.Fatalf("a request about %q shows %+v", sku, h.Product)
		}
	}
}
