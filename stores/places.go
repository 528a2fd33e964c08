package stores

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"

	"helpforce/fault"
	"helpforce/geo"
	"helpforce/pg"
)

// Summary is how a store appears in a placement: enough to show and choose it.
type Summary struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Address  string   `json:"address"`
	Location Location `json:"location"`
}

// Nearby is a candidate store and how far its edge is from the shopper.
type Nearby struct {
	Store     Summary `json:"store"`
	DistanceM float64 `json:"distance_m"`
}

// Match is the answer to "which store am I in?".
type Match struct {
	Store      *Summary `json:"store"`
	Candidates []Nearby `json:"candidates"`
	Confidence string   `json:"confidence"`
}

// maxCandidates bounds the stores a placement offers to choose from.
const maxCandidates = 8

// Places answers "which store is this?" from an in-memory H3 index of every
// store's area, kept in step with the stores table on every replica.
type Places struct {
	reg   *Registry
	log   *slog.Logger
	index *geo.Index
	mu    sync.RWMutex
	byID  map[string]Summary
	gen   atomic.Uint64 // moves on at every change, for caches of the store list
}

// Generation moves on whenever a store is loaded, put or refreshed on this
// replica, whichever replica changed it: a cache of the stores made at one
// generation is current while the generation stays.
func (p *Places) Generation() uint64 { return p.gen.Load() }

// NewPlaces returns an empty index over reg; Load fills it.
func NewPlaces(reg *Registry, log *slog.Logger) *Places {
	return &Places{reg: reg, log: log, index: geo.NewIndex(), byID: map[string]Summary{}}
}

// Load (re)builds the index from every store.
func (p *Places) Load(ctx context.Context) error {
	defer p.gen.Add(1)
	list, err := p.reg.Stores(ctx)
	if err != nil {
		return err
	}
	areas := make([]geo.Area, 0, len(list))
	byID := make(map[string]Summary, len(list))
	for _, s := range list {
		a, err := s.Area()
		if err != nil {
			p.log.Warn("store area cannot be indexed", "store_id", s.ID, "err", err)
			continue
		}
		areas = append(areas, a)
		byID[s.ID] = s.Summary()
	}
	fresh := geo.NewIndex()
	if err := fresh.PutAll(areas); err != nil {
		return fmt.Errorf("stores: index: %w", err)
	}
	p.mu.Lock()
	p.index, p.byID = fresh, byID
	p.mu.Unlock()
	return nil
}

// Put files one store (just created or changed) in the index.
func (p *Places) Put(s Store) error {
	defer p.gen.Add(1)
	a, err := s.Area()
	if err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.index.Put(a); err != nil {
		return err
	}
	p.byID[s.ID] = s.Summary()
	return nil
}

// Refresh re-reads one store after another replica changed it.
func (p *Places) Refresh(ctx context.Context, id string) error {
	defer p.gen.Add(1)
	s, err := p.reg.Store(ctx, id)
	if fault.IsNotFound(err) {
		p.mu.Lock()
		p.index.Remove(id)
		delete(p.byID, id)
		p.mu.Unlock()
		return nil
	}
	if err != nil {
		return err
	}
	return p.Put(s)
}

// Summary returns the indexed store with id.
func (p *Places) Summary(id string) (Summary, bool) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	s, ok := p.byID[id]
	return s, ok
}

// Locate places a position with its accuracy in metres.
func (p *Places) Locate(pt geo.Point, accuracyM float64) Match {
	p.mu.RLock()
	defer p.mu.RUnlock()
	r := p.index.Locate(pt, accuracyM)
	// A wide disk in a mall can reach dozens of units; a shopper choosing by
	// hand needs the nearest few.
	if len(r.Candidates) > maxCandidates {
		r.Candidates = r.Candidates[:maxCandidates]
	}
	m := Match{Confidence: string(r.Confidence), Candidates: p.nearby(r.Candidates)}
	if s, ok := p.byID[r.StoreID]; ok && r.StoreID != "" {
		m.Store = &s
	}
	return m
}

// Nearest lists the stores nearest to pt within maxKm.
func (p *Places) Nearest(pt geo.Point, maxKm float64, limit int) []Nearby {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.nearby(p.index.Nearest(pt, maxKm, limit))
}

func (p *Places) nearby(cands []geo.Candidate) []Nearby {
	out := make([]Nearby, 0, len(cands))
	for _, c := range cands {
		if s, ok := p.byID[c.StoreID]; ok {
			out = append(out, Nearby{Store: s, DistanceM: roundM(c.DistanceM)})
		}
	}
	return out
}

func roundM(m float64) float64 { return float64(int64(m*10+0.5)) / 10 }

// Summary is the store as a placement shows it.
func (s Store) Summary() Summary {
	return Summary{ID: s.ID, Name: s.Name, Address: s.Address, Location: Location{Lat: s.Lat, Lng: s.Lng}}
}

// Watch keeps the index in step with changes made through any replica, and
// rebuilds it whole after the listener reconnects (notifications sent while
// it was away are lost). It returns when ctx ends.
func (p *Places) Watch(ctx context.Context, hub *pg.Hub) error {
	changed := make(chan string, 256)
	const reload = ""
	if err := hub.Handle(pg.ChanStores, func(id string) {
		select {
		case changed <- id:
		default: // a burst of changes: one full reload covers them all
			select {
			case changed <- reload:
			default:
			}
		}
	}); err != nil {
		return err
	}
	hub.OnReconnect(func() {
		select {
		case changed <- reload:
		default:
		}
	})
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case id := <-changed:
				var err error
				if id == reload {
					err = p.Load(ctx)
				} else {
					err = p.Refresh(ctx, id)
				}
				if err != nil && ctx.Err() == nil {
					p.log.Warn("place index update failed", "store_id", id, "err", err)
				}
			}
		}
	}()
	return nil
}
