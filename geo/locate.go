package geo

import (
	"cmp"
	"math"
	"slices"
)

// Placement rules; the package documentation gives the reasons.
const (
	// InsideToleranceM counts a point this close outside a footprint as
	// inside it: walls are drawn by hand and doorways stick out.
	InsideToleranceM = 5
	// MinDiskRadiusM and MaxDiskRadiusM bound the accuracy disk, whose
	// radius is otherwise twice the reported accuracy.
	MinDiskRadiusM = 10
	MaxDiskRadiusM = 500
	// MaxPlaceableAccuracyM is the worst accuracy still placed in a store;
	// worse fixes only get the nearby list.
	MaxPlaceableAccuracyM = 1_000
	// NearbyKm and NearbyLimit bound the nearby list.
	NearbyKm    = 5
	NearbyLimit = 5
)

// Confidence says how sure a placement is.
type Confidence string

// The confidences of a Result.
const (
	Inside    Confidence = "inside"
	Ambiguous Confidence = "ambiguous"
	Nearby    Confidence = "nearby"
	None      Confidence = "none"
)

// Candidate is a store that may be the shopper's, with the distance in
// metres from the point to the store's edge (0 when the point is inside).
type Candidate struct {
	StoreID   string
	DistanceM float64
}

// Result is a placement. StoreID is set for Inside and, for Ambiguous, is the
// nearest candidate. Candidates are sorted by distance, then store id: for
// Inside just the store, for Ambiguous every store the disk reaches (one when
// the point is near a single store but not in it), for Nearby at most
// NearbyLimit stores within NearbyKm.
type Result struct {
	Confidence Confidence
	StoreID    string
	Candidates []Candidate
}

// DiskRadiusM is the radius of the disk a fix of the given accuracy may lie
// in: twice the accuracy, kept between MinDiskRadiusM and MaxDiskRadiusM.
// A negative or NaN accuracy counts as DefaultAccuracyM.
func DiskRadiusM(accuracyM float64) float64 {
	if !(accuracyM >= 0) {
		accuracyM = DefaultAccuracyM
	}
	return min(max(2*accuracyM, MinDiskRadiusM), MaxDiskRadiusM)
}

// Locate places a point with the given accuracy in metres. An invalid point
// gives None; an accuracy worse than MaxPlaceableAccuracyM, Nearby or None.
func (ix *Index) Locate(p Point, accuracyM float64) Result {
	if !p.valid() {
		return Result{Confidence: None}
	}
	sn := ix.snap.Load()
	sc := scaleAt(p.Lat)
	if accuracyM <= MaxPlaceableAccuracyM || math.IsNaN(accuracyM) {
		if res, ok := sn.place(p, sc, DiskRadiusM(accuracyM)); ok {
			return res
		}
	}
	near := sn.nearest(p, sc, NearbyKm*1000, NearbyLimit)
	if len(near) == 0 {
		return Result{Confidence: None}
	}
	return Result{Confidence: Nearby, Candidates: near}
}

// place finds the stores within r metres of p; ok is false when there are
// none.
func (sn *snapshot) place(p Point, sc scale, r float64) (Result, bool) {
	e := sn.cellAt(tierFor(r), p)
	if e == nil {
		return Result{}, false
	}
	// Most points reach one or two stores; the array keeps them off the heap.
	var buf [8]Candidate
	hits := buf[:0]
	for _, s := range e.stores {
		if s.gap2(p, sc) > r*r {
			continue
		}
		if d := s.distanceM(p, sc); d <= r {
			hits = append(hits, Candidate{StoreID: s.id, DistanceM: d})
		}
	}
	if len(hits) == 0 {
		return Result{}, false
	}
	slices.SortFunc(hits, compareCandidates)
	res := Result{Confidence: Ambiguous, StoreID: hits[0].StoreID, Candidates: slices.Clone(hits)}
	if len(hits) == 1 && hits[0].DistanceM <= InsideToleranceM {
		res.Confidence = Inside
	}
	return res, true
}

func compareCandidates(a, b Candidate) int {
	if c := cmp.Compare(a.DistanceM, b.DistanceM); c != 0 {
		return c
	}
	return cmp.Compare(a.StoreID, b.StoreID)
}
