package reports_test

import (
	"testing"

	"helpforce/reports"
)

// TestOpenHoursReport counts the requests created while the store was open:
// Monday to Saturday 10:00–20:00 in Paris (UTC+1 in January), except
// Thursday 9 January, closed for stocktaking.
func TestOpenHoursReport(t *testing.T) {
	fx, id := opera(t)
	fx.db.MustExec(`INSERT INTO store_hours (store_id, day, opens, closes)
		SELECT $1, d, '10:00', '20:00' FROM generate_series(1, 6) d`, id)
	fx.db.MustExec(`INSERT INTO store_hour_exceptions (store_id, date) VALUES ($1, '2025-01-09')`, id)
	week := period(t, "2025-01-06T00:00:00Z", "2025-01-13T00:00:00Z")
	r, err := reports.Store(t.Context(), fx.db, id, week)
	if err != nil {
		t.Fatal(err)
	}
	// Open: Monday 10:15 (60 s), Tuesday 11:00 and 11:20 (never accepted),
	// Wednesday 15:00 (45 s) and 15:30 (240 s). Closed: Monday 01:00 and
	// 23:30, Thursday 19:00 (the exception), Monday 13th 00:59. First
	// responses 45, 60, 240: p50 60, p90 at 0.9 × 2 = 1.8, 60 + 0.8 × 180 = 204.
	sameJSON(t, r.OpenHours, reports.OpenHours{Requests: 5, Answered: 3,
		FirstResponseP50S: val(60), FirstResponseP90S: val(204), AnsweredShare: val(0.6)})
	// The all-day figures stay what they were.
	if r.Requests != 9 || r.Answered != 6 || *r.FirstResponseP50S != 52.5 {
		t.Errorf("all-day figures changed: %d requests, %d answered, p50 %v", r.Requests, r.Answered, *r.FirstResponseP50S)
	}

	// Every store side by side says the same of this one.
	all, err := reports.Stores(t.Context(), fx.db, week)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 {
		t.Fatalf("%d stores", len(all))
	}
	sameJSON(t, all[0].OpenHours, r.OpenHours)

	// Closed the whole period: nothing to measure.
	fx.db.MustExec(`INSERT INTO store_hour_exceptions (store_id, date)
		SELECT $1, d::date FROM generate_series('2025-01-06'::date, '2025-01-13'::date, interval '1 day') d
		ON CONFLICT DO NOTHING`, id)
	r, err = reports.Store(t.Context(), fx.db, id, week)
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, r.OpenHours, reports.OpenHours{})
}
