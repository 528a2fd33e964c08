package geo

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/uber/h3-go/v4"
)

func TestCoverSmallFootprintAtCoarseResolutions(t *testing.T) {
	unit := rect(partDieu, 0, 0, 12, 25)
	for res := 0; res <= 12; res++ {
		cells, err := cover(unit, res)
		if err != nil || len(cells) == 0 {
			t.Errorf("res %d: %d cells, %v", res, len(cells), err)
		}
	}
	// The reason for overlapping containment: a centre fill misses the unit.
	loop := h3.GeoLoop{}
	for _, p := range unit {
		loop = append(loop, h3.LatLng{Lat: p.Lat, Lng: p.Lng})
	}
	if cells, err := h3.PolygonToCells(h3.GeoPolygon{GeoLoop: loop}, 8); err != nil || len(cells) != 0 {
		t.Errorf("centre fill at res 8: %d cells, %v; expected none", len(cells), err)
	}
}

func TestCells(t *testing.T) {
	o := partDieu
	tests := []struct {
		name string
		a    Area
	}{
		{"default circle", Area{Location: o}},
		{"small circle", Area{Location: o, RadiusM: 5}},
		{"big box", Area{Location: o, Footprint: rect(o, 0, 0, 80, 90)}},
		{"mall unit", Area{Location: o, Footprint: rect(o, 0, 0, 12, 25)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Cells(tc.a)
			if err != nil || len(got) == 0 {
				t.Fatalf("got %v, %v", got, err)
			}
			if !slices.IsSorted(got) {
				t.Errorf("cells not sorted: %v", got)
			}
			for _, s := range got {
				c := h3.CellFromString(s)
				if !c.IsValid() || c.Resolution() != CellResolution || c.String() != s {
					t.Errorf("bad cell %q", s)
				}
			}
			centre, err := h3.LatLngToCell(h3.LatLng{Lat: o.Lat, Lng: o.Lng}, CellResolution)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(got, centre.String()) {
				t.Errorf("cells %v miss the cell of the store's corner %v", got, centre)
			}
		})
	}
	if _, err := Cells(Area{Location: Point{Lat: 100}}); err == nil {
		t.Error("an invalid area has cells")
	}
}

// TestGrownBoxesHoldTheReach: every point within a tier's reach of a store
// lies in the store's grown box, at the store's latitude and far north.
func TestGrownBoxesHoldTheReach(t *testing.T) {
	for _, lat := range []float64{0, 45.76, 70, 84.9} {
		o := Point{Lat: lat, Lng: 12}
		s, err := newShape(Area{StoreID: "s", Location: o, Footprint: rect(o, 0, 0, 40, 40)})
		if err != nil {
			t.Fatal(err)
		}
		for _, ti := range tiers {
			g := s.grow(ti.reachM)
			for _, q := range []Point{at(o, -ti.reachM, 20), at(o, 40+ti.reachM, 20), at(o, 20, -ti.reachM), at(o, 20, 40+ti.reachM), at(o, 40+ti.reachM*0.7, 40+ti.reachM*0.7)} {
				if d := ringDistance(s.ring, q, scaleAt(q.Lat)); d <= ti.reachM && !g.holds(q) {
					t.Errorf("lat %v res %d: %v is %.1f m away but outside the box", lat, ti.res, q, d)
				}
			}
		}
	}
}

// TestFloodMatchesCover: the neighbour walk that files stores finds the
// same cells as h3's PolygonToCellsExperimental with overlapping
// containment.
func TestFloodMatchesCover(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for i := range 40 {
		o := Point{Lat: -60 + rng.Float64()*120, Lng: -179 + rng.Float64()*358}
		if i < 10 {
			o = at(partDieu, rng.Float64()*5000, rng.Float64()*5000)
		}
		s, err := newShape(Area{StoreID: "s", Location: o, Footprint: rect(o, 0, 0, 5+rng.Float64()*100, 5+rng.Float64()*100)})
		if err != nil {
			t.Fatal(err)
		}
		for _, ti := range tiers {
			g := s.grow(ti.reachM)
			got, err := floodCells(g, ti.res)
			if err != nil {
				t.Fatal(err)
			}
			want, err := cover([]Point{
				{g.midLat - g.halfLat, g.midLng - g.halfLng}, {g.midLat - g.halfLat, g.midLng + g.halfLng},
				{g.midLat + g.halfLat, g.midLng + g.halfLng}, {g.midLat + g.halfLat, g.midLng - g.halfLng},
			}, ti.res)
			if err != nil {
				t.Fatal(err)
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("%v res %d: walk found %d cells, h3 %d", o, ti.res, len(got), len(want))
			}
		}
	}
}

// TestSidesMatchCrossing: the half-plane test of convex cells agrees with
// the crossing test, on cells all over the globe, and cells bent out of
// convexity by an icosahedron face keep the crossing test.
func TestSidesMatchCrossing(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	bent := 0
	for range 2000 {
		ti := tiers[rng.IntN(len(tiers))]
		c, err := h3.LatLngToCell(h3.LatLng{Lat: -85 + rng.Float64()*170, Lng: -180 + rng.Float64()*360}, ti.res)
		if err != nil {
			t.Fatal(err)
		}
		e, err := newCellEntry(c)
		if err != nil {
			t.Fatal(err)
		}
		if e.sides == nil {
			bent++
			continue
		}
		for range 50 {
			p := Point{
				Lat: e.midLat + (rng.Float64()*2-1)*e.halfLat,
				Lng: wrapLng(e.midLng + (rng.Float64()*2-1)*e.halfLng),
			}
			if e.contains(p) != ringContains(e.ring, p) {
				t.Fatalf("cell %v, point %v: half-planes say %v", c, p, e.contains(p))
			}
		}
	}
	t.Logf("%d of 2000 cells not convex", bent)
}

func TestConvexSides(t *testing.T) {
	square := []Point{{0, 0}, {0, 1}, {1, 1}, {1, 0}} // clockwise in (lng, lat)
	sides := convexSides(square, 0.5, 0.5)
	e := &cellEntry{box: boxOf(square), ring: square, sides: sides}
	if len(sides) != 4 || !e.contains(Point{0.5, 0.5}) || e.contains(Point{1.5, 0.5}) {
		t.Errorf("square: %v", sides)
	}
	ell := []Point{{0, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 2}, {0, 2}}
	if convexSides(ell, 1, 1) != nil {
		t.Error("an L shape has convex sides")
	}
}
