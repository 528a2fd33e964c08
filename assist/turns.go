package assist

import (
	"context"
	"sync"
)

// turns lets the accepts of one request run one at a time within a replica.
// When an alert reaches three people who all tap Accept, one wins; the
// others would otherwise each hold a database connection while waiting for
// the winner's row lock, then run a statement that takes nothing. Waiting
// for a turn here holds no connection, and an accept whose turn comes after
// one of this replica took the request is told why it cannot have it from
// what that accept returned, without a read. Accepts from other replicas
// still meet at the row lock.
type turns struct {
	mu   sync.Mutex
	byID map[string]*turn
}

// turn is one request's: held by the accept running, awaited by the rest.
type turn struct {
	held    chan struct{} // a token while an accept runs
	waiters int           // accepts holding or awaiting this turn
	taken   *row          // the request as an accept of this replica took it
}

// wait takes id's turn, waiting for the accept before it; done gives it
// back. t.taken, read while the turn is held, is the request as an accept of
// this replica took it before, if one did.
func (ts *turns) wait(ctx context.Context, id string) (t *turn, done func(), err error) {
	ts.mu.Lock()
	if ts.byID == nil {
		ts.byID = map[string]*turn{}
	}
	t = ts.byID[id]
	if t == nil {
		t = &turn{held: make(chan struct{}, 1)}
		ts.byID[id] = t
	}
	t.waiters++
	ts.mu.Unlock()
	leave := func() {
		ts.mu.Lock()
		if t.waiters--; t.waiters == 0 {
			delete(ts.byID, id)
		}
		ts.mu.Unlock()
	}
	select {
	case t.held <- struct{}{}:
	case <-ctx.Done():
		leave()
		return nil, nil, ctx.Err()
	}
	return t, func() { <-t.held; leave() }, nil
}
