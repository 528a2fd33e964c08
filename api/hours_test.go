package api_test

import (
	"testing"
	"time"
)

// closedForNow is hours under which a store in Paris is closed from
// yesterday to tomorrow and opens the day after at 09:00, whatever the time
// of day the test runs; opensAt is that opening.
func closedForNow(t *testing.T) (body map[string]any, opensAt time.Time) {
	t.Helper()
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now().In(paris)
	date := func(days int) string { return today.AddDate(0, 0, days).Format(time.DateOnly) }
	after := today.AddDate(0, 0, 2)
	opensAt = time.Date(after.Year(), after.Month(), after.Day(), 9, 0, 0, 0, paris)
	return map[string]any{
		"weekly": []map[string]any{{"day": 1, "open": "09:00", "close": "18:00"}},
		"exceptions": []map[string]any{
			{"date": date(-1), "closed": true}, {"date": date(0), "closed": true}, {"date": date(1), "closed": true},
			{"date": date(2), "open": "09:00", "close": "18:00"},
		},
	}, opensAt
}

func TestStoreHours(t *testing.T) {
	e := newEnv(t)
	path := "/api/v1/stores/" + e.store.ID + "/hours"
	empty := e.do("GET", path, "", nil).want(200).json()
	if len(empty["weekly"].([]any)) != 0 || len(empty["exceptions"].([]any)) != 0 || empty["open_now"] != true || empty["opens_at"] != nil {
		t.Fatalf("a store without hours: %v", empty)
	}

	body, opensAt := closedForNow(t)
	set := e.do("PUT", path, e.tokens["manager"], body).want(200).json()
	if set["open_now"] != false || set["timezone"] != "Europe/Paris" || len(set["exceptions"].([]any)) != 4 {
		t.Fatalf("set %v", set)
	}
	got := e.do("GET", path, "", nil).want(200).json()
	if w := got["weekly"].([]any); len(w) != 1 || w[0].(map[string]any)["open"] != "09:00" || w[0].(map[string]any)["close"] != "18:00" {
		t.Fatalf("weekly read back %v", got["weekly"])
	}
	if x := got["exceptions"].([]any)[3].(map[string]any); x["closed"] != false || x["open"] != "09:00" {
		t.Fatalf("last exception read back %v", x)
	}

	// The store's own JSON says it is closed and when it opens, in UTC.
	st := e.do("GET", "/api/v1/stores/"+e.store.ID, "", nil).want(200).json()
	if st["open_now"] != false || st["opens_at"] != opensAt.UTC().Format(time.RFC3339) {
		t.Fatalf("store open_now %v opens_at %v, want false %s", st["open_now"], st["opens_at"], opensAt.UTC().Format(time.RFC3339))
	}
	for _, s := range e.do("GET", "/api/v1/stores", "", nil).want(200).list() {
		s := s.(map[string]any)
		want := s["id"] != e.store.ID // the other store has no hours: always open
		if s["open_now"] != want || (want && s["opens_at"] != nil) {
			t.Fatalf("listed %v: open_now %v opens_at %v", s["name"], s["open_now"], s["opens_at"])
		}
	}

	// An admin sets any store's hours; an empty set means always open again.
	e.do("PUT", path, e.tokens["admin"], map[string]any{"weekly": []any{}, "exceptions": []any{}}).want(200)
	if st := e.do("GET", "/api/v1/stores/"+e.store.ID, "", nil).want(200).json(); st["open_now"] != true || st["opens_at"] != nil {
		t.Fatalf("after clearing: %v", st)
	}
	e.do("GET", "/api/v1/stores/00000000-0000-4000-8000-000000000000/hours", "", nil).wantError(404, "not_found")
	e.do("PUT", "/api/v1/stores/00000000-0000-4000-8000-000000000000/hours", e.tokens["admin"], body).wantError(404, "not_found")
}

func TestStoreHoursRefusals(t *testing.T) {
	e := newEnv(t)
	path := "/api/v1/stores/" + e.store.ID + "/hours"
	body, _ := closedForNow(t)
	e.do("PUT", path, e.tokens["manager"], body).want(200)
	rows := func() int {
		return e.count(`SELECT (SELECT count(*) FROM store_hours) + (SELECT count(*) FROM store_hour_exceptions)`)
	}
	kept := rows()

	// Who may not: the manager of another store, floor staff, agents, anyone signed out.
	e.do("PUT", "/api/v1/stores/"+e.other.ID+"/hours", e.tokens["manager"], body).wantError(403, "forbidden")
	for _, role := range []string{"floor", "agent"} {
		e.do("PUT", path, e.tokens[role], map[string]any{}).wantError(403, "forbidden")
	}
	e.do("PUT", path, "", map[string]any{}).wantError(401, "unauthorized")

	cases := []struct {
		name   string
		body   any
		status int
		field  string
	}{
		{"bad day", map[string]any{"weekly": []any{map[string]any{"day": 8, "open": "09:00", "close": "18:00"}}}, 422, "weekly[0].day"},
		{"bad time", map[string]any{"weekly": []any{map[string]any{"day": 1, "open": "9am", "close": "18:00"}}}, 422, "weekly[0].open"},
		{"close before open", map[string]any{"weekly": []any{map[string]any{"day": 1, "open": "18:00", "close": "09:00"}}}, 422, "weekly[0].close"},
		{"overlap", map[string]any{"weekly": []any{map[string]any{"day": 1, "open": "09:00", "close": "13:00"},
			map[string]any{"day": 1, "open": "12:00", "close": "18:00"}}}, 422, "weekly[1]"},
		{"bad date", map[string]any{"exceptions": []any{map[string]any{"date": "25/12/2026", "closed": true}}}, 422, "exceptions[0].date"},
		{"duplicate date", map[string]any{"exceptions": []any{map[string]any{"date": "2026-12-25", "closed": true},
			map[string]any{"date": "2026-12-25", "closed": true}}}, 422, "exceptions[1].date"},
		{"day as text", map[string]any{"weekly": []any{map[string]any{"day": "Monday", "open": "09:00", "close": "18:00"}}}, 400, "weekly.day"},
		{"not JSON", "{weekly", 400, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := e.do("PUT", path, e.tokens["manager"], c.body).wantError(c.status, "invalid_input")
			if c.field != "" && got["field"] != c.field {
				t.Fatalf("field %v, want %s", got["field"], c.field)
			}
		})
	}
	if n := rows(); n != kept {
		t.Fatalf("%d rows of hours after refusals, want the %d kept", n, kept)
	}
}
