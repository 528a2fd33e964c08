package api

import (
	"sync"
	"time"

	"github.com/labstack/echo/v4"
)

// streamSlots counts the event streams open on this replica per caller and
// per client address. Counting per replica keeps a stream's start free of a
// database write; behind a load balancer the caps hold per replica.
type streamSlots struct {
	perCaller, perAddress int
	mu                    sync.Mutex
	open                  map[string]int
}

// streamRetry is what a refused stream is told to wait: long enough for a
// client that lost its connections to have them dropped.
const streamRetry = 15 * time.Second

// acquire takes a slot for caller at address, or says no; release gives it back.
func (s *streamSlots) acquire(caller, address string) (release func(), ok bool) {
	keys := []struct {
		key string
		max int
	}{{"caller:" + caller, s.perCaller}, {"addr:" + address, s.perAddress}}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.open == nil {
		s.open = map[string]int{}
	}
	for _, k := range keys {
		if k.max > 0 && s.open[k.key] >= k.max {
			return nil, false
		}
	}
	for _, k := range keys {
		s.open[k.key]++
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			for _, k := range keys {
				if s.open[k.key]--; s.open[k.key] <= 0 {
					delete(s.open, k.key)
				}
			}
		})
	}, true
}

// streamSlot takes a stream slot for the caller of c, or refuses with 429.
func (s *Server) streamSlot(c echo.Context) (func(), error) {
	cl := caller(c)
	who := cl.ShopperID
	if cl.User != nil {
		who = cl.User.ID
	}
	release, ok := s.streams.acquire(who, clientKey(c))
	if !ok {
		return nil, &apiError{Status: 429, Code: CodeRateLimited, RetryAfter: streamRetry,
			Message: "too many live connections are open; close some, or try again later"}
	}
	return release, nil
}
