package chaos

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// streamCap is the slow-client drill's HELPFORCE_LIMIT_STREAMS per person
// or shopper: the default 5 under make chaos, 2 in the short drill (fewer
// streams to fill, for the same proof).
var streamCap = pick(2, 5)

// stuckStreams opens as many event streams as one shopper may, from a
// client that never reads them, and writes to the conversation until the
// server gives up on them: each is dropped once a write has waited the
// write timeout, and its place is given back (a new stream is accepted),
// while a live stream of another request keeps delivering.
func stuckStreams(t *testing.T, w *world, other *client, writeTimeout time.Duration) {
	t.Helper()
	pid := w.srv.cmd.Process.Pid
	stuck := w.client("")
	stuck.token = stuck.must(t, http.StatusCreated, "POST", "/api/v1/shoppers", nil).str("token")
	id := stuck.must(t, http.StatusCreated, "POST", "/api/v1/help-requests",
		map[string]any{"department": "tv", "lat": 48.8566, "lng": 2.3522, "accuracy": 20}).str("id")
	path := "/api/v1/help-requests/" + id + "/events"

	// A small receive buffer, set before connecting, so that the server's
	// writes fill it and wait.
	small := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		var err error
		if cerr := c.Control(func(fd uintptr) { err = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) }); cerr != nil {
			return cerr
		}
		return err
	}}
	var peers []string
	for range streamCap {
		c, err := small.Dial("tcp", w.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nX-Forwarded-For: %s\r\nAccept: text/event-stream\r\n\r\n",
			path, w.addr, stuck.token, stuck.ip)
		peers = append(peers, c.LocalAddr().String())
	}
	waitUntil(t, 15*time.Second, "the stuck streams hold every place", func() bool {
		return streamStatus(stuck, path) == http.StatusTooManyRequests
	})

	// Another request, followed by a client that reads.
	otherID := other.must(t, http.StatusCreated, "POST", "/api/v1/help-requests",
		map[string]any{"department": "tv", "lat": 48.8566, "lng": 2.3522, "accuracy": 20}).str("id")
	live := other.follow("/api/v1/help-requests/" + otherID + "/events")
	defer live.close()
	if _, ok := live.waitFor("status", otherID, 5*time.Second); !ok {
		t.Fatal("the other stream sent no status")
	}

	// Messages of 6,000 bytes (2,000 three-byte characters, the most one
	// may hold), from a few writers at once, until every stuck stream is
	// dropped: the kernel takes some megabytes per connection first.
	body := strings.Repeat("€", 2000)
	var posts atomic.Int64
	stop, began := make(chan struct{}), time.Now()
	var writers sync.WaitGroup
	for range 4 {
		writers.Go(func() {
			for posts.Add(1) <= int64(pick(1500, 3000)) {
				select {
				case <-stop:
					return
				default:
				}
				r, err := stuck.call("POST", "/api/v1/help-requests/"+id+"/messages", map[string]string{"body": body})
				if err != nil || r.Status != http.StatusCreated {
					t.Errorf("posting while streams are stuck: %v %d %s", err, r.Status, r.Raw)
					return
				}
			}
		})
	}
	// The last writes wait for their timeout.
	waitUntil(t, 2*time.Minute, "the server drops the streams nobody reads", func() bool {
		return !holds(t, pid, w.addr, peers)
	})
	dropped := time.Now()
	close(stop)
	writers.Wait()
	var n int
	must(t, w.openDB().Get(&n, `SELECT count(*) FROM request_messages WHERE request_id = $1`, id))
	w.logf("%d streams that never read were dropped %v after writing to them began (%d messages of 6 KB)",
		len(peers), dropped.Sub(began).Round(time.Millisecond), n)

	// Their places are free again, and the reading stream kept up.
	if s := streamStatus(stuck, path); s != http.StatusOK {
		t.Errorf("a new stream after the stuck ones were dropped: %d, want 200", s)
	}
	other.must(t, http.StatusCreated, "POST", "/api/v1/help-requests/"+otherID+"/messages", map[string]string{"body": "and me?"})
	if _, ok := live.waitFor("message", "and me?", 5*time.Second); !ok {
		t.Error("a stream that reads missed a message while others were stuck")
	}
	stuck.must(t, http.StatusOK, "POST", "/api/v1/help-requests/"+id+"/cancel", nil)
	other.must(t, http.StatusOK, "POST", "/api/v1/help-requests/"+otherID+"/cancel", nil)
}

// holds says whether the server still holds a connection from any of peers.
func holds(t *testing.T, pid int, addr string, peers []string) bool {
	t.Helper()
	for _, l := range clientConns(t, pid, addr) {
		if f := strings.Fields(l); slices.Contains(peers, f[4]) {
			return true
		}
	}
	return false
}

// streamStatus opens an event stream and closes it at once; it returns
// the status it was answered (0: no answer).
func streamStatus(c *client, path string) int {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", c.base+path, nil)
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("X-Forwarded-For", c.ip)
	req.Header.Set("Accept", "text/event-stream")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	res.Body.Close()
	return res.StatusCode
}
