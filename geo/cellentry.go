package geo

import (
	"math"

	"github.com/uber/h3-go/v4"
)

// cellEntry is one indexed cell: its boundary for point lookups and the
// stores filed under it. Entries are immutable once in a snapshot.
//
// The boundary has straight edges in degrees, as in H3's overlap test, so a
// point in a store's grown box is always found in a cell filed for that
// store. H3's own edges are great-circle arcs; the two part by a few
// millimetres on a resolution 8 edge, which only moves such a point to the
// neighbouring cell.
type cellEntry struct {
	box
	cell h3.Cell
	tier int
	// ring is grown by a hair around its centre: neighbouring cells compute
	// their shared corners separately, and a point must never fall in the
	// rounding gap between them.
	ring []Point
	// sides describe a convex ring as half-planes around the box centre,
	// a third of the cost of the crossing test on the hot path; nil for the
	// odd cell that a face of the icosahedron bends out of convexity.
	sides  []side
	stores []*shape
}

// side is the half-plane a·x + b·y <= c, in degrees east and north of the
// box centre.
type side struct{ a, b, c float64 }

func newCellEntry(c h3.Cell) (*cellEntry, error) {
	ring, err := cellRing(c)
	if err != nil {
		return nil, err
	}
	b := boxOf(ring)
	for i, v := range ring {
		ring[i] = Point{
			Lat: b.midLat + (v.Lat-b.midLat)*(1+1e-8),
			Lng: wrapLng(b.midLng + wrapLng(v.Lng-b.midLng)*(1+1e-8)),
		}
	}
	e := &cellEntry{box: boxOf(ring), cell: c, tier: tierOfRes(c.Resolution()), ring: ring}
	e.sides = convexSides(ring, e.midLat, e.midLng)
	return e, nil
}

// convexSides returns the half-planes of a convex ring, or nil when it is
// not convex.
func convexSides(ring []Point, midLat, midLng float64) []side {
	n := len(ring)
	xs, ys := make([]float64, n), make([]float64, n)
	for i, q := range ring {
		xs[i], ys[i] = wrapLng(q.Lng-midLng), q.Lat-midLat
	}
	sides := make([]side, n)
	turn := 0.0
	for i := range n {
		j, k := (i+1)%n, (i+2)%n
		cross := (xs[j]-xs[i])*(ys[k]-ys[j]) - (ys[j]-ys[i])*(xs[k]-xs[j])
		if cross*turn < 0 {
			return nil
		}
		if cross != 0 {
			turn = cross
		}
		a, b := ys[j]-ys[i], xs[i]-xs[j]
		sides[i] = side{a: a, b: b, c: a*xs[i] + b*ys[i]}
	}
	if turn < 0 { // clockwise: the inside is on the other side of each edge
		for i := range sides {
			sides[i] = side{-sides[i].a, -sides[i].b, -sides[i].c}
		}
	}
	return sides
}

func (e *cellEntry) contains(p Point) bool {
	y, x := p.Lat-e.midLat, wrapLng(p.Lng-e.midLng)
	if math.Abs(y) > e.halfLat || math.Abs(x) > e.halfLng {
		return false
	}
	if e.sides == nil {
		return ringContains(e.ring, p)
	}
	for _, s := range e.sides {
		if s.a*x+s.b*y > s.c {
			return false
		}
	}
	return true
}

// bucket is a grid square of one tier, as row and column packed together.
func bucket(t int, lat, lng float64) uint64 {
	d := tiers[t].bucketDeg
	return bucketAt(t, int64(math.Floor((lat+90)/d)), int64(math.Floor((lng+180)/d)))
}

func bucketAt(t int, row, col int64) uint64 {
	n := int64(math.Ceil(360 / tiers[t].bucketDeg))
	col = (col%n + n) % n
	return uint64(row)<<32 | uint64(col)
}

// buckets lists the grid squares an entry's bounding box touches.
func (e *cellEntry) buckets() []uint64 {
	d := tiers[e.tier].bucketDeg
	r0 := int64(math.Floor((e.midLat - e.halfLat + 90) / d))
	r1 := int64(math.Floor((e.midLat + e.halfLat + 90) / d))
	c0 := int64(math.Floor((e.midLng - e.halfLng + 180) / d))
	c1 := int64(math.Floor((e.midLng + e.halfLng + 180) / d))
	var out []uint64
	for r := r0; r <= r1; r++ {
		for c := c0; c <= c1; c++ {
			out = append(out, bucketAt(e.tier, r, c))
		}
	}
	return out
}
