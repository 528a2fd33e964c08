package geo

import "math"

// box is an axis-aligned box in degrees, kept as centre and half extents so
// that it stays right across the antimeridian.
type box struct{ midLat, midLng, halfLat, halfLng float64 }

// boxOf returns the bounding box of a ring, with longitudes taken relative
// to the first corner.
func boxOf(ring []Point) box {
	o := ring[0]
	loLat, hiLat, loLng, hiLng := o.Lat, o.Lat, 0.0, 0.0
	for _, q := range ring {
		d := wrapLng(q.Lng - o.Lng)
		loLat, hiLat = min(loLat, q.Lat), max(hiLat, q.Lat)
		loLng, hiLng = min(loLng, d), max(hiLng, d)
	}
	return box{
		midLat: (loLat + hiLat) / 2, halfLat: (hiLat - loLat) / 2,
		midLng: wrapLng(o.Lng + (loLng+hiLng)/2), halfLng: (hiLng - loLng) / 2,
	}
}

func (b box) holds(p Point) bool {
	return math.Abs(p.Lat-b.midLat) <= b.halfLat && math.Abs(wrapLng(p.Lng-b.midLng)) <= b.halfLng
}

// gap2 is the squared distance in metres from p to the box, 0 inside.
func (b box) gap2(p Point, sc scale) float64 {
	gy := max(math.Abs(p.Lat-b.midLat)-b.halfLat, 0) * sc.ky
	gx := max(math.Abs(wrapLng(p.Lng-b.midLng))-b.halfLng, 0) * sc.kx
	return gx*gx + gy*gy
}

// grow returns the box grown by reach metres. Degrees per metre are taken
// at their largest anywhere in the box, plus a little, so that every point
// within reach of the box lies inside the grown one.
func (b box) grow(reachM float64) box {
	g := reachM*1.001 + 2
	dLat := g / minMetresPerDegLat
	lat0 := max(b.midLat-b.halfLat-dLat, -90)
	lat1 := min(b.midLat+b.halfLat+dLat, 90)
	dLng := g / (metresPerDegLngEq * math.Cos(max(math.Abs(lat0), math.Abs(lat1))*degToRad))
	return box{
		midLat: (lat0 + lat1) / 2, halfLat: (lat1 - lat0) / 2,
		midLng: b.midLng, halfLng: min(b.halfLng+dLng, 180),
	}
}

// overlaps reports whether the box and a convex ring share a point, by
// looking for a separating axis among the box's sides and the ring's edges.
// H3 cells with distortion corners are not quite convex; for them the test
// may answer true for a ring just outside, which only files a store under
// one cell too many.
func (b box) overlaps(ring []Point) bool {
	n := len(ring)
	xs := make([]float64, n)
	ys := make([]float64, n)
	for i, q := range ring {
		xs[i], ys[i] = wrapLng(q.Lng-b.midLng), q.Lat-b.midLat
	}
	if minOf(xs) > b.halfLng || -maxOf(xs) > b.halfLng || minOf(ys) > b.halfLat || -maxOf(ys) > b.halfLat {
		return false
	}
	for i := range n {
		j := (i + 1) % n
		nx, ny := ys[i]-ys[j], xs[j]-xs[i] // the edge's normal
		lo, hi := math.Inf(1), math.Inf(-1)
		for k := range n {
			v := nx*xs[k] + ny*ys[k]
			lo, hi = min(lo, v), max(hi, v)
		}
		// The box's extent along the normal is symmetric about its centre.
		r := math.Abs(nx)*b.halfLng + math.Abs(ny)*b.halfLat
		if lo > r || hi < -r {
			return false
		}
	}
	return true
}

func minOf(v []float64) float64 {
	m := math.Inf(1)
	for _, x := range v {
		m = min(m, x)
	}
	return m
}

func maxOf(v []float64) float64 {
	m := math.Inf(-1)
	for _, x := range v {
		m = max(m, x)
	}
	return m
}
