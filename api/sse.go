package api

import (
	"bytes"
	"context"
	"fmt"
	"net"
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
//
// A stream takes its connection over from net/http when it can (conn is
// then set): net/http keeps, for each connection it serves, two goroutines
// and some 10 KB of buffers for as long as the handler runs, which for ten
// thousand idle streams is most of a replica's memory. A taken-over stream
// holds one small goroutine of its own and writes each event straight to
// the socket.
type sse struct {
	w       http.ResponseWriter // when not taken over
	rc      *http.ResponseController
	conn    net.Conn // when taken over
	timeout time.Duration
}

func (s *Server) startSSE(c echo.Context) (*sse, error) {
	stream := &sse{w: c.Response(), rc: http.NewResponseController(c.Response().Writer),
		timeout: s.limits.StreamWriteTimeout}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx would otherwise hold events back
	// Nothing more is read from the client but its leaving: the buffered
	// reader and writer net/http hands over are let go.
	if conn, _, err := stream.rc.Hijack(); err == nil {
		// The body runs until the connection closes: no length, no chunks.
		stream.conn, stream.w, stream.rc = conn, nil, nil
		_ = conn.SetReadDeadline(time.Time{})
		h.Set("Connection", "close")
		h.Del(echo.HeaderContentLength)
		var b bytes.Buffer
		b.WriteString("HTTP/1.1 200 OK\r\n")
		_ = h.Write(&b)
		b.WriteString("\r\nretry: 2000\n\n")
		if stream.write(b.Bytes()) != nil {
			// The client is gone: the stream's next write or read says so
			// and ends it. No error answer can follow on a taken-over
			// connection.
			conn.Close()
		}
		return stream, nil
	}
	if _, ok := c.Response().Writer.(http.Flusher); !ok {
		return nil, fmt.Errorf("api: streaming unsupported")
	}
	stream.deadline()
	c.Response().WriteHeader(http.StatusOK)
	_, _ = fmt.Fprint(c.Response(), "retry: 2000\n\n")
	_ = stream.rc.Flush()
	return stream, nil
}

// detached reports whether the stream runs on after its handler returns.
func (s *sse) detached() bool { return s.conn != nil }

// watch returns the context a detached stream runs in: it ends when the
// client closes the connection (the only thing read from it), when base
// ends, or when stop is called. stop also closes the connection.
func (s *sse) watch(base context.Context) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancel(base)
	go func() {
		var b [1]byte
		for {
			if _, err := s.conn.Read(b[:]); err != nil {
				cancel()
				return
			}
		}
	}()
	return ctx, func() {
		cancel()
		s.conn.Close()
	}
}

// close ends a stream that fails before it runs.
func (s *sse) close() {
	if s.conn != nil {
		s.conn.Close()
	}
}

// deadline gives the next write its time limit (none when no timeout is set,
// or when the writer cannot take one).
func (s *sse) deadline() {
	if s.timeout <= 0 {
		return
	}
	if s.conn != nil {
		_ = s.conn.SetWriteDeadline(time.Now().Add(s.timeout))
		return
	}
	_ = s.rc.SetWriteDeadline(time.Now().Add(s.timeout))
}

// write sends p in one write. Events are not kept in a buffer of the
// stream's own: an idle stream holds none.
func (s *sse) write(p []byte) error {
	s.deadline()
	if s.conn != nil {
		_, err := s.conn.Write(p)
		return err
	}
	if _, err := s.w.Write(p); err != nil {
		return err
	}
	return s.rc.Flush()
}

func (s *sse) event(name, id string, data []byte) error {
	b := make([]byte, 0, len(id)+len(name)+len(data)+24)
	if id != "" {
		b = append(append(append(b, "id: "...), id...), '\n')
	}
	b = append(append(b, "event: "...), name...)
	b = append(append(append(b, "\ndata: "...), data...), "\n\n"...)
	return s.write(b)
}

var pingEvent = []byte(": ping\n\n")

func (s *sse) ping() error { return s.write(pingEvent) }
