package assist_test

import (
	"context"

	"slices"
	"sync"
	"testing"

	"helpforce/assist"
	"helpforce/fault"
	"helpforce/pg/pgtest"
)

// drifted counts people whose load or presence disagrees with what they own:
// the invariant the keep_load trigger holds.
const drifted = `SELECT count(*) FROM users u
	WHERE u.load <> (SELECT count(*) FROM help_requests r WHERE r.assigned_to = u.id AND r.status = 'assigned')
	   OR (u.status = 'busy' AND u.load < u.capacity)
	   OR (u.status = 'available' AND u.load >= u.capacity)`

// askFresh asks for help as a new shopper, so that a test may open more
// requests than one shopper may.
func (f *floor) askFresh(dept string) (string, assist.Actor) {
	f.t.Helper()
	shopper := f.newShopper()
	h, err := f.desk.Create(context.Background(), shopper, "", assist.NewRequest{Department: dept, PlaceQuery: placeAt(f)})
	if err != nil {
		f.t.Fatal(err)
	}
	return h.ID, shopper
}

func (f *floor) noDrift() {
	f.t.Helper()
	var n int
	if err := f.db.Get(&n, drifted); err != nil {
		f.t.Fatal(err)
	}
	if n != 0 {
		f.t.Fatalf("%d people are busy with nothing, or available at capacity", n)
	}
}

// TestAgentCapacity: an agent with the chain's default capacity of 3 takes
// three requests at once and not a fourth; busy means at capacity; finishing
// one offers the oldest waiting request.
func TestAgentCapacity(t *testing.T) {
	f := newFloor(t, assist.Config{})
	f.available("remi")
	ctx := context.Background()
	var ids []string
	for i := 0; i < 5; i++ {
		id, _ := f.askFresh("tv") // nobody on the floor: the remote team
		ids = append(ids, id)
	}
	for i, id := range ids[:3] {
		if _, err := f.desk.Accept(ctx, f.staff["remi"], id); err != nil {
			t.Fatalf("accept %d: %v", i+1, err)
		}
		if want := map[bool]string{true: "busy", false: "available"}[i == 2]; f.status("remi") != want {
			t.Fatalf("after %d accepts remi is %s, want %s", i+1, f.status("remi"), want)
		}
	}
	_, err := f.desk.Accept(ctx, f.staff["remi"], ids[3])
	pgtest.WantFault(t, err, fault.KindState, "")
	if f.get(ids[3]).Status != assist.StatusWaiting {
		t.Fatal("a refused accept changed the request")
	}
	if _, err := f.desk.Resolve(ctx, f.staff["remi"], ids[0]); err != nil {
		t.Fatal(err)
	}
	if f.status("remi") != "available" || !slices.Contains(f.offered(ids[3]), "remi") {
		t.Fatalf("below capacity: remi %s, oldest offered to %v", f.status("remi"), f.offered(ids[3]))
	}
	f.noDrift()
}

// TestCapacityHoldsAcrossReplicas races two agents of capacity 2 over twelve
// remote requests through three desks on one database: nobody ever owns more
// than their capacity, and loads match what people own.
func TestCapacityHoldsAcrossReplicas(t *testing.T) {
	f := newFloor(t, assist.Config{})
	f.db.MustExec(`UPDATE users SET capacity = 2 WHERE role = 'agent'`)
	f.available("remi", "zoe")
	desks := []*assist.Desk{f.desk, assist.New(f.db, f.places, quiet, assist.Config{}), assist.New(f.db, f.places, quiet, assist.Config{})}
	var ids []string
	for i := 0; i < 12; i++ {
		id, _ := f.askFresh("tv")
		ids = append(ids, id)
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	for i, name := range []string{"remi", "zoe", "remi", "zoe"} {
		wg.Add(1)
		go func(i int, a assist.Actor) {
			defer wg.Done()
			for j, id := range ids {
				_, err := desks[(i+j)%3].Accept(ctx, a, id)
				if fe, ok := fault.As(err); err != nil && (!ok || (fe.Code != "already_taken" && fe.Kind != fault.KindState)) {
					t.Errorf("accept: %v", err)
				}
			}
		}(i, f.staff[name])
	}
	wg.Wait()
	var owned []int
	if err := f.db.Select(&owned, `SELECT count(*) FROM help_requests WHERE status = 'assigned' GROUP BY assigned_to`); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(owned, []int{2, 2}) {
		t.Fatalf("owned per agent %v, want 2 each", owned)
	}
	f.noDrift()
}

// TestBusyNeverDrifts finishes and takes requests at once, on several
// desks, many times: nobody is left busy with nothing (a NOT EXISTS check
// in READ COMMITTED once left people so) or available at capacity.
func TestBusyNeverDrifts(t *testing.T) {
	f := newFloor(t, assist.Config{OverflowTimeout: 1 << 40})
	f.available("remi", "zoe")
	desks := []*assist.Desk{f.desk, assist.New(f.db, f.places, quiet, assist.Config{})}
	ctx := context.Background()
	for round := 0; round < 8; round++ {
		var ids []string
		shoppers := map[string]assist.Actor{}
		for i := 0; i < 6; i++ {
			id, shopper := f.askFresh("tv")
			ids, shoppers[id] = append(ids, id), shopper
		}
		var wg sync.WaitGroup
		for i, id := range ids {
			wg.Add(1)
			go func(i int, id string) {
				defer wg.Done()
				a := f.staff[[]string{"remi", "zoe"}[i%2]]
				if _, err := desks[i%2].Accept(ctx, a, id); err != nil {
					if fe, ok := fault.As(err); !ok || (fe.Code != "already_taken" && fe.Kind != fault.KindState) {
						t.Errorf("accept: %v", err)
					}
					return
				}
				if _, err := desks[(i+1)%2].Resolve(ctx, a, id); err != nil {
					t.Errorf("resolve: %v", err)
				}
			}(i, id)
		}
		wg.Wait()
		f.noDrift()
		// Whatever is left waiting is cancelled, so the next round starts clean.
		for _, id := range ids {
			if f.get(id).Status == assist.StatusWaiting {
				if _, err := f.desk.Cancel(ctx, shoppers[id], id); err != nil {
					t.Fatal(err)
				}
			}
		}
		for _, n := range []string{"remi", "zoe"} {
			if s := f.status(n); s != "available" {
				t.Fatalf("round %d: %s is %s owning nothing", round, n, s)
			}
		}
	}
}
