package geo

import (
	"math"
	"math/rand/v2"
	"testing"
)

// partDieu is the Lyon Part-Dieu mall, the origin of the test maps.
var partDieu = Point{Lat: 45.7606, Lng: 4.8597}

// at returns the point x metres east and y metres north of o, using a
// sphere on purpose: tests should not share the package's projection.
func at(o Point, x, y float64) Point {
	const mPerDeg = meanEarthRadiusM * math.Pi / 180
	return Point{Lat: o.Lat + y/mPerDeg, Lng: o.Lng + x/(mPerDeg*math.Cos(o.Lat*math.Pi/180))}
}

// rect is the footprint from (x0, y0) to (x1, y1) metres around o.
func rect(o Point, x0, y0, x1, y1 float64) []Point {
	return []Point{at(o, x0, y0), at(o, x1, y0), at(o, x1, y1), at(o, x0, y1)}
}

// randomFootprint is a star-shaped ring of 3 to 9 corners around c, between
// rMin and rMax metres from it, so concave shapes are tested too.
func randomFootprint(rng *rand.Rand, c Point, rMin, rMax float64) []Point {
	n := 3 + rng.IntN(7)
	ring := make([]Point, n)
	for i := range ring {
		a := 2 * math.Pi * (float64(i) + 0.8*rng.Float64()) / float64(n)
		r := rMin + (rMax-rMin)*rng.Float64()
		ring[i] = at(c, r*math.Cos(a), r*math.Sin(a))
	}
	return ring
}

// windingContains is an oracle for point in polygon, independent of the
// package: the winding number in plain degrees.
func windingContains(ring []Point, p Point) bool {
	w := 0
	for i := range ring {
		a, b := ring[i], ring[(i+1)%len(ring)]
		cross := (b.Lng-a.Lng)*(p.Lat-a.Lat) - (p.Lng-a.Lng)*(b.Lat-a.Lat)
		if a.Lat <= p.Lat {
			if b.Lat > p.Lat && cross > 0 {
				w++
			}
		} else if b.Lat <= p.Lat && cross < 0 {
			w--
		}
	}
	return w != 0
}

// edgeDistanceM is an oracle for the distance from p to a ring's edges,
// sampling each edge every 5 cm and measuring with shortM.
func edgeDistanceM(ring []Point, p Point) float64 {
	best := math.Inf(1)
	for i := range ring {
		a, b := ring[i], ring[(i+1)%len(ring)]
		n := int(shortM(a, b)/0.05) + 1
		for k := 0; k <= n; k++ {
			t := float64(k) / float64(n)
			q := Point{Lat: a.Lat + t*(b.Lat-a.Lat), Lng: a.Lng + t*(b.Lng-a.Lng)}
			best = min(best, shortM(p, q))
		}
	}
	return best
}

func mustPut(t testing.TB, ix *Index, areas ...Area) {
	t.Helper()
	if err := ix.PutAll(areas); err != nil {
		t.Fatalf("put: %v", err)
	}
}

func ids(cs []Candidate) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.StoreID
	}
	return out
}

// shortM is the ellipsoidal distance over a few hundred metres, with the
// radii of curvature taken at the mid-latitude (millimetre-exact there).
func shortM(a, b Point) float64 {
	const a0, e2 = 6378137.0, 6.69437999014e-3
	phi := (a.Lat + b.Lat) / 2 * math.Pi / 180
	w := 1 - e2*math.Sin(phi)*math.Sin(phi)
	n := a0 / math.Sqrt(w)
	m := a0 * (1 - e2) / (w * math.Sqrt(w))
	dy := (b.Lat - a.Lat) * math.Pi / 180 * m
	dx := (b.Lng - a.Lng) * math.Pi / 180 * n * math.Cos(phi)
	return math.Hypot(dx, dy)
}
