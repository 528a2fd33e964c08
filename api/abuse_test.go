package api_test

import (
	"context"
	"net/netip"
	"strconv"
	"testing"
	"time"

	"helpforce/api"
	"helpforce/people"
)

// withLimits runs the server with limits changed from the defaults, behind a
// proxy at 192.0.2.0/24 (the test requests' own address), so that a test
// speaks from any client address with X-Forwarded-For.
func withLimits(change func(*api.Limits)) func(*api.Options) {
	return func(o *api.Options) {
		l := api.DefaultLimits()
		change(&l)
		o.Limits = &l
		o.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24")}
	}
}

// noLimits runs the server without abuse limits, for benchmarks of throughput.
func noLimits(o *api.Options) { o.Limits = &api.Limits{} }

// from is the header that makes a request come from addr.
func from(addr string) []string { return []string{"X-Forwarded-For", addr} }

func perHour(n int) people.Rate { return people.Rate{Burst: n, Per: time.Hour} }

// wantLimited checks a 429 rate_limited with a Retry-After in seconds.
func (r response) wantLimited() {
	r.t.Helper()
	r.wantError(429, "rate_limited")
	if s, err := strconv.Atoi(r.Header().Get("Retry-After")); err != nil || s < 1 {
		r.t.Fatalf("Retry-After %q", r.Header().Get("Retry-After"))
	}
}

// TestEachShopperActionIsLimited: one shopper repeating create, cancel,
// move, message or hold meets 429 once their bucket is empty, where the
// same call would otherwise have gone through.
func TestEachShopperActionIsLimited(t *testing.T) {
	one := api.ActionLimit{Shopper: perHour(1)}
	e := newEnv(t, withLimits(func(l *api.Limits) {
		l.Create, l.Cancel, l.Move, l.Message, l.Hold = one, one, one, one, one
	}))
	e.do("PUT", "/api/v1/stores/"+e.store.ID+"/inventory", e.tokens["manager"],
		`[{"sku":"TV-1","name":"OLED 55","on_hand":50,"price":999}]`).want(200)
	shopper := e.shopper()
	ask := map[string]any{"department": "tv", "store_id": e.store.ID}
	first := e.do("POST", "/api/v1/help-requests", shopper, ask).want(201).json()["id"].(string)
	e.do("POST", "/api/v1/help-requests", shopper, ask).wantLimited()
	path := "/api/v1/help-requests/" + first
	e.do("POST", path+"/messages", shopper, map[string]string{"body": "Hello?"}).want(201)
	e.do("POST", path+"/messages", shopper, map[string]string{"body": "Anyone?"}).wantLimited()
	e.do("PATCH", path, shopper, map[string]string{"store_id": e.other.ID}).wantError(422, "invalid_input")
	e.do("PATCH", path, shopper, map[string]string{"store_id": e.other.ID}).wantLimited()
	hold := map[string]any{"store_id": e.store.ID, "sku": "TV-1", "quantity": 1}
	e.do("POST", "/api/v1/holds", shopper, hold).want(201)
	e.do("POST", "/api/v1/holds", shopper, hold).wantLimited()
	e.do("POST", path+"/cancel", shopper, nil).want(200)
	e.do("POST", path+"/cancel", shopper, nil).wantLimited()

	// Another shopper has buckets of their own; staff are not limited.
	other := e.shopper()
	e.do("POST", "/api/v1/help-requests", other, ask).want(201)
	e.do("POST", "/api/v1/holds", e.tokens["floor"], hold).want(201)
	e.do("POST", "/api/v1/holds", e.tokens["floor"], hold).want(201)
}

// TestAddressLimitSpansShoppers: fresh shopper identities from one address
// share its bucket; an IPv6 /64 is one address.
func TestAddressLimitSpansShoppers(t *testing.T) {
	e := newEnv(t, withLimits(func(l *api.Limits) { l.Create = api.ActionLimit{Address: perHour(2)} }))
	ask := map[string]any{"department": "tv", "store_id": e.store.ID}
	create := func(addr string) response {
		return e.do("POST", "/api/v1/help-requests", e.shopper(), ask, from(addr)...)
	}
	create("2001:db8:1:2::5").want(201)
	create("2001:db8:1:2::99").want(201)
	create("2001:db8:1:2:ffff:ffff:ffff:1").wantLimited()
	create("2001:db8:1:3::1").want(201)
	create("198.51.100.7").want(201)
	create("198.51.100.7").want(201)
	create("::ffff:198.51.100.7").wantLimited()
}

// TestBucketsAreSharedAndRefill: two servers on one database draw from the
// same bucket (replicas), and a bucket whose time has passed is full again.
func TestBucketsAreSharedAndRefill(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	rate := people.Rate{Burst: 2, Per: time.Hour}
	other := people.New(e.db, 4)
	for i, want := range []bool{true, true, false} {
		dir := e.people
		if i == 1 {
			dir = other
		}
		ok, retry, err := dir.Take(ctx, people.Charge{Key: "k", Rate: rate})
		if err != nil || ok != want || (!ok && (retry <= 0 || retry > 30*time.Minute)) {
			t.Fatalf("take %d: ok %v retry %v err %v", i, ok, retry, err)
		}
	}
	// Half an hour later, one token is back.
	if _, err := e.db.Exec(`UPDATE rate_buckets SET tat = tat - interval '30 minutes'`); err != nil {
		t.Fatal(err)
	}
	if ok, _, err := e.people.Take(ctx, people.Charge{Key: "k", Rate: rate}); err != nil || !ok {
		t.Fatalf("no token came back (%v)", err)
	}
	if ok, _, err := e.people.Take(ctx, people.Charge{Key: "k", Rate: rate}); err != nil || ok {
		t.Fatalf("more than one token came back (%v)", err)
	}
	if _, err := e.db.Exec(`UPDATE rate_buckets SET tat = now() - interval '1 second'`); err != nil {
		t.Fatal(err)
	}
	if err := e.people.SweepBuckets(ctx); err != nil || e.count(`SELECT count(*) FROM rate_buckets`) != 0 {
		t.Fatalf("sweep left %d buckets (%v)", e.count(`SELECT count(*) FROM rate_buckets`), err)
	}
}

// BenchmarkRateBucket measures one limit check: a shopper's bucket and their
// address's, drawn from in one statement, across 1,000 shoppers.
func BenchmarkRateBucket(b *testing.B) {
	e := newEnv(b)
	ctx := context.Background()
	rate := people.Rate{Burst: 1 << 30, Per: time.Hour}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := e.people.Take(ctx, people.Charge{Key: "create:shopper:" + strconv.Itoa(i%1000), Rate: rate},
			people.Charge{Key: "create:addr:198.51.100." + strconv.Itoa(i%200), Rate: rate}); err != nil {
			b.Fatal(err)
		}
	}
}
