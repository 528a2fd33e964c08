package reports_test

import (
	"testing"
	"time"

	"helpforce/fault"
	"helpforce/reports"
)

func TestParsePeriod(t *testing.T) {
	now := at(t, "2025-03-15T12:30:00Z")
	tests := []struct {
		name, from, to string
		loc            string         // a time zone; UTC when empty
		want           reports.Period // zero when an error is expected
		field          string         // the field at fault
	}{
		{name: "defaults to the last 30 days", want: reports.Period{From: at(t, "2025-02-13T12:30:00Z"), To: now}},
		{name: "from alone ends now", from: "2025-03-01T00:00:00Z",
			want: reports.Period{From: at(t, "2025-03-01T00:00:00Z"), To: now}},
		{name: "to alone starts 30 days before", to: "2025-03-01T00:00:00Z",
			want: reports.Period{From: at(t, "2025-01-30T00:00:00Z"), To: at(t, "2025-03-01T00:00:00Z")}},
		{name: "times with an offset become UTC", from: "2025-03-01T00:00:00+01:00", to: "2025-03-02T00:00:00.5+01:00",
			want: reports.Period{From: at(t, "2025-02-28T23:00:00Z"), To: at(t, "2025-03-01T23:00:00.5Z")}},
		{name: "dates are midnights, to excluded", from: "2025-03-01", to: "2025-04-01",
			want: reports.Period{From: at(t, "2025-03-01T00:00:00Z"), To: at(t, "2025-04-01T00:00:00Z")}},
		{name: "dates are midnights in the store's time zone, daylight saving included", loc: "Europe/Paris",
			from: "2025-03-01", to: "2025-04-01",
			want: reports.Period{From: at(t, "2025-02-28T23:00:00Z"), To: at(t, "2025-03-31T22:00:00Z")}},
		{name: "times keep their own offset in a store's report", loc: "Europe/Paris", from: "2025-03-01T00:00:00Z",
			want: reports.Period{From: at(t, "2025-03-01T00:00:00Z"), To: now}},
		{name: "one date twice is no period", from: "2025-03-01", to: "2025-03-01", field: "to"},
		{name: "400 days is the longest", from: "2024-01-01T00:00:00Z", to: "2025-02-04T00:00:00Z",
			want: reports.Period{From: at(t, "2024-01-01T00:00:00Z"), To: at(t, "2025-02-04T00:00:00Z")}},
		{name: "garbage from", from: "last week", field: "from"},
		{name: "garbage to", to: "2025-13-01", field: "to"},
		{name: "a timestamp without a zone", from: "2025-03-01T00:00:00", field: "from"},
		{name: "to before from", from: "2025-03-02", to: "2025-03-01T00:00:00Z", field: "to"},
		{name: "an empty period", from: "2025-03-01T00:00:00Z", to: "2025-03-01T00:00:00Z", field: "to"},
		{name: "from in the future", from: "2025-04-01", field: "to"},
		{name: "longer than 400 days", from: "2024-01-01T00:00:00Z", to: "2025-02-04T00:00:01Z", field: "from"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc, err := time.LoadLocation(tt.loc)
			if err != nil {
				t.Fatal(err)
			}
			got, err := reports.ParsePeriod(tt.from, tt.to, now, loc)
			if tt.field != "" {
				f, ok := fault.As(err)
				if !ok || f.Kind != fault.KindInvalid || f.Field != tt.field {
					t.Fatalf("got %v, %v; want invalid %s", got, err, tt.field)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !got.From.Equal(tt.want.From) || !got.To.Equal(tt.want.To) || got.From.Location() != time.UTC {
				t.Errorf("got %v – %v, want %v – %v", got.From, got.To, tt.want.From, tt.want.To)
			}
		})
	}
}
