package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"time"
)

// apiError is a non-2xx answer: its status and the error code of its body.
type apiError struct {
	Status int
	Code   string
	Msg    string
	Retry  time.Duration // Retry-After, when given
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Msg) }

// stats counts every call by operation: latencies of the answered ones, and
// how many got each status and error code.
type stats struct {
	mu       sync.Mutex
	lat      map[string][]time.Duration
	statuses map[string]int
}

func newStats() *stats {
	return &stats{lat: map[string][]time.Duration{}, statuses: map[string]int{}}
}

// reset forgets every latency and status observed so far.
func (s *stats) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lat, s.statuses = map[string][]time.Duration{}, map[string]int{}
}

func (s *stats) observe(op string, d time.Duration, status int, code string) {
	key := fmt.Sprintf("%s %d", op, status)
	if status == 0 {
		key = op + " no answer"
	} else if code != "" {
		key += " " + code
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.statuses[key]++
	if status > 0 && status < 500 { // a lost race is an answer too
		s.lat[op] = append(s.lat[op], d)
	}
}

func (s *stats) latencies(op string) []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := append([]time.Duration(nil), s.lat[op]...)
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// client is one person's phone or desk: a token and an address of its own.
type client struct {
	http     *http.Client
	token    string
	ip       string // sent as X-Forwarded-For
	stats    *stats
	replicas *replicas // nil: one server

	mu   sync.Mutex
	base string // the server it calls; see url and moved
}

func newHTTPClient() *http.Client {
	return &http.Client{Transport: &http.Transport{MaxIdleConns: 2048, MaxIdleConnsPerHost: 2048,
		IdleConnTimeout: 90 * time.Second}}
}

// call sends body as JSON (nil: none) and decodes a 2xx answer into out
// (nil: discarded). op names the route in the statistics.
func (c *client) call(ctx context.Context, op, method, path string, body, out any, header ...string) error {
	var raw []byte
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		raw = b
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for {
		base := c.url()
		var rd io.Reader
		if body != nil {
			rd = bytes.NewReader(raw)
		}
		req, err := http.NewRequestWithContext(ctx, method, base+path, rd)
		if err != nil {
			return err
		}
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		c.headers(req)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		start := time.Now()
		resp, err := c.http.Do(req)
		if err != nil {
			if c.moved(base, err) {
				continue // refused: nothing was sent, so it goes to a replica still up
			}
			if ctx.Err() == nil || errors.Is(ctx.Err(), context.DeadlineExceeded) {
				c.stats.observe(op, 0, 0, "")
			}
			return err
		}
		return c.answer(op, resp, start, out)
	}
}

// insist is call for what a person does again when the server is busy,
// as they would tap again: after a 503 it waits the Retry-After (a second
// when none is given) and sends it again, until ctx ends. Every answer is
// counted.
func (c *client) insist(ctx context.Context, op, method, path string, body, out any) error {
	for {
		err := c.call(ctx, op, method, path, body, out)
		var ae *apiError
		if !errors.As(err, &ae) || ae.Status != http.StatusServiceUnavailable {
			return err
		}
		t := time.NewTimer(max(ae.Retry, time.Second))
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
	}
}

// answer reads a response, counts it and decodes a 2xx body into out.
func (c *client) answer(op string, resp *http.Response, start time.Time, out any) error {
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	elapsed := time.Since(start)
	if err != nil {
		c.stats.observe(op, 0, 0, "")
		return err
	}
	if resp.StatusCode >= 300 {
		var e struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		_ = json.Unmarshal(data, &e)
		c.stats.observe(op, elapsed, resp.StatusCode, e.Error.Code)
		secs, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
		return &apiError{Status: resp.StatusCode, Code: e.Error.Code, Msg: e.Error.Message, Retry: time.Duration(secs) * time.Second}
	}
	c.stats.observe(op, elapsed, resp.StatusCode, "")
	if out != nil && len(data) > 0 {
		return json.Unmarshal(data, out)
	}
	return nil
}

func (c *client) headers(req *http.Request) {
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.ip != "" {
		req.Header.Set("X-Forwarded-For", c.ip)
	}
}

// stream reads Server-Sent Events from path until ctx ends, the stream
// does, or fn returns false.
func (c *client) stream(ctx context.Context, op, path string, fn func(event string, data []byte) bool) error {
	base := c.url()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "text/event-stream")
	c.headers(req)
	resp, err := c.http.Do(req)
	if err != nil {
		c.moved(base, err) // the caller reconnects, to a replica still up
		return err
	}
	defer resp.Body.Close()
	c.stats.observe(op, 0, resp.StatusCode, "")
	if resp.StatusCode != http.StatusOK {
		return &apiError{Status: resp.StatusCode, Msg: "event stream refused"}
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	var event string
	var data []byte
	for sc.Scan() {
		line := sc.Bytes()
		switch {
		case len(line) == 0:
			if event != "" && !fn(event, data) {
				return nil
			}
			event, data = "", nil
		case bytes.HasPrefix(line, []byte("event: ")):
			event = string(line[len("event: "):])
		case bytes.HasPrefix(line, []byte("data: ")):
			data = append(data, line[len("data: "):]...)
		}
	}
	return sc.Err()
}

// ipFor gives the n-th simulated device an address of its own in 10/8.
func ipFor(n int) string {
	n += 1 << 16 // clear of 10.0.0.0/16
	return fmt.Sprintf("10.%d.%d.%d", n>>16&255, n>>8&255, n&255)
}
