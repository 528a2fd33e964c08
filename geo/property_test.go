package geo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/uber/h3-go/v4"
)

// TestLocateAgreesWithContainment: with accuracy 0, a point well inside one
// footprint is placed inside it, and a point well away from every footprint
// is placed in none. "Well" means farther than one H3 edge at the finest
// index resolution from any boundary; the index itself is exact (see
// TestIndexMatchesBruteForce), so the band only keeps the oracle honest.
func TestLocateAgreesWithContainment(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	band, err := h3.HexagonEdgeLengthAvgM(tiers[0].res)
	if err != nil {
		t.Fatal(err)
	}
	// A 15 × 15 grid of footprints 300 m apart, 140 to 240 m across.
	var areas []Area
	var rings [][]Point
	for i := range 15 {
		for j := range 15 {
			c := at(partDieu, float64(i)*300+rng.Float64()*40, float64(j)*300+rng.Float64()*40)
			ring := randomFootprint(rng, c, 70, 120)
			rings = append(rings, ring)
			areas = append(areas, Area{StoreID: fmt.Sprint("s", len(areas)), Location: c, Footprint: ring})
		}
	}
	ix := NewIndex()
	mustPut(t, ix, areas...)

	var in, out int
	for range 20000 {
		k := rng.IntN(len(rings))
		p := at(areas[k].Location, (rng.Float64()*2-1)*160, (rng.Float64()*2-1)*160)
		owner, edge := -1, math.Inf(1)
		for i, ring := range rings {
			if windingContains(ring, p) {
				owner = i
			}
			edge = min(edge, roughEdgeM(ring, p))
		}
		if edge <= band {
			continue
		}
		got := ix.Locate(p, 0)
		if owner >= 0 {
			in++
			if got.Confidence != Inside || got.StoreID != areas[owner].StoreID {
				t.Fatalf("%v is %.1f m inside %s, got %+v", p, edge, areas[owner].StoreID, got)
			}
		} else {
			out++
			if got.Confidence != Nearby && got.Confidence != None {
				t.Fatalf("%v is %.1f m from every store, got %+v", p, edge, got)
			}
		}
	}
	if in < 1000 || out < 1000 {
		t.Errorf("too few points away from boundaries: %d inside, %d outside", in, out)
	}
}

// roughEdgeM is the distance to a ring's edges on a sphere: plenty for
// deciding whether a point is within a band of tens of metres.
func roughEdgeM(ring []Point, p Point) float64 {
	const mPerDeg = meanEarthRadiusM * math.Pi / 180
	kx := mPerDeg * math.Cos(p.Lat*math.Pi/180)
	best := math.Inf(1)
	for i := range ring {
		a, b := ring[i], ring[(i+1)%len(ring)]
		ax, ay := (a.Lng-p.Lng)*kx, (a.Lat-p.Lat)*mPerDeg
		bx, by := (b.Lng-p.Lng)*kx, (b.Lat-p.Lat)*mPerDeg
		dx, dy := bx-ax, by-ay
		s := min(max(-(ax*dx+ay*dy)/(dx*dx+dy*dy), 0), 1)
		best = min(best, math.Hypot(ax+s*dx, ay+s*dy))
	}
	return best
}

// randomCity is n stores, footprints and circles, in a 3 km square, with
// overlaps and clusters as in real data.
func randomCity(rng *rand.Rand, n int) []Area {
	areas := make([]Area, n)
	for i := range areas {
		c := at(partDieu, rng.Float64()*3000, rng.Float64()*3000)
		a := Area{StoreID: fmt.Sprint("s", i), Location: c}
		if rng.IntN(3) > 0 {
			a.Footprint = randomFootprint(rng, c, 4, 45)
		} else {
			a.RadiusM = 10 + rng.Float64()*60
		}
		areas[i] = a
	}
	return areas
}

// TestIndexMatchesBruteForce compares Locate and Nearest with a scan of
// every store, for accuracies on both sides of each tier's reach: the cells
// must never hide a store the disk reaches.
func TestIndexMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	areas := randomCity(rng, 600)
	ix := NewIndex()
	mustPut(t, ix, areas...)
	sn := ix.snap.Load()
	accuracies := []float64{0, 3, 12, 19.9, 20.1, 40, 74.9, 75.1, 120, 200, 249, 251, 700}
	for range 10000 {
		p := at(partDieu, -800+rng.Float64()*4600, -800+rng.Float64()*4600)
		acc := accuracies[rng.IntN(len(accuracies))]
		sc := scaleAt(p.Lat)
		r := DiskRadiusM(acc)
		var want []Candidate
		for _, s := range sn.all {
			if d := s.distanceM(p, sc); d <= r {
				want = append(want, Candidate{StoreID: s.id, DistanceM: d})
			}
		}
		slices.SortFunc(want, compareCandidates)
		got := ix.Locate(p, acc)
		if len(want) == 0 {
			want = bruteNearest(sn, p, NearbyKm*1000, NearbyLimit)
		}
		if !slices.Equal(got.Candidates, want) {
			t.Fatalf("%v ±%v m: got %v, want %v", p, acc, got.Candidates, want)
		}
		km := []float64{0.2, 1, 5, 8}[rng.IntN(4)]
		if got, want := ix.Nearest(p, km, 7), bruteNearest(sn, p, km*1000, 7); !slices.Equal(got, want) {
			t.Fatalf("nearest %v within %v km: got %v, want %v", p, km, got, want)
		}
	}
}

func bruteNearest(sn *snapshot, p Point, maxM float64, limit int) []Candidate {
	sc := scaleAt(p.Lat)
	var all []Candidate
	for _, s := range sn.all {
		if d := s.distanceM(p, sc); d <= maxM {
			all = append(all, Candidate{StoreID: s.id, DistanceM: d})
		}
	}
	slices.SortFunc(all, compareCandidates)
	return all[:min(limit, len(all))]
}

// TestCellAtMatchesH3: the Go point-in-cell lookup finds the cell h3's own
// latLngToCell gives whenever that cell is indexed. H3 cell edges are
// great-circle arcs and the lookup's are straight in degrees, as in H3's
// overlap test; they part by L²/8R, 0.3 m on a 3.7 km edge, so points that
// close to an edge may go either way.
func TestCellAtMatchesH3(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	ix := NewIndex()
	mustPut(t, ix, randomCity(rng, 200)...)
	sn := ix.snap.Load()
	near := 0
	for range 20000 {
		p := at(partDieu, -600+rng.Float64()*4200, -600+rng.Float64()*4200)
		for tr, ti := range tiers {
			want, err := h3.LatLngToCell(h3.LatLng{Lat: p.Lat, Lng: p.Lng}, ti.res)
			if err != nil {
				t.Fatal(err)
			}
			got := sn.cellAt(tr, p)
			_, indexed := sn.cells[want]
			if got == nil && !indexed || got != nil && got.cell == want {
				continue
			}
			edge, err := h3.HexagonEdgeLengthAvgM(ti.res)
			if err != nil {
				t.Fatal(err)
			}
			b, err := h3.CellToBoundary(want)
			if err != nil {
				t.Fatal(err)
			}
			ring := make([]Point, len(b))
			for i, v := range b {
				ring[i] = Point{Lat: v.Lat, Lng: v.Lng}
			}
			if d := roughEdgeM(ring, p); d > edge*edge/(8*meanEarthRadiusM)+0.001 {
				t.Fatalf("%v at res %d: found %v, h3 says %v (indexed %v), %.3f m from its edge", p, ti.res, cellOf(got), want, indexed, d)
			}
			near++
		}
	}
	t.Logf("%d lookups within a hair of a cell edge", near)
}

func cellOf(e *cellEntry) any {
	if e == nil {
		return nil
	}
	return e.cell
}
