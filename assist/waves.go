package assist

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"helpforce/notify"
)

// Waves: 1 reaches a few free staff with the department's skill, least
// recently assigned first, so nobody is flooded and everybody gets a turn;
// 2 reaches every free member of the store's staff and the manager on duty;
// 3 is the remote team.
const (
	waveSkilled = 1
	waveStore   = 2
	waveRemote  = 3
)

// candidates are the people wave w offers a request to. Nobody is offered
// the same request twice.
const candidates = `
SELECT u.id, u.name FROM users u
WHERE u.active AND u.status = 'available'
  AND NOT EXISTS (SELECT 1 FROM offers o WHERE o.request_id = $1 AND o.user_id = u.id)
  AND CASE $2::int
	WHEN 1 THEN u.role = 'floor' AND u.store_id = $3::uuid
		AND EXISTS (SELECT 1 FROM user_departments d WHERE d.user_id = u.id AND d.code = $4)
	WHEN 2 THEN u.role IN ('floor', 'manager') AND u.store_id = $3::uuid
	ELSE u.role = 'agent' END
ORDER BY u.last_assigned_at NULLS FIRST, u.id
LIMIT $5`

// offerWave offers r to the people of a wave, queues their alerts in the same
// transaction and returns how many it reached.
func (d *Desk) offerWave(ctx context.Context, tx *sqlx.Tx, r *row, wave int) (int, error) {
	limit := 1000
	if wave == waveSkilled {
		limit = d.cfg.WaveSize
	}
	var people []struct {
		ID   string `db:"id"`
		Name string `db:"name"`
	}
	if err := tx.SelectContext(ctx, &people, candidates, r.ID, wave, r.StoreID, r.Department, limit); err != nil {
		return 0, fmt.Errorf("assist: wave %d of %s: %w", wave, r.ID, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE help_requests SET wave = $2, updated_at = now() WHERE id = $1`, r.ID, wave); err != nil {
		return 0, err
	}
	r.Wave = wave
	if len(people) == 0 {
		return 0, nil
	}
	ids, names := make([]string, len(people)), make([]string, len(people))
	for i, p := range people {
		ids[i], names[i] = p.ID, p.Name
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO offers (request_id, user_id, wave) SELECT $1, unnest($2::uuid[]), $3`,
		r.ID, pq.Array(ids), wave); err != nil {
		return 0, fmt.Errorf("assist: offers of %s: %w", r.ID, err)
	}
	if _, err := notify.ToUsers(ctx, tx, ids, d.offerAlert(r)); err != nil {
		return 0, err
	}
	to := fmt.Sprintf("wave %d: %s", wave, strings.Join(names, ", "))
	return len(people), record(ctx, tx, r.ID, EvOffered, system, "", to, "")
}

func (d *Desk) offerAlert(r *row) notify.Message {
	dept := r.DepartmentName.String
	if dept == "" {
		dept = r.Department
	}
	title, body, ttl := dept+" — help needed", "A shopper is waiting at "+r.StoreName.String, d.cfg.OverflowTimeout
	if r.Channel == "remote" {
		where := "from outside a store"
		if r.StoreID.Valid {
			where = "at " + r.StoreName.String
		}
		title, body, ttl = "Remote help — "+dept, "A shopper is asking "+where, d.cfg.AbandonAfter
	}
	if r.Note != "" {
		body = r.Note
	}
	return notify.Message{Type: notify.TypeHelpRequest, Title: title, Body: body, URL: "/staff/requests/" + r.ID,
		RequestID: r.ID, Urgency: "high", TTL: ttl, Topic: notify.Topic("request", r.ID), Actions: []string{"accept", "pass"}}
}

// dispatchFloor starts the floor waves from wave `from`; when nobody in the
// store is free, the request goes to the remote team at once.
func (d *Desk) dispatchFloor(ctx context.Context, tx *sqlx.Tx, r *row, from int) error {
	for wave := from; wave <= waveStore; wave++ {
		n, err := d.offerWave(ctx, tx, r, wave)
		if err != nil {
			return err
		}
		if n > 0 {
			if wave == waveSkilled {
				return d.schedule(ctx, tx, r, "wave", d.cfg.OfferTimeout)
			}
			return nil
		}
	}
	return d.toRemote(ctx, tx, r, system, "nobody in the store is free")
}

// toRemote hands a waiting request to the remote team.
func (d *Desk) toRemote(ctx context.Context, tx *sqlx.Tx, r *row, a Actor, reason string) error {
	from := r.Channel
	if _, err := tx.ExecContext(ctx, `UPDATE help_requests SET channel = 'remote', remote_at = COALESCE(remote_at, now()),
		updated_at = now() WHERE id = $1`, r.ID); err != nil {
		return fmt.Errorf("assist: overflow %s: %w", r.ID, err)
	}
	r.Channel = "remote"
	if err := d.withdraw(ctx, tx, r, "withdrawn", "Passed to the remote team", ""); err != nil {
		return err
	}
	if err := record(ctx, tx, r.ID, EvOverflowed, a, from, "remote", reason); err != nil {
		return err
	}
	_, err := d.offerWave(ctx, tx, r, waveRemote)
	return err
}

// withdraw closes the request's open offers with answer and replaces their
// alerts (same topic) with one saying why. Ignored offers count against the
// person: several in a row and they are set on a break, so nobody stays
// "available" while away from their phone.
func (d *Desk) withdraw(ctx context.Context, tx *sqlx.Tx, r *row, answer, title, except string) error {
	var ids []string
	if err := tx.SelectContext(ctx, &ids, `UPDATE offers SET answer = $2, answered_at = now()
		WHERE request_id = $1 AND answer IS NULL AND user_id::text <> $3 RETURNING user_id`, r.ID, answer, except); err != nil {
		return fmt.Errorf("assist: withdraw offers of %s: %w", r.ID, err)
	}
	if len(ids) == 0 {
		return nil
	}
	msg := notify.Message{Type: notify.TypeWithdrawn, Title: title, Body: "No need to come: " + strings.ToLower(title[:1]) + title[1:] + ".",
		URL: "/staff/requests/" + r.ID, RequestID: r.ID, Urgency: "high", TTL: 10 * time.Minute, Topic: notify.Topic("request", r.ID)}
	if _, err := notify.ToUsers(ctx, tx, ids, msg); err != nil {
		return err
	}
	if answer == "ignored" {
		return d.countIgnored(ctx, tx, r, ids)
	}
	return nil
}

func (d *Desk) countIgnored(ctx context.Context, tx *sqlx.Tx, r *row, ids []string) error {
	var people []struct {
		ID      string `db:"id"`
		Name    string `db:"name"`
		Role    string `db:"role"`
		Benched bool   `db:"benched"`
	}
	err := tx.SelectContext(ctx, &people, `WITH old AS (SELECT id, status FROM users WHERE id = ANY($1::uuid[]) FOR UPDATE)
		UPDATE users u SET ignored_offers = u.ignored_offers + 1,
			status = CASE WHEN u.ignored_offers + 1 >= $2 AND u.status = 'available' THEN 'break' ELSE u.status END
		FROM old WHERE u.id = old.id
		RETURNING u.id, u.name, u.role, (old.status = 'available' AND u.status = 'break') AS benched`, pq.Array(ids), d.cfg.IgnoreLimit)
	if err != nil {
		return fmt.Errorf("assist: count ignored offers: %w", err)
	}
	for _, p := range people {
		if !p.Benched {
			continue
		}
		msg := notify.Message{Type: notify.TypeRequestUpdate, Title: "You are now on a break",
			Body: fmt.Sprintf("You missed %d alerts in a row. Set yourself available when you are back.", d.cfg.IgnoreLimit),
			URL:  "/staff", RequestID: r.ID, Urgency: "normal", TTL: time.Hour, Topic: notify.Topic("presence", p.ID)}
		if _, err := notify.ToUsers(ctx, tx, []string{p.ID}, msg); err != nil {
			return err
		}
		who := Actor{UserID: p.ID, Name: p.Name, Role: p.Role}
		if err := record(ctx, tx, r.ID, EvSetOnBreak, who, "available", "break", "ignored several offers in a row"); err != nil {
			return err
		}
	}
	return nil
}
