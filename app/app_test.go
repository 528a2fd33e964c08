package app_test

import (
	"context"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"helpforce/app"
	"helpforce/config"
	"helpforce/pg/pgtest"
	"helpforce/stores"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestStartedAppFollowsOtherReplicas: after Start, a store another replica
// creates reaches this one's place index through the listener.
func TestStartedAppFollowsOtherReplicas(t *testing.T) {
	ctx := context.Background()
	url, db := pgtest.Open(t)
	a, err := app.New(ctx, db, app.Config{DatabaseURL: url, BcryptCost: bcrypt.MinCost})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	pgtest.Listen(t, url, a.Start)
	st, err := stores.New(db).CreateStore(ctx, stores.NewStore{Name: "Part-Dieu", Timezone: "Europe/Paris",
		Location: &stores.Location{Lat: 45.7611, Lng: 4.8557}})
	if err != nil {
		t.Fatal(err)
	}
	pgtest.Eventually(t, 10*time.Second, "the new store in the place index", func() bool {
		_, ok := a.Places.Summary(st.ID)
		return ok
	})
}

// TestNewRefusesWithoutADatabaseURL: the search pool needs one.
func TestNewRefusesWithoutADatabaseURL(t *testing.T) {
	if _, err := app.New(context.Background(), pgtest.New(t), app.Config{}); err == nil {
		t.Fatal("built without a database URL")
	}
}

// TestSettingsReachTheServices: the environment's settings land where the
// services read them, "off" hold units included.
func TestSettingsReachTheServices(t *testing.T) {
	c, err := config.FromEnv(func(k string) string {
		return map[string]string{"HELPFORCE_LIMIT_HOLD_UNITS": "off", "HELPFORCE_OFFER_TIMEOUT": "7s",
			"HELPFORCE_SESSION_IDLE": "2h", "HELPFORCE_VAPID_SUBJECT": "ops@example.com", "HELPFORCE_BODY_LIMIT": "2048"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	got := app.FromSettings(c, nil)
	if got.Holds.UnitsPerAddress != -1 || got.Assist.OfferTimeout != 7*time.Second || got.SessionIdle != 2*time.Hour ||
		got.Push.Subject != "ops@example.com" || got.API.BodyLimit != 2048 || got.API.Limits == nil ||
		got.API.Limits.Create.Shopper.Burst != c.Limits.Create.Shopper.Burst {
		t.Fatalf("settings %+v", got)
	}
}
