package chaos

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestSlowAndStrangeClients holds connections open the ways a slow or
// hostile client does. After each kind, on its own: the server answered
// the strange client as it should, kept serving an ordinary shopper
// promptly meanwhile, released every connection and kept its memory
// bounded.
func TestSlowAndStrangeClients(t *testing.T) {
	t.Parallel()
	readTimeout := pick(2*time.Second, 30*time.Second)
	writeTimeout := pick(2*time.Second, 10*time.Second)
	w := newWorld(t, "HELPFORCE_READ_TIMEOUT="+readTimeout.String(), "HELPFORCE_STREAM_WRITE_TIMEOUT="+writeTimeout.String(),
		"HELPFORCE_LIMIT_STREAMS="+strconv.Itoa(streamCap)+",50")
	w.start()
	sc := w.scene(1, 1)
	shopper := sc.shoppers[0].c
	pid := w.srv.cmd.Process.Pid
	time.Sleep(500 * time.Millisecond)
	rss0 := residentKB(t, pid)
	w.logf("server at rest: %d client connections, %d MB resident", len(clientConns(t, pid, w.addr)), rss0>>10)
	conns := pick(200, 1000)

	// An ordinary shopper searches products throughout.
	by := startBystander(shopper, "/api/v1/stores/"+sc.storeID+"/products?q=tv")
	defer by.halt()
	// After each drill: the shopper was served, the server holds no more
	// connections than the few idle ones clients keep alive, and its memory
	// is within bounds.
	after := func(t *testing.T, start time.Time, within time.Duration) {
		t.Helper()
		slowest := by.servedSince(t, start)
		released(t, pid, w.addr, 3, within)
		bounded(t, pid, rss0)
		w.logf("%s: meanwhile the slowest answer to another client took %v; %d MB resident", t.Name(),
			slowest.Round(time.Millisecond), residentKB(t, pid)>>10)
	}

	t.Run("event stream outlives the read timeout", func(t *testing.T) {
		start := time.Now()
		id := shopper.must(t, http.StatusCreated, "POST", "/api/v1/help-requests",
			map[string]any{"department": "tv", "lat": 48.8566, "lng": 2.3522, "accuracy": 20}).str("id")
		s := shopper.follow("/api/v1/help-requests/" + id + "/events")
		if _, ok := s.waitFor("status", id, 5*time.Second); !ok {
			t.Fatal("no status event")
		}
		time.Sleep(pick(readTimeout+time.Second, 5*time.Second))
		shopper.must(t, http.StatusCreated, "POST", "/api/v1/help-requests/"+id+"/messages", map[string]string{"body": "still here"})
		if _, ok := s.waitFor("message", "still here", 5*time.Second); !ok || s.connections() != 1 {
			t.Errorf("after %v the stream delivered: %v, over %d connections (want 1)", readTimeout, ok, s.connections())
		}
		s.close()
		shopper.must(t, http.StatusOK, "POST", "/api/v1/help-requests/"+id+"/cancel", nil)
		after(t, start, 5*time.Second)
	})

	t.Run("slowloris on headers", func(t *testing.T) {
		start := time.Now()
		cs := dialMany(t, w.addr, conns)
		for i := 0; i < 3; i++ {
			for _, c := range cs {
				fmt.Fprintf(c, "X-Slow-%d: a\r\n", i)
			}
			time.Sleep(time.Second)
		}
		// ReadHeaderTimeout is 5 s: every connection is closed soon after.
		closedWithin(t, cs, 8*time.Second)
		after(t, start, 5*time.Second)
	})

	t.Run("slowloris on bodies", func(t *testing.T) {
		start := time.Now()
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
		after(t, start, 5*time.Second)
	})

	t.Run("one megabyte header line", func(t *testing.T) {
		start := time.Now()
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
		after(t, start, 5*time.Second)
	})

	t.Run("invented methods", func(t *testing.T) {
		start := time.Now()
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
		after(t, start, 5*time.Second)
	})

	t.Run("requests cut mid-body", func(t *testing.T) {
		start := time.Now()
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
		// A cut body is no request: nothing was created, and the shopper may
		// still ask for help at once.
		released(t, pid, w.addr, 3, 5*time.Second)
		var made int
		must(t, w.openDB().Get(&made, `SELECT count(*) FROM help_requests WHERE note LIKE 'cut %'`))
		if made > 0 {
			t.Errorf("%d requests were created from bodies cut mid-way", made)
		}
		id := shopper.must(t, http.StatusCreated, "POST", "/api/v1/help-requests",
			map[string]any{"department": "tv", "store_id": sc.storeID, "note": "whole"}).str("id")
		shopper.must(t, http.StatusOK, "POST", "/api/v1/help-requests/"+id+"/cancel", nil)
		after(t, start, 5*time.Second)
	})

	t.Run("event stream that never reads", func(t *testing.T) {
		start := time.Now()
		stuckStreams(t, w, shopper, writeTimeout)
		after(t, start, 5*time.Second)
	})

	if n := w.srv.logCount(`"level":"ERROR"`); n > 0 {
		t.Errorf("the server logged %d errors:\n%s", n, w.srv.lines(`"level":"ERROR"`))
	}
}
