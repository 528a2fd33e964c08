package assist

import (
	"context"
	"fmt"
	"strings"

	"helpforce/fault"
	"helpforce/gtin"
)

// AttachProduct makes an open request about the product whose barcode someone
// in its conversation scanned or typed: the store's product with that code,
// or, when its store sells none (or it has no store), the code itself as the
// reference, as at creation. The shopper and the staff who may read the
// request may attach one; a later scan replaces it.
func (d *Desk) AttachProduct(ctx context.Context, a Actor, id, code string) (HelpRequest, error) {
	n, ok := gtin.Normalize(strings.TrimSpace(code))
	if !ok {
		return HelpRequest{}, fault.Invalid("gtin", "scan or type the 8, 12 or 13 digits under the barcode")
	}
	r, err := d.readView(ctx, id)
	if err != nil {
		return HelpRequest{}, err
	}
	if !r.visible(a) {
		return HelpRequest{}, fault.NotFound("help request")
	}
	// Guarded in the statement: a request that closed meanwhile keeps its product.
	res, err := d.db.ExecContext(ctx, `UPDATE help_requests r SET updated_at = now(),
		sku = COALESCE((SELECT p.sku FROM products p WHERE p.store_id = r.store_id AND p.gtin = $2 ORDER BY p.sku LIMIT 1), $2)
		WHERE r.id = $1 AND r.status IN ('waiting', 'assigned')`, id, n)
	if err != nil {
		return HelpRequest{}, fmt.Errorf("assist: product of %s: %w", id, err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return HelpRequest{}, fault.State("the request is closed: a product can be added while it is open")
	}
	return d.HelpRequest(ctx, a, id)
}
