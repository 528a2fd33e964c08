package chaos

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestSlowAndStrangeClients holds connections open the ways a slow or
// hostile client does, and checks that the server keeps answering everyone
// else promptly, that its memory stays bounded and that every connection is
// released.
func TestSlowAndStrangeClients(t *testing.T) {
	t.Parallel()
	readTimeout := pick(2*time.Second, 30*time.Second)
	w := newWorld(t, "HELPFORCE_READ_TIMEOUT="+readTimeout.String())
	w.start()
	sc := w.scene(1, 1)
	shopper := sc.shoppers[0].c
	pid := w.srv.cmd.Process.Pid
	time.Sleep(500 * time.Millisecond)
	tcp0, rss0 := tcpConns(t, pid), residentKB(t, pid)
	w.logf("server at rest: %d client connections, %d MB resident", len(tcp0), rss0>>10)
	conns := pick(200, 1000)

	// Someone else keeps using the API throughout, and is answered in time.
	stopOthers := make(chan struct{})
	var others sync.WaitGroup
	others.Add(1)
	var latencies []time.Duration
	failed := 0
	go func() {
		defer others.Done()
		for {
			select {
			case <-stopOthers:
				return
			case <-time.After(100 * time.Millisecond):
			}
			start := time.Now()
			r, err := shopper.call("GET", "/api/v1/stores/"+sc.storeID+"/products?q=tv", nil)
			if err != nil || r.Status != http.StatusOK {
				t.Logf("another client was not served: %v %d", err, r.Status)
				failed++
				continue
			}
			latencies = append(latencies, time.Since(start))
		}
	}()

	t.Run("event stream outlives the read timeout", func(t *testing.T) {
		id := shopper.must(t, http.StatusCreated, "POST", "/api/v1/help-requests",
			map[string]any{"department": "tv", "lat": 48.8566, "lng": 2.3522, "accuracy": 20}).str("id")
		s := shopper.follow("/api/v1/help-requests/" + id + "/events")
		defer s.close()
		if _, ok := s.waitFor("status", id, 5*time.Second); !ok {
			t.Fatal("no status event")
		}
		time.Sleep(pick(readTimeout+time.Second, 5*time.Second))
		shopper.must(t, http.StatusCreated, "POST", "/api/v1/help-requests/"+id+"/messages", map[string]string{"body": "still here"})
		if _, ok := s.waitFor("message", "still here", 5*time.Second); !ok || s.connections() != 1 {
			t.Errorf("after %v the stream delivered: %v, over %d connections (want 1)", readTimeout, ok, s.connections())
		}
		shopper.must(t, http.StatusOK, "POST", "/api/v1/help-requests/"+id+"/cancel", nil)
	})

	t.Run("slowloris on headers", func(t *testing.T) {
		cs := dialMany(t, w.addr, conns)
		for i := 0; i < 3; i++ {
			for _, c := range cs {
				fmt.Fprintf(c, "X-Slow-%d: a\r\n", i)
			}
			time.Sleep(time.Second)
		}
		// ReadHeaderTimeout is 5 s: every connection is closed soon after.
		closedWithin(t, cs, 8*time.Second)
	})

	t.Run("slowloris on bodies", func(t *testing.T) {
		cs := dialMany(t, w.addr, 0)
		for range conns {
			c, err := net.Dial("tcp", w.addr)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(c, "POST /api/v1/auth/login HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n{\"email\":", w.addr)
			cs = append(cs, c)
		}
		go func() {
			for range 5 {
				for _, c := range cs {
					_, _ = c.Write([]byte(" "))
				}
				time.Sleep(time.Second)
			}
		}()
		closedWithin(t, cs, readTimeout+5*time.Second)
	})

	t.Run("one megabyte header line", func(t *testing.T) {
		for range 5 {
			c, err := net.Dial("tcp", w.addr)
			if err != nil {
				t.Fatal(err)
			}
			go func() {
				_, _ = fmt.Fprintf(c, "GET /api/v1/stores HTTP/1.1\r\nHost: %s\r\nX-Huge: %s\r\n\r\n", w.addr, strings.Repeat("a", 1<<20))
			}()
			_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
			res, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				t.Fatalf("no answer to a 1 MB header: %v", err)
			}
			if res.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
				t.Errorf("a 1 MB header: %d, want 431", res.StatusCode)
			}
			c.Close()
		}
	})

	t.Run("invented methods", func(t *testing.T) {
		for _, m := range []string{"BREW", "PROPFIND", "DELETE", "PATCH", "TRACE", "CONNECT", "X-HACK", "OPTIONS"} {
			for _, path := range []string{"/api/v1/stores", "/api/v1/help-requests", "/", "/readyz", "/api/v1/nowhere"} {
				req, _ := http.NewRequest(m, w.base()+path, nil)
				if m == "CONNECT" {
					req.URL.Path = ""
				}
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Errorf("%s %s: %v", m, path, err)
					continue
				}
				body, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode >= 500 || res.StatusCode < 400 && m != "OPTIONS" {
					t.Errorf("%s %s: %d %s", m, path, res.StatusCode, body)
				}
			}
		}
	})

	t.Run("requests cut mid-body", func(t *testing.T) {
		for i := range pick(100, 1000) {
			c, err := net.Dial("tcp", w.addr)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(c, "POST /api/v1/help-requests HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"+
				"Content-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"department\":\"tv\",\"store_id\":\"%s\",\"note\":\"cut %d",
				w.addr, shopper.token, sc.storeID, i)
			c.Close()
		}
	})

	t.Run("event stream that never reads", func(t *testing.T) {
		watcher := w.client("")
		watcher.token = watcher.must(t, http.StatusCreated, "POST", "/api/v1/shoppers", nil).str("token")
		id := watcher.must(t, http.StatusCreated, "POST", "/api/v1/help-requests",
			map[string]any{"department": "tv", "lat": 48.8566, "lng": 2.3522, "accuracy": 20}).str("id")
		c, err := net.Dial("tcp", w.addr)
		if err != nil {
			t.Fatal(err)
		}
		if tc, ok := c.(*net.TCPConn); ok {
			_ = tc.SetReadBuffer(4096)
		}
		fmt.Fprintf(c, "GET /api/v1/help-requests/%s/events HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nAccept: text/event-stream\r\n\r\n", id, w.addr, watcher.token)
		// Plenty of changes for the stream to write, which the client never reads.
		note := strings.Repeat("long message ", 140)
		for i := range pick(300, 1000) {
			r, err := watcher.call("POST", "/api/v1/help-requests/"+id+"/messages", map[string]string{"body": fmt.Sprintf("%d %s", i, note)})
			if err != nil || r.Status != http.StatusCreated {
				t.Fatalf("posting while a stream is stuck: %v %d %s", err, r.Status, r.Raw)
			}
		}
		c.Close()
		watcher.http.CloseIdleConnections()
	})

	close(stopOthers)
	others.Wait()
	slices.Sort(latencies)
	p95 := latencies[len(latencies)*95/100]
	w.logf("meanwhile another client was served %d times (%d failed): p95 %v, slowest %v", len(latencies), failed,
		p95.Round(time.Millisecond), latencies[len(latencies)-1].Round(time.Millisecond))
	// Starved clients would wait for the slow ones' timeouts (5 s and more).
	if p95 > 2*time.Second || failed > len(latencies)/100 {
		t.Errorf("another client was starved: p95 %v, %d of %d calls failed", p95, failed, failed+len(latencies))
	}
	// Every connection is released, and memory is back within bounds.
	shopper.http.CloseIdleConnections()
	http.DefaultClient.CloseIdleConnections()
	var tcp []string
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if tcp = tcpConns(t, pid); len(tcp) <= len(tcp0) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d client connections still open, %d at rest:\n%s", len(tcp), len(tcp0), strings.Join(tcp, "\n"))
		}
	}
	rss := residentKB(t, pid)
	w.logf("server after: %d client connections, %d MB resident", len(tcp), rss>>10)
	if rss > rss0+100<<10 {
		t.Errorf("resident memory grew from %d MB to %d MB", rss0>>10, rss>>10)
	}
	if n := w.srv.logCount(`"level":"ERROR"`); n > 0 {
		t.Errorf("the server logged %d errors:\n%s", n, w.srv.lines(`"level":"ERROR"`))
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

// tcpConns lists the server's TCP connections (its listening socket aside),
// in any state but TIME-WAIT, which belongs to no process.
func tcpConns(t *testing.T, pid int) []string {
	t.Helper()
	out, err := exec.Command("ss", "-tanpH").CombinedOutput()
	if err != nil {
		t.Fatalf("ss: %v %s", err, out)
	}
	var conns []string
	for _, l := range strings.Split(string(out), "\n") {
		if strings.Contains(l, "pid="+strconv.Itoa(pid)+",") && !strings.HasPrefix(l, "LISTEN") {
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
