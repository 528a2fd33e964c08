package geo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
)

// Limits of a store footprint. A footprint is one store, not a mall or a
// retail park: anything larger is a drawing mistake, and a long thin sliver
// would be filed under cells far from where shoppers stand.
const (
	MaxFootprintM2    = 1_000_000
	MaxFootprintSpanM = 2_000
	minFootprintM2    = 1
	maxRingPositions  = 1_000
	// maxStoreLat keeps stores where longitude boxes stay narrow; no town
	// lies closer to a pole.
	maxStoreLat = 85
)

// ParseFootprint validates a GeoJSON Polygon and returns its outer ring,
// closed (first position repeated at the end). An empty or null value means
// no footprint and returns nil, nil.
//
// Decisions, all forgiving where the intent is plain:
//   - a ring that is not closed is closed, since drawing tools and hand
//     editing often drop the repeated position;
//   - repeated consecutive positions are dropped, then at least 3 distinct
//     corners must remain;
//   - holes (rings after the first) are ignored: a courtyard inside a store's
//     outline still places the shopper in that store;
//   - either winding order is accepted, as RFC 7946 asks of parsers;
//   - altitudes are ignored.
//
// Refused, as *InputError on field "footprint": anything but a Polygon,
// non-numeric or out-of-range coordinates, edges that cross, no area, more
// than MaxFootprintM2 or wider than MaxFootprintSpanM, latitudes beyond 85°,
// and more than 1,000 positions.
func ParseFootprint(raw json.RawMessage) ([]Point, error) {
	if t := bytes.TrimSpace(raw); len(t) == 0 || bytes.Equal(t, []byte("null")) {
		return nil, nil
	}
	var g struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	}
	if err := json.Unmarshal(raw, &g); err != nil {
		return nil, footprintError("must be a GeoJSON Polygon object")
	}
	switch g.Type {
	case "Polygon":
	case "":
		return nil, footprintError(`must be a GeoJSON Polygon: "type" is missing`)
	case "Feature":
		return nil, footprintError(`must be a GeoJSON Polygon, not a Feature: send the feature's "geometry"`)
	default:
		return nil, footprintError(fmt.Sprintf("must be a GeoJSON Polygon, not %q", g.Type))
	}
	if len(g.Coordinates) == 0 {
		return nil, footprintError("has no outer ring")
	}
	var rings [][][]float64
	if err := json.Unmarshal(g.Coordinates, &rings); err != nil {
		return nil, footprintError("coordinates must be rings of [lng, lat] number pairs")
	}
	if len(rings) == 0 || len(rings[0]) == 0 {
		return nil, footprintError("has no outer ring")
	}
	outer := rings[0]
	if len(outer) > maxRingPositions {
		return nil, footprintError(fmt.Sprintf("has %d positions; at most %d are allowed", len(outer), maxRingPositions))
	}
	pts := make([]Point, len(outer))
	for i, pos := range outer {
		if len(pos) < 2 {
			return nil, footprintError(fmt.Sprintf("position %d must be [lng, lat]", i+1))
		}
		pts[i] = Point{Lat: pos[1], Lng: pos[0]}
	}
	ring, err := normaliseRing(pts)
	if err != nil {
		return nil, err
	}
	return append(ring, ring[0]), nil
}

func footprintError(msg string) *InputError {
	return &InputError{Field: "footprint", Message: msg}
}

// normaliseRing checks a ring and returns it open (no repeated closing
// position) and without repeated consecutive positions, in a new slice.
func normaliseRing(pts []Point) ([]Point, error) {
	if len(pts) > maxRingPositions+1 {
		return nil, footprintError(fmt.Sprintf("has %d positions; at most %d are allowed", len(pts), maxRingPositions))
	}
	ring := make([]Point, 0, len(pts))
	for i, p := range pts {
		if !(p.Lng >= -180 && p.Lng <= 180) {
			return nil, footprintError(fmt.Sprintf("position %d has longitude %v, outside -180..180 (positions are [lng, lat])", i+1, p.Lng))
		}
		if !(p.Lat >= -maxStoreLat && p.Lat <= maxStoreLat) {
			return nil, footprintError(fmt.Sprintf("position %d has latitude %v, outside -%d..%d (positions are [lng, lat])", i+1, p.Lat, maxStoreLat, maxStoreLat))
		}
		if len(ring) > 0 && ring[len(ring)-1] == p {
			continue
		}
		ring = append(ring, p)
	}
	for len(ring) > 1 && ring[len(ring)-1] == ring[0] {
		ring = ring[:len(ring)-1]
	}
	if len(ring) < 3 {
		return nil, footprintError("needs at least 3 distinct corners")
	}
	pr := project(ring)
	if w, h := spread(pr.x), spread(pr.y); max(w, h) > MaxFootprintSpanM {
		return nil, footprintError(fmt.Sprintf("spans %.1f km; a store is at most %d km across", max(w, h)/1000, MaxFootprintSpanM/1000))
	}
	// Corners in a line also make edges that run over each other; saying
	// so first is the clearer message.
	flat := pr.fanAreaM2() < minFootprintM2
	if i, j := pr.crossing(); i >= 0 && !flat {
		return nil, footprintError(fmt.Sprintf("has edges that cross (edges %d and %d)", i+1, j+1))
	}
	area := pr.areaM2()
	if flat || area < minFootprintM2 {
		return nil, footprintError("has no area: its corners are (almost) in a line")
	}
	if area > MaxFootprintM2 {
		return nil, footprintError(fmt.Sprintf("covers %.2f km²; a store covers at most 1 km²", area/1e6))
	}
	return ring, nil
}

func spread(v []float64) float64 {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range v {
		lo, hi = min(lo, x), max(hi, x)
	}
	return hi - lo
}
