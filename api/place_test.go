package api_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"helpforce/api"
	"helpforce/pg"
	"helpforce/stores"
)

func TestLocate(t *testing.T) {
	e := newEnv(t) // Part-Dieu: a 60 m circle at 45.7611, 4.8557; Confluence 2.9 km away
	cases := []struct {
		name, query, confidence, store string
		candidates                     int
	}{
		{"inside", "lat=45.7611&lng=4.8557&accuracy=10", "inside", "Lyon Part-Dieu", 1},
		{"no accuracy given", "lat=45.7611&lng=4.8557", "inside", "Lyon Part-Dieu", 1},
		{"just outside with a wide disk", "lat=45.7611&lng=4.8567&accuracy=40", "ambiguous", "Lyon Part-Dieu", 1},
		{"across town", "lat=45.7500&lng=4.8400&accuracy=20", "nearby", "", 2},
		{"another city", "lat=48.8566&lng=2.3522&accuracy=20", "none", "", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := e.do("GET", "/api/v1/locate?"+c.query, "", nil).want(200).json()
			if got["confidence"] != c.confidence {
				t.Fatalf("confidence %v, want %s: %v", got["confidence"], c.confidence, got)
			}
			name := ""
			if st, ok := got["store"].(map[string]any); ok {
				name = st["name"].(string)
			}
			if name != c.store || len(got["candidates"].([]any)) != c.candidates {
				t.Fatalf("store %q with %d candidates, want %q with %d", name, len(got["candidates"].([]any)), c.store, c.candidates)
			}
		})
	}
}

func TestLocateRefusesBadInput(t *testing.T) {
	e := newEnv(t)
	for _, q := range []string{"", "lat=45.7", "lng=4.8", "lat=91&lng=0", "lat=0&lng=180.5", "lat=NaN&lng=0",
		"lat=Inf&lng=0", "lat=x&lng=0", "lat=45&lng=4&accuracy=-1", "lat=45&lng=4&accuracy=abc", "lat=1e999&lng=0"} {
		e.do("GET", "/api/v1/locate?"+q, "", nil).wantError(400, "invalid_input")
	}
}

func TestSpots(t *testing.T) {
	e := newEnv(t, func(o *api.Options) { o.PublicURL = "https://help.example.com/" })
	path := "/api/v1/stores/" + e.store.ID + "/spots"
	created := e.do("POST", path, e.tokens["manager"], map[string]string{"department": "tv", "label": "Aisle 12 — TVs"}).
		want(201).json()
	code := created["code"].(string)
	if len(code) != 12 || created["url"] != "https://help.example.com/help?spot="+code {
		t.Fatalf("created %v", created)
	}
	spot := e.do("GET", "/api/v1/spots/"+code, "", nil).want(200).json()
	if spot["department"] != "tv" || spot["label"] != "Aisle 12 — TVs" || spot["store"].(map[string]any)["id"] != e.store.ID {
		t.Fatalf("spot %v", spot)
	}
	// The request form it opens needs the store's departments: they come along.
	var codes []string
	for _, d := range spot["departments"].([]any) {
		codes = append(codes, d.(map[string]any)["code"].(string))
	}
	if strings.Join(codes, ",") != "phones,tv" && strings.Join(codes, ",") != "tv,phones" {
		t.Fatalf("spot departments %v", spot["departments"])
	}
	qr := e.do("GET", "/api/v1/spots/"+code+"/qr.svg", "", nil).want(200)
	if qr.Header().Get("Content-Type") != "image/svg+xml" || !strings.Contains(qr.Body.String(), "<path") ||
		!strings.Contains(qr.Body.String(), "<title>Aisle 12 — TVs</title>") {
		t.Fatalf("qr %q", qr.Body.String()[:200])
	}
	if n := len(e.do("GET", path, e.tokens["admin"], nil).want(200).list()); n != 1 {
		t.Fatalf("%d spots listed", n)
	}
	e.do("GET", "/api/v1/spots/aaaaaaaaaaaa", "", nil).wantError(404, "not_found")
	e.do("GET", "/api/v1/spots/aaaaaaaaaaaa/qr.svg", "", nil).wantError(404, "not_found")
	e.do("POST", path, e.tokens["manager"], map[string]string{"department": "garden", "label": "X"}).wantError(422, "invalid_input")
	e.do("POST", path, e.tokens["manager"], map[string]string{"department": "tv", "label": ""}).wantError(422, "invalid_input")
	e.do("POST", path, e.tokens["floor"], map[string]string{"department": "tv", "label": "X"}).wantError(403, "forbidden")
	e.do("POST", "/api/v1/stores/"+e.other.ID+"/spots", e.tokens["manager"], map[string]string{"department": "tv", "label": "X"}).
		wantError(403, "forbidden")
	e.do("GET", "/api/v1/stores/"+e.other.ID+"/spots", e.tokens["manager"], nil).wantError(403, "forbidden")
	if n := e.count(`SELECT count(*) FROM spots`); n != 1 {
		t.Fatalf("%d spots written, want 1", n)
	}
}

// TestStoresReachEveryReplica creates a store through one server and finds it
// through another that shares the database, as replicas behind a load balancer do.
func TestStoresReachEveryReplica(t *testing.T) {
	a := newEnv(t)
	places := stores.NewPlaces(a.stores, slog.New(slog.DiscardHandler))
	if err := places.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hub := pg.NewHub(a.url, slog.New(slog.DiscardHandler))
	if err := places.Watch(ctx, hub); err != nil {
		t.Fatal(err)
	}
	go hub.Run(ctx)
	b := api.New(api.Deps{DB: a.db, People: a.people, Stores: a.stores, Places: places, Log: slog.New(slog.DiscardHandler)}, api.Options{})

	query := "/api/v1/locate?lat=45.7790&lng=4.8040&accuracy=10"
	locateB := func() map[string]any {
		return a.send(b, httptest.NewRequest("GET", query, nil)).want(200).json()
	}
	if got := locateB(); got["confidence"] == "inside" {
		t.Fatalf("found a store before it was created: %v", got)
	}
	a.do("POST", "/api/v1/stores", a.tokens["admin"], map[string]any{"name": "Vaise", "timezone": "Europe/Paris",
		"location": map[string]float64{"lat": 45.7790, "lng": 4.8040}}).want(201)
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := locateB()
		if got["confidence"] == "inside" && got["store"].(map[string]any)["name"] == "Vaise" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the other replica never saw the new store: %v", got)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Moving the store moves it on the other replica too.
	a.do("PUT", "/api/v1/stores/"+a.mustStoreID("Vaise"), a.tokens["admin"], map[string]any{"name": "Vaise", "timezone": "Europe/Paris",
		"location": map[string]float64{"lat": 45.7700, "lng": 4.8040}}).want(200)
	for {
		if got := locateB(); got["confidence"] != "inside" {
			break
		}
		if time.Now().After(deadline.Add(5 * time.Second)) {
			t.Fatal("the other replica kept the store where it was")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (e *env) mustStoreID(name string) string {
	e.t.Helper()
	var id string
	if err := e.db.Get(&id, `SELECT id FROM stores WHERE name = $1`, name); err != nil {
		e.t.Fatal(err)
	}
	return id
}
