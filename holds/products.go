package holds

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"helpforce/fault"
	"helpforce/gtin"
	"helpforce/pg"
)

// Product is one line of a store's inventory. Available is on_hand - held,
// shown as zero when an import counted fewer units than are held.
type Product struct {
	SKU       string   `json:"sku" db:"sku"`
	Name      string   `json:"name" db:"name"`
	Price     *float64 `json:"price" db:"price"`
	OnHand    int      `json:"on_hand" db:"on_hand"`
	Held      int      `json:"held" db:"held"`
	Available int      `json:"available" db:"available"`
	// GTIN is the number under the product's barcode, when the import gave one.
	GTIN string `json:"gtin,omitempty" db:"gtin"`
}

const (
	defaultLimit = 50
	maxLimit     = 200
	// maxWords bounds the conditions of a search; more words than this
	// narrow nothing a person needs.
	maxWords = 8
)

const selectProduct = `SELECT sku, name, price, on_hand, held, greatest(on_hand - held, 0) AS available,
	COALESCE(gtin, '') AS gtin FROM products`

// ProductsByGTIN finds a store's product by the number under its barcode
// (EAN-13, UPC-A or EAN-8, check digit verified): a list of one, or none.
func (k *Keeper) ProductsByGTIN(ctx context.Context, storeID, code string) ([]Product, error) {
	if !pg.IsID(storeID) {
		return nil, fault.NotFound("store")
	}
	n, ok := gtin.Normalize(strings.TrimSpace(code))
	if !ok {
		return nil, fault.Invalid("gtin", "scan or type the 8, 12 or 13 digits under the barcode")
	}
	list := []Product{}
	if err := k.db.SelectContext(ctx, &list, selectProduct+` WHERE store_id = $1 AND gtin = $2 ORDER BY sku LIMIT 1`,
		storeID, n); err != nil {
		return nil, fmt.Errorf("holds: product %s of %s: %w", n, storeID, err)
	}
	if len(list) == 0 {
		if err := k.storeExists(ctx, k.db, storeID); err != nil {
			return nil, err
		}
	}
	return list, nil
}

// Products searches a store's inventory. q matches a prefix of the SKU
// (any case) or words of the name: every word must appear, in any case and
// with or without accents. Exact SKU first, then SKU prefixes in order,
// then names by similarity to q. An empty q lists the products by name,
// ignoring case and accents whatever the database's collation. limit
// defaults to 50, at most 200.
func (k *Keeper) Products(ctx context.Context, storeID, q string, limit int) ([]Product, error) {
	if !pg.IsID(storeID) {
		return nil, fault.NotFound("store")
	}
	if limit <= 0 {
		limit = defaultLimit
	}
	limit = min(limit, maxLimit)
	q = strings.TrimSpace(q)
	if len([]rune(q)) > 200 {
		return nil, fault.Invalid("q", "search with up to 200 characters")
	}
	list := []Product{}
	var err error
	switch {
	case q == "":
		err = k.db.SelectContext(ctx, &list, selectProduct+` WHERE store_id = $1 ORDER BY search_name, sku LIMIT $2`,
			storeID, limit)
	default:
		// SKU matches come first: when they fill the page, the names cannot
		// change it, and the name index need not be read.
		lowered := strings.ToLower(q)
		err = k.search.SelectContext(ctx, &list, selectProduct+` WHERE store_id = $1 AND lower(sku) LIKE $2
			ORDER BY lower(sku) = $3 DESC, lower(sku), sku LIMIT $4`, storeID, likeEscape(lowered)+"%", lowered, limit)
		if err == nil && len(list) < limit {
			list = list[:0]
			query, args := searchQuery(storeID, q, limit)
			err = k.search.SelectContext(ctx, &list, query, args...)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("holds: products of %s: %w", storeID, err)
	}
	if len(list) == 0 {
		if err := k.storeExists(ctx, k.db, storeID); err != nil {
			return nil, err
		}
	}
	return list, nil
}

// searchQuery builds the search. Each name word of three characters or
// more is its own LIKE condition, so that the trigram index on search_name
// serves them together, and the SKU prefix has its own btree index:
// PostgreSQL ORs the two index scans. Shorter words have no trigram to look
// up; they filter what the others found. Words are folded by the same
// function as search_name.
func searchQuery(storeID, q string, limit int) (string, []any) {
	lowered := strings.ToLower(q)
	args := []any{storeID, limit, lowered, likeEscape(lowered) + "%", q}
	words := strings.Fields(q)
	if len(words) > maxWords {
		words = words[:maxWords]
	}
	conds := make([]string, len(words))
	for i, w := range words {
		if utf8.RuneCountInString(w) < 3 {
			args = append(args, w)
			conds[i] = fmt.Sprintf("strpos(search_name, search_fold($%d)) > 0", len(args))
			continue
		}
		args = append(args, "%"+likeEscape(w)+"%")
		conds[i] = fmt.Sprintf("search_name LIKE search_fold($%d)", len(args))
	}
	return selectProduct + ` WHERE store_id = $1 AND (lower(sku) LIKE $4 OR (` + strings.Join(conds, " AND ") + `))
		ORDER BY lower(sku) = $3 DESC, lower(sku) LIKE $4 DESC, CASE WHEN lower(sku) LIKE $4 THEN lower(sku) END,
			CASE WHEN lower(sku) LIKE $4 THEN sku END, similarity(search_name, search_fold($5)) DESC, search_name, sku
		LIMIT $2`, args
}

// likeEscape makes s match itself literally in a LIKE pattern (backslash is
// PostgreSQL's default escape character).
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
