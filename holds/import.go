package holds

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"helpforce/fault"
	"helpforce/notify"
	"helpforce/pg"
)

// ImportResult is what an import changed: every product of the file, and
// those now counted below what is held for pickup.
type ImportResult struct {
	Upserted  int         `json:"upserted"`
	BelowHeld []Shortfall `json:"below_held"`
}

// Shortfall is a product whose new count is below the units held.
type Shortfall struct {
	SKU    string `json:"sku" db:"sku"`
	OnHand int    `json:"on_hand" db:"on_hand"`
	Held   int    `json:"held" db:"held"`
}

// progressEvery is how many rows pass between two progress calls.
const progressEvery = 1000

// importLock namespaces the advisory locks that make a store's imports take turns.
const importLock = 6006

// ImportCSV imports a store's inventory from CSV: a header line naming
// sku,name,on_hand and optionally price and gtin (any case, any order, no other
// column), then one product a line. See importFrom for the rules.
func (k *Keeper) ImportCSV(ctx context.Context, storeID string, r io.Reader, progress func(rows int)) (ImportResult, error) {
	if err := k.importable(ctx, storeID); err != nil {
		return ImportResult{}, err
	}
	src, err := newCSVSource(r)
	if err != nil {
		return ImportResult{}, err
	}
	return k.importFrom(ctx, storeID, src, progress)
}

// ImportJSON imports a store's inventory from a JSON array of
// {sku, name, on_hand, price}. See importFrom for the rules.
func (k *Keeper) ImportJSON(ctx context.Context, storeID string, r io.Reader, progress func(rows int)) (ImportResult, error) {
	if err := k.importable(ctx, storeID); err != nil {
		return ImportResult{}, err
	}
	src, err := newJSONSource(r)
	if err != nil {
		return ImportResult{}, err
	}
	return k.importFrom(ctx, storeID, src, progress)
}

func (k *Keeper) importable(ctx context.Context, storeID string) error {
	if !pg.IsID(storeID) {
		return fault.NotFound("store")
	}
	return k.storeExists(ctx, k.db, storeID)
}

// importFrom streams the products into a staging table with COPY, then
// upserts them all with one statement: the whole import is one transaction,
// and the first bad row refuses it with its line. Each product's name and
// on_hand are replaced; its price too, unless the file gives none (no price
// column, an empty cell or null), which keeps the stored price: a stock-only
// feed does not erase prices. Held units are kept. A count below what is
// held is accepted (the shelf is what it is) but returned in BelowHeld and
// sent to the store's managers, who must sort out the holds at risk.
// progress, if given, is called every 1,000 rows and at the end.
func (k *Keeper) importFrom(ctx context.Context, storeID string, src source, progress func(int)) (ImportResult, error) {
	res := ImportResult{BelowHeld: []Shortfall{}}
	err := pg.InTx(ctx, k.db, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, importLock, storeID); err != nil {
			return fmt.Errorf("holds: lock imports of %s: %w", storeID, err)
		}
		if _, err := tx.ExecContext(ctx, `CREATE TEMPORARY TABLE inventory_import (
			sku text NOT NULL, name text NOT NULL, on_hand integer NOT NULL, price numeric(12, 2), gtin text) ON COMMIT DROP`); err != nil {
			return fmt.Errorf("holds: staging table: %w", err)
		}
		n, err := stage(ctx, tx, src, progress)
		if err != nil {
			return err
		}
		if n == 0 {
			return fault.Invalid("body", "the file lists no products")
		}
		res.Upserted = n
		// A row that would not change is left alone: a daily feed repeats
		// most of the catalogue, and an unchanged row costs no write.
		if _, err := tx.ExecContext(ctx, `INSERT INTO products AS p (store_id, sku, name, price, on_hand, gtin)
			SELECT $1, sku, name, price, on_hand, gtin FROM inventory_import
			ON CONFLICT (store_id, sku) DO UPDATE SET name = EXCLUDED.name,
				price = COALESCE(EXCLUDED.price, p.price), on_hand = EXCLUDED.on_hand,
				gtin = COALESCE(EXCLUDED.gtin, p.gtin), updated_at = now()
			WHERE (p.name, p.price, p.on_hand, p.gtin) IS DISTINCT FROM
				(EXCLUDED.name, COALESCE(EXCLUDED.price, p.price), EXCLUDED.on_hand, COALESCE(EXCLUDED.gtin, p.gtin))`,
			storeID); err != nil {
			return fmt.Errorf("holds: import into %s: %w", storeID, err)
		}
		// Only held stock can be short, and little of a store's stock is held.
		if err := tx.SelectContext(ctx, &res.BelowHeld, `SELECT p.sku, p.on_hand, p.held FROM products p
			WHERE p.store_id = $1 AND p.held > p.on_hand AND p.sku IN (SELECT sku FROM inventory_import)
			ORDER BY p.sku`, storeID); err != nil {
			return fmt.Errorf("holds: shortfalls at %s: %w", storeID, err)
		}
		if len(res.BelowHeld) > 0 {
			return k.reportShortfalls(ctx, tx, storeID, res.BelowHeld)
		}
		return nil
	})
	if err != nil {
		return ImportResult{}, err
	}
	return res, nil
}

// stage copies the checked products into the staging table and returns
// how many there were. A SKU seen twice refuses the file: which line should
// win is not for the import to guess.
func stage(ctx context.Context, tx *sqlx.Tx, src source, progress func(int)) (int, error) {
	stmt, err := tx.PrepareContext(ctx, pq.CopyIn("inventory_import", "sku", "name", "on_hand", "price", "gtin"))
	if err != nil {
		return 0, fmt.Errorf("holds: copy: %w", err)
	}
	defer stmt.Close()
	seen, seenGTIN := map[string]int{}, map[string]int{}
	n := 0
	for {
		it, err := src.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return 0, err
		}
		n++
		unit, at := src.at()
		if first, dup := seen[it.sku]; dup {
			return 0, fault.Invalid("body", "%s %d: sku %q is already on %s %d", unit, at, it.sku, unit, first)
		}
		seen[it.sku] = at
		if first, dup := seenGTIN[it.gtin]; dup && it.gtin != "" {
			return 0, fault.Invalid("body", "%s %d: gtin %s is already on %s %d", unit, at, it.gtin, unit, first)
		}
		seenGTIN[it.gtin] = at
		if _, err := stmt.ExecContext(ctx, it.sku, it.name, it.onHand, nullable(it.price), nullable(it.gtin)); err != nil {
			return 0, fmt.Errorf("holds: copy: %w", err)
		}
		if progress != nil && n%progressEvery == 0 {
			progress(n)
		}
	}
	if _, err := stmt.ExecContext(ctx); err != nil {
		return 0, fmt.Errorf("holds: copy: %w", err)
	}
	if progress != nil && n%progressEvery != 0 {
		progress(n)
	}
	return n, nil
}

// reportShortfalls alerts the store's managers, in the import's transaction.
func (k *Keeper) reportShortfalls(ctx context.Context, tx *sqlx.Tx, storeID string, short []Shortfall) error {
	skus := make([]string, len(short))
	var list []string
	for i, s := range short {
		skus[i] = s.SKU
		if i < 5 {
			list = append(list, fmt.Sprintf("%s (%d on hand, %d held)", s.SKU, s.OnHand, s.Held))
		}
	}
	if len(short) > len(list) {
		list = append(list, fmt.Sprintf("and %d more", len(short)-len(list)))
	}
	// The payload names a hold: the oldest one at risk.
	var holdID []string
	if err := tx.SelectContext(ctx, &holdID, `SELECT id FROM holds WHERE store_id = $1 AND sku = ANY($2)
		AND status IN ('active', 'ready') ORDER BY created_at LIMIT 1`, storeID, pq.Array(skus)); err != nil {
		return fmt.Errorf("holds: holds at risk: %w", err)
	}
	msg := notify.Message{Type: notify.TypeRequestUpdate, Title: "Stock below holds",
		Body: fmt.Sprintf("The inventory import counts fewer units than are held for pickup: %s. Check the shelves and the holds.",
			strings.Join(list, ", ")),
		URL: "/staff/holds", TTL: k.alertTTL(), Urgency: "high", Topic: notify.Topic("below-held", storeID)}
	if len(holdID) > 0 {
		msg.HoldID = holdID[0]
	}
	return k.tellManagers(ctx, tx, storeID, msg)
}
