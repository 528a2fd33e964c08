package people_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"helpforce/people"
	"helpforce/pg/pgtest"
)

// TestNewShoppersWithinTheirLimit: of many devices asking at once from one
// network, only as many as the limit get an identity; the others get
// nothing written and when to try again. Each identity comes with a session.
func TestNewShoppersWithinTheirLimit(t *testing.T) {
	db := pgtest.New(t)
	dir := people.New(db, bcrypt.MinCost)
	ctx := context.Background()
	limit := people.Limit{Max: 5, Window: 10 * time.Minute}
	var made atomic.Int32
	var wg sync.WaitGroup
	for range 32 {
		wg.Go(func() {
			id, token, retry, err := dir.NewShopperWithin(ctx, time.Hour, "shopper:ip:198.51.100.0/24", limit)
			switch {
			case err != nil:
				t.Error(err)
			case id != "":
				made.Add(1)
				s, err := dir.SessionByToken(ctx, token)
				if err != nil || s.ShopperID != id {
					t.Errorf("shopper %s's token gives %+v, %v", id, s, err)
				}
			case retry <= 0 || retry > limit.Window:
				t.Errorf("refused with retry after %v", retry)
			}
		})
	}
	wg.Wait()
	var shoppers, sessions int
	if err := db.Get(&shoppers, `SELECT count(*) FROM shoppers`); err != nil {
		t.Fatal(err)
	}
	if err := db.Get(&sessions, `SELECT count(*) FROM sessions WHERE shopper_id IS NOT NULL`); err != nil {
		t.Fatal(err)
	}
	if made.Load() != 5 || shoppers != 5 || sessions != 5 {
		t.Fatalf("%d identities given, %d shoppers and %d sessions written; want 5 of each", made.Load(), shoppers, sessions)
	}
	// Another network is not held back, nor is a shopper made without a limit.
	if id, _, _, err := dir.NewShopperWithin(ctx, time.Hour, "shopper:ip:203.0.113.0/24", limit); err != nil || id == "" {
		t.Fatalf("another network was refused: %q %v", id, err)
	}
	if id, _, err := dir.NewShopper(ctx, time.Hour); err != nil || id == "" {
		t.Fatalf("a shopper without a limit: %q %v", id, err)
	}
}
