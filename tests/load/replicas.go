package main

import (
	"errors"
	"strings"
	"sync"
	"syscall"
)

// replicas spreads the run's people over several servers that share one
// database (-url a,b,c), one server per person in turn, as a load balancer
// with sticky sessions would. A server that refuses a connection is left
// for the rest of the run, and whoever used it moves to one still up.
type replicas struct {
	mu    sync.Mutex
	urls  []string
	down  map[string]bool
	given int
}

// newReplicas reads -url: one URL, or several separated by commas; it
// returns nil for a single server.
func newReplicas(list string) *replicas {
	var urls []string
	for _, u := range strings.Split(list, ",") {
		if u = strings.TrimRight(strings.TrimSpace(u), "/"); u != "" {
			urls = append(urls, u)
		}
	}
	if len(urls) < 2 {
		return nil
	}
	return &replicas{urls: urls, down: map[string]bool{}}
}

// assign gives the next person a server, in turn among those up.
func (r *replicas) assign() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.given++
	return r.upLocked(r.given)
}

// failover marks base down when err says it refused the connection, and
// returns the server to use from now on and whether it is another one.
func (r *replicas) failover(base string, err error) (string, bool) {
	if !errors.Is(err, syscall.ECONNREFUSED) {
		return base, false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.down[base] = true
	r.given++
	next := r.upLocked(r.given)
	return next, next != base
}

// upLocked is the n-th server still up, in turn; when none is, any.
func (r *replicas) upLocked(n int) string {
	var up []string
	for _, u := range r.urls {
		if !r.down[u] {
			up = append(up, u)
		}
	}
	if len(up) == 0 {
		return r.urls[n%len(r.urls)]
	}
	return up[n%len(up)]
}

// url is the server this client calls now.
func (c *client) url() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.base
}

// moved switches the client to another server when err says its own
// refused the connection, and reports whether it did: the call may then be
// sent again, since nothing reached any server.
func (c *client) moved(base string, err error) bool {
	if c.replicas == nil || err == nil {
		return false
	}
	next, ok := c.replicas.failover(base, err)
	if ok {
		c.mu.Lock()
		c.base = next
		c.mu.Unlock()
	}
	return ok
}
