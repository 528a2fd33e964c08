package api_test

import (
	"bytes"
	"crypto/tls"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"helpforce/api"
)

// send is one request with full control of the connection's details.
func (e *env) send(srv *api.Server, req *http.Request) response {
	e.t.Helper()
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	checkDescribed(e.t, req, rec)
	return response{e.t, rec}
}

func trustProxy(o *api.Options) {
	o.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
}

func TestStrictTransportSecurityOnlyOverHTTPS(t *testing.T) {
	e := newEnv(t, trustProxy)
	hsts := func(remote, proto string, viaTLS bool) string {
		req := httptest.NewRequest("GET", "/healthz", nil)
		req.RemoteAddr = remote
		if proto != "" {
			req.Header.Set("X-Forwarded-Proto", proto)
		}
		if viaTLS {
			req.TLS = &tls.ConnectionState{}
		}
		return e.send(e.srv, req).Header().Get("Strict-Transport-Security")
	}
	if h := hsts("203.0.113.1:1", "", true); !strings.HasPrefix(h, "max-age=") {
		t.Fatalf("over TLS: %q", h)
	}
	if h := hsts("10.1.2.3:1", "https", false); !strings.HasPrefix(h, "max-age=") {
		t.Fatalf("through a trusted proxy over https: %q", h)
	}
	for _, c := range [][2]string{{"203.0.113.1:1", ""}, {"203.0.113.1:1", "https"}, {"10.1.2.3:1", "http"}} {
		if h := hsts(c[0], c[1], false); h != "" {
			t.Fatalf("plain http from %s (X-Forwarded-Proto %q) got %q", c[0], c[1], h)
		}
	}
}

func TestCookiesAreHostOnly(t *testing.T) {
	e := newEnv(t)
	res := e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "floor@example.com", "password": testPassword}).want(200)
	names := map[string]bool{}
	for _, c := range res.Result().Cookies() {
		names[c.Name] = true
		if !strings.HasPrefix(c.Name, "__Host-") || !c.Secure || c.Path != "/" || c.Domain != "" {
			t.Fatalf("cookie %+v is not a __Host- cookie", c)
		}
	}
	if !names["__Host-helpforce_session"] || !names["__Host-helpforce_csrf"] {
		t.Fatalf("cookies %v", names)
	}
}

// TestJSONBodiesMustSayJSON: a cross-site form posts text/plain without a
// preflight; a JSON endpoint must not read it.
func TestJSONBodiesMustSayJSON(t *testing.T) {
	e := newEnv(t)
	body := `{"email":"floor@example.com","password":"` + testPassword + `"}`
	for _, ct := range []string{"", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"} {
		req := httptest.NewRequest("POST", "/api/v1/auth/login", strings.NewReader(body))
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		e.send(e.srv, req).wantError(415, "unsupported_media_type")
	}
	req := httptest.NewRequest("PUT", "/api/v1/me/status", strings.NewReader(`{"status":"available"}`))
	req.Header.Set("Authorization", "Bearer "+e.tokens["floor"])
	e.send(e.srv, req).wantError(415, "unsupported_media_type")
	e.do("POST", "/api/v1/auth/login", "", body).want(200)
	// The inventory import keeps its CSV.
	csv := httptest.NewRequest("PUT", "/api/v1/stores/"+e.store.ID+"/inventory", strings.NewReader("sku,name,on_hand\nA-1,Thing,3\n"))
	csv.Header.Set("Content-Type", "text/csv")
	csv.Header.Set("Authorization", "Bearer "+e.tokens["manager"])
	e.send(e.srv, csv).want(200)
}

func TestRequestIDIsKeptOnlyFromTrustedProxies(t *testing.T) {
	e := newEnv(t, trustProxy)
	id := func(remote string) string {
		req := httptest.NewRequest("GET", "/healthz", nil)
		req.RemoteAddr = remote
		req.Header.Set("X-Request-Id", "planted-id-42")
		return e.send(e.srv, req).Header().Get("X-Request-Id")
	}
	if got := id("203.0.113.5:1"); got == "planted-id-42" || got == "" {
		t.Fatalf("a client's request id was kept: %q", got)
	}
	if got := id("10.0.0.7:1"); got != "planted-id-42" {
		t.Fatalf("the trusted proxy's request id was replaced by %q", got)
	}
}

// TestShelfCodesNeverCarryAForgedHost: a QR image is cached publicly for a
// day, so a forged Host must not be printed into it.
func TestShelfCodesNeverCarryAForgedHost(t *testing.T) {
	spot := func(e *env) string {
		return e.do("POST", "/api/v1/stores/"+e.store.ID+"/spots", e.tokens["manager"],
			map[string]string{"department": "tv", "label": "Aisle 3"}, "Host", "localhost:8080").want(201).json()["code"].(string)
	}
	get := func(e *env, path, host string) response {
		req := httptest.NewRequest("GET", path, nil)
		req.Host = host
		return e.send(e.srv, req)
	}

	// Nothing configured: loopback names only, for trying things out.
	e := newEnv(t)
	code := spot(e)
	get(e, "/api/v1/spots/"+code+"/qr.svg", "evil.example").wantError(409, "invalid_state")
	if v := get(e, "/api/v1/spots/"+code, "evil.example").want(200).json(); v["url"] != nil {
		t.Fatalf("a forged host was answered with %v", v["url"])
	}
	if v := get(e, "/api/v1/spots/"+code, "localhost:8080").want(200).json(); v["url"] != "http://localhost:8080/help?spot="+code {
		t.Fatalf("url %v", v["url"])
	}

	// An allow-list: its hosts only.
	e = newEnv(t, func(o *api.Options) { o.AllowedHosts = []string{"help.example.com"} })
	code = spot(e)
	get(e, "/api/v1/spots/"+code+"/qr.svg", "help.example.com").want(200)
	get(e, "/api/v1/spots/"+code+"/qr.svg", "localhost:8080").wantError(409, "invalid_state")
	if v := get(e, "/api/v1/spots/"+code, "help.example.com").want(200).json(); v["url"] != "http://help.example.com/help?spot="+code {
		t.Fatalf("url %v", v["url"])
	}

	// A public URL wins over any Host.
	e = newEnv(t, func(o *api.Options) { o.PublicURL = "https://shop.example.com" })
	code = spot(e)
	if v := get(e, "/api/v1/spots/"+code, "evil.example").want(200).json(); v["url"] != "https://shop.example.com/help?spot="+code {
		t.Fatalf("url %v", v["url"])
	}
}

// TestUntrustedProxyIsReportedOnce: X-Forwarded-For from a private address
// with no trusted proxy set means every shopper shares the proxy's limits.
func TestUntrustedProxyIsReportedOnce(t *testing.T) {
	e := newEnv(t)
	var logs bytes.Buffer
	srv := api.New(api.Deps{DB: e.db, People: e.people, Stores: e.stores, Places: e.places, Push: e.push,
		Desk: e.desk, Holds: e.holds, Live: e.live, Log: slog.New(slog.NewTextHandler(&logs, nil))}, api.Options{})
	call := func(remote, xff string) {
		req := httptest.NewRequest("GET", "/healthz", nil)
		req.RemoteAddr = remote
		req.Header.Set("X-Forwarded-For", xff)
		e.send(srv, req).want(200)
	}
	call("203.0.113.4:1", "198.51.100.1")
	if logs.Len() != 0 {
		t.Fatalf("a public client's header was reported: %s", logs.String())
	}
	for range 3 {
		call("10.0.0.2:1", "198.51.100.1")
	}
	if n := strings.Count(logs.String(), "level=WARN"); n != 1 {
		t.Fatalf("the warning was logged %d times:\n%s", n, logs.String())
	}
}
