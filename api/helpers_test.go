package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"golang.org/x/crypto/bcrypt"

	"helpforce/api"
	"helpforce/app"
	"helpforce/assist"
	"helpforce/holds"
	"helpforce/notify"
	"helpforce/notify/pushtest"
	"helpforce/people"
	"helpforce/pg/pgtest"
	"helpforce/stores"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

const testPassword = "correct horse battery"

// env is a server on a fresh database with a store and one person of each role.
type env struct {
	t       testing.TB
	url     string
	cfg     app.Config // what the env's services were built from, for another replica
	db      *sqlx.DB
	srv     *api.Server
	people  *people.Directory
	stores  *stores.Registry
	places  *stores.Places
	push    *notify.Push
	desk    *assist.Desk
	holds   *holds.Keeper
	live    *notify.Live
	pushsvc *pushtest.Service
	store   stores.Store
	other   stores.Store
	tokens  map[string]string // role -> bearer token
}

func newEnv(t testing.TB, opts ...func(*api.Options)) *env {
	t.Helper()
	url, db := pgtest.Open(t)
	var o api.Options
	for _, f := range opts {
		f(&o)
	}
	pushsvc := pushtest.New(t)
	cfg := app.Config{DatabaseURL: url, BcryptCost: bcrypt.MinCost, API: o,
		Push: notify.Config{Subject: "ops@example.com", AllowHosts: []string{pushsvc.HostPort()}}}
	a, err := app.New(context.Background(), db, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	// Sessions are kept in memory and forgotten as they change, as in serve.
	pgtest.Listen(t, url, a.People.Watch)
	dir, reg := a.People, a.Stores
	e := &env{t: t, url: url, cfg: cfg, db: db, srv: a.API, people: dir, stores: reg, places: a.Places, push: a.Push,
		desk: a.Desk, holds: a.Holds, live: a.Live, pushsvc: pushsvc, tokens: map[string]string{}}
	e.store = e.mustStore("Lyon Part-Dieu", 45.7611, 4.8557)
	e.other = e.mustStore("Lyon Confluence", 45.7405, 4.8176)
	for _, code := range []string{"tv", "phones"} {
		if _, err := reg.CreateDepartment(context.Background(), e.store.ID, code, code); err != nil {
			t.Fatal(err)
		}
	}
	for _, role := range []people.Role{people.RoleFloor, people.RoleManager, people.RoleAgent, people.RoleAdmin} {
		var storeID *string
		if role.InStore() {
			storeID = &e.store.ID
		}
		email := string(role) + "@example.com"
		u, err := dir.CreateUser(context.Background(), people.NewUser{Email: email, Name: "A " + string(role),
			Password: testPassword, Role: role, StoreID: storeID})
		if err != nil {
			t.Fatal(err)
		}
		if e.tokens[string(role)], _, err = dir.NewSession(context.Background(), u.ID, time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

func (e *env) mustStore(name string, lat, lng float64) stores.Store {
	e.t.Helper()
	st, err := e.stores.CreateStore(context.Background(), stores.NewStore{Name: name, Timezone: "Europe/Paris",
		Location: &stores.Location{Lat: lat, Lng: lng}})
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.places.Put(st); err != nil {
		e.t.Fatal(err)
	}
	return st
}

func (e *env) login(email, password string) string {
	e.t.Helper()
	res := e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": email, "password": password})
	res.want(http.StatusOK)
	return res.json()["token"].(string)
}

// response is a recorded answer.
type response struct {
	t testing.TB
	*httptest.ResponseRecorder
}

func (r response) want(status int) response {
	r.t.Helper()
	if r.Code != status {
		r.t.Fatalf("status %d, want %d; body %s", r.Code, status, r.Body.String())
	}
	return r
}

func (r response) json() map[string]any {
	r.t.Helper()
	var v map[string]any
	if err := json.Unmarshal(r.Body.Bytes(), &v); err != nil {
		r.t.Fatalf("body is not a JSON object: %v: %s", err, r.Body.String())
	}
	return v
}

func (r response) list() []any {
	r.t.Helper()
	var v []any
	if err := json.Unmarshal(r.Body.Bytes(), &v); err != nil {
		r.t.Fatalf("body is not a JSON array: %v: %s", err, r.Body.String())
	}
	return v
}

// wantError checks the status and the stable error code.
func (r response) wantError(status int, code string) map[string]any {
	r.t.Helper()
	r.want(status)
	e, ok := r.json()["error"].(map[string]any)
	if !ok || e["code"] != code || e["message"] == "" {
		r.t.Fatalf("error body %s, want code %q", r.Body.String(), code)
	}
	return e
}

// do sends a request with a bearer token (when given) and a JSON body (when
// not nil; a string or []byte is sent as is).
func (e *env) do(method, path, token string, body any, headers ...string) response {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewBufferString(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(method, path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	checkDescribed(e.t, req, rec)
	return response{e.t, rec}
}

func (e *env) count(query string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.db.Get(&n, query, args...); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// serve runs the env's server on a local port, as helpforce serve does. stop
// shuts it down and waits for Serve to return, failing the test when it
// errs or takes over 10 s; calling it again does nothing.
func (e *env) serve() (addr string, stop func()) {
	e.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		e.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- e.srv.Serve(ctx, ln) }()
	var once sync.Once
	return ln.Addr().String(), func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-served:
				if err != nil {
					e.t.Errorf("serve: %v", err)
				}
			case <-time.After(10 * time.Second):
				e.t.Error("the server did not stop")
			}
		})
	}
}
