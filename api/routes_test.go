package api_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"helpforce/api"
)

// TestTokenInTheQueryOnlyWhereDeclared: ?access_token= speaks for a caller
// on the routes declared tokenInQuery (a QR image, an event stream), and on
// no other.
func TestTokenInTheQueryOnlyWhereDeclared(t *testing.T) {
	e := newEnv(t)
	shopper := e.shopper()
	e.do("GET", "/api/v1/me?access_token="+shopper, "", nil).wantError(401, "unauthorized")
	e.do("GET", "/api/v1/me", shopper, nil).want(200)
	qr := "/api/v1/holds/6f1c8a8e-2b7e-4a53-9d1f-7c2f5d1e0a11/qr.svg"
	e.do("GET", qr, "", nil).wantError(401, "unauthorized")
	e.do("GET", qr+"?access_token="+shopper, "", nil).wantError(404, "not_found")
}

// TestBodyCapsFollowTheRouteDeclarations: an inventory import has its own
// cap, above BodyLimit, which every other body keeps.
func TestBodyCapsFollowTheRouteDeclarations(t *testing.T) {
	e := newEnv(t, func(o *api.Options) { o.BodyLimit = 256 })
	e.do("PUT", "/api/v1/stores/"+e.store.ID+"/inventory", e.tokens["manager"], csvInventory(50),
		"Content-Type", "text/csv").want(200)
	e.do("POST", "/api/v1/stores", e.tokens["admin"], `{"name":"`+strings.Repeat("x", 300)+`"}`).
		wantError(413, "payload_too_large")
}

// TestSlowBodiesAreCutExceptWhereDeclared: a body that stalls past
// ReadTimeout ends its connection, except an inventory import's, which has
// ImportTimeout to arrive.
func TestSlowBodiesAreCutExceptWhereDeclared(t *testing.T) {
	const readTimeout = 300 * time.Millisecond
	e := newEnv(t, func(o *api.Options) { o.ReadTimeout, o.ImportTimeout = readTimeout, time.Minute })
	addr, stop := e.serve()
	defer stop()

	// send sends the body's first half, stalls for three read timeouts, then
	// sends the rest; it returns the status, or 0 when the connection ended.
	send := func(method, path, token, contentType, body string) int {
		pr, pw := io.Pipe()
		go func() {
			half := len(body) / 2
			_, _ = io.WriteString(pw, body[:half])
			time.Sleep(3 * readTimeout)
			_, _ = io.WriteString(pw, body[half:])
			pw.Close()
		}()
		req, _ := http.NewRequest(method, "http://"+addr+path, pr)
		req.ContentLength = int64(len(body))
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0
		}
		defer res.Body.Close()
		_, _ = io.Copy(io.Discard, res.Body)
		return res.StatusCode
	}
	if got := send("PUT", "/api/v1/stores/"+e.store.ID+"/inventory", e.tokens["manager"], "text/csv", csvInventory(20)); got != 200 {
		t.Fatalf("a stalled inventory import answered %d, want 200", got)
	}
	store := `{"name":"Lyon Vaise","timezone":"Europe/Paris","location":{"lat":45.77,"lng":4.80}}`
	if got := send("POST", "/api/v1/stores", e.tokens["admin"], "application/json", store); got == 201 {
		t.Fatal("a stalled store body was read to its end")
	}
}

// TestShutdownAnswersRequestsUnderWay: a request whose body is still
// arriving when the server begins to shut down is answered in full, not cut
// short, and the server stops once it has been.
func TestShutdownAnswersRequestsUnderWay(t *testing.T) {
	e := newEnv(t)
	addr, stop := e.serve()
	defer stop()

	shopper := e.shopper()
	body := `{"department":"tv","store_id":"` + e.store.ID + `"}`
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/v1/help-requests HTTP/1.1\r\nHost: helpforce.test\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", shopper, len(body), body[:10])
	time.Sleep(200 * time.Millisecond) // the server reads the headers: the connection is under way
	stopped := make(chan struct{})
	go func() { stop(); close(stopped) }()
	time.Sleep(200 * time.Millisecond) // the shutdown has begun
	if _, err := io.WriteString(conn, body[10:]); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusCreated || e.count(`SELECT count(*) FROM help_requests`) != 1 {
		t.Fatalf("the request under way at shutdown answered %d; want 201 and the request written", res.StatusCode)
	}
	<-stopped
}
