package api_test

import (
	"net/http/httptest"
	"strings"
	"testing"
)

func TestErrorCatalog(t *testing.T) {
	e := newEnv(t)
	admin := e.tokens["admin"]
	e.do("POST", "/api/v1/stores", admin, `{"name": `).wantError(400, "invalid_input")
	e.do("POST", "/api/v1/stores", admin, `{} {}`).wantError(400, "invalid_input")
	e.do("POST", "/api/v1/stores", admin, ``).wantError(400, "invalid_input")
	e.do("POST", "/api/v1/stores", admin, `{"name": 12}`).wantError(400, "invalid_input")
	e.do("POST", "/api/v1/stores", admin, `{}`, "Content-Type", "text/plain").wantError(415, "unsupported_media_type")
	e.do("POST", "/api/v1/stores", admin, `{"name":"`+strings.Repeat("x", 2<<20)+`"}`).wantError(413, "payload_too_large")
	e.do("GET", "/api/v1/no/such/thing", "", nil).wantError(404, "not_found")
	e.do("DELETE", "/api/v1/stores", admin, nil).wantError(405, "method_not_allowed")
	e.do("GET", "/api/v1/me", "not-a-token", nil).wantError(401, "unauthorized")
}

func TestInternalErrorsDoNotLeak(t *testing.T) {
	e := newEnv(t)
	if _, err := e.db.Exec(`ALTER TABLE stores RENAME COLUMN timezone TO tz`); err != nil {
		t.Fatal(err)
	}
	res := e.do("GET", "/api/v1/stores", "", nil)
	errBody := res.wantError(500, "internal")
	msg := errBody["message"].(string)
	if strings.Contains(msg, "timezone") || strings.Contains(msg, "pq") || strings.Contains(msg, "column") {
		t.Fatalf("internal detail leaked: %q", msg)
	}
	if id := res.Header().Get("X-Request-Id"); id == "" || !strings.Contains(msg, id) {
		t.Fatalf("message %q does not quote the request id %q", msg, id)
	}
}

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/", "/api/v1/stores", "/healthz"} {
		res := e.do("GET", path, "", nil).want(200)
		h := res.Header()
		if h.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") ||
			h.Get("Referrer-Policy") == "" || h.Get("X-Request-Id") == "" {
			t.Fatalf("%s: headers %v", path, h)
		}
	}
}

func TestHealth(t *testing.T) {
	e := newEnv(t)
	e.do("GET", "/healthz", "", nil).want(200)
	if got := e.do("GET", "/readyz", "", nil).want(200).json(); got["status"] != "ready" {
		t.Fatalf("readyz %v", got)
	}
	if _, err := e.db.Exec(`DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)`); err != nil {
		t.Fatal(err)
	}
	if got := e.do("GET", "/readyz", "", nil).want(503).json(); got["database"] != "schema behind" {
		t.Fatalf("readyz on an old schema: %v", got)
	}
	e.do("GET", "/api/v1/stores", "", nil).want(200)
	body := e.metrics()
	for _, want := range []string{`helpforce_http_requests_total{method="GET",route="/api/v1/stores",status="200"} 1`,
		"helpforce_http_request_duration_seconds_bucket", "go_goroutines"} {
		if !strings.Contains(body, want) {
			t.Fatalf("metrics lack %q", want)
		}
	}
}

func TestApp(t *testing.T) {
	e := newEnv(t)
	home := e.do("GET", "/", "", nil).want(200)
	if !strings.Contains(home.Body.String(), "<html") || home.Header().Get("Cache-Control") != "no-cache" {
		t.Fatalf("home: %v", home.Header())
	}
	screen := e.do("GET", "/staff", "", nil).want(200)
	if screen.Body.String() != home.Body.String() {
		t.Fatal("an app screen path does not serve the app")
	}
	sw := e.do("GET", "/sw.js", "", nil).want(200)
	if sw.Header().Get("Cache-Control") != "no-cache" || !strings.Contains(sw.Header().Get("Content-Type"), "javascript") {
		t.Fatalf("sw.js headers %v", sw.Header())
	}
	mf := e.do("GET", "/manifest.webmanifest", "", nil).want(200)
	if mf.Header().Get("Content-Type") != "application/manifest+json" {
		t.Fatalf("manifest type %q", mf.Header().Get("Content-Type"))
	}
	e.do("GET", "/no-such-file.js", "", nil).wantError(404, "not_found")
	e.do("GET", "/api/nothing", "", nil).wantError(404, "not_found")
}

func TestRequestIDIsKeptOrMade(t *testing.T) {
	e := newEnv(t, trustProxy)
	req := httptest.NewRequest("GET", "/healthz", nil)
	req.RemoteAddr = "10.0.0.1:4000" // the trusted proxy
	req.Header.Set("X-Request-Id", "proxy-123")
	if id := e.send(e.srv, req).Header().Get("X-Request-Id"); id != "proxy-123" {
		t.Fatalf("request id %q", id)
	}
	req.Header.Set("X-Request-Id", "bad id\n with spaces")
	if id := e.send(e.srv, req).Header().Get("X-Request-Id"); id == "" || strings.Contains(id, " ") {
		t.Fatalf("request id %q", id)
	}
}
