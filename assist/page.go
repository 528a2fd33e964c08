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

// limit is the page's size within bounds: DefaultPageSize when unset.
func (p Page) limit() int {
	switch {
	case p.Limit <= 0:
		return DefaultPageSize
	case p.Limit > MaxPageSize:
		return MaxPageSize
	}
	return p.Limit
}

// HelpRequestPage returns a request as actor may see it, with one page of
// its conversation; others get not found. The latest page comes with the
// request in one statement (whole.go).
func (d *Desk) HelpRequestPage(ctx context.Context, a Actor, id string, p Page) (HelpRequest, error) {
	if !p.HasSince {
		return d.whole(ctx, a, id, p.limit())
	}
	r, err := d.readView(ctx, id)
	if err != nil {
		return HelpRequest{}, err
	}
	if !r.visible(a) {
		return HelpRequest{}, fault.NotFound("help request")
	}
	h, err := d.view(ctx, r)
	if err != nil {
		return h, err
	}
	if err := d.after(ctx, &h, p.Since, p.limit()); err != nil {
		return h, err
	}
	h.SeenByOther, err = d.seenByOther(ctx, a, id)
	return h, err
}

// after reads into h the first limit messages after message since, oldest
// first; MessagesMore says whether later ones were left out.
func (d *Desk) after(ctx context.Context, h *HelpRequest, since int64, limit int) error {
	h.Messages = []Message{}
	if err := d.db.SelectContext(ctx, &h.Messages, `SELECT id, author_name, author_role, body, at FROM request_messages
		WHERE request_id = $1 AND id > $3 ORDER BY id LIMIT $2`, h.ID, limit+1, since); err != nil {
		return fmt.Errorf("assist: messages of %s: %w", h.ID, err)
	}
	// One more than the page was read, to know whether there are more.
	if h.MessagesMore = len(h.Messages) > limit; h.MessagesMore {
		h.Messages = h.Messages[:limit]
	}
	for i := range h.Messages {
		h.Messages[i].Author = Author{Name: h.Messages[i].Name, Role: h.Messages[i].Role}
	}
	return d.withPhotos(ctx, h.ID, h.Messages)
}
