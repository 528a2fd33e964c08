package geo

import "math"

// WGS84 ellipsoid. Local scales come from its radii of curvature: a sphere
// would be off by up to 0.5 %, half a metre across a 100 m big box.
const (
	wgs84A   = 6378137.0
	wgs84E2  = 6.69437999014e-3
	degToRad = math.Pi / 180

	// Lower bounds of the metres in one degree anywhere on Earth, for growing
	// boxes by a distance without ever falling short.
	minMetresPerDegLat = wgs84A * (1 - wgs84E2) * degToRad
	metresPerDegLngEq  = wgs84A * degToRad

	meanEarthRadiusM = 6371008.8
)

// scale turns degree offsets around one latitude into metres: a local
// equirectangular projection, good to a centimetre over a few hundred metres.
type scale struct{ kx, ky float64 }

func scaleAt(lat float64) scale {
	s, c := math.Sincos(lat * degToRad)
	w := 1 - wgs84E2*s*s
	n := wgs84A / math.Sqrt(w)
	return scale{kx: n * c * degToRad, ky: n * (1 - wgs84E2) / w * degToRad}
}

// wrapLng brings a longitude difference into [-180, 180] so that places on
// either side of the antimeridian are neighbours.
func wrapLng(d float64) float64 {
	if d > 180 {
		return d - 360
	}
	if d < -180 {
		return d + 360
	}
	return d
}

// xy projects q into metres east and north of the origin o.
func (sc scale) xy(o, q Point) (float64, float64) {
	return wrapLng(q.Lng-o.Lng) * sc.kx, (q.Lat - o.Lat) * sc.ky
}

// ringDistance returns 0 when o is inside the open ring, otherwise the
// distance in metres from o to the ring's nearest edge. Both answers come
// from one pass over the edges, projected around o itself.
func ringDistance(ring []Point, o Point, sc scale) float64 {
	xj, yj := sc.xy(o, ring[len(ring)-1])
	inside := false
	best := math.Inf(1)
	for _, q := range ring {
		xi, yi := sc.xy(o, q)
		if (yi > 0) != (yj > 0) && xi-yi*(xj-xi)/(yj-yi) > 0 {
			inside = !inside
		}
		dx, dy := xj-xi, yj-yi
		t := 0.0
		if l2 := dx*dx + dy*dy; l2 > 0 {
			t = min(max(-(xi*dx+yi*dy)/l2, 0), 1)
		}
		ex, ey := xi+t*dx, yi+t*dy
		best = min(best, ex*ex+ey*ey)
		xj, yj = xi, yi
	}
	if inside {
		return 0
	}
	return math.Sqrt(best)
}

// ringContains is the crossing test alone, in degrees around o; H3 draws
// cell boundaries with straight edges in degrees, and so does this.
func ringContains(ring []Point, o Point) bool {
	last := ring[len(ring)-1]
	xj, yj := wrapLng(last.Lng-o.Lng), last.Lat-o.Lat
	inside := false
	for _, q := range ring {
		xi, yi := wrapLng(q.Lng-o.Lng), q.Lat-o.Lat
		if (yi > 0) != (yj > 0) && xi-yi*(xj-xi)/(yj-yi) > 0 {
			inside = !inside
		}
		xj, yj = xi, yi
	}
	return inside
}

// haversineM is the great-circle distance, for stores too far away for the
// local projection to hold.
func haversineM(a, b Point) float64 {
	sLat := math.Sin((b.Lat - a.Lat) * degToRad / 2)
	sLng := math.Sin(wrapLng(b.Lng-a.Lng) * degToRad / 2)
	h := sLat*sLat + math.Cos(a.Lat*degToRad)*math.Cos(b.Lat*degToRad)*sLng*sLng
	return 2 * meanEarthRadiusM * math.Asin(math.Sqrt(min(h, 1)))
}

// projected is a ring in metres around its first corner.
type projected struct{ x, y []float64 }

func project(ring []Point) projected {
	sc := scaleAt(ring[0].Lat)
	pr := projected{x: make([]float64, len(ring)), y: make([]float64, len(ring))}
	for i, q := range ring {
		pr.x[i], pr.y[i] = sc.xy(ring[0], q)
	}
	return pr
}

// areaM2 is the shoelace area; its sign is the winding and is dropped.
func (pr projected) areaM2() float64 {
	n := len(pr.x)
	s := 0.0
	for i := range n {
		j := (i + 1) % n
		s += pr.x[i]*pr.y[j] - pr.x[j]*pr.y[i]
	}
	return math.Abs(s) / 2
}

// fanAreaM2 adds the unsigned areas of the triangles fanned out from the
// first corner: zero only when every corner is on one line, even for a
// bow tie whose two halves cancel in the shoelace sum.
func (pr projected) fanAreaM2() float64 {
	s := 0.0
	for i := 1; i+1 < len(pr.x); i++ {
		s += math.Abs(pr.x[i]*pr.y[i+1] - pr.x[i+1]*pr.y[i])
	}
	return s / 2
}

// crossing returns two edges that cross or overlap, or -1, -1. Edge i runs
// from corner i to corner i+1. Rings are at most maxRingPositions long, so
// the quadratic scan is cheap.
func (pr projected) crossing() (int, int) {
	n := len(pr.x)
	for i := range n {
		for j := i + 1; j < n; j++ {
			adjacent := j == i+1 || (i == 0 && j == n-1)
			if adjacent {
				if pr.foldsBack(i, j) {
					return i, j
				}
				continue
			}
			if pr.edgesMeet(i, j) {
				return i, j
			}
		}
	}
	return -1, -1
}

func (pr projected) corner(i int) (float64, float64) {
	i %= len(pr.x)
	return pr.x[i], pr.y[i]
}

// foldsBack reports whether two edges sharing a corner run back over each
// other, a zero-width spike.
func (pr projected) foldsBack(i, j int) bool {
	ax, ay := pr.corner(i)
	bx, by := pr.corner(i + 1)
	cx, cy := pr.corner(j)
	dx, dy := pr.corner(j + 1)
	ux, uy := bx-ax, by-ay
	vx, vy := dx-cx, dy-cy
	cross := ux*vy - uy*vx
	return math.Abs(cross) <= 1e-9*math.Hypot(ux, uy)*math.Hypot(vx, vy) && ux*vx+uy*vy < 0
}

func (pr projected) edgesMeet(i, j int) bool {
	ax, ay := pr.corner(i)
	bx, by := pr.corner(i + 1)
	cx, cy := pr.corner(j)
	dx, dy := pr.corner(j + 1)
	d1 := orient(cx, cy, dx, dy, ax, ay)
	d2 := orient(cx, cy, dx, dy, bx, by)
	d3 := orient(ax, ay, bx, by, cx, cy)
	d4 := orient(ax, ay, bx, by, dx, dy)
	if d1*d2 < 0 && d3*d4 < 0 {
		return true
	}
	return d1 == 0 && within(cx, cy, dx, dy, ax, ay) ||
		d2 == 0 && within(cx, cy, dx, dy, bx, by) ||
		d3 == 0 && within(ax, ay, bx, by, cx, cy) ||
		d4 == 0 && within(ax, ay, bx, by, dx, dy)
}

func orient(ax, ay, bx, by, px, py float64) float64 {
	return (bx-ax)*(py-ay) - (by-ay)*(px-ax)
}

// within reports whether p, known to be on the line ab, lies on the segment.
func within(ax, ay, bx, by, px, py float64) bool {
	return min(ax, bx) <= px && px <= max(ax, bx) && min(ay, by) <= py && py <= max(ay, by)
}
