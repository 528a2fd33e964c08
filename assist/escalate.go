package assist

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"helpforce/fault"
	"helpforce/notify"
	"helpforce/pg"
)

// ToManager is where Escalate sends a request up to its store's manager;
// the other places it hands one on to are the channels.
const ToManager = "manager"

// Escalate hands a request on to (a Channel or ToManager): a floor owner to
// the remote team, an agent back to the floor (the waves start again) or up
// to the store's manager on duty (a priority alert the manager must
// acknowledge).
func (d *Desk) Escalate(ctx context.Context, a Actor, id, to, reason string) (HelpRequest, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" || len([]rune(reason)) > 500 {
		return HelpRequest{}, fault.Invalid("reason", "say why, in up to 500 characters")
	}
	team := Channel(to)
	if to != ToManager && !team.Known() {
		return HelpRequest{}, fault.Invalid("to", "to must be remote, floor or manager")
	}
	handedOn := false
	err := pg.InTx(ctx, d.db, func(tx *sqlx.Tx) error {
		r, err := d.readRow(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if err := d.mustOwn(a, r); err != nil {
			return err
		}
		if to != ToManager {
			handedOn = true
		}
		switch {
		case to == ToManager:
			return d.toManager(ctx, tx, &r, a, reason)
		case team == ChannelRemote && r.Channel == ChannelFloor:
			if err := d.handOff(ctx, tx, &r, a, ChannelRemote, reason); err != nil {
				return err
			}
			return d.toRemote(ctx, tx, &r, a, reason)
		case team == ChannelFloor && r.Channel == ChannelRemote && r.StoreID.Valid:
			if err := d.handOff(ctx, tx, &r, a, ChannelFloor, reason); err != nil {
				return err
			}
			if err := d.scheduleFloor(ctx, tx, &r); err != nil {
				return err
			}
			return d.dispatchFloor(ctx, tx, &r, waveSkilled)
		case team == ChannelFloor && !r.StoreID.Valid:
			return fault.Invalid("to", "the shopper is in no store; there is no floor to hand back to")
		}
		return fault.Invalid("to", "the request is already with the %s team", r.Channel)
	})
	if err != nil {
		return HelpRequest{}, err
	}
	if handedOn {
		d.offerFreed(ctx, a.UserID)
	}
	return d.HelpRequest(ctx, a, id)
}

// handOff puts an owned request back to waiting on another channel, in a new round.
func (d *Desk) handOff(ctx context.Context, tx *sqlx.Tx, r *row, a Actor, channel Channel, reason string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE help_requests SET status = 'waiting', assigned_to = NULL, channel = $2,
		wave = 0, round = round + 1, escalated_to = NULL, escalation_acked = false, updated_at = now() WHERE id = $1`,
		r.ID, channel); err != nil {
		return fmt.Errorf("assist: hand off %s: %w", r.ID, err)
	}
	// A new round offers afresh; the log keeps what happened before. The
	// person handing it on has, in effect, passed: it is not offered back.
	if _, err := tx.ExecContext(ctx, `DELETE FROM offers WHERE request_id = $1`, r.ID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO offers (request_id, user_id, wave, answer, answered_at)
		VALUES ($1, $2, 0, 'passed', now())`, r.ID, a.UserID); err != nil {
		return err
	}
	if channel == ChannelFloor {
		if err := record(ctx, tx, r.ID, EvHandedBack, a, string(r.Channel), string(ChannelFloor), reason); err != nil {
			return err
		}
	}
	r.Status, r.Round = StatusWaiting, r.Round+1
	if channel == ChannelFloor {
		r.Channel = channel // a move to the remote team is made and logged by toRemote
	}
	return nil
}

// toManager sends the request up to the store's manager on duty.
func (d *Desk) toManager(ctx context.Context, tx *sqlx.Tx, r *row, a Actor, reason string) error {
	if !r.StoreID.Valid {
		return fault.Invalid("to", "the shopper is in no store; there is no manager to call")
	}
	var manager struct {
		ID   string `db:"id"`
		Name string `db:"name"`
	}
	err := tx.GetContext(ctx, &manager, `SELECT id, name FROM users WHERE store_id = $1 AND role = 'manager' AND active
		ORDER BY CASE status WHEN 'available' THEN 0 WHEN 'busy' THEN 1 WHEN 'break' THEN 2 ELSE 3 END, last_assigned_at NULLS FIRST
		LIMIT 1`, r.StoreID)
	if err != nil {
		return fault.State("%s has no manager to escalate to", r.StoreName.String)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE help_requests SET escalated_to = $2, escalation_acked = false, updated_at = now()
		WHERE id = $1`, r.ID, manager.ID); err != nil {
		return err
	}
	msg := notify.Message{Type: notify.TypeEscalation, Title: "Priority: " + a.Name + " needs you", Body: reason,
		URL: "/staff/requests/" + r.ID, RequestID: r.ID, Urgency: "high", TTL: time.Hour, Topic: notify.Topic("escalation", r.ID)}
	if _, err := notify.ToUsers(ctx, tx, []string{manager.ID}, msg); err != nil {
		return err
	}
	if err := record(ctx, tx, r.ID, EvEscalated, a, a.Name, manager.Name, reason); err != nil {
		return err
	}
	return d.schedule(ctx, tx, r, TimerEscalation, d.cfg.OfferTimeout)
}

// Acknowledge is the manager saying "I'm on it".
func (d *Desk) Acknowledge(ctx context.Context, a Actor, id string) (HelpRequest, error) {
	err := pg.InTx(ctx, d.db, func(tx *sqlx.Tx) error {
		r, err := d.readRow(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if !r.visible(a) {
			return fault.NotFound("help request")
		}
		if r.EscalatedTo.String != a.UserID {
			return fault.Forbidden("this request was not escalated to you")
		}
		if r.EscalationAcked {
			return fault.State("already acknowledged")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE help_requests SET escalation_acked = true, updated_at = now() WHERE id = $1`, id); err != nil {
			return err
		}
		if r.AssignedTo.Valid {
			if err := d.tellStaff(ctx, tx, &r, r.AssignedTo.String, a.Name+" acknowledged", "The store's manager is on it."); err != nil {
				return err
			}
		}
		return record(ctx, tx, id, EvAcknowledged, a, "", "", "")
	})
	if err != nil {
		return HelpRequest{}, err
	}
	return d.HelpRequest(ctx, a, id)
}

// tellStaff queues an update about a request to one member of staff.
func (d *Desk) tellStaff(ctx context.Context, tx *sqlx.Tx, r *row, userID, title, body string) error {
	_, err := notify.ToUsers(ctx, tx, []string{userID}, staffAlert(r.ID, title, body))
	return err
}

// staffAlert is a push to a member of staff about request id.
func staffAlert(id, title, body string) notify.Message {
	return notify.Message{Type: notify.TypeRequestUpdate, Title: title, Body: body,
		URL: "/staff/requests/" + id, RequestID: id, TTL: 30 * time.Minute, Topic: notify.Topic("update", id)}
}

// widenEscalation alerts every free member of the store's staff when the
// manager has not acknowledged in time.
func (d *Desk) widenEscalation(ctx context.Context, tx *sqlx.Tx, r *row) error {
	var ids []string
	if err := tx.SelectContext(ctx, &ids, `SELECT id FROM users WHERE store_id = $1 AND active AND status = 'available'
		AND role IN ('floor', 'manager')`, r.StoreID); err != nil {
		return err
	}
	msg := notify.Message{Type: notify.TypeEscalation, Title: "Priority: the remote team needs the floor",
		Body: "The manager has not answered; can you help?", URL: "/staff/requests/" + r.ID, RequestID: r.ID,
		Urgency: "high", TTL: time.Hour, Topic: notify.Topic("escalation", r.ID)}
	if _, err := notify.ToUsers(ctx, tx, ids, msg); err != nil {
		return err
	}
	return record(ctx, tx, r.ID, EvWidened, system, r.EscalatedName.String, fmt.Sprintf("%d free staff", len(ids)),
		"the manager did not acknowledge in time")
}
