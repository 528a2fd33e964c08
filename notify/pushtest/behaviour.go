package pushtest

import (
	"net/http"
	"time"
)

// Behaviour scripts the answers for one endpoint (or all, with endpoint "").
// It applies only to requests that passed every check; invalid requests are
// always refused with the status their fault calls for.
type Behaviour struct {
	Status     int           // answer with this status (default 201)
	RetryAfter string        // sets Retry-After (with 429, RFC 8030 §8.4)
	Hang       time.Duration // sleep this long before answering, unless the sender gives up
	Times      int           // apply to the next N requests only; 0 = until changed
}

type script struct {
	b    Behaviour
	left int // requests still to answer this way when b.Times > 0
}

// Respond scripts the answers for endpoint, or for every endpoint without a
// script of its own when endpoint is "". A zero Behaviour removes the script.
func (s *Service) Respond(endpoint string, b Behaviour) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if b == (Behaviour{}) {
		delete(s.scripts, endpoint)
		return
	}
	s.scripts[endpoint] = &script{b: b, left: b.Times}
}

// behaviour picks the answer for one accepted request and uses up one of a
// limited script's turns, under the lock so concurrent requests each get one.
func (s *Service) behaviour(endpoint string) Behaviour {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := endpoint
	sc := s.scripts[key]
	if sc == nil {
		key = ""
		sc = s.scripts[key]
	}
	if sc == nil {
		return Behaviour{Status: http.StatusCreated}
	}
	b := sc.b
	if b.Times > 0 {
		sc.left--
		if sc.left == 0 {
			delete(s.scripts, key)
		}
	}
	if b.Status == 0 {
		b.Status = http.StatusCreated
	}
	return b
}
