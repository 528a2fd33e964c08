package people_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"helpforce/people"
	"helpforce/pg/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestCountAttemptIsAtomic: however many attempts arrive at once, only the
// free ones are let through to the password check.
func TestCountAttemptIsAtomic(t *testing.T) {
	dir := people.New(pgtest.New(t), bcrypt.MinCost)
	b := people.Backoff{Free: 5, Base: time.Hour, Max: time.Hour}
	var passed atomic.Int32
	var wg sync.WaitGroup
	for range 64 {
		wg.Go(func() {
			ok, retry, err := dir.CountAttempt(context.Background(), "login:198.51.100.7:someone@example.com", b)
			if err != nil {
				t.Error(err)
				return
			}
			if ok {
				passed.Add(1)
			} else if retry <= 0 || retry > time.Hour {
				t.Errorf("retry after %v", retry)
			}
		})
	}
	wg.Wait()
	if n := passed.Load(); n != 5 {
		t.Fatalf("%d of 64 parallel attempts passed, want 5", n)
	}
	// Another address for the same account is not slowed at all.
	if ok, _, err := dir.CountAttempt(context.Background(), "login:203.0.113.1:someone@example.com", b); err != nil || !ok {
		t.Fatalf("another address was refused: %v %v", ok, err)
	}
}

// TestPasswordResetAndChange at the domain level: a reset ends every session
// and raises the flag; the change clears it and keeps only the changing session.
func TestPasswordResetAndChange(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	dir := people.New(db, bcrypt.MinCost)
	u, err := dir.CreateUser(ctx, people.NewUser{Email: "agent@example.com", Name: "Agent", Password: "first password", Role: people.RoleAgent})
	if err != nil {
		t.Fatal(err)
	}
	old, _, _ := dir.NewSession(ctx, u.ID, time.Hour)
	temp, err := dir.ResetPassword(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dir.SessionByToken(ctx, old); !errors.Is(err, people.ErrNoSession) {
		t.Fatalf("a session survived the reset: %v", err)
	}
	got, err := dir.Authenticate(ctx, "agent@example.com", temp)
	if err != nil || !got.MustChangePassword {
		t.Fatalf("after a reset: %+v %v", got, err)
	}
	here, _, _ := dir.NewSession(ctx, u.ID, time.Hour)
	there, _, _ := dir.NewSession(ctx, u.ID, time.Hour)
	if err := dir.ChangePassword(ctx, u.ID, here, temp, "second password"); err != nil {
		t.Fatal(err)
	}
	if s, err := dir.SessionByToken(ctx, here); err != nil || s.User.MustChangePassword {
		t.Fatalf("the changing session: %+v %v", s.User, err)
	}
	if _, err := dir.SessionByToken(ctx, there); !errors.Is(err, people.ErrNoSession) {
		t.Fatalf("another session survived the change: %v", err)
	}
}

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
