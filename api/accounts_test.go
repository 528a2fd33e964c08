package api_test

import (
	"net/http"
	"testing"

	"helpforce/people"
)

func (e *env) subscribe(token string) string {
	e.t.Helper()
	sub := e.pushsvc.Subscribe()
	e.do("POST", "/api/v1/push/subscriptions", token, map[string]any{"endpoint": sub.Endpoint,
		"keys": map[string]string{"p256dh": sub.P256dh, "auth": sub.Auth}}).want(201)
	return sub.Endpoint
}

func TestChangePasswordEndsOtherSessions(t *testing.T) {
	e := newEnv(t)
	here := e.login("floor@example.com", testPassword)
	there := e.login("floor@example.com", testPassword)
	e.subscribe(there)
	change := func(current, next string) response {
		return e.do("PUT", "/api/v1/me/password", here, map[string]string{"current_password": current, "new_password": next})
	}
	if f := change("wrong password", "a brand new secret").wantError(422, "invalid_input"); f["field"] != "current_password" {
		t.Fatalf("wrong current password refused on %v", f["field"])
	}
	change(testPassword, "short").wantError(422, "invalid_input")
	change(testPassword, testPassword).wantError(422, "invalid_input")
	e.do("GET", "/api/v1/me", there, nil).want(200) // nothing changed yet
	change(testPassword, "a brand new secret").want(204)

	e.do("GET", "/api/v1/me", here, nil).want(200)
	e.do("GET", "/api/v1/me", there, nil).wantError(401, "unauthorized")
	e.do("GET", "/api/v1/me", e.tokens["floor"], nil).wantError(401, "unauthorized")
	if n := e.count(`SELECT count(*) FROM push_subscriptions`); n != 0 {
		t.Fatalf("%d push subscriptions of ended sessions remain", n)
	}
	e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "floor@example.com", "password": testPassword}).
		wantError(401, "unauthorized")
	e.login("floor@example.com", "a brand new secret")
	e.do("PUT", "/api/v1/me/password", e.do("POST", "/api/v1/shoppers", "", nil).want(201).json()["token"].(string),
		map[string]string{"current_password": "x", "new_password": "long enough now"}).wantError(403, "forbidden")
}

func TestPasswordResetForcesAChange(t *testing.T) {
	e := newEnv(t)
	floorID := e.do("GET", "/api/v1/me", e.tokens["floor"], nil).want(200).json()["id"].(string)
	agentID := e.do("GET", "/api/v1/me", e.tokens["agent"], nil).want(200).json()["id"].(string)
	adminID := e.do("GET", "/api/v1/me", e.tokens["admin"], nil).want(200).json()["id"].(string)
	stranger, err := e.people.CreateUser(t.Context(), newFloor(e.other.ID, "stranger@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	reset := func(token, id string) response {
		return e.do("POST", "/api/v1/users/"+id+"/password-reset", token, nil)
	}
	reset(e.tokens["floor"], floorID).wantError(403, "forbidden")
	reset(e.tokens["agent"], floorID).wantError(403, "forbidden")
	reset(e.tokens["manager"], agentID).wantError(403, "forbidden")
	reset(e.tokens["manager"], stranger.ID).wantError(403, "forbidden")
	reset(e.tokens["admin"], adminID).wantError(422, "invalid_input")
	reset(e.tokens["admin"], "00000000-0000-0000-0000-000000000000").wantError(404, "not_found")
	e.do("GET", "/api/v1/me", e.tokens["floor"], nil).want(200) // refusals changed nothing

	temp := reset(e.tokens["manager"], floorID).want(200).json()["temporary_password"].(string)
	if len(temp) < 12 {
		t.Fatalf("temporary password %q", temp)
	}
	e.do("GET", "/api/v1/me", e.tokens["floor"], nil).wantError(401, "unauthorized")
	res := e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "floor@example.com", "password": temp}).want(200)
	if u := res.json()["user"].(map[string]any); u["must_change_password"] != true {
		t.Fatalf("login after a reset answered user %v", u)
	}
	token := res.json()["token"].(string)
	e.do("GET", "/api/v1/queue", token, nil).wantError(403, "password_change_required")
	e.do("PUT", "/api/v1/me/status", token, map[string]string{"status": "available"}).wantError(403, "password_change_required")
	e.do("GET", "/api/v1/me", token, nil).want(200)
	e.do("PUT", "/api/v1/me/password", token, map[string]string{"current_password": temp, "new_password": "my own secret"}).want(204)
	if u := e.do("GET", "/api/v1/me", token, nil).want(200).json(); u["must_change_password"] != false {
		t.Fatalf("after the change, me = %v", u)
	}
	e.do("GET", "/api/v1/queue", token, nil).want(200)
	// An admin resets anyone, agents included.
	reset(e.tokens["admin"], agentID).want(200)
}

// TestDeactivationEndsSessionsForGood: before, a token from before the
// deactivation worked again once the person was reactivated.
func TestDeactivationEndsSessionsForGood(t *testing.T) {
	e := newEnv(t)
	token := e.login("floor@example.com", testPassword)
	e.subscribe(token)
	id := e.do("GET", "/api/v1/me", token, nil).want(200).json()["id"].(string)
	if _, err := e.db.Exec(`INSERT INTO push_subscriptions (endpoint, p256dh, auth, user_id)
		SELECT 'https://fcm.googleapis.com/fcm/send/legacy', p256dh, auth, user_id FROM push_subscriptions`); err != nil {
		t.Fatal(err) // a subscription from before they were tied to sessions
	}
	e.do("PATCH", "/api/v1/users/"+id, e.tokens["manager"], map[string]any{"active": false}).want(200)
	e.do("GET", "/api/v1/me", token, nil).wantError(401, "unauthorized")
	if n := e.count(`SELECT count(*) FROM sessions WHERE user_id = $1`, id) +
		e.count(`SELECT count(*) FROM push_subscriptions WHERE user_id = $1`, id); n != 0 {
		t.Fatalf("%d sessions and subscriptions survive deactivation", n)
	}
	e.do("PATCH", "/api/v1/users/"+id, e.tokens["manager"], map[string]any{"active": true}).want(200)
	e.do("GET", "/api/v1/me", token, nil).wantError(401, "unauthorized")
	e.do("GET", "/api/v1/me", e.tokens["floor"], nil).wantError(401, "unauthorized")
	e.login("floor@example.com", testPassword)
}

func TestIdleSessionsEnd(t *testing.T) {
	e := newEnv(t)
	staffToken := e.tokens["agent"]
	shopper := e.do("POST", "/api/v1/shoppers", "", nil).want(201).json()["token"].(string)
	e.db.MustExec(`UPDATE sessions SET last_used_at = now() - interval '13 hours'`)
	e.do("GET", "/api/v1/me", staffToken, nil).wantError(401, "unauthorized")
	e.do("GET", "/api/v1/me", shopper, nil).want(200) // a shopper's device identity does not idle out
	if err := e.people.Sweep(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := e.count(`SELECT count(*) FROM sessions WHERE user_id IS NOT NULL`); n != 0 {
		t.Fatalf("%d idle staff sessions survive the sweep", n)
	}
}

// TestSessionUseIsRecordedAtMostOnceAMinute: the idle clock restarts with use,
// without a write on every request.
func TestSessionUseIsRecordedAtMostOnceAMinute(t *testing.T) {
	e := newEnv(t)
	token := e.tokens["floor"]
	lastUsed := func() string {
		var at string
		if err := e.db.Get(&at, `SELECT last_used_at::text FROM sessions s JOIN users u ON u.id = s.user_id
			WHERE u.email = 'floor@example.com'`); err != nil {
			t.Fatal(err)
		}
		return at
	}
	e.db.MustExec(`UPDATE sessions SET last_used_at = now() - interval '11 hours'`)
	old := lastUsed()
	e.do("GET", "/api/v1/me", token, nil).want(200)
	touched := lastUsed()
	if touched == old {
		t.Fatal("using the session did not record it")
	}
	e.db.MustExec(`UPDATE sessions SET last_used_at = now() - interval '30 seconds'`)
	recent := lastUsed()
	e.do("GET", "/api/v1/me", token, nil).want(200)
	if lastUsed() != recent {
		t.Fatal("a session used within the minute was written again")
	}
}

func TestLogoutEverywhere(t *testing.T) {
	e := newEnv(t)
	a := e.login("manager@example.com", testPassword)
	b := e.login("manager@example.com", testPassword)
	e.subscribe(b)
	res := e.do("POST", "/api/v1/auth/logout-everywhere", a, nil).want(204)
	for _, c := range res.Result().Cookies() {
		if c.MaxAge >= 0 {
			t.Fatalf("cookie %s was not cleared", c.Name)
		}
	}
	for _, tok := range []string{a, b, e.tokens["manager"]} {
		e.do("GET", "/api/v1/me", tok, nil).wantError(401, "unauthorized")
	}
	if n := e.count(`SELECT count(*) FROM push_subscriptions`); n != 0 {
		t.Fatalf("%d subscriptions outlived signing out everywhere", n)
	}
	e.do("GET", "/api/v1/me", e.tokens["floor"], nil).want(200) // others are untouched
}

// TestSignOutRemovesThisDevicesSubscription: a signed-out phone gets no alerts.
func TestSignOutRemovesThisDevicesSubscription(t *testing.T) {
	e := newEnv(t)
	phone := e.login("floor@example.com", testPassword)
	desk := e.login("floor@example.com", testPassword)
	gone := e.subscribe(phone)
	kept := e.subscribe(desk)
	e.do("POST", "/api/v1/auth/logout", phone, nil).want(204)
	if n := e.count(`SELECT count(*) FROM push_subscriptions WHERE endpoint = $1`, gone); n != 0 {
		t.Fatal("the signed-out device keeps its push subscription")
	}
	if n := e.count(`SELECT count(*) FROM push_subscriptions WHERE endpoint = $1`, kept); n != 1 {
		t.Fatal("another device's subscription was removed")
	}
}

// TestSigningInOnABrowserSignsOutTheLastPerson: the shared store phone.
func TestSigningInOnABrowserSignsOutTheLastPerson(t *testing.T) {
	e := newEnv(t)
	res := e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "floor@example.com", "password": testPassword}).want(200)
	first := res.json()["token"].(string)
	sub := e.pushsvc.Subscribe()
	body := map[string]any{"endpoint": sub.Endpoint, "keys": map[string]string{"p256dh": sub.P256dh, "auth": sub.Auth}}
	e.do("POST", "/api/v1/push/subscriptions", first, body).want(201)
	second := e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "manager@example.com", "password": testPassword},
		"Cookie", cookieHeader(res.Result().Cookies()), "X-CSRF-Token", res.json()["csrf_token"].(string)).want(200).json()["token"].(string)
	e.do("GET", "/api/v1/me", first, nil).wantError(401, "unauthorized")
	e.do("POST", "/api/v1/push/subscriptions", second, body).want(201)
}

func cookieHeader(cs []*http.Cookie) string {
	var s string
	for _, c := range cs {
		s += c.Name + "=" + c.Value + "; "
	}
	return s
}

func newFloor(storeID, email string) people.NewUser {
	return people.NewUser{Email: email, Name: "Someone", Password: testPassword, Role: people.RoleFloor, StoreID: &storeID}
}
