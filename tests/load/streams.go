package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// StreamsReport is what -mode streams measured: N shoppers waiting in one
// store, each following their request on an event stream of its own.
type StreamsReport struct {
	Streams      int     `json:"streams"`
	OpenFiles    uint64  `json:"open_files_limit"`
	RSSMB        float64 `json:"server_rss_mb"`
	IdleS        float64 `json:"idle_s"`
	IdlePGCPU    float64 `json:"idle_postgres_cpu_s"`
	IdleSrvCPU   float64 `json:"idle_server_cpu_s"`
	ReachAllMS   float64 `json:"new_place_reached_all_ms"` // -1: not every stream within the wait
	Reached      int     `json:"new_place_reached"`
	OpenFailures int     `json:"open_failures"`
}

// Summary is the report in one line.
func (r *StreamsReport) Summary() string {
	reach := fmt.Sprintf("%.0f ms", r.ReachAllMS)
	if r.ReachAllMS < 0 {
		reach = fmt.Sprintf("not within 30 s (%d reached)", r.Reached)
	}
	return fmt.Sprintf("streams: %d open (ulimit -n %d, %d refused); server RSS %.0f MB (%.1f KB a stream); "+
		"idle %.0f s: PostgreSQL %.2f CPU-s (%.3f core), server %.2f CPU-s; a new place in line reached all %d other watchers in %s",
		r.Streams, r.OpenFiles, r.OpenFailures, r.RSSMB, r.RSSMB*1024/float64(max(r.Streams, 1)),
		r.IdleS, r.IdlePGCPU, r.IdlePGCPU/r.IdleS, r.IdleSrvCPU, r.Streams-1, reach)
}

// watched is one shopper's stream: the place in line it was last told.
type watched struct {
	id       string
	position atomic.Int64
}

// raiseOpenFiles lifts the soft limit on open files to the hard one: each
// stream is a connection here and one in the server (started by this
// process, so it inherits the limit).
func raiseOpenFiles() uint64 {
	var l syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l) != nil {
		return 0
	}
	if l.Cur < l.Max {
		l.Cur = l.Max
		_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l)
		_ = syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l)
	}
	return l.Cur
}

// runStreams opens o.streams event streams, each from a shopper of its own
// waiting in one store, leaves them idle for o.idle while measuring the
// server's memory and the database's CPU, then has the first in line leave
// and times the new place reaching every other stream.
func runStreams(parent context.Context, t *target, o options, log io.Writer) (*StreamsReport, error) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	rep := &StreamsReport{Streams: o.streams, OpenFiles: raiseOpenFiles()}
	o.stores, o.staff, o.agents = 1, 0, 0
	w := newWorld(ctx, t, o, log)
	if err := w.setup(ctx); err != nil {
		return nil, err
	}
	storeID := w.stores[0].id
	// A client of its own: the default one keeps idle connections for reuse,
	// and every stream here is a connection of its own.
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, ReadBufferSize: 2048, WriteBufferSize: 1024}}
	fmt.Fprintf(log, "   opening %d streams …\n", o.streams)
	streams, clients := make([]*watched, o.streams), make([]*client, o.streams)
	var failures atomic.Int64
	err := parallel(o.streams, 16, func(i int) error {
		c := w.newClient("", ipFor(10+i))
		var sh struct {
			Token string `json:"token"`
		}
		// A server that sheds load says so (503) and is asked again.
		if err := c.insist(ctx, "POST /shoppers", "POST", "/api/v1/shoppers", nil, &sh); err != nil {
			return fmt.Errorf("shopper %d: %w", i, err)
		}
		c.token = sh.Token
		clients[i] = c
		var req struct {
			ID string `json:"id"`
		}
		if err := c.insist(ctx, "POST /help-requests", "POST", "/api/v1/help-requests",
			map[string]any{"department": "tv", "store_id": storeID, "note": "streams"}, &req); err != nil {
			return fmt.Errorf("request %d: %w", i, err)
		}
		s := &watched{id: req.ID}
		s.position.Store(-1)
		streams[i] = s
		first := make(chan struct{})
		go func() {
			err := follow(ctx, hc, c, "/api/v1/help-requests/"+req.ID+"/events", s, first)
			if err != nil && ctx.Err() == nil {
				failures.Add(1)
			}
		}()
		select {
		case <-first:
		case <-time.After(30 * time.Second):
			failures.Add(1)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	rep.OpenFailures = int(failures.Load())

	fmt.Fprintf(log, "   %d streams open; idle for %v …\n", o.streams, o.idle)
	// Idle means nothing happens: no reminder to the remote team falls in
	// the run (see defaults), and the last reads of the opening are over.
	time.Sleep(2 * time.Second)
	cpu0, err := readCPU(t.serverPID, t.pgPID)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	time.Sleep(o.idle)
	cpu1, err := readCPU(t.serverPID, t.pgPID)
	if err != nil {
		return nil, err
	}
	rep.IdleS = time.Since(start).Seconds()
	rep.IdlePGCPU, rep.IdleSrvCPU = cpu1.Postgres-cpu0.Postgres, cpu1.Server-cpu0.Server
	rep.RSSMB = rssMB(t.serverPID)

	// The first in line leaves: every other stream should hear its new place.
	want := make([]int64, len(streams))
	for i, s := range streams {
		want[i] = s.position.Load() - 1
	}
	firstIdx := 0
	for i, s := range streams {
		if s.position.Load() < streams[firstIdx].position.Load() {
			firstIdx = i
		}
	}
	t0 := time.Now()
	if err := clients[firstIdx].call(ctx, "POST /help-requests/{id}/cancel", "POST",
		"/api/v1/help-requests/"+streams[firstIdx].id+"/cancel", nil, nil); err != nil {
		return nil, fmt.Errorf("the first in line cancels: %w", err)
	}
	rep.ReachAllMS = -1
	for time.Since(t0) < 30*time.Second {
		reached := 0
		for i, s := range streams {
			if i == firstIdx || s.position.Load() == want[i] {
				reached++
			}
		}
		rep.Reached = reached - 1
		if reached == len(streams) {
			rep.ReachAllMS = float64(time.Since(t0).Microseconds()) / 1000
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	return rep, nil
}

// follow reads one event stream, keeping the place in line it is told; first
// is closed at the first status.
func follow(ctx context.Context, hc *http.Client, c *client, path string, s *watched, first chan struct{}) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "text/event-stream")
	c.headers(req)
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("event stream answered %s", resp.Status)
	}
	rd := bufio.NewReaderSize(resp.Body, 1024)
	var event string
	for {
		line, err := rd.ReadBytes('\n')
		if err != nil {
			return err
		}
		line = bytes.TrimRight(line, "\r\n")
		switch {
		case bytes.HasPrefix(line, []byte("event: ")):
			event = string(line[7:])
		case bytes.HasPrefix(line, []byte("data: ")) && (event == "status" || event == "place"):
			var v struct {
				Position *int64 `json:"position"`
			}
			if json.Unmarshal(line[6:], &v) == nil && v.Position != nil {
				s.position.Store(*v.Position)
			}
			if first != nil {
				close(first)
				first = nil
			}
		}
	}
}

// rssMB is a process's resident memory in MB (0 when unknown).
func rssMB(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}
