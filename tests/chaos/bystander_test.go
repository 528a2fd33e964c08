package chaos

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// bystander is an ordinary shopper searching products every 100 ms while
// strange clients hold the server, so that each drill can check that
// everyone else was still served promptly.
type bystander struct {
	c    *client
	path string
	stop chan struct{}
	done chan struct{}

	mu    sync.Mutex
	calls []call
}

type call struct {
	at   time.Time
	took time.Duration
	ok   bool
}

func startBystander(c *client, path string) *bystander {
	b := &bystander{c: c, path: path, stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(b.done)
		for {
			select {
			case <-b.stop:
				return
			case <-time.After(100 * time.Millisecond):
			}
			start := time.Now()
			r, err := c.call("GET", path, nil)
			b.mu.Lock()
			b.calls = append(b.calls, call{at: start, took: time.Since(start), ok: err == nil && r.Status == http.StatusOK})
			b.mu.Unlock()
		}
	}()
	return b
}

func (b *bystander) halt() { close(b.stop); <-b.done }

// servedSince checks the calls made since start (waiting for two at least):
// none failed, and all but one in ten (one at least, for a loaded machine)
// waited for nobody's timeout: those are 2 s and more. It returns the
// slowest.
func (b *bystander) servedSince(t *testing.T, start time.Time) time.Duration {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		b.mu.Lock()
		n := len(b.calls)
		at := time.Time{}
		if n > 1 {
			at = b.calls[n-2].at
		}
		b.mu.Unlock()
		if !at.Before(start) {
			break
		}
	}
	b.mu.Lock()
	var slowest time.Duration
	n, failed, slow := 0, 0, 0
	for _, c := range b.calls {
		if c.at.Before(start) {
			continue
		}
		n++
		if !c.ok {
			failed++
		}
		if c.took >= 2*time.Second {
			slow++
		}
		slowest = max(slowest, c.took)
	}
	b.mu.Unlock()
	if n == 0 {
		t.Error("another client was not served at all meanwhile")
	}
	if failed > 0 || slow > max(1, n/10) {
		t.Errorf("another client was starved meanwhile: of %d calls %d failed and %d took 2 s or more (the slowest %v)", n, failed, slow, slowest)
	}
	return slowest
}

// released waits until the server holds at most spare client connections
// (the bystander's own, kept alive), and fails past within.
func released(t *testing.T, pid int, addr string, spare int, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		conns := clientConns(t, pid, addr)
		if len(conns) <= spare {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("%d client connections still open after %v (want at most %d):\n%s", len(conns), within, spare,
				strings.Join(conns[:min(len(conns), 5)], "\n"))
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// bounded checks that the server's resident memory stays within 100 MB of
// what it held at rest.
func bounded(t *testing.T, pid, restKB int) {
	t.Helper()
	if rss := residentKB(t, pid); rss > restKB+100<<10 {
		t.Errorf("resident memory grew from %d MB to %d MB", restKB>>10, rss>>10)
	}
}

// dialMany opens n connections, each with a request line and one header sent.
func dialMany(t *testing.T, addr string, n int) []net.Conn {
	t.Helper()
	var cs []net.Conn
	for range n {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(c, "GET /api/v1/stores HTTP/1.1\r\nHost: %s\r\n", addr)
		cs = append(cs, c)
	}
	t.Cleanup(func() {
		for _, c := range cs {
			c.Close()
		}
	})
	return cs
}

// closedWithin waits until the server has closed every connection (a read
// ends, after whatever answer it sent).
func closedWithin(t *testing.T, cs []net.Conn, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(d)
	open := 0
	for _, c := range cs {
		_ = c.SetReadDeadline(deadline)
		// The server may close with a reset (unread data was pending): that
		// is closed too. Only a read still waiting at the deadline is open.
		if _, err := io.Copy(io.Discard, c); err != nil {
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				open++
			}
		}
		c.Close()
	}
	if open > 0 {
		t.Errorf("%d of %d connections were still open after %v", open, len(cs), d)
	}
}

// clientConns lists the server's connections from clients (local address
// addr), in any state but TIME-WAIT, which belongs to no process.
func clientConns(t *testing.T, pid int, addr string) []string {
	t.Helper()
	out, err := exec.Command("ss", "-tanpH").CombinedOutput()
	if err != nil {
		t.Fatalf("ss: %v %s", err, out)
	}
	var conns []string
	for _, l := range strings.Split(string(out), "\n") {
		f := strings.Fields(l)
		if len(f) > 4 && f[0] != "LISTEN" && f[3] == addr && strings.Contains(l, "pid="+strconv.Itoa(pid)+",") {
			conns = append(conns, l)
		}
	}
	return conns
}

func residentKB(t *testing.T, pid int) int {
	t.Helper()
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return n
		}
	}
	t.Fatal("no VmRSS")
	return 0
}
