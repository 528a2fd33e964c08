package assist

import (
	"context"
	"fmt"
	"time"

	"github.com/lib/pq"
)

// Snapshot is one read of a request that every event stream watching it on a
// replica shares: the request, the messages after the id it was read from,
// and what each side of the conversation has seen of the other's messages.
// Who may see it is decided per reader, by For.
type Snapshot struct {
	request  HelpRequest
	messages []Message
	r        row               // only what For and StoreID need: a replica keeps one per watched request
	seen     map[string]*int64 // by side: the last of that side's messages the other side has read
}

// Snapshot reads request id with its messages after message since (at most
// MaxPageSize; Messages then says whether more are left).
func (d *Desk) Snapshot(ctx context.Context, id string, since int64) (Snapshot, error) {
	r, h, seen, err := d.since(ctx, id, since, MaxPageSize)
	if err != nil {
		return Snapshot{}, err
	}
	s := Snapshot{request: h, messages: h.Messages, r: row{ShopperID: r.ShopperID, StoreID: r.StoreID, Status: r.Status},
		seen: seen}
	s.request.Messages = nil
	return s, nil
}

// Messages are the messages the snapshot read, oldest first, and whether a
// full page left later ones unread.
func (s Snapshot) Messages() ([]Message, bool) { return s.messages, s.request.MessagesMore }

// Place is where the request stood when read.
func (s Snapshot) Place() Place { return s.request.Place() }

// Status is the request's status.
func (s Snapshot) Status() Status { return s.r.Status }

// StoreID is the request's store, "" for none.
func (s Snapshot) StoreID() string { return s.r.StoreID.String }

// For is the request as actor may read it, without its messages; false when
// actor may not see it (any more).
func (s Snapshot) For(a Actor) (HelpRequest, bool) {
	if !s.r.visible(a) {
		return HelpRequest{}, false
	}
	h := s.request
	h.Messages, h.MessagesMore = []Message{}, false
	h.SeenByOther = s.seen[SideOf(a)]
	return h, true
}

// Place is where a waiting request stands: its place in its queue, the
// store's recent median time to first response, and whether the remote team
// has someone free. These move with other requests, not with its own.
type Place struct {
	Position        int      `json:"position"`
	EstimateS       *float64 `json:"estimate_s"`
	RemoteAvailable bool     `json:"remote_available"`
}

// Same reports whether two places say the same thing.
func (p Place) Same(q Place) bool {
	if p.Position != q.Position || p.RemoteAvailable != q.RemoteAvailable || (p.EstimateS == nil) != (q.EstimateS == nil) {
		return false
	}
	return p.EstimateS == nil || *p.EstimateS == *q.EstimateS
}

// Place is where h stands.
func (h HelpRequest) Place() Place {
	return Place{Position: h.Position, EstimateS: h.EstimateS, RemoteAvailable: h.RemoteAvailable}
}

// WithPlace is h standing at p.
func (h HelpRequest) WithPlace(p Place) HelpRequest {
	h.Position, h.EstimateS, h.RemoteAvailable = p.Position, p.EstimateS, p.RemoteAvailable
	return h
}

// placesHead, placesMid and placesTail read every waiting request of one
// queue with its place, as queue_facts reads one; the store condition goes
// between them, twice, so that a store's requests use the partial indexes
// and those in no store use theirs.
const (
	placesHead = `WITH w AS (
	SELECT id, channel, row_number() OVER (PARTITION BY channel ORDER BY created_at, id) AS position
	FROM help_requests WHERE status = 'waiting' AND `
	placesMid = `),
est AS (
	SELECT c.channel, (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM x.first_accepted_at - x.created_at))
		FROM (SELECT first_accepted_at, created_at FROM help_requests
			WHERE channel = c.channel AND first_accepted_at IS NOT NULL
			AND created_at > now() - interval '7 days' AND `
	placesTail = ` ORDER BY created_at DESC LIMIT 50) x) AS estimate_s
	FROM (SELECT DISTINCT channel FROM w) c)
SELECT w.id, w.position, est.estimate_s,
	EXISTS (SELECT 1 FROM users WHERE role = 'agent' AND active AND status = 'available') AS remote_available
FROM w JOIN est USING (channel)`
	placesInStore   = placesHead + `store_id = $1` + placesMid + `store_id = $1` + placesTail
	placesInNoStore = placesHead + `store_id IS NULL` + placesMid + `store_id IS NULL` + placesTail
)

// Places reads, in one statement, the place of every waiting request of a
// store ("" for the requests in no store), by request id.
func (d *Desk) Places(ctx context.Context, storeID string) (map[string]Place, error) {
	query, args := placesInNoStore, []any{}
	if storeID != "" {
		query, args = placesInStore, []any{storeID}
	}
	rows, err := d.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("assist: places in %q: %w", storeID, err)
	}
	defer rows.Close()
	out := map[string]Place{}
	for rows.Next() {
		var id string
		var p Place
		if err := rows.Scan(&id, &p.Position, &p.EstimateS, &p.RemoteAvailable); err != nil {
			return nil, fmt.Errorf("assist: places in %q: %w", storeID, err)
		}
		out[id] = p
	}
	return out, rows.Err()
}

// Print is a digest of a request as streams show it (the row, its newest
// message, its seen marks): comparing two tells whether it changed in
// between, notified or not. Since says it changed after the time it was
// asked about.
type Print struct {
	Sum   string
	Since bool
}

// Fingerprints reads, in one statement, the print of each watched request,
// by request id, with whether it changed after the time watched gives for
// it; a request that is no more has none.
func (d *Desk) Fingerprints(ctx context.Context, watched map[string]time.Time) (map[string]Print, error) {
	ids, since := make([]string, 0, len(watched)), make([]time.Time, 0, len(watched))
	for id, t := range watched {
		ids, since = append(ids, id), append(since, t)
	}
	rows, err := d.db.QueryContext(ctx, `SELECT r.id, md5(r::text
		|| COALESCE((SELECT max(m.id) FROM request_messages m WHERE m.request_id = r.id), 0)::text || ' '
		|| COALESCE((SELECT string_agg(x.side || x.message_id::text, ',' ORDER BY x.side, x.message_id) FROM request_reads x WHERE x.request_id = r.id), '')),
		r.updated_at > w.since
		FROM unnest($1::uuid[], $2::timestamptz[]) AS w(id, since) JOIN help_requests r ON r.id = w.id`, pq.Array(ids), pq.Array(since))
	if err != nil {
		return nil, fmt.Errorf("assist: fingerprints: %w", err)
	}
	defer rows.Close()
	out := make(map[string]Print, len(ids))
	for rows.Next() {
		var id string
		var p Print
		if err := rows.Scan(&id, &p.Sum, &p.Since); err != nil {
			return nil, fmt.Errorf("assist: fingerprints: %w", err)
		}
		out[id] = p
	}
	return out, rows.Err()
}

// WithoutMessages is the snapshot without the messages it read.
func (s Snapshot) WithoutMessages() Snapshot {
	s.messages = nil
	return s
}
