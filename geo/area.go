package geo

import (
	"fmt"
	"math"
	"strings"

	"github.com/uber/h3-go/v4"
)

// Area is what a store covers. With a footprint, Location only names the
// entrance; placement uses the footprint alone.
type Area struct {
	StoreID   string
	Location  Point   // the store's entrance or centre
	Footprint []Point // outer ring, closed or not; empty means a circle
	RadiusM   float64 // circle radius when there is no footprint; 0 means DefaultRadiusM
}

// Circle radii in metres. Without a footprint a store is a circle around its
// location; 60 m covers a supermarket and its doors.
const (
	DefaultRadiusM = 60
	MaxRadiusM     = 500
	minRadiusM     = 1
)

// Validate checks an area as Put would, so a handler can refuse it before
// storing anything. Errors are *InputError on store_id, location, footprint
// or radius_m.
func (a Area) Validate() error {
	if strings.TrimSpace(a.StoreID) == "" {
		return &InputError{Field: "store_id", Message: "is required"}
	}
	_, _, err := a.geometry()
	return err
}

// geometry returns the normalised footprint, or nil and the circle radius.
func (a Area) geometry() ([]Point, float64, error) {
	if !a.Location.valid() {
		return nil, 0, &InputError{Field: "location", Message: "must have lat from -90 to 90 and lng from -180 to 180"}
	}
	if math.Abs(a.Location.Lat) > maxStoreLat {
		return nil, 0, &InputError{Field: "location", Message: fmt.Sprintf("must be within %d° of the equator", maxStoreLat)}
	}
	if len(a.Footprint) > 0 {
		ring, err := normaliseRing(a.Footprint)
		return ring, 0, err
	}
	r := a.RadiusM
	if r == 0 {
		r = DefaultRadiusM
	}
	if !(r >= minRadiusM && r <= MaxRadiusM) {
		return nil, 0, &InputError{Field: "radius_m", Message: fmt.Sprintf("must be from %d to %d metres", minRadiusM, MaxRadiusM)}
	}
	return nil, r, nil
}

// circleSides approximates a circle for H3; the polygon is drawn around the
// circle rather than inside it so that no covered cell is lost.
const circleSides = 32

func circleRing(c Point, radiusM float64) []Point {
	sc := scaleAt(c.Lat)
	r := radiusM / math.Cos(math.Pi/circleSides)
	ring := make([]Point, circleSides)
	for i := range ring {
		s, co := math.Sincos(2 * math.Pi * float64(i) / circleSides)
		ring[i] = Point{Lat: c.Lat + r*s/sc.ky, Lng: c.Lng + r*co/sc.kx}
	}
	return ring
}

// shape is an area ready for lookups: geometry in a form cheap to test and
// the index cells it is filed under.
type shape struct {
	box    // bounding box
	id     string
	ring   []Point // open ring; nil for a circle
	centre Point
	radius float64 // metres, circles only
	cells  []h3.Cell
}

func newShape(a Area) (*shape, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	ring, radius, _ := a.geometry()
	s := &shape{id: a.StoreID, ring: ring, centre: a.Location, radius: radius}
	if ring != nil {
		s.box = boxOf(ring)
	} else {
		// One per cent wider than the circle, so the box stays a lower bound
		// of the distance when projected at the shopper's latitude.
		sc := scaleAt(a.Location.Lat)
		s.box = box{midLat: a.Location.Lat, midLng: a.Location.Lng, halfLat: 1.01 * radius / sc.ky, halfLng: 1.01 * radius / sc.kx}
	}
	cells, err := tierCells(s.box)
	if err != nil {
		return nil, fmt.Errorf("geo: cells of store %s: %w", a.StoreID, err)
	}
	s.cells = cells
	return s, nil
}

// farM is where the local projection stops being trusted for a distance.
const farM = 20_000

// distanceM is the distance from p to the store's edge, 0 inside. Stores
// farther than farM get the great-circle distance to their bounding box,
// which only ranks them.
func (s *shape) distanceM(p Point, sc scale) float64 {
	if s.gap2(p, sc) > farM*farM {
		return s.farDistanceM(p)
	}
	if s.ring == nil {
		x, y := sc.xy(p, s.centre)
		return max(math.Sqrt(x*x+y*y)-s.radius, 0)
	}
	return ringDistance(s.ring, p, sc)
}

func (s *shape) farDistanceM(p Point) float64 {
	q := Point{
		Lat: min(max(p.Lat, s.midLat-s.halfLat), s.midLat+s.halfLat),
		Lng: s.midLng + min(max(wrapLng(p.Lng-s.midLng), -s.halfLng), s.halfLng),
	}
	return haversineM(p, q)
}
