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
	ring   []Point
	stores []*shape
}

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
	return &cellEntry{box: boxOf(ring), cell: c, tier: tierOfRes(c.Resolution()), ring: ring}, nil
}

func (e *cellEntry) contains(p Point) bool {
	return e.holds(p) && ringContains(e.ring, p)
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
