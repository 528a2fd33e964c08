package geo

import (
	"fmt"
	"maps"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/uber/h3-go/v4"
)

// Index is a concurrency-safe in-memory index from H3 cells to the stores
// that may be near them; make one with NewIndex. Lookups read an immutable
// snapshot without locking; writes, which are rare, copy the snapshot and
// swap it in.
type Index struct {
	mu   sync.Mutex // serialises writers; readers never take it
	snap atomic.Pointer[snapshot]
}

type snapshot struct {
	shapes map[string]*shape
	all    []*shape // every shape, for searches wider than the nearby tier
	cells  map[h3.Cell]*cellEntry
	grids  [len(tiers)]map[uint64][]*cellEntry
}

// NewIndex returns an empty index.
func NewIndex() *Index {
	ix := &Index{}
	sn := &snapshot{shapes: map[string]*shape{}, cells: map[h3.Cell]*cellEntry{}}
	for t := range sn.grids {
		sn.grids[t] = map[uint64][]*cellEntry{}
	}
	ix.snap.Store(sn)
	return ix
}

// Put inserts a store or replaces the one with the same StoreID. Invalid
// areas are refused with an *InputError (see Area.Validate) and leave the
// index as it was. A write copies the index, about 8 ms with 1,000 stores.
func (ix *Index) Put(a Area) error {
	return ix.PutAll([]Area{a})
}

// PutAll puts many stores in one write, which is much cheaper than one Put
// each when loading every store at start. Either all are put or, on the
// first invalid area, none.
func (ix *Index) PutAll(areas []Area) error {
	shapes := make([]*shape, len(areas))
	for i, a := range areas {
		s, err := newShape(a)
		if err != nil {
			return err
		}
		shapes[i] = s
	}
	return ix.write(func(w *snapshot) error {
		for _, s := range shapes {
			w.remove(s.id)
			if err := w.attach(s); err != nil {
				return fmt.Errorf("geo: put store %s: %w", s.id, err)
			}
		}
		return nil
	})
}

// Remove takes a store out of the index; an unknown id is not an error.
func (ix *Index) Remove(storeID string) {
	if _, ok := ix.snap.Load().shapes[storeID]; !ok {
		return
	}
	_ = ix.write(func(w *snapshot) error {
		w.remove(storeID)
		return nil
	})
}

// Len returns the number of stores in the index.
func (ix *Index) Len() int { return len(ix.snap.Load().shapes) }

func (ix *Index) write(change func(*snapshot) error) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	old := ix.snap.Load()
	w := &snapshot{shapes: maps.Clone(old.shapes), cells: maps.Clone(old.cells)}
	for t := range w.grids {
		w.grids[t] = maps.Clone(old.grids[t])
	}
	if err := change(w); err != nil {
		return err
	}
	w.all = slices.Collect(maps.Values(w.shapes))
	ix.snap.Store(w)
	return nil
}

// attach files s under its cells. Entries and bucket slices of the old
// snapshot are shared with readers, so each change makes new ones.
func (w *snapshot) attach(s *shape) error {
	for _, c := range s.cells {
		old := w.cells[c]
		var e *cellEntry
		if old != nil {
			cp := *old
			cp.stores = append(slices.Clip(old.stores), s)
			e = &cp
		} else {
			var err error
			if e, err = newCellEntry(c); err != nil {
				return err
			}
			e.stores = []*shape{s}
		}
		w.cells[c] = e
		w.swap(old, e)
	}
	w.shapes[s.id] = s
	return nil
}

func (w *snapshot) remove(id string) {
	s, ok := w.shapes[id]
	if !ok {
		return
	}
	delete(w.shapes, id)
	for _, c := range s.cells {
		old := w.cells[c]
		if old == nil {
			continue
		}
		stores := make([]*shape, 0, len(old.stores))
		for _, o := range old.stores {
			if o != s {
				stores = append(stores, o)
			}
		}
		if len(stores) == 0 {
			delete(w.cells, c)
			w.swap(old, nil)
			continue
		}
		cp := *old
		cp.stores = stores
		w.cells[c] = &cp
		w.swap(old, &cp)
	}
}

// swap replaces old by e in the grid squares of their cell; either may be
// nil for a cell entering or leaving the index.
func (w *snapshot) swap(old, e *cellEntry) {
	ref := e
	if ref == nil {
		ref = old
	}
	grid := w.grids[ref.tier]
	for _, b := range ref.buckets() {
		cur := grid[b]
		next := make([]*cellEntry, 0, len(cur)+1)
		for _, x := range cur {
			if x != old {
				next = append(next, x)
			}
		}
		if e != nil {
			next = append(next, e)
		}
		if len(next) == 0 {
			delete(grid, b)
		} else {
			grid[b] = next
		}
	}
}

// cellAt returns the indexed cell of tier t that contains p, or nil when no
// store is within that tier's reach of p.
func (sn *snapshot) cellAt(t int, p Point) *cellEntry {
	for _, e := range sn.grids[t][bucket(t, p.Lat, p.Lng)] {
		if e.contains(p) {
			return e
		}
	}
	return nil
}
