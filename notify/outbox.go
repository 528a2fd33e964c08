package notify

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// ToUsers queues msg for every device of the given staff members. Call it
// with the transaction that makes the change the message is about: the alert
// is then sent if and only if the change commits, even across a crash.
func ToUsers(ctx context.Context, tx sqlx.QueryerContext, userIDs []string, msg Message) (int, error) {
	if len(userIDs) == 0 {
		return 0, nil
	}
	return enqueue(ctx, tx, `s.user_id = ANY($2::uuid[])`, pq.Array(userIDs), msg)
}

// ToShopper queues msg for every device of a shopper, in the caller's transaction.
func ToShopper(ctx context.Context, tx sqlx.QueryerContext, shopperID string, msg Message) (int, error) {
	return enqueue(ctx, tx, `s.shopper_id = $2::uuid`, shopperID, msg)
}

// ToSubscriptions queues msg for the given push subscriptions, in the
// caller's transaction.
func ToSubscriptions(ctx context.Context, tx sqlx.QueryerContext, ids []string, msg Message) (int, error) {
	return enqueue(ctx, tx, `s.id = ANY($2::bigint[])`, pq.Array(ids), msg)
}

// enqueue queues msg, with queue_alert (a function of the database's), for
// the subscriptions s that where ($2 being who) picks.
func enqueue(ctx context.Context, tx sqlx.QueryerContext, where string, who any, msg Message) (int, error) {
	alert, err := msg.JSON()
	if err != nil {
		return 0, err
	}
	var n int
	err = sqlx.GetContext(ctx, tx, &n, `SELECT queue_alert($1::jsonb, ARRAY(SELECT s.id FROM push_subscriptions s WHERE `+where+`))`,
		alert, who)
	if err != nil {
		return 0, fmt.Errorf("notify: queue %s: %w", msg.Type, err)
	}
	return n, nil
}

// Queued is a message as the outbox keeps it.
type Queued struct {
	Payload string
	Urgency string
	Topic   sql.NullString
	TTL     int // seconds
}

// Queued renders msg for the outbox.
func (m Message) Queued() (Queued, error) {
	payload, err := m.encode()
	if err != nil {
		return Queued{}, err
	}
	return Queued{Payload: string(payload), Urgency: m.urgency(), Topic: sql.NullString{String: m.Topic, Valid: m.Topic != ""},
		TTL: int(m.TTL.Seconds())}, nil
}

// JSON renders msg as one jsonb value {payload, urgency, topic, ttl_s} for a
// statement that queues it among its other writes, reading it with
// jsonb_to_record or queue_alert: one parameter per alert instead of four.
func (m Message) JSON() (string, error) {
	q, err := m.Queued()
	if err != nil {
		return "", err
	}
	var topic *string
	if q.Topic.Valid {
		topic = &q.Topic.String
	}
	b, err := json.Marshal(struct {
		Payload string  `json:"payload"`
		Urgency string  `json:"urgency"`
		Topic   *string `json:"topic"`
		TTL     int     `json:"ttl_s"`
	}{q.Payload, q.Urgency, topic, q.TTL})
	return string(b), err
}
