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
