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
func ToUsers(ctx context.Context, tx sqlx.ExtContext, userIDs []string, msg Message) (int, error) {
	if len(userIDs) == 0 {
		return 0, nil
	}
	return enqueue(ctx, tx, `s.user_id = ANY($5::uuid[])`, pq.Array(userIDs), msg)
}

// ToShopper queues msg for every device of a shopper, in the caller's transaction.
func ToShopper(ctx context.Context, tx sqlx.ExtContext, shopperID string, msg Message) (int, error) {
	return enqueue(ctx, tx, `s.shopper_id = $5::uuid`, shopperID, msg)
}

func enqueue(ctx context.Context, tx sqlx.ExtContext, where string, who any, msg Message) (int, error) {
	q, err := msg.Queued()
	if err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, QueueSQL("$1", "$2", "$3", "$4", "push_subscriptions s WHERE "+where),
		q.Payload, q.Urgency, q.Topic, q.TTL, who)
	if err != nil {
		return 0, fmt.Errorf("notify: queue %s: %w", msg.Type, err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
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

// QueueSQL is an INSERT that queues a message, given as the SQL expressions
// of its Queued fields, for every subscription s that from (a FROM list
// naming push_subscriptions s, and its conditions) selects. A statement of
// the caller's own can so queue alerts among its other writes.
func QueueSQL(payload, urgency, topic, ttl, from string) string {
	return `INSERT INTO push_outbox (subscription_id, payload, urgency, topic, ttl_s, expires_at)
		SELECT s.id, ` + payload + `, ` + urgency + `, ` + topic + `, (` + ttl + `)::integer,
			now() + (` + ttl + `)::integer * interval '1 second' FROM ` + from
}

// JSON renders msg as one jsonb value {payload, urgency, topic, ttl_s} for a
// statement that queues it among its other writes, reading it with
// jsonb_to_record: one parameter per alert instead of four.
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
