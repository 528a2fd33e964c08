package assist

import (
	"context"
	"sync"
	"time"

	"helpforce/pg"
)

// admissions gathers concurrent creations in a store into batches, each
// written by one statement: under load, one statement, its commit and its
// round trip serve several requests. At most maxWriting batches are written
// at once; a request that arrives meanwhile waits for the next one, and a
// request that arrives alone is written alone, at once.
type admissions struct {
	d       *Desk
	mu      sync.Mutex
	written *sync.Cond // broadcast when a batch is written
	queue   []*admission
	writing int
}

const (
	maxWriting   = 4
	maxBatch     = 32
	batchTimeout = 30 * time.Second
)

func newAdmissions(d *Desk) *admissions {
	q := &admissions{d: d}
	q.written = sync.NewCond(&q.mu)
	return q
}

// write returns once m is written or has failed. Whoever waits while fewer
// than maxWriting batches are being written writes the next one.
func (q *admissions) write(m *admission) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.queue = append(q.queue, m)
	for !m.done {
		if q.writing == maxWriting || len(q.queue) == 0 {
			q.written.Wait()
			continue
		}
		batch := append([]*admission(nil), q.queue[:min(len(q.queue), maxBatch)]...)
		q.queue = q.queue[len(batch):]
		q.writing++
		q.mu.Unlock()
		q.d.writeBatch(batch)
		q.mu.Lock()
		q.writing--
		for _, b := range batch {
			b.done = true
		}
		q.written.Broadcast()
	}
}

// writeBatch writes a batch apart from any one request's context, so that a
// client that goes away fails nobody else's request. Should the statement
// fail, each request is written alone, so that only one at fault fails.
func (d *Desk) writeBatch(batch []*admission) {
	ctx, cancel := context.WithTimeout(context.Background(), batchTimeout)
	defer cancel()
	err := d.admit(ctx, d.db, batch)
	if err != nil && len(batch) == 1 && pg.Transient(err) {
		// Rolled back by a deadlock with another transaction: the statement
		// is its own transaction, so writing it again is safe.
		err = d.admit(ctx, d.db, batch)
	}
	if err != nil && len(batch) > 1 {
		for _, m := range batch {
			d.writeBatch([]*admission{m})
		}
		return
	}
	if err != nil {
		batch[0].err = err
	}
}
