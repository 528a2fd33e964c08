package people_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"helpforce/people"
	"helpforce/pg/pgtest"
)

// fakeLink is a listener connection the test connects and cuts.
type fakeLink struct {
	mu sync.Mutex
	n  uint64
}

func (l *fakeLink) Link() (uint64, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.n, l.n%2 == 1
}

func (l *fakeLink) flip() {
	l.mu.Lock()
	l.n++
	l.mu.Unlock()
}

func newStaff(t *testing.T, d *people.Directory, email string) people.User {
	t.Helper()
	u, err := d.CreateUser(t.Context(), people.NewUser{Email: email, Name: "Sam", Password: "correct horse battery",
		Role: people.RoleAgent})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func newToken(t *testing.T, d *people.Directory, userID string) string {
	t.Helper()
	token, _, err := d.NewSession(t.Context(), userID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// TestSessionsAreKeptOnlyWhileTheListenerHolds: a session read is used again
// without reading the database, but only under the listener connection it
// was read under, and never while the listener is cut.
func TestSessionsAreKeptOnlyWhileTheListenerHolds(t *testing.T) {
	db := pgtest.New(t)
	d := people.New(db, bcrypt.MinCost)
	link := &fakeLink{n: 1}
	d.KeepSessionsUnder(link)
	u := newStaff(t, d, "sam@example.com")
	ctx := t.Context()
	read := func(token string) error { _, err := d.SessionByToken(ctx, token); return err }
	// Ended behind the cache's back: no trigger reaches this directory.
	endQuietly := func(token string) {
		db.MustExec(`DELETE FROM sessions WHERE token_hash = $1`, people.TokenHash(token))
	}

	kept := newToken(t, d, u.ID)
	if err := read(kept); err != nil {
		t.Fatal(err)
	}
	endQuietly(kept)
	if err := read(kept); err != nil {
		t.Fatalf("a session read a moment ago was read again: %v", err)
	}
	link.flip() // cut: what was kept may have changed unheard
	if err := read(kept); !errors.Is(err, people.ErrNoSession) {
		t.Fatalf("with the listener cut, an ended session gave %v", err)
	}
	other := newToken(t, d, u.ID)
	if err := read(other); err != nil {
		t.Fatal(err)
	}
	if d.SessionsKept() != 0 {
		t.Fatal("a session read while the listener was cut was kept")
	}
	link.flip() // connected again, a new connection
	if err := read(other); err != nil {
		t.Fatal(err)
	}
	endQuietly(other)
	if err := read(other); err != nil {
		t.Fatalf("reconnected, a session was not kept: %v", err)
	}
	link.flip()
	link.flip() // cut and back: a notification may have been missed
	if err := read(other); !errors.Is(err, people.ErrNoSession) {
		t.Fatalf("after a reconnect, an ended session gave %v", err)
	}

	// What this replica changes itself, it forgets at once.
	mine := newToken(t, d, u.ID)
	if err := read(mine); err != nil {
		t.Fatal(err)
	}
	name := "Sam Renamed"
	if _, err := d.UpdateUser(ctx, u.ID, people.Change{Name: &name}); err != nil {
		t.Fatal(err)
	}
	if s, err := d.SessionByToken(ctx, mine); err != nil || s.User.Name != name {
		t.Fatalf("after a rename the session carries %+v, %v", s.User, err)
	}
	if err := d.EndSession(ctx, mine); err != nil {
		t.Fatal(err)
	}
	if err := read(mine); !errors.Is(err, people.ErrNoSession) {
		t.Fatalf("an ended session gave %v", err)
	}
}

// TestSessionChangesReachEveryReplica: whatever ends or changes a session
// through one replica, or straight in the database, is forgotten by
// another replica that keeps it.
func TestSessionChangesReachEveryReplica(t *testing.T) {
	url, db := pgtest.Open(t)
	a, b := people.New(db, bcrypt.MinCost), people.New(db, bcrypt.MinCost)
	for _, d := range []*people.Directory{a, b} {
		pgtest.Listen(t, url, d.Watch)
	}
	ctx := t.Context()
	u := newStaff(t, a, "sam@example.com")
	v := newStaff(t, a, "max@example.com")
	tokens := make([]string, 5)
	for i := range tokens {
		tokens[i] = newToken(t, a, u.ID)
	}
	many := make([]string, 101)
	for i := range many {
		many[i] = newToken(t, a, v.ID)
	}
	keep := func(tokens ...string) {
		t.Helper()
		want := b.SessionsKept() + len(tokens)
		eventually(t, "b keeps what it read", func() bool {
			for _, token := range tokens {
				if _, err := b.SessionByToken(ctx, token); err != nil {
					t.Fatal(err)
				}
			}
			return b.SessionsKept() == want
		})
	}
	refused := func(what, token string) {
		t.Helper()
		eventually(t, what, func() bool {
			_, err := b.SessionByToken(ctx, token)
			if err != nil && !errors.Is(err, people.ErrNoSession) {
				t.Fatal(err)
			}
			return err != nil
		})
	}
	keep(tokens...)
	keep(many...)

	if err := a.EndSession(ctx, tokens[0]); err != nil {
		t.Fatal(err)
	}
	refused("a session ended on another replica", tokens[0])
	db.MustExec(`DELETE FROM sessions WHERE token_hash = $1`, people.TokenHash(tokens[1]))
	refused("a session deleted in the database", tokens[1])
	db.MustExec(`UPDATE sessions SET last_used_at = now() - interval '13 hours' WHERE token_hash = $1`,
		people.TokenHash(tokens[2]))
	refused("a session left idle", tokens[2])
	name := "Sam Renamed"
	if _, err := a.UpdateUser(ctx, u.ID, people.Change{Name: &name}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "a rename", func() bool {
		s, err := b.SessionByToken(ctx, tokens[3])
		if err != nil {
			t.Fatal(err)
		}
		return s.User.Name == name
	})
	off := false
	if _, err := a.UpdateUser(ctx, u.ID, people.Change{Active: &off}); err != nil {
		t.Fatal(err)
	}
	refused("a person deactivated", tokens[4])
	// Too many to name one by one: every kept session is forgotten.
	if err := a.EndSessions(ctx, v.ID); err != nil {
		t.Fatal(err)
	}
	refused("one of many sessions ended at once", many[100])
	if n := b.SessionsKept(); n != 0 {
		t.Fatalf("%d sessions kept after all were ended", n)
	}
}

// eventually polls cond until it holds; notifications take a moment.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: still not seen after 10 s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
