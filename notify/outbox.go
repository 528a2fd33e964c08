package notify

import (
	"context"
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
	return enqueue(ctx, tx, `s.user_id = ANY($6::uuid[])`, pq.Array(userIDs), msg)
}

// ToShopper queues msg for every device of a shopper, in the caller's transaction.
func ToShopper(ctx context.Context, tx sqlx.ExtContext, shopperID string, msg Message) (int, error) {
	return enqueue(ctx, tx, `s.shopper_id = $6::uuid`, shopperID, msg)
}

func enqueue(ctx context.Context, tx sqlx.ExtContext, where string, who any, msg Message) (int, error) {
	payload, err := msg.encode()
	if err != nil {
		return 0, err
	}
	var topic any
	if msg.Topic != "" {
		topic = msg.Topic
	}
	ttl := int(msg.TTL.Seconds())
	res, err := tx.ExecContext(ctx, `INSERT INTO push_outbox (subscription_id, payload, urgency, topic, ttl_s, expires_at)
		SELECT s.id, $1, $2, $3, $4, now() + $5 * interval '1 second' FROM push_subscriptions s WHERE `+where,
		string(payload), msg.urgency(), topic, ttl, ttl, who)
	if err != nil {
		return 0, fmt.Errorf("notify: queue %s: %w", msg.Type, err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
