package stores

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"helpforce/fault"
	"helpforce/pg"
)

// Hours is a store's opening hours as kept, with whether it is open now and,
// when closed, when it next opens. The rule itself is in SQL
// (store_open_at, store_opens_at; see migrations/0013_store_hours.sql), so
// that request creation and reports apply the same one.
type Hours struct {
	StoreID    string      `json:"store_id"`
	Timezone   string      `json:"timezone"`
	Weekly     []DayRange  `json:"weekly"`
	Exceptions []Exception `json:"exceptions"`
	OpenNow    bool        `json:"open_now"`
	OpensAt    *time.Time  `json:"opens_at"`
}

// hoursQuery reads a store's hours as JSON lists, in the order a person
// reads them; left(…, 5) turns time's 09:00:00 and 24:00:00 into 09:00 and 24:00.
const hoursQuery = `
SELECT s.timezone, store_open_at(s.id, now()) AS open_now, store_opens_at(s.id, now()) AS opens_at,
	COALESCE((SELECT jsonb_agg(jsonb_build_object('day', day, 'open', left(opens::text, 5),
		'close', left(closes::text, 5)) ORDER BY day, opens)
		FROM store_hours WHERE store_id = s.id), '[]') AS weekly,
	COALESCE((SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object('date', date, 'closed', opens IS NULL,
		'open', left(opens::text, 5), 'close', left(closes::text, 5))) ORDER BY date)
		FROM store_hour_exceptions WHERE store_id = s.id), '[]') AS exceptions
FROM stores s WHERE s.id = $1`

// The statements of a replacement, run in one transaction behind the
// store's row lock so that two replacements at once end as one or the other,
// never a mix. FOR NO KEY UPDATE leaves requests free to reference the
// store meanwhile. The lists arrive as one JSON array each.
const (
	lockStore       = `SELECT id FROM stores WHERE id = $1 FOR NO KEY UPDATE`
	clearWeekly     = `DELETE FROM store_hours WHERE store_id = $1`
	clearExceptions = `DELETE FROM store_hour_exceptions WHERE store_id = $1`
	insertWeekly    = `INSERT INTO store_hours (store_id, day, opens, closes)
		SELECT $1, day, open::time, close::time FROM jsonb_to_recordset($2) AS x (day smallint, open text, close text)`
	insertExceptions = `INSERT INTO store_hour_exceptions (store_id, date, opens, closes)
		SELECT $1, date::date, NULLIF(open, '')::time, NULLIF(close, '')::time
		FROM jsonb_to_recordset($2) AS x (date text, open text, close text)`
)

// Hours returns a store's opening hours.
func (r *Registry) Hours(ctx context.Context, storeID string) (Hours, error) {
	if !pg.IsID(storeID) {
		return Hours{}, fault.NotFound("store")
	}
	var row struct {
		Timezone   string     `db:"timezone"`
		OpenNow    bool       `db:"open_now"`
		OpensAt    *time.Time `db:"opens_at"`
		Weekly     []byte     `db:"weekly"`
		Exceptions []byte     `db:"exceptions"`
	}
	err := r.db.GetContext(ctx, &row, hoursQuery, storeID)
	if errors.Is(err, sql.ErrNoRows) {
		return Hours{}, fault.NotFound("store")
	}
	if err != nil {
		return Hours{}, fmt.Errorf("stores: hours of %s: %w", storeID, err)
	}
	h := Hours{StoreID: storeID, Timezone: row.Timezone, OpenNow: row.OpenNow, OpensAt: utc(row.OpensAt)}
	if err := json.Unmarshal(row.Weekly, &h.Weekly); err != nil {
		return Hours{}, fmt.Errorf("stores: hours of %s: %w", storeID, err)
	}
	if err := json.Unmarshal(row.Exceptions, &h.Exceptions); err != nil {
		return Hours{}, fmt.Errorf("stores: hours of %s: %w", storeID, err)
	}
	return h, nil
}

// SetHours replaces a store's opening hours whole, or refuses them with the
// first mistake and writes nothing.
func (r *Registry) SetHours(ctx context.Context, storeID string, n NewHours) (Hours, error) {
	if !pg.IsID(storeID) {
		return Hours{}, fault.NotFound("store")
	}
	if err := n.validate(); err != nil {
		return Hours{}, err
	}
	weekly, err := json.Marshal(nonNil(n.Weekly))
	if err != nil {
		return Hours{}, err
	}
	exceptions, err := json.Marshal(nonNil(n.Exceptions))
	if err != nil {
		return Hours{}, err
	}
	err = pg.InTx(ctx, r.db, func(tx *sqlx.Tx) error {
		var id string
		if err := tx.GetContext(ctx, &id, lockStore, storeID); errors.Is(err, sql.ErrNoRows) {
			return fault.NotFound("store")
		} else if err != nil {
			return err
		}
		for _, q := range []struct {
			sql  string
			list []byte
		}{{clearWeekly, nil}, {clearExceptions, nil}, {insertWeekly, weekly}, {insertExceptions, exceptions}} {
			args := []any{storeID}
			if q.list != nil {
				args = append(args, q.list)
			}
			if _, err := tx.ExecContext(ctx, q.sql, args...); err != nil {
				return err
			}
		}
		return nil
	})
	if fault.IsNotFound(err) {
		return Hours{}, err
	}
	if err != nil {
		return Hours{}, fmt.Errorf("stores: set hours of %s: %w", storeID, err)
	}
	return r.Hours(ctx, storeID)
}

// OpenAt says whether a store is open at t and, when it is closed, when it
// next opens within 14 days (nil when it does not). It asks PostgreSQL's
// store_open_at and store_opens_at, the rule request creation uses.
func (r *Registry) OpenAt(ctx context.Context, storeID string, t time.Time) (open bool, opensAt *time.Time, err error) {
	if !pg.IsID(storeID) {
		return false, nil, fault.NotFound("store")
	}
	var row struct {
		Open    *bool      `db:"open"`
		OpensAt *time.Time `db:"opens_at"`
	}
	err = r.db.GetContext(ctx, &row, `SELECT store_open_at($1, $2) AS open, store_opens_at($1, $2) AS opens_at`, storeID, t)
	if err != nil {
		return false, nil, fmt.Errorf("stores: open at of %s: %w", storeID, err)
	}
	if row.Open == nil {
		return false, nil, fault.NotFound("store")
	}
	return *row.Open, utc(row.OpensAt), nil
}

func nonNil[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
