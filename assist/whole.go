package assist

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"helpforce/fault"
	"helpforce/people"
	"helpforce/photos"
)

// selectWhole reads a request as HelpRequest returns it, in one statement
// and so one snapshot: the view, its product, its last page of messages
// with their photos ($2 of them: one more than a page, to know whether
// there are more), and the last of the reader's messages the other side has
// seen ($3: the reader's side).
var selectWhole = `-- A request as HelpRequest returns it (selectWhole).
SELECT ` + requestColumns + `,` + viewFacts + `,` + productJSON + `,
	` + messagesJSON(`ORDER BY x.id DESC LIMIT $2`) + `,
	` + seenBy(`$3`) + ` AS seen_by_other` + viewJoins + `
WHERE r.id = $1`

// selectSnapshot reads a request as event streams share it (Snapshot), in
// one statement: the view, its product, the messages after message $3 with
// their photos ($2 of them: one more than a page), and what each side has
// seen of the other's messages.
var selectSnapshot = `-- A request as event streams share it (selectSnapshot).
SELECT ` + requestColumns + `,` + viewFacts + `,` + productJSON + `,
	` + messagesJSON(`AND x.id > $3 ORDER BY x.id LIMIT $2`) + `,
	` + seenBy(`'`+SideShopper+`'`) + ` AS seen_by_shopper,
	` + seenBy(`'`+SideStaff+`'`) + ` AS seen_by_staff` + viewJoins + `
WHERE r.id = $1`

// productJSON is the product request r is about, if its store sells it.
const productJSON = `(SELECT to_json(p) FROM (SELECT sku, name, price, greatest(on_hand - held, 0) AS available FROM products
		WHERE store_id = r.store_id AND sku = r.sku) p) AS product`

// messagesJSON is request r's messages that pick chooses (a condition,
// an order and a limit), oldest first, each with its photos.
func messagesJSON(pick string) string {
	return `(SELECT COALESCE(json_agg(m ORDER BY m.id), '[]') FROM (
		SELECT x.id, x.author_name, x.author_role, x.body, x.at,
			(SELECT COALESCE(json_agg(json_build_object('id', f.id, 'width', f.width, 'height', f.height)
				ORDER BY f.created_at, f.id), '[]') FROM photos f WHERE f.message_id = x.id) AS photos
		FROM request_messages x WHERE x.request_id = r.id ` + pick + `) m) AS messages`
}

// seenBy is the last of side's messages on request r that the other side
// has read; side is an SQL expression.
func seenBy(side string) string {
	return `(SELECT max(x.id) FROM request_messages x WHERE x.request_id = r.id AND (x.author_role = 'shopper') = (` + side + ` = 'shopper')
		AND x.id <= (SELECT COALESCE(max(e.message_id), 0) FROM request_reads e WHERE e.request_id = r.id AND e.side <> ` + side + `))`
}

// wholeRow is a request read by selectWhole or selectSnapshot.
type wholeRow struct {
	row
	Product     []byte        `db:"product"`
	Messages    []byte        `db:"messages"`
	SeenByOther sql.NullInt64 `db:"seen_by_other"`
}

// HelpRequest returns a request as actor may see it, with the latest page
// of its conversation; others get not found.
func (d *Desk) HelpRequest(ctx context.Context, a Actor, id string) (HelpRequest, error) {
	return d.whole(ctx, a, id, DefaultPageSize)
}

// whole reads a request as actor may see it with its latest limit
// messages, in one statement (selectWhole).
func (d *Desk) whole(ctx context.Context, a Actor, id string, limit int) (HelpRequest, error) {
	var w wholeRow
	err := d.db.GetContext(ctx, &w, selectWhole, id, limit+1, SideOf(a))
	if errors.Is(err, sql.ErrNoRows) {
		return HelpRequest{}, fault.NotFound("help request")
	}
	if err != nil {
		return HelpRequest{}, fmt.Errorf("assist: read %s: %w", id, err)
	}
	if !w.visible(a) {
		return HelpRequest{}, fault.NotFound("help request")
	}
	h, err := w.decode()
	if err != nil {
		return h, err
	}
	// One more than the page was read, the oldest, to know whether there are more.
	if h.MessagesMore = len(h.Messages) > limit; h.MessagesMore {
		h.Messages = h.Messages[1:]
	}
	if w.SeenByOther.Valid {
		h.SeenByOther = &w.SeenByOther.Int64
	}
	return h, nil
}

// decode is the request w read, with its product and messages.
func (w *wholeRow) decode() (HelpRequest, error) {
	h, err := shape(w.row)
	if err != nil {
		return h, err
	}
	if len(w.Product) > 0 {
		h.Product = &Product{}
		if err := json.Unmarshal(w.Product, h.Product); err != nil {
			return h, fmt.Errorf("assist: product of %s: %w", w.ID, err)
		}
	}
	var msgs []struct {
		ID     int64          `json:"id"`
		Name   string         `json:"author_name"`
		Role   people.Role    `json:"author_role"`
		Body   string         `json:"body"`
		At     time.Time      `json:"at"`
		Photos []photos.Photo `json:"photos"`
	}
	if err := json.Unmarshal(w.Messages, &msgs); err != nil {
		return h, fmt.Errorf("assist: messages of %s: %w", w.ID, err)
	}
	h.Messages = make([]Message, len(msgs))
	for i, m := range msgs {
		for j := range m.Photos {
			m.Photos[j].Links()
		}
		h.Messages[i] = Message{ID: m.ID, Author: Author{Name: m.Name, Role: m.Role}, Body: m.Body, At: m.At,
			Name: m.Name, Role: m.Role, Photos: m.Photos}
	}
	return h, nil
}
