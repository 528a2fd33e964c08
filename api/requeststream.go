package api

import (
	"context"
	"encoding/json"
	"hash/fnv"
	"strconv"

	"helpforce/assist"
	"helpforce/people"
)

// requestStream is what one request stream remembers of what it sent: a
// hash of the last status, the last place, the last message. It is all a
// stream holds between events, so ten thousand of them stay small.
type requestStream struct {
	s         *Server
	sse       *sse
	a         people.Actor
	id        string
	cursor    int64 // the last message sent
	hasCursor bool
	status    uint64 // hash of the last status sent, without messages and place
	place     assist.Place
	ticket    uint64 // the shared read last taken
	// seenByOther is, from the last read, the last of this side's messages
	// the other side has seen.
	seenByOther *int64
}

// catchUp sends h, then reads on by itself while a full page leaves more.
func (r *requestStream) catchUp(ctx context.Context, h assist.HelpRequest) error {
	for {
		h = viewFor(r.a, h)
		r.seenByOther = h.SeenByOther
		if err := r.send(h); err != nil {
			return err
		}
		if !h.MessagesMore {
			return nil
		}
		var err error
		h, err = r.s.desk.HelpRequestPage(ctx, r.a, r.id, assist.Page{Since: r.cursor, HasSince: true, Limit: assist.MaxPageSize})
		if err != nil {
			return err
		}
	}
}

// send sends of h what the client does not have: the whole request when
// more than its place changed, else its place, then its new messages.
func (r *requestStream) send(h assist.HelpRequest) error {
	bare := withoutMessages(h).WithPlace(assist.Place{})
	data, _ := json.Marshal(bare)
	sum := fnv.New64a()
	_, _ = sum.Write(data)
	if hash := sum.Sum64(); hash != r.status {
		full, _ := json.Marshal(h)
		if err := r.sse.event("status", "", full); err != nil {
			return err
		}
		r.status, r.place = hash, h.Place()
	} else if p := h.Place(); !p.Same(r.place) {
		data, _ := json.Marshal(p)
		if err := r.sse.event("place", "", data); err != nil {
			return err
		}
		r.place = p
	}
	if !r.hasCursor {
		r.cursor = -1 // a new stream sends the whole page
	}
	r.hasCursor = true // from now on, only what is new
	return r.sendMessages(h.Messages)
}

// take sends what the feed has that this stream has not sent; false ends
// the stream (the request is gone, hidden from the reader, or the client
// stopped reading).
func (r *requestStream) take(ctx context.Context, f *requestFeed) bool {
	st := f.take(r.cursor)
	if st.gone {
		return false
	}
	if st.behind {
		// Further behind than the feed keeps: read on by itself.
		h, err := r.s.desk.HelpRequestPage(ctx, r.a, r.id, assist.Page{Since: r.cursor, HasSince: true, Limit: assist.MaxPageSize})
		return err == nil && r.catchUp(ctx, h) == nil
	}
	if st.snap == nil || st.ticket <= r.ticket {
		// No new read of the request: only its place or messages moved.
		if st.placed && !st.place.Same(r.place) {
			data, _ := json.Marshal(st.place)
			if r.sse.event("place", "", data) != nil {
				return false
			}
			r.place = st.place
		}
		return r.sendMessages(st.msgs) == nil
	}
	h, ok := st.snap.For(r.a)
	if !ok {
		return false
	}
	r.ticket = st.ticket
	h = viewFor(r.a, h).WithPlace(st.place)
	if st.msgs != nil {
		h.Messages = st.msgs
	}
	r.seenByOther = h.SeenByOther
	return r.send(h) == nil
}

func (r *requestStream) sendMessages(msgs []assist.Message) error {
	for _, m := range msgs {
		if m.ID > r.cursor {
			data, _ := json.Marshal(m)
			if err := r.sse.event("message", strconv.FormatInt(m.ID, 10), data); err != nil {
				return err
			}
			r.cursor = m.ID
		}
	}
	return nil
}
