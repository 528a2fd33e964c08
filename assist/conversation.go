package assist

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"

	"helpforce/fault"
	"helpforce/pg"
)

// Say adds a message to a request's conversation. The shopper, the owner,
// other staff of the store and agents may all answer (collective help); each
// message is attributed by name and role. A message may show up to three
// photos its author uploaded to the request (photoIDs), with or without text.
func (d *Desk) Say(ctx context.Context, a Actor, id, body string, photoIDs ...string) (Message, error) {
	body = strings.TrimSpace(body)
	if (body == "" && len(photoIDs) == 0) || len([]rune(body)) > 2000 {
		return Message{}, fault.Invalid("body", "write a message of up to 2000 characters")
	}
	if len(body) > d.cfg.MaxMessageBytes {
		return Message{}, &fault.Error{Kind: fault.KindInvalid, Code: "message_too_large", Field: "body",
			Message: "this message is too large; write it in several"}
	}
	if err := checkPhotoIDs(photoIDs); err != nil {
		return Message{}, err
	}
	var m Message
	err := pg.InTx(ctx, d.db, func(tx *sqlx.Tx) error {
		// The request's row lock makes messages take turns, so the count
		// below cannot be passed by two at once.
		r, err := d.readRow(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if !r.visible(a) {
			return fault.NotFound("help request")
		}
		if r.Status != "waiting" && r.Status != "assigned" {
			return fault.State("the conversation is closed: the request is %s", r.Status)
		}
		var authorID any
		name, role := a.Name, a.Role
		if a.IsShopper() {
			name, role = "Shopper", "shopper"
		} else {
			authorID = a.UserID
		}
		err = tx.GetContext(ctx, &m, `INSERT INTO request_messages (request_id, author_id, author_name, author_role, body)
			SELECT $1, $2, $3, $4, $5 WHERE (SELECT count(*) FROM request_messages WHERE request_id = $1) < $6
			RETURNING id, author_name, author_role, body, at`, id, authorID, name, role, body, d.cfg.MaxMessages)
		if errors.Is(err, sql.ErrNoRows) {
			return fault.Conflict("conversation_full",
				"this conversation has reached %d messages; ask for help again to start a new one", d.cfg.MaxMessages)
		}
		if err != nil {
			return fmt.Errorf("assist: message on %s: %w", id, err)
		}
		m.Author = Author{Name: m.Name, Role: m.Role}
		if err := linkPhotos(ctx, tx, a, id, &m, photoIDs); err != nil {
			return err
		}
		if body == "" {
			body = "Photo"
		}
		if a.IsShopper() {
			if r.AssignedTo.Valid {
				return d.tellStaff(ctx, tx, &r, r.AssignedTo.String, "The shopper wrote", body)
			}
			return nil
		}
		return d.tellShopper(ctx, tx, &r, "New answer from "+a.Name, body)
	})
	return m, err
}

// Rate records the shopper's score, once, after the request is resolved.
func (d *Desk) Rate(ctx context.Context, a Actor, id string, score int, comment string) error {
	comment = strings.TrimSpace(comment)
	if score < 1 || score > 5 {
		return fault.Invalid("score", "score must be 1 to 5")
	}
	if len([]rune(comment)) > 1000 {
		return fault.Invalid("comment", "the comment is longer than 1000 characters")
	}
	r, err := d.readView(ctx, id)
	if err != nil {
		return err
	}
	if !a.IsShopper() || !r.visible(a) {
		return fault.NotFound("help request")
	}
	res, err := d.db.ExecContext(ctx, `INSERT INTO ratings (request_id, score, comment)
		SELECT id, $2, $3 FROM help_requests WHERE id = $1 AND status = 'resolved'
		ON CONFLICT (request_id) DO NOTHING`, id, score, comment)
	if err != nil {
		return fmt.Errorf("assist: rate %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if r.Rated {
			return fault.State("this request is already rated")
		}
		return fault.State("a request can be rated once it is resolved")
	}
	return nil
}
