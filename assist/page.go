package assist

import (
	"context"
	"database/sql"
	"errors"
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
	r, h, seen, err := d.since(ctx, id, p.Since, p.limit())
	if err != nil {
		return HelpRequest{}, err
	}
	if !r.visible(a) {
		return HelpRequest{}, fault.NotFound("help request")
	}
	h.SeenByOther = seen[SideOf(a)]
	return h, nil
}

// since reads request id with its first limit messages after message
// since, oldest first (MessagesMore says whether later ones were left out),
// and, by side, the last of that side's messages the other side has read:
// one statement (selectSnapshot).
func (d *Desk) since(ctx context.Context, id string, since int64, limit int) (row, HelpRequest, map[string]*int64, error) {
	var w struct {
		wholeRow
		Shopper sql.NullInt64 `db:"seen_by_shopper"`
		Staff   sql.NullInt64 `db:"seen_by_staff"`
	}
	err := d.db.GetContext(ctx, &w, selectSnapshot, id, limit+1, since)
	if errors.Is(err, sql.ErrNoRows) {
		return row{}, HelpRequest{}, nil, fault.NotFound("help request")
	}
	if err != nil {
		return row{}, HelpRequest{}, nil, fmt.Errorf("assist: read %s since message %d: %w", id, since, err)
	}
	h, err := w.decode()
	if err != nil {
		return row{}, h, nil, err
	}
	// One more than the page was read, the newest, to know whether there are more.
	if h.MessagesMore = len(h.Messages) > limit; h.MessagesMore {
		h.Messages = h.Messages[:limit]
	}
	seen := map[string]*int64{}
	for side, v := range map[string]sql.NullInt64{SideShopper: w.Shopper, SideStaff: w.Staff} {
		if v.Valid {
			seen[side] = &v.Int64
		}
	}
	return w.row, h, seen, nil
}
