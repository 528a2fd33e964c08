package pg_test

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"helpforce/pg"
	"helpforce/pg/pgtest"
)

// heard collects the payloads of one channel.
type heard struct {
	mu       sync.Mutex
	payloads []string
}

func (h *heard) add(p string) { h.mu.Lock(); h.payloads = append(h.payloads, p); h.mu.Unlock() }

func (h *heard) list() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.payloads...)
}

func listen(t *testing.T, url string, channels ...string) map[string]*heard {
	got := map[string]*heard{}
	pgtest.Listen(t, url, func(_ context.Context, hub *pg.Hub) error {
		for _, ch := range channels {
			h := &heard{}
			got[ch] = h
			if err := hub.Handle(ch, h.add); err != nil {
				return err
			}
		}
		return nil
	})
	return got
}

func TestNotifierDeliversEveryNotificationAndTheEarliestDueTime(t *testing.T) {
	url := pgtest.URL(t)
	db, err := pg.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got := listen(t, url, "t_changed", "t_due")
	n := pg.NewNotifier(db, slog.New(slog.DiscardHandler))
	start := time.Now().Add(time.Hour)
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n.Notify("t_changed", fmt.Sprint("request ", i%100)) // each twice
			n.NotifyDue("t_due", start.Add(time.Duration(i)*time.Second))
		}()
	}
	wg.Wait()
	pgtest.Eventually(t, 10*time.Second, "every distinct notification heard", func() bool {
		seen := map[string]bool{}
		for _, p := range got["t_changed"].list() {
			seen[p] = true
		}
		return len(seen) == 100
	})
	// Due times pending together collapse to the earliest, so the earliest
	// of all is always sent.
	pgtest.Eventually(t, 10*time.Second, "the earliest due time announced", func() bool {
		for _, p := range got["t_due"].list() {
			if secs, _ := strconv.ParseFloat(p, 64); time.Unix(0, int64(secs*1e9)).Sub(start).Abs() < time.Millisecond {
				return true
			}
		}
		return false
	})
	if heard := len(got["t_due"].list()); heard > 200 {
		t.Fatalf("heard %d due times for 200 announced", heard)
	}
}

func TestTriggersStayQuietInATransactionThatNotifiesAfterCommit(t *testing.T) {
	url := pgtest.URL(t)
	db, err := pg.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.MustExec(`CREATE TABLE things (id uuid PRIMARY KEY, store_id uuid)`)
	db.MustExec(`CREATE TRIGGER things_changed AFTER INSERT ON things FOR EACH ROW EXECUTE FUNCTION notify_request_changed()`)
	got := listen(t, url, "helpforce_requests")
	insert := func(id string, after bool) {
		err := pg.InTx(context.Background(), db, func(tx *sqlx.Tx) error {
			if after {
				tx.MustExec(`SELECT ` + pg.AfterCommit)
			}
			_, err := tx.Exec(`INSERT INTO things (id) VALUES ($1)`, id)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	quiet, loud, later := "00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-000000000002", "00000000-0000-0000-0000-000000000003"
	insert(quiet, true)
	insert(loud, false)
	insert(later, false) // the setting ended with its transaction
	pgtest.Eventually(t, 10*time.Second, "two notifications", func() bool { return len(got["helpforce_requests"].list()) >= 2 })
	time.Sleep(100 * time.Millisecond) // room for a wrong third
	if l := got["helpforce_requests"].list(); len(l) != 2 || l[0] != loud+" -" || l[1] != later+" -" {
		t.Fatalf("heard %q, want the second and third inserts only", l)
	}
}
