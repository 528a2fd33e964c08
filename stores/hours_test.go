package stores_test

import (
	"context"
	"testing"
	"time"

	"helpforce/fault"
	"helpforce/pg/pgtest"
	"helpforce/stores"
)

// hoursFixture is a registry with stores in Europe/Paris.
type hoursFixture struct {
	t   *testing.T
	ctx context.Context
	reg *stores.Registry
}

func newHoursFixture(t *testing.T) *hoursFixture {
	return &hoursFixture{t: t, ctx: context.Background(), reg: stores.New(pgtest.New(t))}
}

func (f *hoursFixture) store(name string, h *stores.NewHours) string {
	f.t.Helper()
	st, err := f.reg.CreateStore(f.ctx, stores.NewStore{Name: name, Timezone: "Europe/Paris",
		Location: &stores.Location{Lat: 45.76, Lng: 4.85}})
	if err != nil {
		f.t.Fatal(err)
	}
	if h != nil {
		if _, err := f.reg.SetHours(f.ctx, st.ID, *h); err != nil {
			f.t.Fatal(err)
		}
	}
	return st.ID
}

func instant(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// weekdays is Monday to Friday with a lunch break, Saturday without one,
// Sunday closed.
func weekdays() []stores.DayRange {
	var w []stores.DayRange
	for d := 1; d <= 5; d++ {
		w = append(w, stores.DayRange{Day: d, Open: "09:00", Close: "12:30"}, stores.DayRange{Day: d, Open: "14:00", Close: "19:00"})
	}
	return append(w, stores.DayRange{Day: 6, Open: "10:00", Close: "20:00"})
}

// TestOpenAt asks store_open_at and store_opens_at (through OpenAt) about
// instants around lunch, nights, weekends, both daylight saving changes of
// 2026 in Paris (29 March, 25 October), exception dates and hours that go
// past midnight as two ranges.
func TestOpenAt(t *testing.T) {
	f := newHoursFixture(t)
	shop := f.store("Shop", &stores.NewHours{Weekly: weekdays(), Exceptions: []stores.Exception{
		{Date: "2026-12-24", Open: "09:00", Close: "16:00"}, // Thursday: closes early
		{Date: "2026-12-25", Closed: true},                  // Friday
		{Date: "2026-12-20", Open: "10:00", Close: "18:00"}, // a Sunday open for once
	}})
	night := f.store("Night", &stores.NewHours{Weekly: []stores.DayRange{
		{Day: 5, Open: "18:00", Close: "24:00"}, {Day: 6, Open: "00:00", Close: "02:00"},
	}, Exceptions: []stores.Exception{
		{Date: "2026-03-29", Open: "01:30", Close: "03:30"}, // across the skipped hour: one real hour
		{Date: "2026-10-25", Open: "02:30", Close: "04:00"}, // from the repeated hour, read as winter time
	}})
	always := f.store("Always", nil)
	christmas := f.store("Christmas only", &stores.NewHours{Exceptions: []stores.Exception{{Date: "2026-12-25", Closed: true}}})
	rare := f.store("Rare", &stores.NewHours{Weekly: []stores.DayRange{{Day: 1, Open: "09:00", Close: "10:00"}},
		Exceptions: []stores.Exception{{Date: "2026-11-09", Closed: true}, {Date: "2026-11-16", Closed: true}}})

	cases := []struct {
		name    string
		store   string
		at      string
		open    bool
		opensAt string // "" for none
	}{
		{"before opening", shop, "2026-03-23T08:59:00+01:00", false, "2026-03-23T09:00:00+01:00"},
		{"at opening", shop, "2026-03-23T09:00:00+01:00", true, ""},
		{"at lunch", shop, "2026-03-23T12:30:00+01:00", false, "2026-03-23T14:00:00+01:00"},
		{"just before closing", shop, "2026-03-23T18:59:59+01:00", true, ""},
		{"at closing", shop, "2026-03-23T19:00:00+01:00", false, "2026-03-24T09:00:00+01:00"},
		{"Sunday closed", shop, "2026-03-22T12:00:00+01:00", false, "2026-03-23T09:00:00+01:00"},
		// The week of the spring change: Monday 09:00 is 07:00 UTC, not 08:00.
		{"Saturday night before spring change", shop, "2026-03-28T20:30:00+01:00", false, "2026-03-30T09:00:00+02:00"},
		{"08:30 winter time is closed", shop, "2026-03-23T07:30:00Z", false, "2026-03-23T08:00:00Z"},
		{"09:30 summer time is open", shop, "2026-03-30T07:30:00Z", true, ""},
		{"Saturday night before autumn change", shop, "2026-10-24T20:30:00+02:00", false, "2026-10-26T09:00:00+01:00"},
		{"08:30 winter time after autumn change", shop, "2026-10-26T07:30:00Z", false, "2026-10-26T08:00:00Z"},
		{"exception closes early", shop, "2026-12-24T16:30:00+01:00", false, "2026-12-26T10:00:00+01:00"},
		{"exception open hours", shop, "2026-12-24T15:59:00+01:00", true, ""},
		{"exception closed all day", shop, "2026-12-25T11:00:00+01:00", false, "2026-12-26T10:00:00+01:00"},
		{"exception opens a Sunday", shop, "2026-12-20T11:00:00+01:00", true, ""},
		{"exception Sunday before it opens", shop, "2026-12-20T09:00:00+01:00", false, "2026-12-20T10:00:00+01:00"},
		{"Friday evening before it opens", night, "2026-03-20T17:00:00+01:00", false, "2026-03-20T18:00:00+01:00"},
		{"past midnight", night, "2026-03-21T01:00:00+01:00", true, ""},
		{"at midnight", night, "2026-03-21T00:00:00+01:00", true, ""},
		{"after the night", night, "2026-03-21T02:00:00+01:00", false, "2026-03-27T18:00:00+01:00"},
		{"01:30 to 03:30 on the spring night is open at 03:15 summer time", night, "2026-03-29T01:15:00Z", true, ""},
		{"and closed at 03:30 summer time", night, "2026-03-29T01:30:00Z", false, "2026-04-03T18:00:00+02:00"},
		{"first 02:45 of the autumn night is before 02:30 winter time", night, "2026-10-25T00:45:00Z", false, "2026-10-25T01:30:00Z"},
		{"second 02:45 of the autumn night is open", night, "2026-10-25T01:45:00Z", true, ""},
		{"no hours: always open", always, "2026-12-25T03:00:00+01:00", true, ""},
		{"only an exception: open the day before", christmas, "2026-12-24T23:59:00+01:00", true, ""},
		{"only an exception: closed that day", christmas, "2026-12-25T12:00:00+01:00", false, "2026-12-26T00:00:00+01:00"},
		{"never opens within 14 days", rare, "2026-11-02T11:00:00+01:00", false, ""},
		{"opens just within 14 days", rare, "2026-11-09T10:00:00+01:00", false, "2026-11-23T09:00:00+01:00"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			open, opensAt, err := f.reg.OpenAt(f.ctx, c.store, instant(t, c.at))
			if err != nil {
				t.Fatal(err)
			}
			if open != c.open {
				t.Errorf("open %v, want %v", open, c.open)
			}
			switch {
			case c.opensAt == "" && opensAt != nil:
				t.Errorf("opens at %v, want none", opensAt)
			case c.opensAt != "" && (opensAt == nil || !opensAt.Equal(instant(t, c.opensAt))):
				t.Errorf("opens at %v, want %s", opensAt, c.opensAt)
			}
		})
	}
	if _, _, err := f.reg.OpenAt(f.ctx, "00000000-0000-4000-8000-000000000000", time.Now()); !fault.IsNotFound(err) {
		t.Errorf("unknown store: %v, want not found", err)
	}
}
