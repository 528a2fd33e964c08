package api

import (
	"bytes"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// heartbeat keeps idle event streams open through proxies and tells the app
// the connection is alive. It is only a ping: it reads nothing.
func (s *Server) heartbeat() time.Duration {
	if s.limits.StreamHeartbeat > 0 {
		return s.limits.StreamHeartbeat
	}
	return 15 * time.Second
}

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
