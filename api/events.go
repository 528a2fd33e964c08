package api

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"helpforce/assist"
	"helpforce/people"
)

// HelpRequestEvents streams a request: `status` with the whole request when
// it changes, `place` when only its place in the queue moves, `message` for
// each new message (its id is the event id, so a reconnecting client sends
// Last-Event-ID and gets only what it missed, at most a page at a time), and
// the other side's `typing` and `seen`. A new stream starts with the latest
// page. After its first read, a stream reads nothing itself: it takes what
// is new from the replica's shared reads (see liveHub).
func (s *Server) HelpRequestEvents(c echo.Context) error {
	id, err := idParam(c, "id", "help request")
	if err != nil {
		return err
	}
	ctx, a := c.Request().Context(), actor(c)
	page := assist.Page{Limit: assist.MaxPageSize}
	if last := c.Request().Header.Get("Last-Event-ID"); last != "" {
		if page.Since, err = strconv.ParseInt(last, 10, 64); err == nil {
			page.HasSince = true
		}
	}
	// Join before the first read: a change after it is then never missed.
	feed, w, leave := s.hub.watchRequest(id)
	defer leave()
	h, err := s.desk.HelpRequestPage(ctx, a, id, page)
	if err != nil {
		return err
	}
	release, err := s.streamSlot(c)
	if err != nil {
		return err
	}
	defer release()
	cues, stopCues := s.live.Cues(id)
	defer stopCues()
	side := assist.SideOf(a)
	sse, err := s.startSSE(c)
	if err != nil {
		return err
	}
	st := &requestStream{s: s, sse: sse, a: a, id: id, cursor: page.Since, hasCursor: page.HasSince}
	if st.catchUp(ctx, h) != nil {
		return nil
	}
	s.hub.ready(feed, st.cursor, h)
	var seen *assist.Cue
	var seenAfter uint64
	tick := time.NewTicker(s.heartbeat())
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
			if sse.ping() != nil {
				return nil
			}
			continue
		case <-w.wake:
		case raw := <-cues:
			var cue assist.Cue
			// A side is not told of its own typing or reading.
			if json.Unmarshal(raw, &cue) != nil || cue.Who == side {
				continue
			}
			if cue.Type == assist.CueTyping {
				data, _ := json.Marshal(cueEvent{Who: cue.Who, Name: cue.Name})
				if sse.event("typing", "", data) != nil {
					return nil
				}
				continue
			}
			// What was seen is told with the marks read after the cue.
			seen, seenAfter = &cue, s.hub.refresh(id)
			continue
		}
		if !st.take(ctx, feed) {
			return nil
		}
		if seen != nil && st.ticket > seenAfter {
			data, _ := json.Marshal(cueEvent{Who: seen.Who, Name: seen.Name, MessageID: seen.MessageID, SeenByOther: st.seenByOther})
			if sse.event("seen", "", data) != nil {
				return nil
			}
			seen = nil
		}
	}
}

// cueEvent is a `typing` or `seen` event: who (staff or shopper), the name
// of a member of staff, and for `seen` the message read up to and the last
// of the stream's reader's own messages the other side has now seen.
type cueEvent struct {
	Who         string `json:"who"`
	Name        string `json:"name,omitempty"`
	MessageID   int64  `json:"message_id,omitempty"`
	SeenByOther *int64 `json:"seen_by_other,omitempty"`
}

// withoutMessages is the request without its messages and seen mark, to
// tell a status change from a new message or a `seen` event.
func withoutMessages(h assist.HelpRequest) assist.HelpRequest {
	h.Messages, h.MessagesMore, h.SeenByOther = nil, false, nil
	return h
}

// QueueEvents streams the caller's queue: `queue` with the whole list
// whenever a request in the caller's store (or, for agents, any) changes;
// the queue is read once for every follower on the replica (see liveHub).
// Asked for, it also streams, each whenever it changes: with ?mine=true,
// `mine`, the caller's conversations and escalations (as GET /me/requests);
// with ?floor=true (a store's manager), `floor`, the store's floor (as GET
// /stores/{id}/floor), presence included. Heartbeats read nothing.
func (s *Server) QueueEvents(c echo.Context) error {
	ctx, a := c.Request().Context(), actor(c)
	var feeds []*feed
	if c.QueryParam("mine") == "true" {
		feeds = append(feeds, &feed{name: "mine", read: func() (any, error) { return s.myRequests(ctx, a) }})
	}
	if c.QueryParam("floor") == "true" {
		if a.Role != people.RoleManager || a.StoreID == "" {
			return errForbidden("only a store's manager follows its floor")
		}
		feeds = append(feeds, &feed{name: "floor", read: func() (any, error) { return s.desk.Floor(ctx, a, a.StoreID) }})
	}
	release, err := s.streamSlot(c)
	if err != nil {
		return err
	}
	defer release()
	queue, w, leave := s.hub.watchQueue(a)
	defer leave()
	var changed <-chan struct{}
	if len(feeds) > 0 {
		ch, stop := s.live.Store(a.StoreID)
		defer stop()
		changed = ch
	}
	sse, err := s.startSSE(c)
	if err != nil {
		return err
	}
	var sent uint64
	reread := true
	tick := time.NewTicker(s.heartbeat())
	defer tick.Stop()
	for {
		for _, f := range feeds {
			if !reread {
				break
			}
			v, err := f.read()
			if err != nil {
				return nil
			}
			if data, _ := json.Marshal(v); !bytes.Equal(data, f.last) {
				if err := sse.event(f.name, "", data); err != nil {
					return nil
				}
				f.last = data
			}
		}
		reread = false
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
			if sse.ping() != nil {
				return nil
			}
		case <-w.wake:
			if data, v := queue.latest(); v != sent {
				if sse.event("queue", "", data) != nil {
					return nil
				}
				sent = v
			}
		case <-changed:
			// A burst of changes is read once.
			time.Sleep(50 * time.Millisecond)
			reread = true
		}
	}
}

// feed is one kind of event of the queue stream: what it reads, and what it
// last sent, so that only changes go out.
type feed struct {
	name string
	read func() (any, error)
	last []byte
}
