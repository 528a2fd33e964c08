package assist

import (
	"context"
	"encoding/json"
	"fmt"

	"helpforce/fault"
	"helpforce/pg"
)

// Sides of a conversation: the shopper, and whoever answers for the shop.
const (
	SideShopper = "shopper"
	SideStaff   = "staff"
)

// Cue kinds: what a conversation's participants signal to each other live.
const (
	CueTyping = "typing"
	CueSeen   = "seen"
)

// Cue is a live signal about a conversation that is not a change of the
// request: someone typing, or someone having read up to a message. Cues
// travel on pg.ChanCues, their JSON the payload, so a stream served by any
// replica hears them.
type Cue struct {
	RequestID string `json:"request_id"`
	Type      string `json:"type"`
	Who       string `json:"who"`
	Name      string `json:"name,omitempty"`
	MessageID int64  `json:"message_id,omitempty"`
}

// SideOf is the side of the conversation an actor writes for.
func SideOf(a Actor) string {
	if a.IsShopper() {
		return SideShopper
	}
	return SideStaff
}

// readerID is the id a reader's marks are kept under.
func readerID(a Actor) string {
	if a.IsShopper() {
		return a.ShopperID
	}
	return a.UserID
}

// participant checks that actor is in the request's conversation: its
// shopper, or its owner while it is assigned. Those who may not see the
// request get not found, as when they read it.
func (d *Desk) participant(ctx context.Context, a Actor, id string) (row, error) {
	r, err := d.readRow(ctx, d.db, id, false)
	if err != nil {
		return r, err
	}
	if a.IsShopper() {
		if !r.visible(a) {
			return r, fault.NotFound("help request")
		}
		return r, nil
	}
	return r, d.mustOwn(a, r)
}

// cueOf is a cue from actor about request id; staff are named.
func cueOf(a Actor, id, kind string) Cue {
	c := Cue{RequestID: id, Type: kind, Who: SideOf(a)}
	if !a.IsShopper() {
		c.Name = a.Name
	}
	return c
}

// cuePayload is the notification text of a cue.
func cuePayload(c Cue) string {
	b, _ := json.Marshal(c)
	return string(b)
}

// typed signals "typing" at most once every 2 seconds per reader, whichever
// replica the signals arrive at: the notification goes out only when the
// guarded upsert moved typed_at. A message sent by the reader's side since
// the last signal ended that typing, so the next signal is let through at
// once: it is about the next message.
const typed = `
WITH up AS (
	INSERT INTO request_reads (request_id, reader_id, side, typed_at) VALUES ($1, $2, $3, now())
	ON CONFLICT (request_id, reader_id) DO UPDATE SET typed_at = now()
	WHERE request_reads.typed_at IS NULL OR request_reads.typed_at <= now() - interval '2 seconds'
		OR EXISTS (SELECT 1 FROM request_messages m WHERE m.request_id = $1
			AND (m.author_role = 'shopper') = ($3 = 'shopper') AND m.at > request_reads.typed_at)
	RETURNING 1)
SELECT pg_notify('` + string(pg.ChanCues) + `', $4) FROM up`

// Typing tells the other side that actor is writing. Nothing is kept but
// the time, for the rate limit; signals over the limit are dropped silently.
func (d *Desk) Typing(ctx context.Context, a Actor, id string) error {
	r, err := d.participant(ctx, a, id)
	if err != nil {
		return err
	}
	if !r.Status.Open() {
		return fault.State("the conversation is closed: the request is %s", r.Status)
	}
	c := cueOf(a, id, CueTyping)
	if _, err := d.db.ExecContext(ctx, typed, id, readerID(a), c.Who, cuePayload(c)); err != nil {
		return fmt.Errorf("assist: typing on %s: %w", id, err)
	}
	return nil
}

// seen moves a reader's mark up to a message of the request, never back,
// and tells the streams when it moved. known says whether the message is
// the request's at all.
const seen = `
WITH m AS (SELECT id FROM request_messages WHERE id = $4 AND request_id = $1),
up AS (
	INSERT INTO request_reads (request_id, reader_id, side, message_id, seen_at)
	SELECT $1, $2, $3, m.id, now() FROM m
	ON CONFLICT (request_id, reader_id) DO UPDATE SET message_id = EXCLUDED.message_id, seen_at = now()
	WHERE request_reads.message_id < EXCLUDED.message_id
	RETURNING 1),
sent AS (SELECT pg_notify('` + string(pg.ChanCues) + `', $5) FROM up)
SELECT EXISTS (SELECT 1 FROM m) AS known, (SELECT count(*) FROM sent) AS moved`

// Seen records that actor has read the conversation up to message
// messageID (a high-water mark: an older id changes nothing).
func (d *Desk) Seen(ctx context.Context, a Actor, id string, messageID int64) error {
	if messageID <= 0 {
		return fault.Invalid("message_id", "give the id of a message of this request")
	}
	if _, err := d.participant(ctx, a, id); err != nil {
		return err
	}
	c := cueOf(a, id, CueSeen)
	c.MessageID = messageID
	var out struct {
		Known bool `db:"known"`
		Moved int  `db:"moved"`
	}
	if err := d.db.GetContext(ctx, &out, seen, id, readerID(a), c.Who, messageID, cuePayload(c)); err != nil {
		return fmt.Errorf("assist: seen on %s: %w", id, err)
	}
	if !out.Known {
		return fault.Invalid("message_id", "message %d is not in this request's conversation", messageID)
	}
	return nil
}
