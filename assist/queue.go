package assist

import (
	"context"
	"fmt"

	"github.com/lib/pq"
)

// Queue lists the waiting requests the caller may take, oldest first: for
// its staff, every waiting request of the store, including those waiting
// with the remote team (channel "remote"), which the floor may take back;
// remote requests for agents.
func (d *Desk) Queue(ctx context.Context, a Actor) ([]HelpRequest, error) {
	var rows []row
	var err error
	switch {
	case a.OnFloor():
		err = d.db.SelectContext(ctx, &rows, selectRequest+` WHERE r.status = 'waiting'
			AND r.store_id = $1 ORDER BY r.created_at, r.id LIMIT 200`, a.StoreID)
	case a.Central():
		err = d.db.SelectContext(ctx, &rows, selectRequest+` WHERE r.status = 'waiting' AND r.channel = 'remote'
			ORDER BY r.created_at, r.id LIMIT 200`)
	}
	if err != nil {
		return nil, fmt.Errorf("assist: queue: %w", err)
	}
	return d.views(ctx, rows)
}

// viewsOf is views for the rows of a wider read, each of which embeds a
// request's row.
func viewsOf[T any](ctx context.Context, d *Desk, xs []T, request func(T) row) ([]HelpRequest, error) {
	rows := make([]row, len(xs))
	for i, x := range xs {
		rows[i] = request(x)
	}
	return d.views(ctx, rows)
}

// views turns rows into what clients see, reading the products of all of
// them in one query rather than one a row.
func (d *Desk) views(ctx context.Context, rows []row) ([]HelpRequest, error) {
	out := make([]HelpRequest, 0, len(rows))
	var storeIDs, skus []string
	for _, r := range rows {
		h, err := shape(r)
		if err != nil {
			return nil, err
		}
		out = append(out, h)
		if r.SKU.Valid && r.SKU.String != "" && r.StoreID.Valid {
			storeIDs, skus = append(storeIDs, r.StoreID.String), append(skus, r.SKU.String)
		}
	}
	if len(skus) == 0 {
		return out, nil
	}
	var products []struct {
		StoreID string `db:"store_id"`
		Product
	}
	if err := d.db.SelectContext(ctx, &products, `SELECT p.store_id, p.sku, p.name, p.price,
		greatest(p.on_hand - p.held, 0) AS available
		FROM products p JOIN unnest($1::uuid[], $2::text[]) AS k(store_id, sku) ON p.store_id = k.store_id AND p.sku = k.sku`,
		pq.Array(storeIDs), pq.Array(skus)); err != nil {
		return nil, fmt.Errorf("assist: products of %d requests: %w", len(skus), err)
	}
	byKey := map[[2]string]Product{}
	for _, p := range products {
		byKey[[2]string{p.StoreID, p.SKU}] = p.Product
	}
	for i, r := range rows {
		if p, ok := byKey[[2]string{r.StoreID.String, r.SKU.String}]; ok && r.SKU.Valid && r.StoreID.Valid {
			out[i].Product = &p
		}
	}
	return out, nil
}
