package api

import (
	"net/netip"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"helpforce/people"
)

// ActionLimit is how often one shopper, and one client address, may take an
// action. A zero rate limits nothing.
type ActionLimit struct {
	Shopper people.Rate
	Address people.Rate
}

// Limits bound what one stranger can make the service do. The action limits
// apply to shoppers (staff are signed in and accountable) and live in
// PostgreSQL, shared by every replica; the public-read limit and the stream
// caps are kept in each replica's memory, so that reads that never touch the
// database do not start to.
type Limits struct {
	Create, Cancel, Move, Message, Hold ActionLimit
	// Public bounds GET /stores, product search and /locate, per address.
	Public people.Rate
	// Streams open at once per caller and per address; 0 is no cap.
	StreamsPerCaller, StreamsPerAddress int
	// StreamWriteTimeout drops a stream whose client stops reading.
	StreamWriteTimeout time.Duration
	// StreamHeartbeat is how often an idle stream is pinged; 0 is 15 s.
	StreamHeartbeat time.Duration
	// StreamRecheck is how often a replica looks for changes to what its
	// streams watch that a lost notification hid; 0 is a minute.
	StreamRecheck time.Duration
}

// DefaultLimits are generous for people and tight for scripts: a shopper
// asks for help a few times an hour, and a store's Wi-Fi puts many shoppers
// behind one address, hence the address limits ten times as high.
func DefaultLimits() Limits {
	per := func(shopper, address int, d time.Duration) ActionLimit {
		return ActionLimit{Shopper: people.Rate{Burst: shopper, Per: d}, Address: people.Rate{Burst: address, Per: d}}
	}
	return Limits{
		Create:             per(6, 60, 10*time.Minute),
		Cancel:             per(6, 60, 10*time.Minute),
		Move:               per(6, 60, 10*time.Minute),
		Message:            per(30, 300, 5*time.Minute),
		Hold:               per(10, 100, 10*time.Minute),
		Public:             people.Rate{Burst: 600, Per: time.Minute},
		StreamsPerCaller:   5,
		StreamsPerAddress:  50,
		StreamWriteTimeout: 10 * time.Second,
	}
}

// clientKey is the caller's address as limits count it: an IPv4 address, or
// the /64 an IPv6 address belongs to (one subscriber gets a whole /64, whose
// other addresses cost an attacker nothing).
func clientKey(c echo.Context) string {
	addr, err := netip.ParseAddr(c.RealIP())
	if err != nil {
		return c.RealIP()
	}
	addr = addr.Unmap()
	if addr.Is6() {
		p, _ := addr.Prefix(64)
		return p.String()
	}
	return addr.String()
}

// limit draws one token for action from the calling shopper's bucket and
// from their address's; when either is empty the call is refused with 429.
func (s *Server) limit(c echo.Context, action string, l ActionLimit) error {
	a := actor(c)
	if !a.IsShopper() {
		return nil
	}
	ok, retry, err := s.people.Take(c.Request().Context(),
		people.Charge{Key: action + ":shopper:" + a.ShopperID, Rate: l.Shopper},
		people.Charge{Key: action + ":addr:" + clientKey(c), Rate: l.Address})
	if err != nil {
		return err
	}
	if !ok {
		return errRateLimited(retry)
	}
	return nil
}

// publicLimit bounds the public reads per client address, in memory.
// Signed-in staff are not counted: a remote team in one office searches
// stock all day from one address.
func (s *Server) publicLimit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if cl := caller(c); cl != nil && cl.User != nil {
			return next(c)
		}
		if ok, retry := s.public.take(clientKey(c), time.Now()); !ok {
			return errRateLimited(retry)
		}
		return next(c)
	}
}

// memBuckets are token buckets in memory (GCRA, as in people.Take).
type memBuckets struct {
	rate  people.Rate
	mu    sync.Mutex
	tat   map[string]time.Time
	swept time.Time
}

// maxMemBuckets bounds the memory a flood of addresses can take: past it,
// buckets that have filled up again are forgotten.
const maxMemBuckets = 100_000

func (m *memBuckets) take(key string, now time.Time) (bool, time.Duration) {
	if m.rate.Off() {
		return true, 0
	}
	t := m.rate.Per / time.Duration(m.rate.Burst)
	tol := t * time.Duration(m.rate.Burst-1)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.tat == nil {
		m.tat = map[string]time.Time{}
	}
	if len(m.tat) >= maxMemBuckets && now.Sub(m.swept) > time.Second {
		m.swept = now
		for k, v := range m.tat {
			if v.Before(now) {
				delete(m.tat, k)
			}
		}
	}
	tat := m.tat[key]
	if tat.Before(now) {
		tat = now
	}
	if ahead := tat.Sub(now); ahead > tol {
		return false, ahead - tol
	}
	m.tat[key] = tat.Add(t)
	return true, 0
}
