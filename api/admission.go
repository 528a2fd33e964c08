package api

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// Admission control. A server past its capacity that takes every request
// only makes each one slower, until clients time out after work that was
// done for nothing. So at most MaxInFlight API requests are worked on at
// once; one that arrives past the bound waits at most QueueWait for a place
// and is otherwise answered at once with 503 unavailable and Retry-After,
// before it has read or written anything: nothing is ever half-written by a
// shed request, and those admitted keep their latency. Event streams and
// inventory imports are long-lived and hold no place; the app's files and
// health checks are not counted.

// Admission defaults: a place for every connection of the database pool and
// as many again for the time each request spends outside the database.
const (
	DefaultMaxInFlight = 64
	DefaultQueueWait   = 100 * time.Millisecond
	// retryOverloaded is the Retry-After of a shed request: a busy moment
	// usually passes within a second.
	retryOverloaded = time.Second
)

// admission holds the places of the requests being worked on.
type admission struct {
	places chan struct{} // nil: no bound
	wait   time.Duration
}

func newAdmission(max int, wait time.Duration) *admission {
	a := &admission{wait: wait}
	if max > 0 {
		a.places = make(chan struct{}, max)
	}
	return a
}

// errOverloaded is the answer to a request shed at admission.
func errOverloaded() *apiError {
	return &apiError{Status: http.StatusServiceUnavailable, Code: CodeUnavailable,
		Message: "the service is busy; try again in a moment", RetryAfter: retryOverloaded}
}

// admit works on a request once it has a place, or sheds it.
func (s *Server) admit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		a := s.admission
		if a.places == nil || s.has(c, streaming) || !strings.HasPrefix(c.Path(), "/api/") {
			return next(c)
		}
		limit := s.opts.BodyLimit
		if s.has(c, ownBodyLimit) {
			limit = uploadLimit
		}
		readFirst(c.Request(), limit)
		select {
		case a.places <- struct{}{}:
		default:
			t := time.NewTimer(a.wait)
			select {
			case a.places <- struct{}{}:
				t.Stop()
			case <-t.C:
				return errOverloaded()
			case <-c.Request().Context().Done():
				t.Stop()
				return c.Request().Context().Err()
			}
		}
		defer func() { <-a.places }()
		return next(c)
	}
}

// readFirst reads up to limit+1 bytes of r's body before the request asks
// for a place, so that a client sending its body slowly holds a connection
// (until the read timeout) and never a place others need. The handler reads
// the same bytes, then the rest, and meets any read error where it would
// have without this.
func readFirst(r *http.Request, limit int64) {
	if r.Body == nil || r.Body == http.NoBody {
		return
	}
	var first bytes.Buffer
	rest := io.Reader(r.Body)
	if _, err := io.Copy(&first, io.LimitReader(r.Body, limit+1)); err != nil {
		rest = failing{err}
	}
	r.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(&first, rest), r.Body}
}

// failing is a reader that fails as the body's read did.
type failing struct{ err error }

func (f failing) Read([]byte) (int, error) { return 0, f.err }
