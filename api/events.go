package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"helpforce/assist"
	"helpforce/people"
)

// heartbeat keeps idle event streams open through proxies and tells the app
// the connection is alive.
const heartbeat = 15 * time.Second

// sse writes Server-Sent Events. Every write has a deadline, so that a
// client that stops reading is dropped and its stream slot given back.
type sse struct {
	w       http.ResponseWriter
	rc      *http.ResponseController
	timeout time.Duration
}

func (s *Server) startSSE(c echo.Context) (*sse, error) {
	if _, ok := c.Response().Writer.(http.Flusher); !ok {
		return nil, fmt.Errorf("api: streaming unsupported")
	}
	stream := &sse{w: c.Response(), rc: http.NewResponseController(c.Response().Writer),
		timeout: s.limits.StreamWriteTimeout}
	stream.deadline()
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx would otherwise hold events back
	c.Response().WriteHeader(http.StatusOK)
	_, _ = fmt.Fprint(c.Response(), "retry: 2000\n\n")
	_ = stream.rc.Flush()
	return stream, nil
}

// deadline gives the next write its time limit (none when no timeout is set,
// or when the writer cannot take one).
func (s *sse) deadline() {
	if s.timeout > 0 {
		_ = s.rc.SetWriteDeadline(time.Now().Add(s.timeout))
	}
}

func (s *sse) event(name, id string, data []byte) error {
	var b bytes.Buffer
	if id != "" {
		fmt.Fprintf(&b, "id: %s\n", id)
	}
	fmt.Fprintf(&b, "event: %s\ndata: %s\n\n", name, data)
	s.deadline()
	if _, err := s.w.Write(b.Bytes()); err != nil {
		return err
	}
	return s.rc.Flush()
}

func (s *sse) ping() error {
	s.deadline()
	if _, err := fmt.Fprint(s.w, ": ping\n\n"); err != nil {
		return err
	}
	return s.rc.Flush()
}

// HelpRequestEvents streams a request: `status` with the whole request when
// it changes, `message` for each new message (its id is the event id, so a
// reconnecting client sends Last-Event-ID and gets only what it missed, at
// most a page at a time), and the other side's `typing` and `seen`. A new
// stream starts with the latest page.
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
	h, err := s.desk.HelpRequestPage(ctx, a, id, page)
	if err != nil {
		return err
	}
	release, err := s.streamSlot(c)
	if err != nil {
		return err
	}
	defer release()
	changed, stop := s.live.Request(id)
	defer stop()
	cues, stopCues := s.live.Cues(id)
	defer stopCues()
	side := assist.SideOf(a)
	stream, err := s.startSSE(c)
	if err != nil {
		return err
	}
	var lastStatus []byte
	var seen *assist.Cue
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	for {
		h = viewFor(a, h)
		status, _ := json.Marshal(withoutMessages(h))
		if !bytes.Equal(status, lastStatus) {
			full, _ := json.Marshal(h)
			if err := stream.event("status", "", full); err != nil {
				return nil
			}
			lastStatus = status
		}
		for _, m := range h.Messages {
			if !page.HasSince || m.ID > page.Since {
				data, _ := json.Marshal(m)
				if err := stream.event("message", strconv.FormatInt(m.ID, 10), data); err != nil {
					return nil
				}
				page.Since, page.HasSince = m.ID, true
			}
		}
		page.HasSince = true // from now on, only what is new
		// A full page may have left more behind: read on at once.
		if !h.MessagesMore {
			select {
			case <-ctx.Done():
				return nil
			case <-tick.C:
				// Read again on each heartbeat too: the queue position moves
				// with other requests, and a notification may have been lost.
				if err := stream.ping(); err != nil {
					return nil
				}
			case <-changed:
			case raw := <-cues:
				var cue assist.Cue
				// A side is not told of its own typing or reading.
				if json.Unmarshal(raw, &cue) != nil || cue.Who == side {
					continue
				}
				if cue.Type == assist.CueTyping {
					data, _ := json.Marshal(cueEvent{Who: cue.Who, Name: cue.Name})
					if err := stream.event("typing", "", data); err != nil {
						return nil
					}
					continue
				}
				seen = &cue
			}
		}
		if h, err = s.desk.HelpRequestPage(ctx, a, id, page); err != nil {
			return nil
		}
		if seen != nil {
			data, _ := json.Marshal(cueEvent{Who: seen.Who, Name: seen.Name, MessageID: seen.MessageID, SeenByOther: h.SeenByOther})
			if err := stream.event("seen", "", data); err != nil {
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
// whenever a request in the caller's store (or, for agents, any) changes.
// Asked for, it also streams, each whenever it changes: with ?mine=true,
// `mine`, the caller's conversations and escalations (as GET /me/requests);
// with ?floor=true (a store's manager), `floor`, the store's floor (as GET
// /stores/{id}/floor), presence included.
func (s *Server) QueueEvents(c echo.Context) error {
	ctx, a := c.Request().Context(), actor(c)
	feeds := []*feed{{name: "queue", read: func() (any, error) { return s.desk.Queue(ctx, a) }}}
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
	changed, stop := s.live.Store(a.StoreID)
	defer stop()
	stream, err := s.startSSE(c)
	if err != nil {
		return err
	}
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	for {
		for _, f := range feeds {
			v, err := f.read()
			if err != nil {
				return nil
			}
			if data, _ := json.Marshal(v); !bytes.Equal(data, f.last) {
				if err := stream.event(f.name, "", data); err != nil {
					return nil
				}
				f.last = data
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
			if err := stream.ping(); err != nil {
				return nil
			}
		case <-changed:
			// A burst of changes is read once.
			time.Sleep(50 * time.Millisecond)
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
