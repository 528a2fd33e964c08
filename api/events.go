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
)

// heartbeat keeps idle event streams open through proxies and tells the app
// the connection is alive.
const heartbeat = 15 * time.Second

// sse writes Server-Sent Events.
type sse struct {
	w http.ResponseWriter
	f http.Flusher
}

func startSSE(c echo.Context) (*sse, error) {
	f, ok := c.Response().Writer.(http.Flusher)
	if !ok {
		return nil, fmt.Errorf("api: streaming unsupported")
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx would otherwise hold events back
	c.Response().WriteHeader(http.StatusOK)
	_, _ = fmt.Fprint(c.Response(), "retry: 2000\n\n")
	f.Flush()
	return &sse{w: c.Response(), f: f}, nil
}

func (s *sse) event(name, id string, data []byte) error {
	var b bytes.Buffer
	if id != "" {
		fmt.Fprintf(&b, "id: %s\n", id)
	}
	fmt.Fprintf(&b, "event: %s\ndata: %s\n\n", name, data)
	if _, err := s.w.Write(b.Bytes()); err != nil {
		return err
	}
	s.f.Flush()
	return nil
}

func (s *sse) ping() error {
	if _, err := fmt.Fprint(s.w, ": ping\n\n"); err != nil {
		return err
	}
	s.f.Flush()
	return nil
}

// HelpRequestEvents streams a request: `status` with the whole request when
// it changes, `message` for each new message (its id is the event id, so a
// reconnecting client sends Last-Event-ID and gets only what it missed).
func (s *Server) HelpRequestEvents(c echo.Context) error {
	id, err := idParam(c, "id", "help request")
	if err != nil {
		return err
	}
	ctx, a := c.Request().Context(), actor(c)
	h, err := s.desk.HelpRequest(ctx, a, id)
	if err != nil {
		return err
	}
	changed, stop := s.live.Request(id)
	defer stop()
	stream, err := startSSE(c)
	if err != nil {
		return err
	}
	lastMsg, _ := strconv.ParseInt(c.Request().Header.Get("Last-Event-ID"), 10, 64)
	var lastStatus []byte
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
			if m.ID > lastMsg {
				data, _ := json.Marshal(m)
				if err := stream.event("message", strconv.FormatInt(m.ID, 10), data); err != nil {
					return nil
				}
				lastMsg = m.ID
			}
		}
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
		}
		if h, err = s.desk.HelpRequest(ctx, a, id); err != nil {
			return nil
		}
	}
}

// withoutMessages is the request without its messages, to tell a status
// change from a new message.
func withoutMessages(h assist.HelpRequest) assist.HelpRequest {
	h.Messages = nil
	return h
}

// QueueEvents streams the caller's queue: `queue` with the whole list
// whenever a request in the caller's store (or, for agents, any) changes.
func (s *Server) QueueEvents(c echo.Context) error {
	ctx, a := c.Request().Context(), actor(c)
	changed, stop := s.live.Store(a.StoreID)
	defer stop()
	stream, err := startSSE(c)
	if err != nil {
		return err
	}
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	var last []byte
	for {
		list, err := s.desk.Queue(ctx, a)
		if err != nil {
			return nil
		}
		data, _ := json.Marshal(list)
		if !bytes.Equal(data, last) {
			if err := stream.event("queue", "", data); err != nil {
				return nil
			}
			last = data
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
