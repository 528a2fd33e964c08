package assist

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"helpforce/notify"
	"helpforce/people"
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

// waveReach says whom each wave reaches, besides the active and available
// (wave_candidates, a function of the database's): people of these roles,
// in the request's store or in any, with the department's skill or not.
var waveReach = map[int]struct {
	roles            []string
	inStore, skilled bool
}{
	waveSkilled: {roles: []string{"floor"}, inStore: true, skilled: true},
	waveStore:   {roles: []string{"floor", "manager"}, inStore: true},
	waveRemote:  {roles: []string{"agent"}},
}

// waveSQL offers a request to the people of one wave (sql/waves.sql).
var waveSQL = statement("wave")

// offerWave offers r to the people of a wave and queues their alerts in the
// same transaction; when it reached anyone and deadline is positive, the
// next wave is due after it. It returns how many people it reached.
func (d *Desk) offerWave(ctx context.Context, tx *sqlx.Tx, r *row, wave int, deadline time.Duration) (int, error) {
	limit := 1000
	if wave == waveSkilled {
		limit = d.cfg.WaveSize
	}
	who := waveReach[wave]
	var store, skill sql.NullString
	if who.inStore {
		store = r.StoreID
	}
	if who.skilled {
		skill = sql.NullString{String: r.Department, Valid: true}
	}
	var ids []string
	if err := tx.SelectContext(ctx, &ids, waveSQL, r.ID, wave, store, skill, pq.Array(who.roles), limit,
		r.Round, deadline.Seconds(), system.Name, system.Role); err != nil {
		return 0, fmt.Errorf("assist: wave %d of %s: %w", wave, r.ID, err)
	}
	r.Wave = wave
	if _, err := notify.ToUsers(ctx, tx, ids, d.offerAlert(r)); err != nil {
		return 0, err
	}
	return len(ids), nil
}

func (d *Desk) offerAlert(r *row) notify.Message {
	dept := r.DepartmentName.String
	if dept == "" {
		dept = r.Department
	}
	title, body, ttl := offerTitle(dept), "A shopper is waiting at "+r.StoreName.String, d.cfg.OverflowTimeout
	if r.Channel == ChannelRemote {
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

// floorAlert is the alert of a request waiting with the remote team when
// it is offered to its store's floor.
func (d *Desk) floorAlert(r *row) notify.Message {
	floor := *r
	floor.Channel = ChannelFloor
	m := d.offerAlert(&floor)
	m.TTL = d.cfg.AbandonAfter
	return m
}

// offerTitle is the title of a floor offer's alert.
func offerTitle(dept string) string { return dept + " — help needed" }

// dispatchFloor starts the floor waves from wave `from`; when nobody in the
// store is free, the request goes to the remote team at once, unless the
// policy keeps it on the floor, where the first person free is offered it.
func (d *Desk) dispatchFloor(ctx context.Context, tx *sqlx.Tx, r *row, from int) error {
	for wave := from; wave <= waveStore; wave++ {
		var deadline time.Duration
		if wave == waveSkilled && d.cfg.Policy == PolicyWaves {
			deadline = d.cfg.OfferTimeout
		}
		n, err := d.offerWave(ctx, tx, r, wave, deadline)
		if err != nil || n > 0 {
			return err
		}
	}
	if d.cfg.Policy == PolicyFloor {
		return nil
	}
	return d.toRemote(ctx, tx, r, system, "nobody in the store is free")
}

// toRemote hands a waiting request to the remote team and reminds the team
// while it waits there. Offers the floor already holds stay open: a shopper
// standing in the store is better served by the floor, who may still take it.
func (d *Desk) toRemote(ctx context.Context, tx *sqlx.Tx, r *row, a Actor, reason string) error {
	from := r.Channel
	if _, err := tx.ExecContext(ctx, `UPDATE help_requests SET channel = 'remote', remote_at = COALESCE(remote_at, now()),
		updated_at = now() WHERE id = $1`, r.ID); err != nil {
		return fmt.Errorf("assist: overflow %s: %w", r.ID, err)
	}
	r.Channel = ChannelRemote
	if err := record(ctx, tx, r.ID, EvOverflowed, a, string(from), string(ChannelRemote), reason); err != nil {
		return err
	}
	if _, err := d.offerWave(ctx, tx, r, waveRemote, 0); err != nil {
		return err
	}
	return d.schedule(ctx, tx, r, TimerRemind, d.cfg.OfferTimeout)
}

// withdraw closes the request's open offers with answer and replaces their
// alerts (same topic) with one saying why. It returns whose offers it
// closed: they may be free for another request.
func (d *Desk) withdraw(ctx context.Context, tx *sqlx.Tx, r *row, answer, title, except string) ([]string, error) {
	var ids []string
	if err := tx.SelectContext(ctx, &ids, `UPDATE offers SET answer = $2, answered_at = now()
		WHERE request_id = $1 AND answer IS NULL AND user_id::text <> $3 RETURNING user_id`, r.ID, answer, except); err != nil {
		return nil, fmt.Errorf("assist: withdraw offers of %s: %w", r.ID, err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	msg := notify.Message{Type: notify.TypeWithdrawn, Title: title, Body: "No need to come: " + strings.ToLower(title[:1]) + title[1:] + ".",
		URL: "/staff/requests/" + r.ID, RequestID: r.ID, Urgency: "high", TTL: 10 * time.Minute, Topic: notify.Topic("request", r.ID)}
	if _, err := notify.ToUsers(ctx, tx, ids, msg); err != nil {
		return nil, err
	}
	return ids, nil
}

// ignoredOffers marks, and returns whose, the open offers of r that a
// person let expire, each counted once: the offer's alert has outlived its
// time to live ($2 seconds, the overflow deadline for the floor), nobody
// else took the request, the person is still available and has owned
// nothing since, and the alert reached their phone. An alert a push outage kept from them, an offer someone else took
// or the shopper cancelled or moved, and a wave widening never count; nor
// does an offer still in its time, however slow the wave.
const ignoredOffers = `UPDATE offers o SET counted = true FROM users u
	WHERE u.id = o.user_id AND o.request_id = $1 AND o.answer IS NULL AND NOT o.counted AND u.status = 'available'
	  AND o.offered_at <= now() - $2 * interval '1 second'
	  AND (u.last_assigned_at IS NULL OR u.last_assigned_at < o.offered_at)
	  AND EXISTS (SELECT 1 FROM push_outbox p JOIN push_subscriptions s ON s.id = p.subscription_id
		WHERE s.user_id = o.user_id AND p.topic = $3 AND p.status = 'sent')
	RETURNING o.user_id`

// countIgnored counts the offers of r its people let expire, open for at
// least ttl (see ignoredOffers); several in a row and a person is set on a
// break, so nobody stays "available" while away from their phone. It
// reports whether it set anyone on a break.
func (d *Desk) countIgnored(ctx context.Context, tx *sqlx.Tx, r *row, ttl time.Duration) (bool, error) {
	var ids []string
	if err := tx.SelectContext(ctx, &ids, ignoredOffers, r.ID, ttl.Seconds(), notify.Topic("request", r.ID)); err != nil {
		return false, fmt.Errorf("assist: ignored offers of %s: %w", r.ID, err)
	}
	if len(ids) == 0 {
		return false, nil
	}
	var people []struct {
		ID      string      `db:"id"`
		Name    string      `db:"name"`
		Role    people.Role `db:"role"`
		Benched bool        `db:"benched"`
	}
	err := tx.SelectContext(ctx, &people, `WITH old AS (SELECT id, status FROM users WHERE id = ANY($1::uuid[]) FOR UPDATE)
		UPDATE users u SET ignored_offers = u.ignored_offers + 1,
			status = CASE WHEN u.ignored_offers + 1 >= $2 AND u.status = 'available' THEN 'break' ELSE u.status END
		FROM old WHERE u.id = old.id
		RETURNING u.id, u.name, u.role, (old.status = 'available' AND u.status = 'break') AS benched`, pq.Array(ids), d.cfg.IgnoreLimit)
	if err != nil {
		return false, fmt.Errorf("assist: count ignored offers: %w", err)
	}
	benched := false
	for _, p := range people {
		if !p.Benched {
			continue
		}
		benched = true
		msg := notify.Message{Type: notify.TypeRequestUpdate, Title: "You are now on a break",
			Body: fmt.Sprintf("You missed %d alerts in a row. Set yourself available when you are back.", d.cfg.IgnoreLimit),
			URL:  "/staff", RequestID: r.ID, Urgency: "normal", TTL: time.Hour, Topic: notify.Topic("presence", p.ID)}
		if _, err := notify.ToUsers(ctx, tx, []string{p.ID}, msg); err != nil {
			return false, err
		}
		who := Actor{UserID: p.ID, Name: p.Name, Role: p.Role}
		if err := record(ctx, tx, r.ID, EvSetOnBreak, who, "available", "break", "ignored several offers in a row"); err != nil {
			return false, err
		}
	}
	return benched, nil
}
