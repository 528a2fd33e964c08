package stores_test

import (
	"reflect"
	"testing"

	"helpforce/fault"
	"helpforce/stores"
)

// TestSetHoursRefusals refuses each kind of mistake with the field it is
// in, and leaves the hours already kept as they were.
func TestSetHoursRefusals(t *testing.T) {
	f := newHoursFixture(t)
	kept := stores.NewHours{Weekly: weekdays(), Exceptions: []stores.Exception{{Date: "2026-12-25", Closed: true}}}
	id := f.store("Shop", &kept)
	before, err := f.reg.Hours(f.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	day := func(d int, open, close string) stores.DayRange {
		return stores.DayRange{Day: d, Open: open, Close: close}
	}
	many := make([]stores.Exception, stores.MaxExceptions+1)
	for i := range many {
		many[i] = stores.Exception{Date: "2026-01-01", Closed: true}
	}
	cases := []struct {
		name  string
		in    stores.NewHours
		field string
	}{
		{"day 0", stores.NewHours{Weekly: []stores.DayRange{day(0, "09:00", "18:00")}}, "weekly[0].day"},
		{"day 8", stores.NewHours{Weekly: []stores.DayRange{day(1, "09:00", "18:00"), day(8, "09:00", "18:00")}}, "weekly[1].day"},
		{"no open", stores.NewHours{Weekly: []stores.DayRange{day(1, "", "18:00")}}, "weekly[0].open"},
		{"open 9:00", stores.NewHours{Weekly: []stores.DayRange{day(1, "9:00", "18:00")}}, "weekly[0].open"},
		{"open 24:00", stores.NewHours{Weekly: []stores.DayRange{day(1, "24:00", "24:00")}}, "weekly[0].open"},
		{"close 25:00", stores.NewHours{Weekly: []stores.DayRange{day(1, "09:00", "25:00")}}, "weekly[0].close"},
		{"close 24:30", stores.NewHours{Weekly: []stores.DayRange{day(1, "09:00", "24:30")}}, "weekly[0].close"},
		{"close 18:60", stores.NewHours{Weekly: []stores.DayRange{day(1, "09:00", "18:60")}}, "weekly[0].close"},
		{"seconds", stores.NewHours{Weekly: []stores.DayRange{day(1, "09:00", "18:00:00")}}, "weekly[0].close"},
		{"close equals open", stores.NewHours{Weekly: []stores.DayRange{day(1, "09:00", "09:00")}}, "weekly[0].close"},
		{"past midnight", stores.NewHours{Weekly: []stores.DayRange{day(5, "22:00", "02:00")}}, "weekly[0].close"},
		{"overlap", stores.NewHours{Weekly: []stores.DayRange{day(2, "14:00", "19:00"), day(3, "09:00", "12:00"), day(2, "09:00", "14:30")}}, "weekly[2]"},
		{"too many ranges", stores.NewHours{Weekly: []stores.DayRange{day(4, "08:00", "09:00"), day(4, "10:00", "11:00"),
			day(4, "12:00", "13:00"), day(4, "14:00", "15:00"), day(4, "16:00", "17:00")}}, "weekly[4]"},
		{"bad date", stores.NewHours{Exceptions: []stores.Exception{{Date: "2026-02-30", Closed: true}}}, "exceptions[0].date"},
		{"date with time", stores.NewHours{Exceptions: []stores.Exception{{Date: "2026-12-25T00:00:00Z", Closed: true}}}, "exceptions[0].date"},
		{"no date", stores.NewHours{Exceptions: []stores.Exception{{Closed: true}}}, "exceptions[0].date"},
		{"duplicate date", stores.NewHours{Exceptions: []stores.Exception{{Date: "2026-12-25", Closed: true},
			{Date: "2026-12-26", Closed: true}, {Date: "2026-12-25", Open: "10:00", Close: "12:00"}}}, "exceptions[2].date"},
		{"closed with hours", stores.NewHours{Exceptions: []stores.Exception{{Date: "2026-12-25", Closed: true, Open: "10:00", Close: "12:00"}}}, "exceptions[0].closed"},
		{"neither closed nor hours", stores.NewHours{Exceptions: []stores.Exception{{Date: "2026-12-25"}}}, "exceptions[0]"},
		{"exception without close", stores.NewHours{Exceptions: []stores.Exception{{Date: "2026-12-25", Open: "10:00"}}}, "exceptions[0].close"},
		{"exception backwards", stores.NewHours{Exceptions: []stores.Exception{{Date: "2026-12-25", Open: "12:00", Close: "10:00"}}}, "exceptions[0].close"},
		{"too many exceptions", stores.NewHours{Exceptions: many}, "exceptions"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := f.reg.SetHours(f.ctx, id, c.in)
			fe, ok := fault.As(err)
			if !ok || fe.Kind != fault.KindInvalid || fe.Field != c.field {
				t.Fatalf("got %v, want invalid %s", err, c.field)
			}
			if fe.Message == "" {
				t.Error("no message")
			}
		})
	}
	after, err := f.reg.Hours(f.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before.Weekly, after.Weekly) || !reflect.DeepEqual(before.Exceptions, after.Exceptions) {
		t.Fatalf("hours changed by refused input:\n%+v\n%+v", before, after)
	}
	if _, err := f.reg.SetHours(f.ctx, "00000000-0000-4000-8000-000000000000", kept); !fault.IsNotFound(err) {
		t.Fatalf("unknown store: %v", err)
	}
}

// TestSetHoursReplaces reads back what was set, in day and date order, with
// touching ranges and 24:00 kept as given, and replaces the whole set.
func TestSetHoursReplaces(t *testing.T) {
	f := newHoursFixture(t)
	id := f.store("Shop", nil)
	in := stores.NewHours{
		Weekly: []stores.DayRange{{Day: 7, Open: "00:00", Close: "24:00"}, {Day: 1, Open: "14:00", Close: "19:00"},
			{Day: 1, Open: "09:00", Close: "14:00"}},
		Exceptions: []stores.Exception{{Date: "2026-12-31", Open: "09:00", Close: "17:30"}, {Date: "2026-12-25", Closed: true}},
	}
	got, err := f.reg.SetHours(f.ctx, id, in)
	if err != nil {
		t.Fatal(err)
	}
	wantWeekly := []stores.DayRange{{Day: 1, Open: "09:00", Close: "14:00"}, {Day: 1, Open: "14:00", Close: "19:00"},
		{Day: 7, Open: "00:00", Close: "24:00"}}
	wantExceptions := []stores.Exception{{Date: "2026-12-25", Closed: true}, {Date: "2026-12-31", Open: "09:00", Close: "17:30"}}
	if !reflect.DeepEqual(got.Weekly, wantWeekly) || !reflect.DeepEqual(got.Exceptions, wantExceptions) || got.Timezone != "Europe/Paris" {
		t.Fatalf("got %+v", got)
	}
	got, err = f.reg.SetHours(f.ctx, id, stores.NewHours{Weekly: []stores.DayRange{{Day: 3, Open: "10:00", Close: "11:00"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Weekly) != 1 || got.Weekly[0].Day != 3 || len(got.Exceptions) != 0 {
		t.Fatalf("after replacing: %+v", got)
	}
	got, err = f.reg.SetHours(f.ctx, id, stores.NewHours{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Weekly) != 0 || len(got.Exceptions) != 0 || !got.OpenNow || got.OpensAt != nil {
		t.Fatalf("after clearing: %+v", got)
	}
}
