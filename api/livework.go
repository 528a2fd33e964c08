package api

import "sync"

// readQueue runs the shared reads of the event streams: each key (a request,
// a store's places, a queue) is read by at most one worker at a time, and a
// key asked for again while it waits is read once. A key asked for while it
// is being read is read again after, so that no change is missed. The
// listener only queues: it never waits for the database.
type readQueue struct {
	workers int
	read    func(key string)

	mu      sync.Mutex
	queued  map[string]bool
	order   []string
	running int
}

func newReadQueue(workers int, read func(key string)) *readQueue {
	return &readQueue{workers: workers, read: read, queued: map[string]bool{}}
}

// push asks for key to be read. Workers start when there is work and stop
// when there is none, so an idle replica holds no goroutine for them.
func (q *readQueue) push(key string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.queued[key] {
		return
	}
	q.queued[key] = true
	q.order = append(q.order, key)
	if q.running < q.workers {
		q.running++
		go q.work()
	}
}

func (q *readQueue) work() {
	for {
		q.mu.Lock()
		if len(q.order) == 0 {
			q.running--
			q.order = nil // give back the array a burst grew
			q.mu.Unlock()
			return
		}
		key := q.order[0]
		q.order = q.order[1:]
		delete(q.queued, key)
		q.mu.Unlock()
		q.read(key)
	}
}
