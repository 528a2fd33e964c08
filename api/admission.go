package api

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
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
//
// Work in progress comes first. Arrivals (a new help request, a shopper's
// first visit) may hold at most three quarters of the places: past that, a
// new arrival is what waits and is shed, while the accepts, messages and
// resolves of the requests already admitted still find a place, so that an
// overloaded server finishes what it started instead of starting more.
//
// Arrivals wait only for a passing burst. Once one has been shed, the next
// ones for a second (arrivalsShedFor) are admitted only if a place is free
// as they arrive: under a sustained overload, waiting for a place only adds
// that wait to every arrival admitted, while as many are admitted either
// way (a place freed goes at once to the next arrival).

// Admission defaults of a Server given none (tests, embedding). helpforce
// serve sizes its bound from its pool instead (config: HELPFORCE_DB_CONNS
// and a third more).
const (
	DefaultMaxInFlight = 64
	DefaultQueueWait   = 100 * time.Millisecond
	// retryOverloaded is the Retry-After of a shed request: a busy moment
	// usually passes within a second.
	retryOverloaded = time.Second
	// arrivalsShedFor is how long after an arrival was shed the next ones do
	// not wait for a place.
	arrivalsShedFor = time.Second
)

// admission holds the places of the requests being worked on.
type admission struct {
	places   chan struct{} // nil: no bound
	arrivals chan struct{} // what arrivals may hold of places
	wait     time.Duration
	shed     atomic.Int64 // when an arrival was last shed, Unix nanoseconds
}

func newAdmission(max int, wait time.Duration) *admission {
	a := &admission{wait: wait}
	if max > 0 {
		a.places = make(chan struct{}, max)
		a.arrivals = make(chan struct{}, (max*3+3)/4)
	}
	return a
}

// enter takes a place in each of sems in turn, waiting at most wait for
// them all; leave gives them back. Shed, it has taken none.
func enter(ctx context.Context, wait time.Duration, sems ...chan struct{}) (leave func(), err error) {
	taken := 0
	leave = func() {
		for _, sem := range sems[:taken] {
			<-sem
		}
	}
	var t *time.Timer
	defer func() {
		if t != nil {
			t.Stop()
		}
	}()
	for _, sem := range sems {
		select {
		case sem <- struct{}{}:
		default:
			if wait <= 0 {
				leave()
				return nil, errOverloaded()
			}
			if t == nil {
				t = time.NewTimer(wait)
			}
			select {
			case sem <- struct{}{}:
			case <-t.C:
				leave()
				return nil, errOverloaded()
			case <-ctx.Done():
				leave()
				return nil, ctx.Err()
			}
		}
		taken++
	}
	return leave, nil
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
		var leave func()
		var err error
		if s.has(c, arrival) {
			leave, err = a.arrive(c.Request().Context())
		} else {
			leave, err = enter(c.Request().Context(), a.wait, a.places)
		}
		if err != nil {
			return err
		}
		defer leave()
		return next(c)
	}
}

// arrive takes an arrival's place: within the arrivals' share, and without
// waiting while arrivals are being shed.
func (a *admission) arrive(ctx context.Context) (leave func(), err error) {
	wait := a.wait
	if time.Since(time.Unix(0, a.shed.Load())) < arrivalsShedFor {
		wait = 0
	}
	leave, err = enter(ctx, wait, a.arrivals, a.places)
	if err != nil && ctx.Err() == nil {
		a.shed.Store(time.Now().UnixNano())
	}
	return leave, err
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
