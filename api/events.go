package api

import (
	"bytes"
	"context"
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
// is new from the replica's shared reads (see liveHub). Once started, the
// stream runs on by itself (see sse) and the handler returns.
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
	var undo cleanup
	defer undo.run()
	// Join before the first read: a change after it is then never missed.
	feed, w, leave := s.hub.watchRequest(id)
	undo.add(leave)
	h, err := s.desk.HelpRequestPage(ctx, a, id, page)
	if err != nil {
		return err
	}
	release, err := s.streamSlot(c)
	if err != nil {
		return err
	}
	undo.add(release)
	cues, stopCues := s.live.Cues(id)
	undo.add(stopCues)
	beats, stopBeats := s.beats.join()
	undo.add(stopBeats)
	sse, err := s.startSSE(c)
	if err != nil {
		return err
	}
	st := &requestStream{s: s, sse: sse, a: a, id: id, cursor: page.Since, hasCursor: page.HasSince}
	// The first page is sent from here: the stream's own goroutine, which
	// then only follows changes, needs a smaller stack.
	if st.catchUp(ctx, h) != nil {
		sse.close()
		return nil
	}
	s.hub.ready(feed, st.cursor, h)
	return s.runStream(c, sse, &undo, func(ctx context.Context, done func()) {
		defer done()
		st.follow(ctx, feed, w, cues, beats)
	})
}

// runStream runs a started stream: on a goroutine of its own when the
// stream is detached from its handler, which then returns, else on the
// handler's. done, called when the stream ends, undoes what the handler
// set up for it.
func (s *Server) runStream(c echo.Context, sse *sse, undo *cleanup, run func(ctx context.Context, done func())) error {
	steps := undo.take()
	done := func() { cleanup(steps).run() }
	if !sse.detached() {
		run(c.Request().Context(), done)
		return nil
	}
	ctx, stop := sse.watch(s.stopping)
	go run(ctx, func() { stop(); done() })
	return nil
}

// cleanup is what a handler undoes if it fails before its stream starts,
// or the stream when it ends, last first.
type cleanup []func()

func (u *cleanup) add(f func()) { *u = append(*u, f) }

// take hands the steps over, leaving none to run here.
func (u *cleanup) take() []func() {
	steps := *u
	*u = nil
	return steps
}

func (u cleanup) run() {
	for i := len(u) - 1; i >= 0; i-- {
		u[i]()
	}
}

// follow sends what changes until the stream ends.
func (r *requestStream) follow(ctx context.Context, feed *requestFeed, w *watcher, cues <-chan []byte, beats <-chan struct{}) {
	side := assist.SideOf(r.a)
	var seen *assist.Cue
	var seenAfter uint64
	for {
		select {
		case <-ctx.Done():
			return
		case <-beats:
			if r.sse.ping() != nil {
				return
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
				if r.sse.event("typing", "", data) != nil {
					return
				}
				continue
			}
			// What was seen is told with the marks read after the cue.
			seen, seenAfter = &cue, r.s.hub.refresh(r.id)
			continue
		}
		if !r.take(ctx, feed) {
			return
		}
		if seen != nil && r.ticket > seenAfter {
			data, _ := json.Marshal(cueEvent{Who: seen.Who, Name: seen.Name, MessageID: seen.MessageID, SeenByOther: r.seenByOther})
			if r.sse.event("seen", "", data) != nil {
				return
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
	a := actor(c)
	var feeds []*feed
	if c.QueryParam("mine") == "true" {
		feeds = append(feeds, &feed{name: "mine", read: func(ctx context.Context) (any, error) { return s.myRequests(ctx, a) }})
	}
	if c.QueryParam("floor") == "true" {
		if a.Role != people.RoleManager || a.StoreID == "" {
			return errForbidden("only a store's manager follows its floor")
		}
		feeds = append(feeds, &feed{name: "floor", read: func(ctx context.Context) (any, error) { return s.desk.Floor(ctx, a, a.StoreID) }})
	}
	var undo cleanup
	defer undo.run()
	release, err := s.streamSlot(c)
	if err != nil {
		return err
	}
	undo.add(release)
	queue, w, leave := s.hub.watchQueue(a)
	undo.add(leave)
	var changed <-chan struct{}
	if len(feeds) > 0 {
		ch, stop := s.live.Store(a.StoreID)
		undo.add(stop)
		changed = ch
	}
	beats, stopBeats := s.beats.join()
	undo.add(stopBeats)
	sse, err := s.startSSE(c)
	if err != nil {
		return err
	}
	return s.runStream(c, sse, &undo, func(ctx context.Context, done func()) {
		defer done()
		followQueue(ctx, sse, feeds, queue, w, changed, beats)
	})
}

// followQueue sends the queue, and the feeds asked for, as they change.
func followQueue(ctx context.Context, sse *sse, feeds []*feed, queue *queueFeed, w *watcher, changed, beats <-chan struct{}) {
	var sent uint64
	reread := true
	for {
		for _, f := range feeds {
			if !reread {
				break
			}
			v, err := f.read(ctx)
			if err != nil {
				return
			}
			if data, _ := json.Marshal(v); !bytes.Equal(data, f.last) {
				if err := sse.event(f.name, "", data); err != nil {
					return
				}
				f.last = data
			}
		}
		reread = false
		select {
		case <-ctx.Done():
			return
		case <-beats:
			if sse.ping() != nil {
				return
			}
		case <-w.wake:
			if data, v := queue.latest(); v != sent {
				if sse.event("queue", "", data) != nil {
					return
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
	read func(context.Context) (any, error)
	last []byte
}
