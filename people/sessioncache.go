package people

import (
	"context"
	"encoding/hex"
	"maps"
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
	return k.s.own(), true
}

// own is s with an account of its own: what the cache keeps and what its
// callers get are never the same User.
func (s Session) own() Session {
	if s.User != nil {
		u := *s.User
		s.User = &u
	}
	return s
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
	c.kept[string(hash)] = keptSession{s: s.own(), link: t.link, until: until}
}

// forget drops what a notification names: a token it cannot read, all.
func (c *sessionCache) forget(ch pg.SessionChange) {
	hash, err := hex.DecodeString(ch.TokenHash)
	switch {
	case ch.All, ch.UserID == "" && err != nil:
		c.drop(func(keptSession) bool { return true })
	case ch.UserID != "":
		c.forgetUser(ch.UserID)
	default:
		c.forgetToken(hash)
	}
}

// forgetToken and forgetUser drop at once, on this replica, what its own
// writes change; other replicas hear of them from the triggers.
func (c *sessionCache) forgetToken(hash []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.forgets++
	delete(c.kept, string(hash))
}

func (c *sessionCache) forgetUser(id string) {
	c.drop(func(k keptSession) bool { return k.s.User != nil && k.s.User.ID == id })
}

// drop forgets every kept session that matches.
func (c *sessionCache) drop(match func(keptSession) bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.forgets++
	maps.DeleteFunc(c.kept, func(_ string, k keptSession) bool { return match(k) })
}
