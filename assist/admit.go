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

// createRequest admits and writes a request in one statement, which may be
// its own transaction: it locks the shopper's row (a lock waited for reads
// the row again, so the count of open requests is current) and keeps the
// notifying triggers quiet (the caller announces the request once
// committed). It finds a repeat of the idempotency key and the
// department's name, and only when all is well inserts the request with
// id $17, its log, its deadlines (kinds $11, delays $12 in seconds; "wave"
// at once when the wave reached nobody) and, in a store, wave $13 of at
// most $14 people with their offers and alerts ($18 to $21, the alert as
// queued, whose title $22 takes the department's name before $23): it
// returns whom it offered the request to and the deadlines it set.
var createRequest = `
WITH admitted AS (
	SELECT open_requests, ` + pg.AfterCommit + ` AS quiet FROM shoppers WHERE id = $1 FOR UPDATE
), facts AS (
	SELECT (SELECT open_requests FROM admitted) AS open,
		(SELECT id FROM help_requests WHERE shopper_id = $1 AND idempotency_key = $8) AS repeat_of,
		-- A request in no store takes the department's name from any store that has it.
		CASE WHEN $2::uuid IS NULL THEN (SELECT x.name FROM departments x WHERE x.code = $3 ORDER BY x.name LIMIT 1)
			ELSE (SELECT x.name FROM departments x WHERE x.store_id = $2::uuid AND x.code = $3) END AS department_name
), created AS (
	INSERT INTO help_requests (id, shopper_id, store_id, department, note, sku, nearby, channel, idempotency_key, wave)
	SELECT $17, $1, $2, $3, $4, $5, $6, $7, $8, $13 FROM facts
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
	SELECT created.id, k, created.round,
		now() + CASE WHEN k = 'wave' AND NOT EXISTS (SELECT 1 FROM chosen) THEN 0 ELSE s END * interval '1 second'
	FROM created, unnest($11::text[], $12::float8[]) AS t(k, s)
	RETURNING id, kind, due_at
), alerted AS (
	` + notify.QueueSQL(fmt.Sprintf("CASE WHEN octet_length(named.payload) <= %d THEN named.payload ELSE $18 END", notify.MaxPayload),
	"$19", "$20", "$21", `created, chosen, push_subscriptions s,
		(SELECT replace($18, $22, '"title":' || to_json(department_name || $23)::text) AS payload FROM facts) named
		WHERE s.user_id = chosen.id`) + `
)
SELECT facts.open, facts.repeat_of, facts.department_name, created.id, created.round, created.created_at,
	(SELECT array_agg(id) FROM chosen) AS offered_to,
	(SELECT id FROM timed WHERE kind = 'wave') AS wave_timer,
	(SELECT min(due_at) FROM timed) AS first_due,
	-- The new row is not visible to this statement: it comes after those counted.
	v.position + 1 AS position, v.estimate_s, v.remote_available
FROM facts LEFT JOIN created ON true
LEFT JOIN LATERAL (SELECT ` + queueFacts + ` FROM (SELECT created.id, $2::uuid AS store_id, $7::text AS channel,
	'waiting'::text AS status, created.created_at) r) v ON true`

// admission is what creation decided besides the request itself.
type admission struct {
	offered   bool          // the first wave reached someone
	waveTimer sql.NullInt64 // the deadline of the first wave
	firstDue  time.Time     // the earliest deadline set
}

// admit writes a request and its first wave in one statement through ext:
// the pool, so that the statement is its own transaction, or the
// transaction that goes on to hand a request in no store to the remote
// team. It returns the request as written, with its place in the queue; on
// errRepeat, only the ID of the first.
func (d *Desk) admit(ctx context.Context, ext sqlx.ExtContext, a Actor, idemKey string, n NewRequest, place stores.Placement) (row, admission, error) {
	r := row{ID: pg.NewID(), ShopperID: a.ShopperID, Department: n.Department, Note: n.Note, Status: "waiting", Channel: "remote"}
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
	// The alert is titled with the department's code here; the statement
	// puts its name in, unless that would make the alert too long.
	alert, err := d.offerAlert(&r).Queued()
	if err != nil {
		return row{}, admission{}, err
	}
	codeTitle, _ := json.Marshal(offerTitle(r.Department))
	var got struct {
		Open      int            `db:"open"`
		RepeatOf  sql.NullString `db:"repeat_of"`
		DeptName  sql.NullString `db:"department_name"`
		ID        sql.NullString `db:"id"`
		Round     sql.NullInt64  `db:"round"`
		Created   sql.NullTime   `db:"created_at"`
		Position  sql.NullInt64  `db:"position"`
		Estimate  *float64       `db:"estimate_s"`
		Remote    sql.NullBool   `db:"remote_available"`
		Offered   pq.StringArray `db:"offered_to"`
		WaveTimer sql.NullInt64  `db:"wave_timer"`
		FirstDue  sql.NullTime   `db:"first_due"`
	}
	if err := sqlx.GetContext(ctx, ext, &got, createRequest, a.ShopperID, r.StoreID, r.Department, r.Note, r.SKU, string(r.Nearby),
		r.Channel, key, d.cfg.OpenPerShopper, placedBy[place.Confidence], pq.Array(kinds), pq.Array(secs),
		r.Wave, d.cfg.WaveSize, system.Name, system.Role, r.ID,
		alert.Payload, alert.Urgency, alert.Topic, alert.TTL, `"title":`+string(codeTitle), offerTitle("")); err != nil {
		return row{}, admission{}, fmt.Errorf("assist: create: %w", err)
	}
	switch {
	case got.ID.Valid:
	case got.RepeatOf.Valid:
		return row{ID: got.RepeatOf.String}, admission{}, errRepeat
	case got.Open >= d.cfg.OpenPerShopper:
		return row{}, admission{}, fault.State("you already have %d open requests; cancel one first", got.Open)
	case place.Store != nil && !got.DeptName.Valid:
		return row{}, admission{}, fault.Invalid("department", "%s has no department %q", place.Store.Name, n.Department)
	default: // a concurrent repeat with the same key committed first
		return row{}, admission{}, errRepeat
	}
	r.Round, r.CreatedAt, r.DepartmentName = int(got.Round.Int64), got.Created.Time, got.DeptName
	r.Position, r.EstimateS, r.RemoteAvailable = int(got.Position.Int64), got.Estimate, got.Remote.Bool
	return r, admission{offered: len(got.Offered) > 0, waveTimer: got.WaveTimer, firstDue: got.FirstDue.Time}, nil
}

// fromHome hands a request in no store to the remote team, in the
// transaction that wrote it.
func (d *Desk) fromHome(ctx context.Context, tx *sqlx.Tx, r *row) error {
	if err := record(ctx, tx, r.ID, EvOverflowed, system, "", "remote", "the shopper is in no store"); err != nil {
		return err
	}
	_, err := d.offerWave(ctx, tx, r, waveRemote, 0)
	return err
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
