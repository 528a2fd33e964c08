package geo

import (
	"math"
	"slices"
	"testing"
)

// lyon is a small map around Part-Dieu (x east, y north, in metres): a big
// box, a row of 12 m mall units, two 15 m shops, a pharmacy without a
// footprint, and a store 3 km away.
func lyon(t testing.TB) *Index {
	o := partDieu
	ix := NewIndex()
	mustPut(t, ix,
		Area{StoreID: "bigbox", Location: at(o, 40, 0), Footprint: rect(o, 0, 0, 80, 90)},
		Area{StoreID: "unit-1", Location: at(o, 6, -75), Footprint: rect(o, 0, -100, 12, -75)},
		Area{StoreID: "unit-2", Location: at(o, 18, -75), Footprint: rect(o, 12, -100, 24, -75)},
		Area{StoreID: "unit-3", Location: at(o, 30, -75), Footprint: rect(o, 24, -100, 36, -75)},
		Area{StoreID: "unit-4", Location: at(o, 42, -75), Footprint: rect(o, 36, -100, 48, -75)},
		Area{StoreID: "shop-a", Location: at(o, 207, -75), Footprint: rect(o, 200, -100, 215, -75)},
		Area{StoreID: "shop-b", Location: at(o, 222, -75), Footprint: rect(o, 215, -100, 230, -75)},
		Area{StoreID: "pharmacy", Location: at(o, 0, 400)},
		Area{StoreID: "far", Location: at(o, 3000, 0), RadiusM: 40},
	)
	return ix
}

func TestLocate(t *testing.T) {
	ix := lyon(t)
	o := partDieu
	tests := []struct {
		name     string
		p        Point
		accuracy float64
		want     Confidence
		store    string
		cands    []string // nil: not checked
	}{
		{"inside big box", at(o, 40, 45), 10, Inside, "bigbox", []string{"bigbox"}},
		{"edge, 3 m outside the wall", at(o, 83, 45), 2, Inside, "bigbox", []string{"bigbox"}},
		{"8 m outside, only store reached", at(o, 88, 45), 2, Ambiguous, "bigbox", []string{"bigbox"}},
		{"shared wall of 15 m shops", at(o, 215, -87.5), 30, Ambiguous, "shop-a", []string{"shop-a", "shop-b"}},
		{"middle of a 12 m unit", at(o, 18, -87.5), 5, Ambiguous, "unit-2", []string{"unit-2", "unit-1", "unit-3"}},
		{"inside the pharmacy circle", at(o, 10, 420), 5, Inside, "pharmacy", []string{"pharmacy"}},
		{"200 m accuracy in the big box", at(o, 40, 45), 200, Ambiguous, "bigbox", nil},
		{"outside every store", at(o, 140, 45), 10, Nearby, "", []string{"bigbox", "shop-a", "shop-b", "unit-4", "unit-3"}},
		{"IP-grade accuracy in the big box", at(o, 40, 45), 5000, Nearby, "", nil},
		{"Paris", Point{Lat: 48.8566, Lng: 2.3522}, 10, None, "", nil},
		{"not a position", Point{Lat: math.NaN(), Lng: 4.8}, 10, None, "", nil},
		{"latitude out of range", Point{Lat: 91, Lng: 4.8}, 10, None, "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ix.Locate(tc.p, tc.accuracy)
			if got.Confidence != tc.want || got.StoreID != tc.store {
				t.Fatalf("got %s %q, want %s %q (candidates %v)", got.Confidence, got.StoreID, tc.want, tc.store, got.Candidates)
			}
			if tc.cands != nil && !slices.Equal(ids(got.Candidates), tc.cands) {
				t.Errorf("candidates %v, want %v", got.Candidates, tc.cands)
			}
			if !slices.IsSortedFunc(got.Candidates, compareCandidates) {
				t.Errorf("candidates not sorted: %v", got.Candidates)
			}
			if tc.want == Nearby && len(got.Candidates) > NearbyLimit {
				t.Errorf("%d nearby candidates, want at most %d", len(got.Candidates), NearbyLimit)
			}
		})
	}
}

func TestLocateDistances(t *testing.T) {
	ix := lyon(t)
	o := partDieu
	got := ix.Locate(at(o, 18, -87.5), 5)
	for _, c := range got.Candidates {
		want := map[string]float64{"unit-2": 0, "unit-1": 6, "unit-3": 6}[c.StoreID]
		if math.Abs(c.DistanceM-want) > 0.05 {
			t.Errorf("%s at %.3f m, want %.0f", c.StoreID, c.DistanceM, want)
		}
	}
	// The pharmacy is a 60 m circle: 100 m from its centre is 40 m from it.
	near := ix.Nearest(at(o, 0, 300), 1, 1)
	if len(near) != 1 || near[0].StoreID != "pharmacy" || math.Abs(near[0].DistanceM-40) > 0.5 {
		t.Errorf("nearest to the pharmacy: %v", near)
	}
}

// TestDistanceAccuracy checks the local projection against an ellipsoidal
// oracle: centimetres at mall scale.
func TestDistanceAccuracy(t *testing.T) {
	for _, lat := range []float64{0, 45.7606, 64.1} {
		o := Point{Lat: lat, Lng: 4.8597}
		ring := rect(o, 0, 0, 80, 90)
		for _, q := range []Point{at(o, 100, 45), at(o, -150, -120), at(o, 40, 250), at(o, 85, 95)} {
			got := ringDistance(ring, q, scaleAt(q.Lat))
			want := edgeDistanceM(ring, q)
			if math.Abs(got-want) > 0.02 {
				t.Errorf("lat %v: distance %.4f m, oracle %.4f m", lat, got, want)
			}
		}
	}
}

func TestNearest(t *testing.T) {
	ix := lyon(t)
	o := partDieu
	tests := []struct {
		name  string
		p     Point
		maxKm float64
		limit int
		want  []string
	}{
		{"three nearest", at(o, 40, 45), 5, 3, []string{"bigbox", "unit-4", "unit-3"}},
		{"everything within 5 km", o, 5, 0, []string{"bigbox", "unit-1", "unit-2", "unit-3", "unit-4", "shop-a", "shop-b", "pharmacy", "far"}},
		{"within 1 km", o, 1, 0, []string{"bigbox", "unit-1", "unit-2", "unit-3", "unit-4", "shop-a", "shop-b", "pharmacy"}},
		{"wider than the nearby tier", at(o, 30000, 0), 50, 2, []string{"far", "shop-b"}},
		{"nothing within 5 km", at(o, 30000, 0), 5, 5, nil},
		{"zero radius", o, 0, 5, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ix.Nearest(tc.p, tc.maxKm, tc.limit)
			if tc.want == nil && got != nil || !slices.Equal(ids(got), tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestPutReplaceRemove(t *testing.T) {
	ix := lyon(t)
	o := partDieu
	if ix.Len() != 9 {
		t.Fatalf("len %d, want 9", ix.Len())
	}
	// The pharmacy moves next to the far store.
	mustPut(t, ix, Area{StoreID: "pharmacy", Location: at(o, 3000, 300)})
	if got := ix.Locate(at(o, 10, 420), 5); got.Confidence == Inside {
		t.Errorf("old place still finds the pharmacy: %+v", got)
	}
	if got := ix.Locate(at(o, 3000, 300), 5); got.StoreID != "pharmacy" {
		t.Errorf("new place: %+v", got)
	}
	ix.Remove("bigbox")
	ix.Remove("no-such-store")
	if got := ix.Locate(at(o, 40, 45), 10); got.StoreID == "bigbox" || ix.Len() != 8 {
		t.Errorf("after remove: %+v, len %d", got, ix.Len())
	}
	for _, id := range []string{"unit-1", "unit-2", "unit-3", "unit-4", "shop-a", "shop-b", "pharmacy", "far"} {
		ix.Remove(id)
	}
	sn := ix.snap.Load()
	if ix.Len() != 0 || len(sn.cells) != 0 || len(sn.all) != 0 {
		t.Errorf("empty index keeps %d cells", len(sn.cells))
	}
	for t2, g := range sn.grids {
		if len(g) != 0 {
			t.Errorf("tier %d keeps %d grid squares", t2, len(g))
		}
	}
}

func TestPutRefusesBadAreas(t *testing.T) {
	ix := lyon(t)
	o := partDieu
	tests := []struct {
		name  string
		a     Area
		field string
	}{
		{"no id", Area{Location: o}, "store_id"},
		{"bad location", Area{StoreID: "x", Location: Point{Lat: 120}}, "location"},
		{"near the pole", Area{StoreID: "x", Location: Point{Lat: 88}}, "location"},
		{"negative radius", Area{StoreID: "x", Location: o, RadiusM: -3}, "radius_m"},
		{"huge radius", Area{StoreID: "x", Location: o, RadiusM: 5000}, "radius_m"},
		{"NaN radius", Area{StoreID: "x", Location: o, RadiusM: math.NaN()}, "radius_m"},
		{"two corners", Area{StoreID: "x", Location: o, Footprint: rect(o, 0, 0, 10, 10)[:2]}, "footprint"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := ix.PutAll([]Area{{StoreID: "ok", Location: o}, tc.a})
			ie, ok := err.(*InputError)
			if !ok || ie.Field != tc.field {
				t.Fatalf("got %v, want an InputError on %s", err, tc.field)
			}
			if ix.Len() != 9 {
				t.Errorf("a refused batch changed the index")
			}
		})
	}
}

// TestAntimeridian: a kiosk on Taveuni, Fiji, across the 180th meridian.
func TestAntimeridian(t *testing.T) {
	ix := NewIndex()
	c := Point{Lat: -16.8, Lng: 179.9999}
	mustPut(t, ix, Area{StoreID: "taveuni", Location: c, RadiusM: 30})
	got := ix.Locate(Point{Lat: -16.8, Lng: -179.99995}, 5)
	if got.Confidence != Inside || got.StoreID != "taveuni" {
		t.Errorf("got %+v", got)
	}
}
