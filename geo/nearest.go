package geo

import "slices"

// Nearest returns up to limit stores whose edge is within maxKm of p,
// nearest first (ties by store id); limit <= 0 means no limit. It serves
// shoppers outside every store. Up to NearbyKm it reads one cell of a tier
// or a few; wider searches scan every store, which stays in the tens of
// microseconds for thousands of stores. Beyond 20 km distances are
// great-circle distances to the store's bounding box, good for ranking only.
func (ix *Index) Nearest(p Point, maxKm float64, limit int) []Candidate {
	if !p.valid() || !(maxKm > 0) {
		return nil
	}
	return ix.snap.Load().nearest(p, scaleAt(p.Lat), maxKm*1000, limit)
}

func (sn *snapshot) nearest(p Point, sc scale, maxM float64, limit int) []Candidate {
	var buf []Candidate
	if limit > 0 {
		buf = make([]Candidate, 0, limit)
	}
	if maxM > tiers[nearbyTier].reachM {
		return nilIfEmpty(topK(buf, sn.all, p, sc, maxM, limit))
	}
	// A tier's cell holds every store within the tier's reach of p: when it
	// yields limit of them, no store elsewhere can be nearer, and the wide
	// cells of the coarser tiers, which can hold a whole city, stay unread.
	// The search starts at 150 m; the 40 m tier seldom holds enough.
	for t := 1; ; t++ {
		reach := tiers[t].reachM
		best := buf[:0]
		if e := sn.cellAt(t, p); e != nil {
			best = topK(best, e.stores, p, sc, min(maxM, reach), limit)
		}
		if maxM <= reach || t == nearbyTier || limit > 0 && len(best) == limit {
			return nilIfEmpty(best)
		}
	}
}

// topK appends to best the stores of pool within maxM of p, nearest first,
// keeping at most limit of them when limit > 0.
func topK(best []Candidate, pool []*shape, p Point, sc scale, maxM float64, limit int) []Candidate {
	for _, s := range pool {
		// A lower bound of the distance, to skip most stores cheaply; far
		// stores get their distance itself, as the bound would not be one.
		lb2 := s.gap2(p, sc)
		if lb2 > farM*farM {
			d := s.farDistanceM(p)
			lb2 = d * d
		}
		if lb2 > maxM*maxM {
			continue
		}
		full := limit > 0 && len(best) == limit
		if full && lb2 > best[limit-1].DistanceM*best[limit-1].DistanceM {
			continue
		}
		c := Candidate{StoreID: s.id, DistanceM: s.distanceM(p, sc)}
		if c.DistanceM > maxM || full && compareCandidates(c, best[limit-1]) >= 0 {
			continue
		}
		if full {
			best = best[:limit-1]
		}
		i, _ := slices.BinarySearchFunc(best, c, compareCandidates)
		best = slices.Insert(best, i, c)
	}
	return best
}

func nilIfEmpty(cs []Candidate) []Candidate {
	if len(cs) == 0 {
		return nil
	}
	return cs
}
