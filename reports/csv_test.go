package reports_test

import (
	"bytes"
	"encoding/csv"
	"testing"

	"helpforce/reports"
)

func TestWriteCSV(t *testing.T) {
	fx, id := opera(t)
	fx.db.MustExec(`UPDATE departments SET name = '=HYPERLINK("x")' WHERE code = 'appliances'`)
	r, err := reports.Store(t.Context(), fx.db, id, period(t, "2025-01-06T00:00:00Z", "2025-01-13T00:00:00Z"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := r.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	cr := csv.NewReader(&buf)
	cr.FieldsPerRecord = -1 // the sections have different widths
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// cell is column col of the row keyed key in a section; the empty lines
	// between sections are not records, so a section ends at the next header.
	cell := func(section string, key string, col int) string {
		t.Helper()
		in := section == "metric"
		for _, row := range rows {
			if row[0] == section {
				in = true
				continue
			}
			if in && row[0] == key {
				return row[col]
			}
			if in && (row[0] == "by_hour" || row[0] == "by_department" || row[0] == "by_day") {
				break
			}
		}
		t.Fatalf("no row %q in %s", key, section)
		return ""
	}
	tests := []struct {
		section, key string
		col          int
		want         string
	}{
		{"metric", "store_name", 1, "Paris Opéra"},
		{"metric", "from", 1, "2025-01-06T00:00:00Z"},
		{"metric", "requests", 1, "9"},
		{"metric", "first_response_p90_s", 1, "180"},
		{"metric", "overflow_share", 1, "0.4444"},
		{"metric", "answers_per_request", 1, "2.17"},
		{"metric", "ratings", 1, "4"},
		{"metric", "open_hours_requests", 1, "9"},
		{"metric", "open_hours_first_response_p50_s", 1, "52.5"},
		{"metric", "open_hours_answered_share", 1, "0.6667"},
		{"by_hour", "23", 1, "1"},
		{"by_hour", "15", 4, "220.5"},
		{"by_hour", "2", 3, ""}, // null: nobody asked at 2 am
		{"by_department", "phones", 1, "Phones"},
		{"by_department", "tv", 4, "0.2"},
		{"by_department", "appliances", 1, `'=HYPERLINK("x")`},
		{"by_day", "2025-01-06", 4, "3.67"},
		{"by_day", "2025-01-10", 2, ""},
		{"by_day", "2025-01-13", 3, "1"},
	}
	for _, tt := range tests {
		if got := cell(tt.section, tt.key, tt.col); got != tt.want {
			t.Errorf("%s %s column %d = %q, want %q", tt.section, tt.key, tt.col, got, tt.want)
		}
	}
	if rows[0][0] != "metric" || len(rows) != 1+22+1+24+1+4+1+8 {
		t.Errorf("%d records starting with %q", len(rows), rows[0])
	}
}
