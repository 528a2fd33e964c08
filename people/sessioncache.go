package people

import (
	"context"
	"encoding/hex"
	"sync"
	"time"

	"helpforce/pg"
)

// SessionKeep is how long a replica uses a session it read without reading
// it again. Whatever ends or changes a session is announced to every
// replica, which forgets it at once; SessionKeep bounds only what a replica
// whose listener was cut without its noticing could go on honouring.
const SessionKeep = 30 * time.Second

// sessionsKept bounds how many sessions one replica keeps.
const sessionsKept = 100_000

// link is the listener whose notifications tell the cache what to forget:
// n names its current connection, up whether it has one.
type link interface {
	Link() (n uint64, up bool)
}

// sessionCache keeps the sessions a replica has just read, by token hash,
// so that a client's every request does not read its session again. It
// keeps nothing unless a listener hears ChanSessions, and nothing read
// under another of the listener's connections than the current one: a
// notification may have been lost in between.
type sessionCache struct {
	mu   sync.Mutex
	link link
	kept map[string]keptSession
	// forgets counts what the cache was told to forget. A session read
	// while it moved is not kept: it may be what was forgotten.
	forgets uint64
}

type keptSession struct {
	s     Session
	link  uint64
	until time.Time
}

// ticket is what the cache looked like when a read began.
type ticket struct {
	forgets, link uint64
	up            bool
}

func newSessionCache() *sessionCache {
	return &sessionCache{kept: map[string]keptSession{}}
}

// Watch keeps sessions in memory from now on, forgetting each as hub's
// listener announces a change to it (migration 0023).
func (d *Directory) Watch(_ context.Context, hub *pg.Hub) error {
	c := d.sessions
	if err := hub.Handle(pg.ChanSessions, func(payload string) { c.forget(pg.ParseSessionChange(payload)) }); err != nil {
		return err
	}
	c.mu.Lock()
	c.link = hub
	c.mu.Unlock()
	return nil
}

// get returns the session kept for hash, if it may be used.
func (c *sessionCache) get(hash []byte, now time.Time) (Session, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.link == nil {
		return Session{}, false
	}
	k, ok := c.kept[string(hash)]
	if !ok {
		return Session{}, false
	}
	if n, up := c.link.Link(); !up || n != k.link || !now.Before(k.until) {
		delete(c.kept, string(hash))
		return Session{}, false
	}
	s := k.s
	if s.User != nil { // callers get their own copy
		u := *s.User
		s.User = &u
	}
	return s, true
}

// begin notes the cache's state before a read from the database.
func (c *sessionCache) begin() ticket {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := ticket{forgets: c.forgets}
	if c.link != nil {
		t.link, t.up = c.link.Link()
	}
	return t
}

// put keeps s, read since t, until it expires or for SessionKeep, whichever
// comes first, unless anything was forgotten or the listener reconnected
// since t.
func (c *sessionCache) put(hash []byte, s Session, t ticket, now, expires time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.link == nil || !t.up || t.forgets != c.forgets {
		return
	}
	if n, up := c.link.Link(); !up || n != t.link {
		return
	}
	if len(c.kept) >= sessionsKept {
		for h, k := range c.kept {
			if !now.Before(k.until) {
				delete(c.kept, h)
			}
		}
		if len(c.kept) >= sessionsKept {
			return
		}
	}
	until := now.Add(SessionKeep)
	if expires.Before(until) {
		until = expires
	}
	if s.User != nil {
		u := *s.User
		s.User = &u
	}
	c.kept[string(hash)] = keptSession{s: s, link: t.link, until: until}
}

// forget drops what ch names.
func (c *sessionCache) forget(ch pg.SessionChange) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.forgets++
	switch {
	case ch.All:
		clear(c.kept)
	case ch.UserID != "":
		for h, k := range c.kept {
			if k.s.User != nil && k.s.User.ID == ch.UserID {
				delete(c.kept, h)
			}
		}
	default:
		if hash, err := hex.DecodeString(ch.TokenHash); err == nil {
			delete(c.kept, string(hash))
		} else {
			clear(c.kept)
		}
	}
}

// forgetToken and forgetUser drop at once, on this replica, what its own
// writes change; other replicas hear of them from the triggers.
func (c *sessionCache) forgetToken(hash []byte) {
	c.forget(pg.SessionChange{TokenHash: hex.EncodeToString(hash)})
}

func (c *sessionCache) forgetUser(id string) { c.forget(pg.SessionChange{UserID: id}) }
