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

// createRequests admits and writes a batch of requests in one statement,
// which may be its own transaction. The requests come as arrays, one
// element each: ids $1, shoppers $2, stores $3, departments $4, notes $5,
// SKUs $6, nearby stores $7, idempotency keys $8, how each was placed $9,
// whether it goes to the remote team though in a store $22,
// and each first wave's alert as queued (payload $10, topic $11, urgency
// $13, time to live $14) with its title in the department's code ($12).
//
// It locks the shoppers' rows in one order, so batches cannot deadlock;
// a lock waited for reads the row again, so the counts of open requests are
// current, and a shopper's requests in one batch count in turn against the
// cap $15. It keeps the notifying triggers quiet: the caller announces the
// requests once committed. Each request that is no repeat of its key and
// names a department of its store is written with its log, its deadlines
// (kinds $16, delays $17 in seconds; in no store, "abandon" only; "wave" at
// once when the wave reached nobody) and, in a store, the first wave of at
// most $18 people with their offers and alerts (the title taking the
// department's name before $19, unless that makes the alert too long), the
// log naming the system as $20, $21. One row comes back for each request,
// in order.
var createRequests = `
WITH input AS (
	SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::text[],
		$9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::integer[], $22::boolean[])
		WITH ORDINALITY AS i(id, shopper_id, store_id, department, note, sku, nearby, key, reason, payload, topic, code_title,
			urgency, ttl, remote, n)
), admitted AS (
	SELECT id, open_requests, ` + pg.AfterCommit + ` AS quiet FROM shoppers
	WHERE id IN (SELECT shopper_id FROM input) ORDER BY id FOR UPDATE
), facts AS (
	SELECT i.*, CASE WHEN i.store_id IS NULL OR i.remote THEN 'remote' ELSE 'floor' END AS channel, a.open_requests,
		(SELECT r.id FROM help_requests r WHERE r.shopper_id = i.shopper_id AND r.idempotency_key = i.key) AS repeat_of,
		-- A request in no store takes the department's name from any store that has it.
		CASE WHEN i.store_id IS NULL THEN (SELECT x.name FROM departments x WHERE x.code = i.department ORDER BY x.name LIMIT 1)
			ELSE (SELECT x.name FROM departments x WHERE x.store_id = i.store_id AND x.code = i.department) END AS department_name,
		-- Outside opening hours the remote team answers: such a request is
		-- left for the caller to write with its remote wave.
		i.store_id IS NOT NULL AND NOT i.remote AND NOT store_open_at(i.store_id, now()) AS closed
	FROM input i JOIN admitted a ON a.id = i.shopper_id
), valid AS (
	SELECT f.*, f.repeat_of IS NULL AND NOT f.closed AND (f.store_id IS NULL OR f.department_name IS NOT NULL) AS valid
	FROM facts f
), counted AS (
	SELECT v.*, v.open_requests + count(*) FILTER (WHERE v.valid) OVER (PARTITION BY v.shopper_id ORDER BY v.n
		ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS open FROM valid v
), created AS (
	-- A batch's requests are created a microsecond apart, in the order they
	-- came, so that they queue in that order.
	INSERT INTO help_requests (id, shopper_id, store_id, department, note, sku, nearby, channel, idempotency_key, wave, created_at)
	SELECT id, shopper_id, store_id, department, note, sku, nearby, channel, key,
		CASE WHEN channel = 'remote' THEN 0 ELSE ` + fmt.Sprint(waveSkilled) + ` END, now() + (n - 1) * interval '1 microsecond'
	FROM counted WHERE valid AND open < $15
	ON CONFLICT (shopper_id, idempotency_key) DO NOTHING
	RETURNING id, store_id, channel, round, created_at
), chosen AS (
	SELECT c.id AS request_id, u.* FROM created c JOIN input w ON w.id = c.id AND c.channel = 'floor',
	LATERAL (` + fmt.Sprintf(candidates, "c.id", waveOf[waveSkilled], "$18") + `) u
), offered AS (
	INSERT INTO offers (request_id, user_id, wave) SELECT request_id, id, ` + fmt.Sprint(waveSkilled) + ` FROM chosen
), logged AS (
	INSERT INTO request_events (request_id, kind, actor_name, actor_role, from_state, to_state, reason)
	SELECT l.request_id, l.kind, l.actor_name, l.actor_role, '', l.to_state, l.reason FROM (
		SELECT c.id AS request_id, 1 AS n, 'created' AS kind, 'Shopper' AS actor_name, 'shopper' AS actor_role,
			f.channel AS to_state, f.reason FROM created c JOIN facts f ON f.id = c.id
		UNION ALL
		SELECT request_id, 2, 'offered', $20, $21, ` + fmt.Sprintf(offeredTo, fmt.Sprint(waveSkilled)) + `, ''
		FROM chosen GROUP BY request_id
	) l ORDER BY l.request_id, l.n
), timed AS (
	INSERT INTO timers (request_id, kind, generation, due_at)
	SELECT c.id, k, c.round, now() + CASE WHEN k = 'wave' AND NOT EXISTS (SELECT 1 FROM chosen h WHERE h.request_id = c.id)
		THEN 0 ELSE s END * interval '1 second'
	FROM created c, unnest($16::text[], $17::float8[]) AS t(k, s)
	WHERE c.channel = 'floor' OR k = 'abandon'
	RETURNING id, request_id, kind, due_at
), alerted AS (
	` + notify.QueueSQL(fmt.Sprintf("CASE WHEN octet_length(x.named) <= %d THEN x.named ELSE f.payload END", notify.MaxPayload),
	"f.urgency", "f.topic", "f.ttl", `chosen h JOIN facts f ON f.id = h.request_id JOIN push_subscriptions s ON s.user_id = h.id,
		LATERAL (SELECT replace(f.payload, f.code_title, '"title":' || to_json(f.department_name || $19)::text) AS named) x`) + `
)
SELECT f.open, f.repeat_of, f.department_name, f.closed, c.id, c.round, c.created_at,
	EXISTS (SELECT 1 FROM chosen h WHERE h.request_id = c.id) AS offered,
	(SELECT t.id FROM timed t WHERE t.request_id = c.id AND t.kind = 'wave') AS wave_timer,
	(SELECT min(t.due_at) FROM timed t WHERE t.request_id = c.id) AS first_due,
	-- New rows are not visible to this statement: each comes after those
	-- counted, and after the batch's earlier ones in its queue.
	v.position + 1 + (SELECT count(*) FROM created b WHERE b.store_id IS NOT DISTINCT FROM c.store_id AND b.channel = c.channel
		AND b.created_at < c.created_at)
		AS position,
	v.estimate_s, v.remote_available
FROM counted f LEFT JOIN created c ON c.id = f.id
LEFT JOIN LATERAL (SELECT ` + queueFacts + ` FROM (SELECT c.id, f.store_id, f.channel, 'waiting'::text AS status, c.created_at) r) v
	ON c.id IS NOT NULL
ORDER BY f.n`

// admission is one request to create and, once written, what creation
// decided besides the request itself.
type admission struct {
	a     Actor
	key   string
	n     NewRequest
	place stores.Placement
	// remote sends a request in a store to the remote team at once (the
	// store is closed); it is written in a transaction with its remote wave.
	remote bool

	r         row
	err       error         // a refusal, errRepeat (r.ID the first request's), or a failure
	offered   bool          // the first wave reached someone
	waveTimer sql.NullInt64 // the deadline of the first wave
	firstDue  time.Time     // the earliest deadline set
	done      bool          // written (or failed), under admissions.mu
}

// admit writes requests and their first waves in one statement through ext:
// the pool, so that the statement is its own transaction, or the
// transaction that goes on to hand a request in no store to the remote
// team. It sets each admission's outcome; it fails only when the statement
// does, and then wrote nothing.
func (d *Desk) admit(ctx context.Context, ext sqlx.ExtContext, batch []*admission) error {
	var ids, shoppers, storeIDs, depts, notes, skus, nearby, keys, reasons, payloads, topics, titles, urgencies []sql.NullString
	var ttls []int64
	var remote []bool
	str := func(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }
	for _, m := range batch {
		r := row{ID: pg.NewID(), ShopperID: m.a.ShopperID, Department: m.n.Department, Note: m.n.Note, Status: StatusWaiting, Channel: ChannelRemote}
		if m.place.Store != nil {
			r.StoreID = sql.NullString{String: m.place.Store.ID, Valid: true}
			r.StoreName = sql.NullString{String: m.place.Store.Name, Valid: true}
			if !m.remote {
				r.Channel, r.Wave = ChannelFloor, waveSkilled
			}
		}
		remote = append(remote, m.remote)
		r.SKU = str(m.n.SKU)
		if m.place.Nearby == nil {
			m.place.Nearby = []stores.Nearby{}
		}
		r.Nearby, _ = json.Marshal(m.place.Nearby)
		m.r = r
		// The alert is titled with the department's code here; the statement
		// puts its name in, unless that would make the alert too long.
		alert, err := d.offerAlert(&r).Queued()
		if err != nil {
			return err
		}
		codeTitle, _ := json.Marshal(offerTitle(r.Department))
		ids, shoppers, storeIDs = append(ids, str(r.ID)), append(shoppers, str(r.ShopperID)), append(storeIDs, r.StoreID)
		depts, notes, skus = append(depts, str(r.Department)), append(notes, sql.NullString{String: r.Note, Valid: true}), append(skus, r.SKU)
		nearby, keys, reasons = append(nearby, str(string(r.Nearby))), append(keys, str(m.key)), append(reasons, str(placedBy[m.place.Confidence]))
		payloads, topics, titles = append(payloads, str(alert.Payload)), append(topics, alert.Topic), append(titles, str(`"title":`+string(codeTitle)))
		urgencies, ttls = append(urgencies, str(alert.Urgency)), append(ttls, int64(alert.TTL))
	}
	deadlines := map[TimerKind]time.Duration{TimerAbandon: d.cfg.AbandonAfter, TimerOverflow: d.cfg.OverflowTimeout,
		TimerWave: d.cfg.OfferTimeout}
	switch d.cfg.Policy {
	case PolicyFloor:
		delete(deadlines, TimerOverflow)
	case PolicyBroadcast:
		// Everyone is offered at once, just after creation (broadcast).
		delete(deadlines, TimerOverflow)
		delete(deadlines, TimerWave)
	}
	var kinds []string
	var secs []float64
	for k, v := range deadlines {
		kinds, secs = append(kinds, string(k)), append(secs, v.Seconds())
	}
	var got []struct {
		Open      int            `db:"open"`
		RepeatOf  sql.NullString `db:"repeat_of"`
		DeptName  sql.NullString `db:"department_name"`
		Closed    bool           `db:"closed"`
		ID        sql.NullString `db:"id"`
		Round     sql.NullInt64  `db:"round"`
		Created   sql.NullTime   `db:"created_at"`
		Offered   sql.NullBool   `db:"offered"`
		WaveTimer sql.NullInt64  `db:"wave_timer"`
		FirstDue  sql.NullTime   `db:"first_due"`
		Position  sql.NullInt64  `db:"position"`
		Estimate  *float64       `db:"estimate_s"`
		Remote    sql.NullBool   `db:"remote_available"`
	}
	a := pq.Array
	if err := sqlx.SelectContext(ctx, ext, &got, createRequests, a(ids), a(shoppers), a(storeIDs), a(depts), a(notes), a(skus),
		a(nearby), a(keys), a(reasons), a(payloads), a(topics), a(titles), a(urgencies), a(ttls), d.cfg.OpenPerShopper,
		a(kinds), a(secs), d.cfg.WaveSize, offerTitle(""), system.Name, system.Role, a(remote)); err != nil {
		return fmt.Errorf("assist: create: %w", err)
	}
	if len(got) != len(batch) {
		return fmt.Errorf("assist: create: %d outcomes for %d requests", len(got), len(batch))
	}
	for i, m := range batch {
		g := got[i]
		switch {
		case g.ID.Valid:
		case g.RepeatOf.Valid:
			m.r, m.err = row{ID: g.RepeatOf.String}, errRepeat
			continue
		case g.Open >= d.cfg.OpenPerShopper:
			m.err = fault.State("you already have %d open requests; cancel one first", g.Open)
			continue
		case g.Closed:
			m.err = errClosed
			continue
		case m.place.Store != nil && !g.DeptName.Valid:
			m.err = fault.Invalid("department", "%s has no department %q", m.place.Store.Name, m.n.Department)
			continue
		default: // a concurrent repeat with the same key committed first
			m.r, m.err = row{}, errRepeat
			continue
		}
		m.r.Round, m.r.CreatedAt, m.r.DepartmentName = int(g.Round.Int64), g.Created.Time, g.DeptName
		m.r.Position, m.r.EstimateS, m.r.RemoteAvailable = int(g.Position.Int64), g.Estimate, g.Remote.Bool
		m.offered, m.waveTimer, m.firstDue = g.Offered.Bool, g.WaveTimer, g.FirstDue.Time
	}
	return nil
}

// fromHome hands a request in no store to the remote team, in the
// transaction that wrote it, and reminds the team while it waits.
func (d *Desk) fromHome(ctx context.Context, tx *sqlx.Tx, r *row, reason string) error {
	if err := record(ctx, tx, r.ID, EvOverflowed, system, "", string(ChannelRemote), reason); err != nil {
		return err
	}
	if _, err := d.offerWave(ctx, tx, r, waveRemote, 0); err != nil {
		return err
	}
	return d.schedule(ctx, tx, r, TimerRemind, d.cfg.OfferTimeout)
}

// errClosed says the request's store is closed: it is written with the
// remote team's wave instead (see Create).
var errClosed = errors.New("assist: the store is closed")

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

// schedule writes a deadline of kind for the request's current round,
// delay from now.
func (d *Desk) schedule(ctx context.Context, tx *sqlx.Tx, r *row, kind TimerKind, delay time.Duration) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO timers (request_id, kind, generation, due_at)
		VALUES ($1, $2, $3, now() + $4 * interval '1 second')`, r.ID, kind, r.Round, delay.Seconds())
	if err != nil {
		return fmt.Errorf("assist: schedule %s for %s: %w", kind, r.ID, err)
	}
	return nil
}

// scheduleFloor sets the floor's deadline for a request (back) on the floor:
// its overflow to the remote team, unless the policy keeps it on the floor.
func (d *Desk) scheduleFloor(ctx context.Context, tx *sqlx.Tx, r *row) error {
	if d.cfg.Policy == PolicyFloor {
		return nil
	}
	return d.schedule(ctx, tx, r, TimerOverflow, d.cfg.OverflowTimeout)
}
