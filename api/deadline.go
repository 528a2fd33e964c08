package api

import (
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// maxHeaderBytes bounds a request's header block: a session cookie, a
// bearer token and a proxy's headers fit many times over, and a client
// sending megabyte header lines is answered 431 without being buffered.
const maxHeaderBytes = 64 << 10

// readDeadline gives each request body the time it may take to arrive.
// http.Server's ReadTimeout cannot tell requests apart, and once it passes
// it ends the connection's background read, which cancels the request even
// when the body arrived long before: fatal to an event stream. So a request
// without a body gets no read deadline (ReadHeaderTimeout covered its
// headers), a route declared slowBody (an inventory import) gets
// ImportTimeout for its file, any other body ReadTimeout, against clients
// that trickle it; the deadline is lifted once the body is read. This runs
// before Echo routes the request, so it asks the router which route the
// request will reach.
func (s *Server) readDeadline(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && r.Body != http.NoBody {
			limit := s.opts.ReadTimeout
			if s.routeOf(r)&slowBody != 0 {
				limit = s.opts.ImportTimeout
			}
			rc := http.NewResponseController(w)
			if rc.SetReadDeadline(time.Now().Add(limit)) == nil {
				r.Body = &liftOnEOF{ReadCloser: r.Body, rc: rc}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// routeOf returns the traits of the route r will reach.
func (s *Server) routeOf(r *http.Request) traits {
	c := s.echo.NewContext(r, nil)
	s.echo.Router().Find(r.Method, echo.GetPath(r), c)
	return s.traits[r.Method+" "+c.Path()]
}

// liftOnEOF clears the connection's read deadline when the body is read to
// its end, so that a handler working longer than the deadline is not cut.
type liftOnEOF struct {
	io.ReadCloser
	rc   *http.ResponseController
	done bool
}

func (b *liftOnEOF) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if errors.Is(err, io.EOF) && !b.done {
		b.done = true
		_ = b.rc.SetReadDeadline(time.Time{})
	}
	return n, err
}
