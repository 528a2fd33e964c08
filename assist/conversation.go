package assist

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"

	"helpforce/fault"
	"helpforce/notify"
	"helpforce/people"
	"helpforce/pg"
	"helpforce/photos"
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
	var toShopper, toOwner *string // the other side's alert
	alertBody := body
	if alertBody == "" {
		alertBody = "Photo"
	}
	msg := shopperAlert(id, "New answer from "+a.Name, alertBody)
	if a.IsShopper() {
		msg = staffAlert(id, "The shopper wrote", alertBody)
	}
	alert, err := msg.JSON()
	if err != nil {
		return Message{}, err
	}
	if a.IsShopper() {
		toOwner = &alert
	} else {
		toShopper = &alert
	}
	authorID, name, role := a.Author()
	author, _ := authorID.(string)
	var staffRole people.Role
	var staffStore string
	if !a.IsShopper() {
		staffRole, staffStore = a.Role, a.StoreID
	}
	var m struct {
		Message
		StoreID sql.NullString `db:"store_id"`
		Alerts  notify.Leased  `db:"alerts"` // for the other side
	}
	say := func(q sqlx.QueryerContext) error {
		return sqlx.GetContext(ctx, q, &m, sayStatement, id, a.ShopperID, staffRole, staffStore, author, name, role, body,
			d.cfg.MaxMessages, toShopper, toOwner, d.lease())
	}
	// After a message written meanwhile, the statement runs again holding
	// the request's row, so that no one else's message can come between.
	inTurn := func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `SELECT 1 FROM help_requests WHERE id = $1 FOR UPDATE`, id); err != nil {
			return err
		}
		return say(tx)
	}
	write := func(q sqlx.QueryerContext, tx *sqlx.Tx) error {
		err := say(q)
		if errors.Is(err, sql.ErrNoRows) {
			if err := d.whyNotSaid(ctx, q, a, id); err != nil {
				return err
			}
			if tx != nil {
				err = inTurn(tx)
			} else {
				err = pg.InTx(ctx, d.db, inTurn)
			}
			if errors.Is(err, sql.ErrNoRows) {
				if err := d.whyNotSaid(ctx, d.db, a, id); err != nil {
					return err
				}
				return fault.State("the conversation is busy; send the message again")
			}
		}
		if err != nil {
			return fmt.Errorf("assist: message on %s: %w", id, err)
		}
		return nil
	}
	if len(photoIDs) == 0 {
		err = write(d.db, nil)
	} else {
		err = pg.InTx(ctx, d.db, func(tx *sqlx.Tx) error {
			if err := write(tx, tx); err != nil {
				return err
			}
			return linkPhotos(ctx, tx, a, id, &m.Message, photoIDs)
		})
	}
	if err != nil {
		return Message{}, err
	}
	if m.Photos == nil {
		m.Photos = []photos.Photo{}
	}
	m.Author = Author{Name: m.Name, Role: m.Role}
	d.changed(id, m.StoreID, false)
	d.send(m.Alerts)
	return m.Message, nil
}

// sayStatement writes a message and alerts the other side (sql/conversation.sql).
var sayStatement = statement("say")

// whyNotSaid explains a message that was not written; nil means it may be
// written now (the request changed while the statement ran).
func (d *Desk) whyNotSaid(ctx context.Context, q sqlx.QueryerContext, a Actor, id string) error {
	r, err := d.readRow(ctx, q, id, false)
	if err != nil {
		return err
	}
	if !r.visible(a) {
		return fault.NotFound("help request")
	}
	if !r.Status.Open() {
		return fault.State("the conversation is closed: the request is %s", r.Status)
	}
	var n int
	if err := sqlx.GetContext(ctx, q, &n, `SELECT count(*) FROM request_messages WHERE request_id = $1`, id); err != nil {
		return fmt.Errorf("assist: messages of %s: %w", id, err)
	}
	if n >= d.cfg.MaxMessages {
		return fault.Conflict("conversation_full",
			"this conversation has reached %d messages; ask for help again to start a new one", d.cfg.MaxMessages)
	}
	return nil
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
