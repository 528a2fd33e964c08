package assist

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"helpforce/people"
)

// Conversation is a request its owner is working on, with what the console
// lists it by: how many of the shopper's messages are unread and the last
// message.
type Conversation struct {
	HelpRequest
	Unread      int          `json:"unread"`
	LastMessage *LastMessage `json:"last_message"`
}

// LastMessage is the latest line of a conversation.
type LastMessage struct {
	Body   string    `json:"body"`
	At     time.Time `json:"at"`
	Author Author    `json:"author"`
}

type conversationRow struct {
	row
	Unread     int                   `db:"unread"`
	LastBody   sql.NullString        `db:"last_body"`
	LastAt     sql.NullTime          `db:"last_at"`
	LastAuthor sql.NullString        `db:"last_author"`
	LastRole   sql.Null[people.Role] `db:"last_role"`
}

// selectConversations reads the caller's ($1) open requests with their
// unread counts and last messages, in one statement whatever their number.
const selectConversations = `SELECT ` + requestColumns + `,` + viewFacts + `,
	(SELECT count(*) FROM request_messages x WHERE x.request_id = r.id AND x.author_role = 'shopper'
		AND x.id > COALESCE((SELECT rr.message_id FROM request_reads rr
			WHERE rr.request_id = r.id AND rr.reader_id = $1), 0)) AS unread,
	lm.body AS last_body, lm.at AS last_at, lm.author_name AS last_author, lm.author_role AS last_role` +
	viewJoins + `
LEFT JOIN LATERAL (SELECT body, at, author_name, author_role FROM request_messages
	WHERE request_id = r.id ORDER BY id DESC LIMIT 1) lm ON true
WHERE r.status = 'assigned' AND r.assigned_to = $1
ORDER BY r.created_at, r.id`

// Conversations lists the requests the caller owns, oldest first, each with
// its unread count (the shopper's messages after the caller's seen mark)
// and its last message.
func (d *Desk) Conversations(ctx context.Context, a Actor) ([]Conversation, error) {
	var rows []conversationRow
	if err := d.db.SelectContext(ctx, &rows, selectConversations, a.UserID); err != nil {
		return nil, fmt.Errorf("assist: conversations of %s: %w", a.UserID, err)
	}
	views, err := viewsOf(ctx, d, rows, func(cr conversationRow) row { return cr.row })
	if err != nil {
		return nil, err
	}
	out := make([]Conversation, 0, len(rows))
	for i, cr := range rows {
		c := Conversation{HelpRequest: views[i], Unread: cr.Unread}
		if cr.LastBody.Valid {
			c.LastMessage = &LastMessage{Body: cr.LastBody.String, At: cr.LastAt.Time,
				Author: Author{Name: cr.LastAuthor.String, Role: cr.LastRole.V}}
		}
		out = append(out, c)
	}
	return out, nil
}

// Escalations lists the requests escalated to the caller and not yet
// acknowledged, oldest first.
func (d *Desk) Escalations(ctx context.Context, a Actor) ([]HelpRequest, error) {
	var rows []row
	if err := d.db.SelectContext(ctx, &rows, selectRequest+` WHERE r.status = 'assigned' AND r.escalated_to = $1
		AND NOT r.escalation_acked ORDER BY r.created_at`, a.UserID); err != nil {
		return nil, fmt.Errorf("assist: my escalations: %w", err)
	}
	return d.views(ctx, rows)
}
