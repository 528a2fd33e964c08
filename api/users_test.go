package api_test

import (
	"testing"
)

func TestCreateUserRoles(t *testing.T) {
	e := newEnv(t)
	floorIn := func(storeID, email string) map[string]any {
		return map[string]any{"email": email, "name": "New Person", "password": "long enough pw",
			"role": "floor", "store_id": storeID, "departments": []string{"tv"}}
	}
	cases := []struct {
		name   string
		token  string
		body   map[string]any
		status int
		code   string
	}{
		{"admin creates floor", e.tokens["admin"], floorIn(e.store.ID, "a1@example.com"), 201, ""},
		{"manager creates floor in own store", e.tokens["manager"], floorIn(e.store.ID, "a2@example.com"), 201, ""},
		{"manager cannot staff another store", e.tokens["manager"], floorIn(e.other.ID, "a3@example.com"), 403, "forbidden"},
		{"manager cannot create agents", e.tokens["manager"], map[string]any{"email": "a4@example.com", "name": "X",
			"password": "long enough pw", "role": "agent"}, 403, "forbidden"},
		{"manager cannot create admins", e.tokens["manager"], map[string]any{"email": "a5@example.com", "name": "X",
			"password": "long enough pw", "role": "admin"}, 403, "forbidden"},
		{"floor staff create nobody", e.tokens["floor"], floorIn(e.store.ID, "a6@example.com"), 403, "forbidden"},
		{"agents create nobody", e.tokens["agent"], floorIn(e.store.ID, "a7@example.com"), 403, "forbidden"},
		{"anonymous", "", floorIn(e.store.ID, "a8@example.com"), 401, "unauthorized"},
		{"admin creates agent", e.tokens["admin"], map[string]any{"email": "a9@example.com", "name": "X",
			"password": "long enough pw", "role": "agent"}, 201, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := e.do("POST", "/api/v1/users", c.token, c.body)
			if c.code != "" {
				res.wantError(c.status, c.code)
				return
			}
			u := res.want(c.status).json()
			if u["email"] != c.body["email"] || u["role"] != c.body["role"] || u["status"] != "off" {
				t.Fatalf("created %v", u)
			}
		})
	}
	if n := e.count(`SELECT count(*) FROM users WHERE email IN ('a3@example.com','a4@example.com','a5@example.com','a6@example.com','a7@example.com','a8@example.com')`); n != 0 {
		t.Fatalf("%d refused accounts were written", n)
	}
}

func TestCreateUserValidation(t *testing.T) {
	e := newEnv(t)
	good := func() map[string]any {
		return map[string]any{"email": "new@example.com", "name": "New Person", "password": "long enough pw",
			"role": "floor", "store_id": e.store.ID, "departments": []string{"tv", "phones"}}
	}
	cases := []struct {
		field  string
		value  any
		status int
		code   string
	}{
		{"email", "not an email", 422, "invalid_input"},
		{"email", "Floor@Example.com", 409, "already_exists"},
		{"name", "   ", 422, "invalid_input"},
		{"password", "short", 422, "invalid_input"},
		{"role", "owner", 422, "invalid_input"},
		{"store_id", nil, 422, "invalid_input"},
		{"store_id", "00000000-0000-0000-0000-000000000000", 422, "invalid_input"},
		{"store_id", "not-a-uuid", 422, "invalid_input"},
		{"departments", []string{"tv", "garden"}, 422, "invalid_input"},
		{"departments", "tv", 400, "invalid_input"},
	}
	for _, c := range cases {
		body := good()
		body[c.field] = c.value
		e.do("POST", "/api/v1/users", e.tokens["admin"], body).wantError(c.status, c.code)
	}
	if n := e.count(`SELECT count(*) FROM users WHERE email = 'new@example.com'`); n != 0 {
		t.Fatal("a refused account was written")
	}
	if n := e.count(`SELECT count(*) FROM user_departments`); n != 0 {
		t.Fatal("departments of a refused account were written")
	}
	u := e.do("POST", "/api/v1/users", e.tokens["admin"], good()).want(201).json()
	if deps := u["departments"].([]any); len(deps) != 2 {
		t.Fatalf("departments %v", deps)
	}
	e.login("new@example.com", "long enough pw")
}

func TestListUsers(t *testing.T) {
	e := newEnv(t)
	all := e.do("GET", "/api/v1/users", e.tokens["admin"], nil).want(200).list()
	mine := e.do("GET", "/api/v1/users", e.tokens["manager"], nil).want(200).list()
	if len(all) != 4 || len(mine) != 2 {
		t.Fatalf("admin sees %d, manager sees %d; want 4 and 2", len(all), len(mine))
	}
	e.do("GET", "/api/v1/users", e.tokens["floor"], nil).wantError(403, "forbidden")
}
