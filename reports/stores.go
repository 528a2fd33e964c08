package reports

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// storesFigures takes every store in turn, so that each store's rows come
// from one range of help_requests_report_idx as in a single store's report,
// and a store without requests still gets its row (an aggregate without
// GROUP BY always returns one). OFFSET 0 keeps the store's open ranges a
// value computed once per store, rather than an expression the planner
// would copy into every row's test.
const storesFigures = `
SELECT s.id AS store_id, s.name AS store_name, f.*
FROM stores s
CROSS JOIN LATERAL (SELECT store_open_ranges(s.id, $1, $2) AS open_ranges OFFSET 0) o
CROSS JOIN LATERAL (
	SELECT ` + countColumns + `,` + timeColumns + `,` + openColumns + `
	FROM help_requests
	WHERE store_id = s.id AND created_at >= $1 AND created_at < $2
) f
ORDER BY s.name, s.id`

// Stores reports the headline figures of every store over p, by store name;
// the breakdowns are left nil.
func Stores(ctx context.Context, db *sqlx.DB, p Period) ([]Report, error) {
	var rows []struct {
		StoreID   string `db:"store_id"`
		StoreName string `db:"store_name"`
		figures
		openFigures
	}
	if err := read(ctx, db, &rows, storesFigures, p.From, p.To); err != nil {
		return nil, fmt.Errorf("reports: stores: %w", err)
	}
	out := make([]Report, 0, len(rows))
	for _, row := range rows {
		r := Report{StoreID: row.StoreID, StoreName: row.StoreName, From: p.From.UTC(), To: p.To.UTC()}
		row.headline(&r)
		r.OpenHours = row.openHours()
		out = append(out, r)
	}
	return out, nil
}
