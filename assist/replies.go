package assist

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lib/pq"

	"helpforce/fault"
)

// Reply is a saved answer the remote team can send in one keystroke.
type Reply struct {
	ID        string    `db:"id" json:"id"`
	Title     string    `db:"title" json:"title"`
	Body      string    `db:"body" json:"body"`
	UpdatedAt time.Time `db:"updated_at" json:"updated_at"`
}

// Replies lists the saved replies by title.
func (d *Desk) Replies(ctx context.Context) ([]Reply, error) {
	out := []Reply{}
	if err := d.db.SelectContext(ctx, &out, `SELECT id, title, body, updated_at FROM saved_replies ORDER BY lower(title)`); err != nil {
		return nil, fmt.Errorf("assist: saved replies: %w", err)
	}
	return out, nil
}

// SaveReply creates (id empty) or replaces a saved reply.
func (d *Desk) SaveReply(ctx context.Context, id, title, body string) (Reply, error) {
	title, body = strings.TrimSpace(title), strings.TrimSpace(body)
	if title == "" || len([]rune(title)) > 80 {
		return Reply{}, fault.Invalid("title", "a title of 1 to 80 characters is required")
	}
	if body == "" || len([]rune(body)) > 2000 {
		return Reply{}, fault.Invalid("body", "a reply of 1 to 2000 characters is required")
	}
	var r Reply
	var err error
	if id == "" {
		err = d.db.GetContext(ctx, &r, `INSERT INTO saved_replies (title, body) VALUES ($1, $2)
			RETURNING id, title, body, updated_at`, title, body)
	} else {
		err = d.db.GetContext(ctx, &r, `UPDATE saved_replies SET title = $2, body = $3, updated_at = now()
			WHERE id = $1 RETURNING id, title, body, updated_at`, id, title, body)
	}
	var pqErr *pq.Error
	switch {
	case errors.As(err, &pqErr) && pqErr.Code == "23505":
		return Reply{}, fault.Conflict("already_exists", "a saved reply is already called %q", title)
	case errors.Is(err, sql.ErrNoRows):
		return Reply{}, fault.NotFound("saved reply")
	case err != nil:
		return Reply{}, fmt.Errorf("assist: save reply: %w", err)
	}
	return r, nil
}

// DeleteReply removes a saved reply.
func (d *Desk) DeleteReply(ctx context.Context, id string) error {
	res, err := d.db.ExecContext(ctx, `DELETE FROM saved_replies WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("assist: delete reply: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fault.NotFound("saved reply")
	}
	return nil
}

// StoreRequests lists a store's requests, newest first, for managers
// reviewing hand-offs; status "" means any.
func (d *Desk) StoreRequests(ctx context.Context, a Actor, storeID, status string, limit int) ([]HelpRequest, error) {
	if a.OnFloor() && a.StoreID != storeID {
		return nil, fault.Forbidden("you may review your own store's requests only")
	}
	if status != "" && !Status(status).Known() {
		return nil, fault.Invalid("status", "status must be waiting, assigned, resolved, cancelled or abandoned")
	}
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	var rows []row
	if err := d.db.SelectContext(ctx, &rows, selectRequest+` WHERE r.store_id = $1 AND ($2 = '' OR r.status = $2)
		ORDER BY r.created_at DESC LIMIT $3`, storeID, status, limit); err != nil {
		return nil, fmt.Errorf("assist: requests of %s: %w", storeID, err)
	}
	return d.views(ctx, rows)
}
