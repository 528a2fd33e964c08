package geo

import (
	"fmt"
	"sync"
	"testing"
)

// TestConcurrentLocateAndPut runs lookups while stores come and go; with
// -race it checks that readers only ever see whole snapshots.
func TestConcurrentLocateAndPut(t *testing.T) {
	ix := lyon(t)
	o := partDieu
	inBox := at(o, 40, 45)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				// The big box never moves, so it is always the answer.
				if got := ix.Locate(inBox, 10); got.StoreID != "bigbox" {
					t.Errorf("got %+v", got)
					return
				}
				ix.Nearest(o, 5, 5)
			}
		}()
	}
	for i := range 50 {
		id := fmt.Sprint("kiosk-", i%5)
		if i%2 == 0 {
			mustPut(t, ix, Area{StoreID: id, Location: at(o, 500+float64(i)*10, 0), RadiusM: 8})
		} else {
			ix.Remove(id)
		}
	}
	close(stop)
	wg.Wait()
}

// TestSnapshotIsImmutable: a write leaves the snapshot readers hold as it
// was.
func TestSnapshotIsImmutable(t *testing.T) {
	ix := lyon(t)
	before := ix.snap.Load()
	e := before.cellAt(0, at(partDieu, 40, 45))
	n := len(e.stores)
	mustPut(t, ix, Area{StoreID: "popup", Location: at(partDieu, 40, 45), RadiusM: 5})
	ix.Remove("bigbox")
	if len(e.stores) != n || len(before.shapes) != 9 || before.cellAt(0, at(partDieu, 40, 45)) != e {
		t.Error("a write changed an old snapshot")
	}
	if got := ix.Locate(at(partDieu, 40, 45), 1); got.StoreID != "popup" || got.Confidence != Inside {
		t.Errorf("got %+v", got)
	}
}
