package api_test

import (
	"context"
	"testing"
	"time"

	"helpforce/api"
	"helpforce/people"
	"helpforce/stores"
)

// TestPublicReadsAreLimitedPerAddress: one address cannot hammer the store
// list, product search or /locate; another address is not affected.
func TestPublicReadsAreLimitedPerAddress(t *testing.T) {
	e := newEnv(t, withLimits(func(l *api.Limits) { l.Public = people.Rate{Burst: 3, Per: time.Hour} }))
	paths := []string{"/api/v1/stores", "/api/v1/locate?lat=45.76&lng=4.85&accuracy=20",
		"/api/v1/stores/" + e.store.ID + "/products?q=tv"}
	for _, p := range paths {
		e.do("GET", p, "", nil, from("203.0.113.5")...).want(200)
	}
	for _, p := range paths {
		e.do("GET", p, "", nil, from("203.0.113.5")...).wantLimited()
		e.do("GET", p, "", nil, from("203.0.113.6")...).want(200)
	}
	// Signed-in staff are not counted, whatever their address.
	for _, p := range paths {
		e.do("GET", p, e.tokens["agent"], nil, from("203.0.113.5")...).want(200)
	}
	// Other public reads are not counted.
	e.do("GET", "/api/v1/stores/"+e.store.ID, "", nil, from("203.0.113.5")...).want(200)
}

// TestStoreListIsCached: the list is served from memory until the place
// index hears of a change (as every replica does through LISTEN).
func TestStoreListIsCached(t *testing.T) {
	e := newEnv(t)
	if n := len(e.do("GET", "/api/v1/stores", "", nil).want(200).list()); n != 2 {
		t.Fatalf("%d stores", n)
	}
	// Another replica adds a store: the database has it, this replica has not heard yet.
	st, err := e.stores.CreateStore(context.Background(), stores.NewStore{Name: "Lyon Bellecour", Timezone: "Europe/Paris",
		Location: &stores.Location{Lat: 45.7578, Lng: 4.8320}})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(e.do("GET", "/api/v1/stores", "", nil).want(200).list()); n != 2 {
		t.Fatalf("the list was read again without a change being heard: %d stores", n)
	}
	if err := e.places.Refresh(context.Background(), st.ID); err != nil {
		t.Fatal(err)
	}
	if n := len(e.do("GET", "/api/v1/stores", "", nil).want(200).list()); n != 3 {
		t.Fatalf("after the change was heard: %d stores", n)
	}
}
