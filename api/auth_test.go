package api_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"helpforce/api"
	"helpforce/people"
)

func TestLogin(t *testing.T) {
	e := newEnv(t)
	res := e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "FLOOR@example.com", "password": testPassword}).want(200)
	body := res.json()
	user := body["user"].(map[string]any)
	if user["role"] != "floor" || user["store_id"] != e.store.ID || body["token"] == "" {
		t.Fatalf("login answered %v", body)
	}
	cookies := res.Result().Cookies()
	var session *http.Cookie
	for _, c := range cookies {
		if c.Name == "__Host-helpforce_session" {
			session = c
		}
	}
	if session == nil || !session.HttpOnly || !session.Secure || session.SameSite != http.SameSiteStrictMode {
		t.Fatalf("session cookie %+v: want HttpOnly, Secure, SameSite=Strict", session)
	}

	e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "floor@example.com", "password": "wrong password"}).
		wantError(401, "unauthorized")
	e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "nobody@example.com", "password": "wrong password"}).
		wantError(401, "unauthorized")
	e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "", "password": "x"}).wantError(422, "invalid_input")
	e.do("POST", "/api/v1/auth/login", "", `{"email": 5}`).wantError(400, "invalid_input")
}

func TestTokenLifecycle(t *testing.T) {
	e := newEnv(t)
	token := e.login("agent@example.com", testPassword)
	me := e.do("GET", "/api/v1/me", token, nil).want(200).json()
	if me["role"] != "agent" || me["store_id"] != nil {
		t.Fatalf("me = %v", me)
	}
	e.do("POST", "/api/v1/auth/logout", token, nil).want(204)
	e.do("GET", "/api/v1/me", token, nil).wantError(401, "unauthorized")
	e.do("GET", "/api/v1/me", "", nil).wantError(401, "unauthorized")
	e.do("GET", "/api/v1/me", "", nil, "Authorization", "Basic abc").wantError(401, "unauthorized")
	if _, err := e.people.SessionByToken(context.Background(), token); !errors.Is(err, people.ErrNoSession) {
		t.Fatalf("the session outlived logout: %v", err)
	}
}

func TestCookieWritesNeedCSRFToken(t *testing.T) {
	e := newEnv(t)
	res := e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "floor@example.com", "password": testPassword}).want(200)
	csrf := res.json()["csrf_token"].(string)
	var cookie string
	for _, c := range res.Result().Cookies() {
		cookie += c.Name + "=" + c.Value + "; "
	}
	e.do("GET", "/api/v1/me", "", nil, "Cookie", cookie).want(200)
	e.do("PUT", "/api/v1/me/status", "", map[string]string{"status": "available"}, "Cookie", cookie).
		wantError(403, "forbidden")
	e.do("PUT", "/api/v1/me/status", "", map[string]string{"status": "available"}, "Cookie", cookie, "X-CSRF-Token", "forged").
		wantError(403, "forbidden")
	got := e.do("PUT", "/api/v1/me/status", "", map[string]string{"status": "available"}, "Cookie", cookie, "X-CSRF-Token", csrf).
		want(200).json()
	if got["status"] != "available" {
		t.Fatalf("status = %v", got["status"])
	}
}

func TestPresence(t *testing.T) {
	e := newEnv(t)
	for _, status := range []string{"available", "break", "off"} {
		got := e.do("PUT", "/api/v1/me/status", e.tokens["floor"], map[string]string{"status": status}).want(200).json()
		if got["status"] != status {
			t.Fatalf("status %v, want %s", got["status"], status)
		}
	}
	e.do("PUT", "/api/v1/me/status", e.tokens["floor"], map[string]string{"status": "busy"}).wantError(422, "invalid_input")
	e.do("PUT", "/api/v1/me/status", e.tokens["floor"], map[string]string{"status": ""}).wantError(422, "invalid_input")
	e.do("PUT", "/api/v1/me/status", e.tokens["admin"], map[string]string{"status": "available"}).wantError(403, "forbidden")
	// Busy is the server's to set: asking for available keeps a person at
	// capacity busy.
	if _, err := e.db.Exec(`UPDATE users SET status = 'busy', load = capacity WHERE email = 'floor@example.com'`); err != nil {
		t.Fatal(err)
	}
	got := e.do("PUT", "/api/v1/me/status", e.tokens["floor"], map[string]string{"status": "available"}).want(200).json()
	if got["status"] != "busy" {
		t.Fatalf("a person at capacity became %v", got["status"])
	}
}

func TestLoginsAreLimitedPerIP(t *testing.T) {
	e := newEnv(t, func(o *api.Options) {
		o.LoginPerIP = people.Limit{Max: 2, Window: time.Hour}
	})
	login := func(ip, xff string) response {
		req := httptest.NewRequest("POST", "/api/v1/auth/login",
			strings.NewReader(`{"email":"floor@example.com","password":"`+testPassword+`"}`))
		req.RemoteAddr = ip + ":5000"
		req.Header.Set("Content-Type", "application/json")
		if xff != "" {
			req.Header.Set("X-Forwarded-For", xff)
		}
		return e.send(e.srv, req)
	}
	login("203.0.113.7", "").want(200)
	login("203.0.113.7", "198.51.100.1").want(200)
	// A forged X-Forwarded-For does not buy a fresh allowance.
	login("203.0.113.7", "198.51.100.2").wantError(429, "rate_limited")
	login("203.0.113.8", "").want(200)
}

func TestShoppers(t *testing.T) {
	e := newEnv(t, func(o *api.Options) {
		o.ShoppersPerIP = people.Limit{Max: 2, Window: time.Hour}
	})
	body := e.do("POST", "/api/v1/shoppers", "", nil).want(201).json()
	token := body["token"].(string)
	me := e.do("GET", "/api/v1/me", token, nil).want(200).json()
	if me["role"] != "shopper" || me["id"] != body["id"] {
		t.Fatalf("shopper me = %v", me)
	}
	e.do("PUT", "/api/v1/me/status", token, map[string]string{"status": "available"}).wantError(403, "forbidden")
	e.do("POST", "/api/v1/shoppers", "", nil).want(201)
	e.do("POST", "/api/v1/shoppers", "", nil).wantError(429, "rate_limited")
}

// TestShoppersAreLimitedPerIPv6Network: the addresses of one IPv6 /64 are
// one subscriber's, so new identities from any of them count together.
func TestShoppersAreLimitedPerIPv6Network(t *testing.T) {
	e := newEnv(t, func(o *api.Options) {
		o.ShoppersPerIP = people.Limit{Max: 2, Window: time.Hour}
	})
	from := func(ip string) response {
		req := httptest.NewRequest("POST", "/api/v1/shoppers", nil)
		req.RemoteAddr = "[" + ip + "]:5000"
		return e.send(e.srv, req)
	}
	from("2001:db8:1:2::1").want(201)
	from("2001:db8:1:2::2").want(201)
	from("2001:db8:1:2:ffff::3").wantError(429, "rate_limited")
	from("2001:db8:1:3::1").want(201)
}
