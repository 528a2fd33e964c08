package stores_test

import (
	"context"
	"log/slog"
	"testing"

	"helpforce/fault"
	"helpforce/pg/pgtest"
	"helpforce/stores"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func ptr(v float64) *float64 { return &v }

// TestResolve places help requests from a spot, a chosen store or a position,
// all through the same code.
func TestResolve(t *testing.T) {
	ctx := context.Background()
	reg := stores.New(pgtest.New(t))
	mk := func(name string, lat, lng float64) stores.Store {
		st, err := reg.CreateStore(ctx, stores.NewStore{Name: name, Timezone: "Europe/Paris", Location: &stores.Location{Lat: lat, Lng: lng}})
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	a := mk("A", 45.7611, 4.8557)
	b := mk("B", 45.7611, 4.8575) // 140 m east of A: both 60 m circles
	if _, err := reg.CreateDepartment(ctx, a.ID, "tv", "TVs"); err != nil {
		t.Fatal(err)
	}
	spot, err := reg.CreateSpot(ctx, a.ID, "tv", "Aisle 3")
	if err != nil {
		t.Fatal(err)
	}
	places := stores.NewPlaces(reg, slog.New(slog.DiscardHandler))
	if err := places.Load(ctx); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name       string
		q          stores.PlaceQuery
		store      string
		department string
		nearby     int
		confidence string
	}{
		{"spot", stores.PlaceQuery{Spot: spot.Code}, a.ID, "tv", 0, "spot"},
		{"spot wins over a position", stores.PlaceQuery{Spot: spot.Code, Lat: ptr(45.7611), Lng: ptr(4.8575)}, a.ID, "tv", 0, "spot"},
		{"chosen store", stores.PlaceQuery{StoreID: b.ID}, b.ID, "", 0, "chosen"},
		{"inside", stores.PlaceQuery{Lat: ptr(45.7611), Lng: ptr(4.8557), Accuracy: ptr(10)}, a.ID, "", 0, "inside"},
		{"between the two", stores.PlaceQuery{Lat: ptr(45.7611), Lng: ptr(4.8566), Accuracy: ptr(30)}, "", "", 2, "ambiguous"},
		{"at home", stores.PlaceQuery{Lat: ptr(45.7700), Lng: ptr(4.8700), Accuracy: ptr(15)}, "", "", 2, "nearby"},
		{"nowhere given", stores.PlaceQuery{}, "", "", 0, "none"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pl, err := places.Resolve(ctx, c.q)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if pl.Store != nil {
				got = pl.Store.ID
			}
			if c.confidence == "ambiguous" {
				got = "" // the nearest of two equidistant stores; either is right
				if pl.Store == nil {
					t.Fatal("an ambiguous place names no store")
				}
			}
			if got != c.store || pl.Department != c.department || len(pl.Nearby) != c.nearby || pl.Confidence != c.confidence {
				t.Fatalf("got store %q department %q nearby %d confidence %s", got, pl.Department, len(pl.Nearby), pl.Confidence)
			}
		})
	}
	for _, q := range []stores.PlaceQuery{
		{Spot: "nosuchspot00"}, {StoreID: "00000000-0000-0000-0000-000000000000"}, {StoreID: "x"},
		{Lat: ptr(91), Lng: ptr(0)}, {Lat: ptr(45)}, {Lat: ptr(45), Lng: ptr(4), Accuracy: ptr(-3)},
	} {
		if _, err := places.Resolve(ctx, q); !isInvalid(err) {
			t.Fatalf("%+v: want invalid input, got %v", q, err)
		}
	}
}

func isInvalid(err error) bool {
	f, ok := fault.As(err)
	return ok && f.Kind == fault.KindInvalid
}
