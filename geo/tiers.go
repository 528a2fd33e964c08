package geo

import (
	"fmt"
	"slices"

	"github.com/uber/h3-go/v4"
)

// tier is one resolution of the index: a store is filed under every cell of
// res that overlaps its bounding box grown by reachM, and the cells'
// boundaries sit in a grid of bucketDeg degrees for finding the cell of a
// point. A grid square is about half a cell across, so the square of a
// point lists only a few cells to test.
type tier struct {
	res       int
	reachM    float64
	bucketDeg float64
}

// tiers, finest first; the package documentation explains the choice.
var tiers = [...]tier{
	{res: 11, reachM: 40, bucketDeg: 0.0003},
	{res: 10, reachM: 150, bucketDeg: 0.0008},
	{res: 8, reachM: MaxDiskRadiusM, bucketDeg: 0.005},
	{res: 6, reachM: NearbyKm * 1000, bucketDeg: 0.04},
}

const nearbyTier = len(tiers) - 1

// tierFor returns the finest tier that sees every store within r metres.
func tierFor(r float64) int {
	for t, ti := range tiers {
		if r <= ti.reachM {
			return t
		}
	}
	return nearbyTier
}

func tierOfRes(res int) int {
	for t, ti := range tiers {
		if ti.res == res {
			return t
		}
	}
	return -1
}

// tierCells returns the cells of every tier a shape is filed under.
func tierCells(b box) ([]h3.Cell, error) {
	var all []h3.Cell
	for _, ti := range tiers {
		cells, err := floodCells(b.grow(ti.reachM), ti.res)
		if err != nil {
			return nil, err
		}
		if len(cells) == 0 {
			return nil, fmt.Errorf("no cells at resolution %d", ti.res)
		}
		all = append(all, cells...)
	}
	slices.Sort(all)
	return all, nil
}
