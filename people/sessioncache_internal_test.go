package people

import (
	"testing"
	"time"

	"helpforce/pg"
)

type upLink struct{}

func (upLink) Link() (uint64, bool) { return 1, true }

// TestASessionReadAcrossAForgetIsNotKept: a read that began before the
// cache was told to forget may carry what was forgotten.
func TestASessionReadAcrossAForgetIsNotKept(t *testing.T) {
	c := newSessionCache()
	c.link = upLink{}
	now := time.Now()
	s := Session{User: &User{ID: "u1", Name: "Sam"}}
	read := c.begin()
	c.forget(pg.SessionChange{UserID: "u1"})
	c.put([]byte("h1"), s, read, now, now.Add(time.Hour))
	if _, ok := c.get([]byte("h1"), now); ok {
		t.Fatal("a session read across a forget was kept")
	}
	c.put([]byte("h1"), s, c.begin(), now, now.Add(time.Hour))
	got, ok := c.get([]byte("h1"), now)
	if !ok {
		t.Fatal("a session read with nothing forgotten meanwhile was not kept")
	}
	got.User.Name = "changed by a caller"
	if again, _ := c.get([]byte("h1"), now); again.User.Name != "Sam" {
		t.Fatal("a caller changed the kept session")
	}
	if _, ok := c.get([]byte("h1"), now.Add(SessionKeep)); ok {
		t.Fatal("a session was used past SessionKeep")
	}
	c.put([]byte("h2"), s, c.begin(), now, now.Add(time.Second))
	if _, ok := c.get([]byte("h2"), now.Add(2*time.Second)); ok {
		t.Fatal("a session was used past its expiry")
	}
}
