package chaos

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"sync"
	"time"
)

// stream follows a request's event stream as a careful client does: it
// reconnects after an error (with Last-Event-ID) and keeps every event.
type stream struct {
	mu     sync.Mutex
	events []event
	conns  int // connections answered 200
	cancel context.CancelFunc
	done   chan struct{}
}

type event struct {
	name, id, data string
	at             time.Time
}

func (c *client) follow(path string) *stream {
	ctx, cancel := context.WithCancel(context.Background())
	s := &stream{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		last := ""
		for ctx.Err() == nil {
			last = s.read(ctx, c, path, last)
			select {
			case <-ctx.Done():
			case <-time.After(200 * time.Millisecond):
			}
		}
	}()
	return s
}

// read reads one connection until it ends; it returns the last event id.
func (s *stream) read(ctx context.Context, c *client, path, last string) string {
	req, _ := http.NewRequestWithContext(ctx, "GET", c.base+path, nil)
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("X-Forwarded-For", c.ip)
	req.Header.Set("Accept", "text/event-stream")
	if last != "" {
		req.Header.Set("Last-Event-ID", last)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return last
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return last
	}
	s.mu.Lock()
	s.conns++
	s.mu.Unlock()
	sc := bufio.NewScanner(res.Body)
	var ev event
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if ev.name != "" {
				ev.at = time.Now()
				s.mu.Lock()
				s.events = append(s.events, ev)
				s.mu.Unlock()
				if ev.id != "" {
					last = ev.id
				}
			}
			ev = event{}
		case strings.HasPrefix(line, "event: "):
			ev.name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "id: "):
			ev.id = strings.TrimPrefix(line, "id: ")
		case strings.HasPrefix(line, "data: "):
			ev.data = strings.TrimPrefix(line, "data: ")
		}
	}
	return last
}

// waitFor returns the first event named name whose data contains text.
func (s *stream) waitFor(name, text string, timeout time.Duration) (event, bool) {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		s.mu.Lock()
		for _, e := range s.events {
			if e.name == name && strings.Contains(e.data, text) {
				s.mu.Unlock()
				return e, true
			}
		}
		s.mu.Unlock()
		time.Sleep(20 * time.Millisecond)
	}
	return event{}, false
}

func (s *stream) connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

func (s *stream) close() { s.cancel(); <-s.done }
