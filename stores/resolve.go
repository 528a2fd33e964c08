package stores

import (
	"context"
	"math"
	"strings"

	"helpforce/fault"
	"helpforce/geo"
	"helpforce/pg"
)

// PlaceQuery is how a help request says where the shopper is: a shelf spot,
// a store chosen by hand, or the phone's position. The first given wins.
type PlaceQuery struct {
	StoreID  string   `json:"store_id"`
	Spot     string   `json:"spot"`
	Lat      *float64 `json:"lat"`
	Lng      *float64 `json:"lng"`
	Accuracy *float64 `json:"accuracy"`
}

// Placement is where a request belongs. Store is nil for a shopper in no
// store (at home, on the way): the remote team answers, with Nearby at hand.
// For an ambiguous position Store is the nearest candidate and Nearby the
// others, so the shopper can correct it.
type Placement struct {
	Store      *Summary
	Department string // set by a spot
	Nearby     []Nearby
	Confidence string // inside, ambiguous, nearby, none; "spot" or "chosen" when exact
}

// HomeRadiusKm is how far the stores offered to a shopper in no store may be.
const HomeRadiusKm = 50

// Resolve places a help request.
func (p *Places) Resolve(ctx context.Context, q PlaceQuery) (Placement, error) {
	switch {
	case strings.TrimSpace(q.Spot) != "":
		spot, err := p.reg.Spot(ctx, strings.TrimSpace(q.Spot))
		if fault.IsNotFound(err) {
			return Placement{}, fault.Invalid("spot", "this shelf code is not known; choose your store instead")
		}
		if err != nil {
			return Placement{}, err
		}
		s, err := p.summary(ctx, spot.StoreID)
		if err != nil {
			return Placement{}, err
		}
		return Placement{Store: &s, Department: spot.Department, Confidence: "spot"}, nil
	case q.StoreID != "":
		s, err := p.summary(ctx, q.StoreID)
		if fault.IsNotFound(err) {
			return Placement{}, fault.Invalid("store_id", "no such store")
		}
		if err != nil {
			return Placement{}, err
		}
		return Placement{Store: &s, Confidence: "chosen"}, nil
	case q.Lat != nil || q.Lng != nil:
		if q.Lat == nil || q.Lng == nil {
			return Placement{}, fault.Invalid("lat", "lat and lng go together")
		}
		pt := geo.Point{Lat: *q.Lat, Lng: *q.Lng}
		if !finiteIn(pt.Lat, -90, 90) {
			return Placement{}, fault.Invalid("lat", "lat must be a number from -90 to 90")
		}
		if !finiteIn(pt.Lng, -180, 180) {
			return Placement{}, fault.Invalid("lng", "lng must be a number from -180 to 180")
		}
		acc := float64(geo.DefaultAccuracyM)
		if q.Accuracy != nil {
			if !finiteIn(*q.Accuracy, 0, geo.MaxAccuracyM) {
				return Placement{}, fault.Invalid("accuracy", "accuracy must be a number of metres from 0 to %d", geo.MaxAccuracyM)
			}
			acc = *q.Accuracy
		}
		m := p.Locate(pt, acc)
		pl := Placement{Confidence: m.Confidence, Store: m.Store}
		switch m.Confidence {
		case string(geo.Inside):
		case string(geo.Ambiguous):
			pl.Nearby = m.Candidates
		default:
			// A shopper at home still wants the stores they could reach for
			// stock and holds, not only those within walking distance.
			pl.Store = nil
			pl.Nearby = p.Nearest(pt, HomeRadiusKm, geo.NearbyLimit)
		}
		return pl, nil
	}
	return Placement{Confidence: "none"}, nil
}

// summary finds a store in the index, or in the database when this replica
// has not heard of it yet.
func (p *Places) summary(ctx context.Context, id string) (Summary, error) {
	if s, ok := p.Summary(id); ok {
		return s, nil
	}
	if !pg.IsID(id) {
		return Summary{}, fault.NotFound("store")
	}
	st, err := p.reg.Store(ctx, id)
	if err != nil {
		return Summary{}, err
	}
	return st.Summary(), nil
}

func finiteIn(v, lo, hi float64) bool {
	return !math.IsNaN(v) && !math.IsInf(v, 0) && v >= lo && v <= hi
}
