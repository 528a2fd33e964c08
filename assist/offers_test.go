package assist_test

import (
	"context"
	"slices"
	"testing"

	"helpforce/assist"
	"helpforce/pg/pgtest"
	"helpforce/stores"
)

// TestOfferPolicy: who is offered a new request, by skill, presence and rotation.
func TestOfferPolicy(t *testing.T) {
	cases := []struct {
		name      string
		dept      string
		available []string
		busy      []string
		offered   []string
		channel   assist.Channel
	}{
		{"skilled staff first", "tv", []string{"sam", "lea", "max", "claire", "remi"}, nil, []string{"max", "sam"}, "floor"},
		{"manager is not in the first wave", "tv", []string{"claire", "lea"}, nil, []string{"claire", "lea"}, "floor"},
		{"no skilled staff free: the whole store", "phones", []string{"sam", "max", "claire"}, nil, []string{"claire", "max", "sam"}, "floor"},
		{"nobody free in the store: remote at once", "tv", []string{"remi", "zoe"}, []string{"sam"}, []string{"remi", "zoe"}, "remote"},
		{"break and off do not count", "tv", []string{"remi"}, nil, []string{"remi"}, "remote"},
		{"nobody at all: waits in the remote queue", "tv", nil, nil, nil, "remote"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFloor(t, assist.Config{})
			f.available(c.available...)
			for _, b := range c.busy {
				f.db.MustExec(`UPDATE users SET status = 'busy' WHERE id = $1`, f.staff[b].UserID)
			}
			f.db.MustExec(`UPDATE users SET status = 'break' WHERE status = 'off'`)
			h := f.ask(c.dept)
			if h.Channel != c.channel || h.Status != assist.StatusWaiting {
				t.Fatalf("channel %s status %s, want %s waiting", h.Channel, h.Status, c.channel)
			}
			if got := f.offered(h.ID); !slices.Equal(got, c.offered) {
				t.Fatalf("offered to %v, want %v", got, c.offered)
			}
		})
	}
}

// TestRotation: the first wave goes to the least recently assigned.
func TestRotation(t *testing.T) {
	f := newFloor(t, assist.Config{WaveSize: 1})
	f.available("sam", "max")
	f.db.MustExec(`UPDATE users SET last_assigned_at = now() - interval '1 hour' WHERE name = 'sam'`)
	f.db.MustExec(`UPDATE users SET last_assigned_at = now() - interval '2 hours' WHERE name = 'max'`)
	first := f.ask("tv")
	if got := f.offered(first.ID); !slices.Equal(got, []string{"max"}) {
		t.Fatalf("offered to %v, want max (waited longest)", got)
	}
	if _, err := f.desk.Accept(context.Background(), f.staff["max"], first.ID); err != nil {
		t.Fatal(err)
	}
	f.available("max")
	second := f.ask("tv")
	if got := f.offered(second.ID); !slices.Equal(got, []string{"sam"}) {
		t.Fatalf("offered to %v, want sam now that max was just assigned", got)
	}
}

func TestShopperInNoStoreGoesRemoteWithNearbyStores(t *testing.T) {
	f := newFloor(t, assist.Config{})
	f.available("sam", "remi")
	lat, lng, acc := 45.7700, 4.8700, 20.0
	h, err := f.desk.Create(context.Background(), f.shopper, "", assist.NewRequest{Department: "tv",
		PlaceQuery: stores.PlaceQuery{Lat: &lat, Lng: &lng, Accuracy: &acc}})
	if err != nil {
		t.Fatal(err)
	}
	if h.Channel != assist.ChannelRemote || h.Store != nil || len(h.Nearby) != 1 || h.Nearby[0].Store.ID != f.store.ID {
		t.Fatalf("channel %s store %v nearby %v", h.Channel, h.Store, h.Nearby)
	}
	if got := f.offered(h.ID); !slices.Equal(got, []string{"remi"}) {
		t.Fatalf("offered to %v, want the available agent", got)
	}
}

// TestPassStartsTheNextWave: when everyone offered passes, the next wave
// starts at once.
func TestPassStartsTheNextWave(t *testing.T) {
	f := newFloor(t, assist.Config{})
	f.available("sam", "lea", "claire", "remi")
	ctx := context.Background()
	h := f.ask("tv")
	if got := f.offered(h.ID); !slices.Equal(got, []string{"sam"}) {
		t.Fatalf("wave 1: %v", got)
	}
	if err := f.desk.Pass(ctx, f.staff["sam"], h.ID); err != nil {
		t.Fatal(err)
	}
	if got := f.offered(h.ID); !slices.Equal(got, []string{"claire", "lea"}) {
		t.Fatalf("wave 2: %v", got)
	}
	if err := f.desk.Pass(ctx, f.staff["sam"], h.ID); err == nil {
		t.Fatal("passing twice was accepted")
	}
	for _, n := range []string{"claire", "lea"} {
		if err := f.desk.Pass(ctx, f.staff[n], h.ID); err != nil {
			t.Fatal(err)
		}
	}
	if got := f.get(h.ID); got.Channel != assist.ChannelRemote {
		t.Fatalf("after everyone passed: channel %s", got.Channel)
	}
	if got := f.offered(h.ID); !slices.Equal(got, []string{"remi"}) {
		t.Fatalf("remote wave: %v", got)
	}
}

func TestIdempotencyKey(t *testing.T) {
	f := newFloor(t, assist.Config{})
	ctx := context.Background()
	n := assist.NewRequest{Department: "tv", PlaceQuery: stores.PlaceQuery{StoreID: f.store.ID}}
	a, err := f.desk.Create(ctx, f.shopper, "tap-1", n)
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.desk.Create(ctx, f.shopper, "tap-1", n)
	if err != nil || b.ID != a.ID {
		t.Fatalf("a repeat made %s (%v), want %s", b.ID, err, a.ID)
	}
	var count int
	if err := f.db.Get(&count, `SELECT count(*) FROM help_requests`); err != nil {
		t.Fatal(err)
	}
	if count != 1 {
		t.Fatalf("%d requests, want 1", count)
	}
}

func TestCreateRefusals(t *testing.T) {
	f := newFloor(t, assist.Config{OpenPerShopper: 2})
	ctx := context.Background()
	at := stores.PlaceQuery{StoreID: f.store.ID}
	for _, n := range []assist.NewRequest{
		{Department: "", PlaceQuery: at}, {Department: "Bad Code", PlaceQuery: at}, {Department: "garden", PlaceQuery: at},
		{Department: "tv", PlaceQuery: stores.PlaceQuery{StoreID: "00000000-0000-0000-0000-000000000000"}},
		{Department: "tv", Note: string(make([]rune, 501)), PlaceQuery: at},
	} {
		_, err := f.desk.Create(ctx, f.shopper, "", n)
		pgtest.WantFault(t, err, 1, "")
	}
	if _, err := f.desk.Create(ctx, f.staff["sam"], "", assist.NewRequest{Department: "tv", PlaceQuery: at}); err == nil {
		t.Fatal("staff created a help request")
	}
	f.ask("tv")
	f.ask("tv")
	_, err := f.desk.Create(ctx, f.shopper, "", assist.NewRequest{Department: "tv", PlaceQuery: at})
	pgtest.WantFault(t, err, 4, "")
	var count int
	if err := f.db.Get(&count, `SELECT count(*) FROM help_requests`); err != nil {
		t.Fatal(err)
	}
	if count != 2 {
		t.Fatalf("%d requests written, want the 2 accepted ones", count)
	}
}
