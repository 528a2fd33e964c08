package api_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"helpforce/api"
)

// smallBuffers gives every accepted connection a small send buffer, so that
// a client that never reads stalls the server's writes after a few
// kilobytes rather than a few megabytes.
type smallBuffers struct{ net.Listener }

func (l smallBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetWriteBuffer(4096)
	}
	return c, err
}

// openStream sends an event-stream request over a connection with a small
// receive buffer, reads the status line, and then never reads again. It
// returns the status code and the connection.
func openStream(t *testing.T, addr, path, token string) (int, net.Conn) {
	t.Helper()
	d := net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
		return rc.Control(func(fd uintptr) { _ = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
	}}
	conn, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: helpforce.test\r\nAuthorization: Bearer %s\r\n\r\n", path, token)
	line, err := bufio.NewReaderSize(conn, 16).ReadString('\n') // the reader's buffer holds back no more than this
	if err != nil {
		t.Fatal(err)
	}
	var code int
	if _, err := fmt.Sscanf(line, "HTTP/1.1 %d", &code); err != nil {
		t.Fatalf("status line %q", line)
	}
	return code, conn
}

// TestStreamsAreCappedAndStalledReadersDropped: a caller may keep only a few
// streams open, an address only a few more; a client that stops reading is
// dropped once a write waits past the deadline, and its slot is free again.
func TestStreamsAreCappedAndStalledReadersDropped(t *testing.T) {
	e := newEnv(t, withLimits(func(l *api.Limits) {
		l.StreamsPerCaller, l.StreamsPerAddress, l.StreamWriteTimeout = 2, 3, 300*time.Millisecond
	}))
	e.startWorkers()
	ts := httptest.NewUnstartedServer(e.srv.Handler())
	ts.Listener = smallBuffers{ts.Listener}
	ts.Start()
	t.Cleanup(ts.Close)
	addr := strings.TrimPrefix(ts.URL, "http://")

	ask := map[string]any{"department": "tv", "store_id": e.store.ID}
	shopper, neighbour := e.shopper(), e.shopper()
	id := e.do("POST", "/api/v1/help-requests", shopper, ask).want(201).json()["id"].(string)
	other := e.do("POST", "/api/v1/help-requests", neighbour, ask).want(201).json()["id"].(string)
	path := "/api/v1/help-requests/" + id + "/events"

	for i := 0; i < 2; i++ {
		if code, _ := openStream(t, addr, path, shopper); code != http.StatusOK {
			t.Fatalf("stream %d answered %d", i+1, code)
		}
	}
	if code, _ := openStream(t, addr, path, shopper); code != http.StatusTooManyRequests {
		t.Fatalf("a third stream of one shopper answered %d", code)
	}
	// Another shopper at the same address fills the address's last slot.
	if code, _ := openStream(t, addr, "/api/v1/help-requests/"+other+"/events", neighbour); code != http.StatusOK {
		t.Fatalf("the neighbour's stream answered %d", code)
	}
	if code, _ := openStream(t, addr, "/api/v1/help-requests/"+other+"/events", neighbour); code != http.StatusTooManyRequests {
		t.Fatalf("a fourth stream from one address answered %d", code)
	}

	// The shopper's streams never read: the answers pile up until a write
	// times out and the server lets go.
	long := strings.Repeat("Let me check the stock in the back room. ", 45)
	for i := 0; i < 40; i++ {
		e.do("POST", "/api/v1/help-requests/"+id+"/messages", e.tokens["agent"], map[string]string{"body": long}).want(201)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		code, conn := openStream(t, addr, path, shopper)
		if code == http.StatusOK {
			break
		}
		conn.Close()
		if time.Now().After(deadline) {
			t.Fatal("the stalled streams still hold their slots")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestStreamsOutliveTheirHandlerUntilShutdown: a stream goes on after the
// HTTP server has let go of its connection (the body is delimited by the
// connection's end, not chunked), and the server's shutdown still ends it.
func TestStreamsOutliveTheirHandlerUntilShutdown(t *testing.T) {
	e := newEnv(t, withLimits(func(l *api.Limits) { l.StreamHeartbeat = 50 * time.Millisecond }))
	addr, stop := e.serve()
	defer stop()

	shopper, id := e.remoteRequest("Hello")
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /api/v1/help-requests/%s/events HTTP/1.1\r\nHost: helpforce.test\r\nAuthorization: Bearer %s\r\n\r\n", id, shopper)
	rd := bufio.NewReader(conn)
	resp, err := http.ReadResponse(rd, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || len(resp.TransferEncoding) > 0 || !resp.Close ||
		resp.Header.Get("Content-Type") != "text/event-stream" || resp.Header.Get("X-Request-Id") == "" {
		t.Fatalf("answered %d, transfer encoding %v, close %v, headers %v", resp.StatusCode, resp.TransferEncoding, resp.Close, resp.Header)
	}
	// The status, then heartbeats from the replica's one ticker.
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	body := bufio.NewReader(resp.Body)
	for pings := 0; pings < 3; {
		line, err := body.ReadString('\n')
		if err != nil {
			t.Fatalf("after %d pings: %v", pings, err)
		}
		if line == ": ping\n" {
			pings++
		}
	}

	stopped := make(chan struct{})
	go func() { stop(); close(stopped) }()
	if _, err := io.Copy(io.Discard, body); err != nil {
		t.Fatalf("the stream did not end cleanly at shutdown: %v", err)
	}
	<-stopped
}
