package api_test

import (
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"helpforce/api"
	"helpforce/people"
)

// loginFrom signs in from a client address.
func (e *env) loginFrom(addr, email, password string) response {
	e.t.Helper()
	body := `{"email":` + strconv.Quote(email) + `,"password":` + strconv.Quote(password) + `}`
	req := httptest.NewRequest("POST", "/api/v1/auth/login", strings.NewReader(body))
	req.RemoteAddr = addr
	req.Header.Set("Content-Type", "application/json")
	return e.send(e.srv, req)
}

// TestParallelGuessesAreCountedFirst: every attempt is counted before its
// password is checked, so a burst of guesses cannot all pass the check that
// the first few have not yet counted against.
func TestParallelGuessesAreCountedFirst(t *testing.T) {
	e := newEnv(t, func(o *api.Options) {
		o.LoginBackoff = people.Backoff{Free: 3, Base: time.Hour, Max: time.Hour}
	})
	const guesses = 24
	codes := make([]int, guesses)
	var wg sync.WaitGroup
	for i := range guesses {
		wg.Go(func() {
			body := `{"email":"manager@example.com","password":"guess ` + strconv.Itoa(i) + `"}`
			req := httptest.NewRequest("POST", "/api/v1/auth/login", strings.NewReader(body))
			req.RemoteAddr = "203.0.113.9:4000"
			req.Header.Set("Content-Type", "application/json")
			codes[i] = e.send(e.srv, req).Code
		})
	}
	wg.Wait()
	checked, limited := 0, 0
	for _, c := range codes {
		switch c {
		case 401:
			checked++
		case 429:
			limited++
		default:
			t.Fatalf("a guess answered %d", c)
		}
	}
	if checked != 3 || limited != guesses-3 {
		t.Fatalf("%d guesses reached the password check and %d were limited; want 3 and %d", checked, limited, guesses-3)
	}
	// The guesser cannot lock the manager out: from anywhere else the right
	// password works.
	e.loginFrom("198.51.100.20:5000", "manager@example.com", testPassword).want(200)
	// Nor even from the guesser's address with the right password? It waits too.
	e.loginFrom("203.0.113.9:4000", "manager@example.com", testPassword).wantError(429, "rate_limited")
}

// TestLoginDelayGrows: after the free attempts each further one waits twice
// as long as the one before.
func TestLoginDelayGrows(t *testing.T) {
	e := newEnv(t, func(o *api.Options) {
		o.LoginBackoff = people.Backoff{Free: 2, Base: time.Minute, Max: time.Hour}
	})
	const from = "203.0.113.50:1000"
	retryAfter := func() int {
		res := e.loginFrom(from, "floor@example.com", "guess")
		res.wantError(429, "rate_limited")
		n, err := strconv.Atoi(res.Header().Get("Retry-After"))
		if err != nil {
			t.Fatalf("Retry-After %q", res.Header().Get("Retry-After"))
		}
		return n
	}
	wait := func(d string) { e.db.MustExec(`UPDATE login_attempts SET last_at = last_at - $1::interval`, d) }
	e.loginFrom(from, "floor@example.com", "guess").wantError(401, "unauthorized")
	e.loginFrom(from, "floor@example.com", "guess").wantError(401, "unauthorized")
	if r := retryAfter(); r < 55 || r > 60 {
		t.Fatalf("the first delay is %ds, want a minute", r)
	}
	wait("61 seconds")
	e.loginFrom(from, "floor@example.com", "guess").wantError(401, "unauthorized")
	if r := retryAfter(); r < 115 || r > 120 {
		t.Fatalf("the second delay is %ds, want two minutes", r)
	}
	wait("121 seconds")
	// The right password, once the wait is over, signs in and starts afresh.
	e.loginFrom(from, "floor@example.com", testPassword).want(200)
	e.loginFrom(from, "floor@example.com", "guess").wantError(401, "unauthorized")
}

// TestIPv6LimitsCountPerSubnet: the addresses of one /64 are one client.
func TestIPv6LimitsCountPerSubnet(t *testing.T) {
	e := newEnv(t, func(o *api.Options) {
		o.LoginPerIP = people.Limit{Max: 2, Window: time.Hour}
	})
	e.loginFrom("[2001:db8:1:2::1]:443", "floor@example.com", testPassword).want(200)
	e.loginFrom("[2001:db8:1:2:ffff::9]:443", "agent@example.com", testPassword).want(200)
	e.loginFrom("[2001:db8:1:2:abcd::7]:443", "manager@example.com", testPassword).wantError(429, "rate_limited")
	e.loginFrom("[2001:db8:1:3::1]:443", "manager@example.com", testPassword).want(200)
}

func TestOverlongEmailIsRefusedBeforeAnyLookup(t *testing.T) {
	e := newEnv(t)
	long := strings.Repeat("a", 250) + "@example.com"
	e.loginFrom("203.0.113.1:1", long, "whatever password").wantError(422, "invalid_input")
	if n := e.count(`SELECT count(*) FROM login_attempts`) + e.count(`SELECT count(*) FROM rate_limits`); n != 0 {
		t.Fatalf("an overlong email was counted (%d rows)", n)
	}
}
