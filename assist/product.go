package assist

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"helpforce/fault"
	"helpforce/gtin"
	"helpforce/stores"
)

// Product is the store's product a request is about, as its card shows it.
type Product struct {
	SKU       string   `json:"sku" db:"sku"`
	Name      string   `json:"name" db:"name"`
	Price     *float64 `json:"price" db:"price"`
	Available int      `json:"available" db:"available"`
}

// resolveGTIN checks a request's barcode number and, in a store that sells
// it, turns it into the product's SKU, so the request is about that product.
// A code the store does not know is kept as the request's reference, for
// the person who answers to read.
func (d *Desk) resolveGTIN(ctx context.Context, n *NewRequest, place stores.Placement) error {
	if n.GTIN = strings.TrimSpace(n.GTIN); n.GTIN == "" {
		return nil
	}
	code, ok := gtin.Normalize(n.GTIN)
	if !ok {
		return fault.Invalid("gtin", "scan or type the 8, 12 or 13 digits under the barcode")
	}
	if place.Store == nil {
		n.SKU = code
		return nil
	}
	err := d.db.GetContext(ctx, &n.SKU, `SELECT sku FROM products WHERE store_id = $1 AND gtin = $2 ORDER BY sku LIMIT 1`,
		place.Store.ID, code)
	if errors.Is(err, sql.ErrNoRows) {
		n.SKU = code
		return nil
	}
	if err != nil {
		return fmt.Errorf("assist: product %s: %w", code, err)
	}
	return nil
}

// withProduct fills the product of a request about one of its store's SKUs.
func (d *Desk) withProduct(ctx context.Context, r row, h *HelpRequest) error {
	if !r.SKU.Valid || r.SKU.String == "" || !r.StoreID.Valid {
		return nil
	}
	var p Product
	err := d.db.GetContext(ctx, &p, `SELECT sku, name, price, greatest(on_hand - held, 0) AS available
		FROM products WHERE store_id = $1 AND sku = $2`, r.StoreID.String, r.SKU.String)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("assist: product of %s: %w", r.ID, err)
	}
	h.Product = &p
	return nil
}
