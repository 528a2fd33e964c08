package assist

import (
	"context"
	"fmt"

	"helpforce/fault"
)

// Page chooses the messages a request is read with: by default the latest
// Limit; with HasSince, the first Limit after message Since (a client
// catching up). MessagesMore then says whether older (by default) or later
// (with HasSince) messages were left out.
type Page struct {
	Since    int64
	HasSince bool
	Limit    int
}

// Page sizes: what a request shows by default, and the most one read gives.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
)

// HelpRequestPage returns a request as actor may see it, with one page of
// its conversation; others get not found.
func (d *Desk) HelpRequestPage(ctx context.Context, a Actor, id string, p Page) (HelpRequest, error) {
	r, err := d.readView(ctx, id)
	if err != nil {
		return HelpRequest{}, err
	}
	if !r.visible(a) {
		return HelpRequest{}, fault.NotFound("help request")
	}
	h, err := d.view(ctx, r, false)
	if err != nil {
		return h, err
	}
	if err := d.page(ctx, &h, p); err != nil {
		return h, err
	}
	h.SeenByOther, err = d.seenByOther(ctx, a, id)
	return h, err
}

// page reads one page of h's messages into it, oldest first.
func (d *Desk) page(ctx context.Context, h *HelpRequest, p Page) error {
	switch {
	case p.Limit <= 0:
		p.Limit = DefaultPageSize
	case p.Limit > MaxPageSize:
		p.Limit = MaxPageSize
	}
	query := `SELECT * FROM (SELECT id, author_name, author_role, body, at FROM request_messages
		WHERE request_id = $1 ORDER BY id DESC LIMIT $2) m ORDER BY id`
	args := []any{h.ID, p.Limit + 1}
	if p.HasSince {
		query = `SELECT id, author_name, author_role, body, at FROM request_messages
			WHERE request_id = $1 AND id > $3 ORDER BY id LIMIT $2`
		args = append(args, p.Since)
	}
	h.Messages = []Message{}
	if err := d.db.SelectContext(ctx, &h.Messages, query, args...); err != nil {
		return fmt.Errorf("assist: messages of %s: %w", h.ID, err)
	}
	// One more than the page was read, to know whether there are more.
	if h.MessagesMore = len(h.Messages) > p.Limit; h.MessagesMore {
		if p.HasSince {
			h.Messages = h.Messages[:p.Limit]
		} else {
			h.Messages = h.Messages[1:]
		}
	}
	for i := range h.Messages {
		h.Messages[i].Author = Author{Name: h.Messages[i].Name, Role: h.Messages[i].Role}
	}
	return d.withPhotos(ctx, h.ID, h.Messages)
}
