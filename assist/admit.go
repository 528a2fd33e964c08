package assist

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"helpforce/fault"
	"helpforce/notify"
	"helpforce/pg"
	"helpforce/stores"
)

// createRequest admits and writes a request in one statement: it counts the
// shopper's open requests, finds a repeat of the idempotency key and the
// department's name, and only when all is well inserts the request, its
// log, its deadlines (kinds $11, delays $12 in seconds; "wave" only when the
// wave reached anyone) and, in a store, wave $13 of at most $14 people with
// their offers: it returns whom it offered the request to.
var createRequest = `
WITH facts AS (
	SELECT (SELECT count(*) FROM help_requests WHERE shopper_id = $1 AND status IN ('waiting', 'assigned')) AS open,
		(SELECT id FROM help_requests WHERE shopper_id = $1 AND idempotency_key = $8) AS repeat_of,
		-- A request in no store takes the department's name from any store that has it.
		CASE WHEN $2::uuid IS NULL THEN (SELECT x.name FROM departments x WHERE x.code = $3 ORDER BY x.name LIMIT 1)
			ELSE (SELECT x.name FROM departments x WHERE x.store_id = $2::uuid AND x.code = $3) END AS department_name
), created AS (
	INSERT INTO help_requests (shopper_id, store_id, department, note, sku, nearby, channel, idempotency_key, wave)
	SELECT $1, $2, $3, $4, $5, $6, $7, $8, $13 FROM facts
	WHERE facts.repeat_of IS NULL AND facts.open < $9 AND ($2::uuid IS NULL OR facts.department_name IS NOT NULL)
	ON CONFLICT (shopper_id, idempotency_key) DO NOTHING
	RETURNING id, round, created_at
), ` + fmt.Sprintf(chosen, "(SELECT id FROM created)", "$2", "$3", "$14", waveOf[waveSkilled]) + `,
offered AS (
	INSERT INTO offers (request_id, user_id, wave) SELECT created.id, chosen.id, $13 FROM created, chosen
), logged AS (
	INSERT INTO request_events (request_id, kind, actor_name, actor_role, from_state, to_state, reason)
	SELECT created.id, l.kind, l.actor_name, l.actor_role, '', l.to_state, l.reason FROM created, (
		SELECT 1 AS n, 'created' AS kind, 'Shopper' AS actor_name, 'shopper' AS actor_role, $7 AS to_state, $10 AS reason
		UNION ALL
		SELECT 2, 'offered', $15, $16, ` + fmt.Sprintf(offeredTo, "$13") + `, '' FROM chosen HAVING count(*) > 0
	) l ORDER BY l.n
), timed AS (
	INSERT INTO timers (request_id, kind, generation, due_at)
	SELECT created.id, k, created.round, now() + s * interval '1 second'
	FROM created, unnest($11::text[], $12::float8[]) AS t(k, s)
	WHERE k <> 'wave' OR EXISTS (SELECT 1 FROM chosen)
)
SELECT facts.open, facts.repeat_of, facts.department_name, created.id, created.round, created.created_at,
	(SELECT array_agg(id) FROM chosen) AS offered_to,
	-- The new row is not visible to this statement: it comes after those counted.
	v.position + 1 AS position, v.estimate_s, v.remote_available
FROM facts LEFT JOIN created ON true
LEFT JOIN LATERAL (SELECT ` + queueFacts + ` FROM (SELECT created.id, $2::uuid AS store_id, $7::text AS channel,
	'waiting'::text AS status, created.created_at) r) v ON true`

// create writes and dispatches a request in tx and returns it as written,
// with its place in the queue; on errRepeat, only the ID of the first.
func (d *Desk) create(ctx context.Context, tx *sqlx.Tx, a Actor, idemKey string, n NewRequest, place stores.Placement) (row, error) {
	// Serialise one shopper's creations so the cap on open requests holds;
	// Create notifies once committed.
	if _, err := tx.ExecContext(ctx, `SELECT `+pg.AfterCommit+` FROM shoppers WHERE id = $1 FOR UPDATE`, a.ShopperID); err != nil {
		return row{}, err
	}
	r := row{ShopperID: a.ShopperID, Department: n.Department, Note: n.Note, Status: "waiting", Channel: "remote"}
	deadlines := map[string]time.Duration{"abandon": d.cfg.AbandonAfter}
	if place.Store != nil {
		r.StoreID = sql.NullString{String: place.Store.ID, Valid: true}
		r.StoreName = sql.NullString{String: place.Store.Name, Valid: true}
		r.Channel, r.Wave = "floor", waveSkilled
		deadlines["overflow"], deadlines["wave"] = d.cfg.OverflowTimeout, d.cfg.OfferTimeout
	}
	if n.SKU != "" {
		r.SKU = sql.NullString{String: n.SKU, Valid: true}
	}
	if place.Nearby == nil {
		place.Nearby = []stores.Nearby{}
	}
	r.Nearby, _ = json.Marshal(place.Nearby)
	var key any
	if idemKey != "" {
		key = idemKey
	}
	var kinds []string
	var secs []float64
	for k, v := range deadlines {
		kinds, secs = append(kinds, k), append(secs, v.Seconds())
	}
	var got struct {
		Open     int            `db:"open"`
		RepeatOf sql.NullString `db:"repeat_of"`
		DeptName sql.NullString `db:"department_name"`
		ID       sql.NullString `db:"id"`
		Round    sql.NullInt64  `db:"round"`
		Created  sql.NullTime   `db:"created_at"`
		Position sql.NullInt64  `db:"position"`
		Estimate *float64       `db:"estimate_s"`
		Remote   sql.NullBool   `db:"remote_available"`
		Offered  pq.StringArray `db:"offered_to"`
	}
	if err := tx.GetContext(ctx, &got, createRequest, a.ShopperID, r.StoreID, r.Department, r.Note, r.SKU, string(r.Nearby),
		r.Channel, key, d.cfg.OpenPerShopper, placedBy[place.Confidence], pq.Array(kinds), pq.Array(secs),
		r.Wave, d.cfg.WaveSize, system.Name, system.Role); err != nil {
		return row{}, fmt.Errorf("assist: create: %w", err)
	}
	switch {
	case got.ID.Valid:
	case got.RepeatOf.Valid:
		return row{ID: got.RepeatOf.String}, errRepeat
	case got.Open >= d.cfg.OpenPerShopper:
		return row{}, fault.State("you already have %d open requests; cancel one first", got.Open)
	case place.Store != nil && !got.DeptName.Valid:
		return row{}, fault.Invalid("department", "%s has no department %q", place.Store.Name, n.Department)
	default: // a concurrent repeat with the same key committed first
		return row{}, errRepeat
	}
	r.ID, r.Round, r.CreatedAt, r.DepartmentName = got.ID.String, int(got.Round.Int64), got.Created.Time, got.DeptName
	r.Position, r.EstimateS, r.RemoteAvailable = int(got.Position.Int64), got.Estimate, got.Remote.Bool
	if r.Channel == "remote" {
		if err := record(ctx, tx, r.ID, EvOverflowed, system, "", "remote", "the shopper is in no store"); err != nil {
			return row{}, err
		}
		_, err := d.offerWave(ctx, tx, &r, waveRemote, 0)
		r.Fresh = true
		return r, err
	}
	if len(got.Offered) > 0 {
		_, err := notify.ToUsers(ctx, tx, got.Offered, d.offerAlert(&r))
		r.Fresh = true
		return r, err
	}
	// Nobody with the skill is free: the next waves, at once.
	err := d.dispatchFloor(ctx, tx, &r, waveStore)
	r.Fresh = r.Channel == "floor"
	return r, err
}

// errRepeat says the request repeats an earlier one with the same
// idempotency key.
var errRepeat = errors.New("assist: a repeat of an earlier request")

func (d *Desk) byIdempotencyKey(ctx context.Context, shopperID, key string) (string, bool, error) {
	var id string
	err := d.db.GetContext(ctx, &id, `SELECT id FROM help_requests WHERE shopper_id = $1 AND idempotency_key = $2`, shopperID, key)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("assist: idempotency: %w", err)
	}
	return id, true, nil
}

// schedule writes deadlines for the request's current round: pairs of a
// kind and a delay, in one statement.
func (d *Desk) schedule(ctx context.Context, tx *sqlx.Tx, r *row, kindsAndDelays ...any) error {
	var kinds []string
	var secs []float64
	for i := 0; i+1 < len(kindsAndDelays); i += 2 {
		kinds = append(kinds, kindsAndDelays[i].(string))
		secs = append(secs, kindsAndDelays[i+1].(time.Duration).Seconds())
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO timers (request_id, kind, generation, due_at)
		SELECT $1, k, $2, now() + s * interval '1 second' FROM unnest($3::text[], $4::float8[]) AS t(k, s)`,
		r.ID, r.Round, pq.Array(kinds), pq.Array(secs))
	if err != nil {
		return fmt.Errorf("assist: schedule %v for %s: %w", kinds, r.ID, err)
	}
	return nil
}
