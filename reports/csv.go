package reports

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// WriteCSV writes the report for a spreadsheet, as four tables separated by
// an empty line:
//
//	metric,value                  the headline: store_id, store_name, from, to
//	requests,120                  (RFC 3339, UTC), then every figure by its JSON name,
//	…                             open_hours figures as open_hours_requests, …
//
//	by_hour,requests,answered,first_response_p50_s,first_response_p90_s
//	0,3,2,41.5,95                 one row per hour 0–23 in the store's zone
//	…
//
//	by_department,name,requests,answered,overflow_share,csat_avg
//	tv,TVs,40,38,0.125,4.5        one row per department code
//	…
//
//	by_day,requests,overflow_share,abandon_share,csat_avg
//	2025-03-01,12,0.0833,0,4      one row per local date
//
// The first column of a breakdown holds its key (hour, department code,
// date). A null figure is an empty cell. A report without breakdowns (from
// Stores) still has the three headers, with no rows under them.
func (r Report) WriteCSV(w io.Writer) error {
	rows := [][]string{
		{"metric", "value"},
		{"store_id", r.StoreID},
		{"store_name", text(r.StoreName)},
		{"from", r.From.UTC().Format(time.RFC3339)},
		{"to", r.To.UTC().Format(time.RFC3339)},
		{"requests", strconv.Itoa(r.Requests)},
		{"answered", strconv.Itoa(r.Answered)},
		{"first_response_p50_s", num(r.FirstResponseP50S)},
		{"first_response_p90_s", num(r.FirstResponseP90S)},
		{"resolve_p50_s", num(r.ResolveP50S)},
		{"overflow_share", num(r.OverflowShare)},
		{"abandon_share", num(r.AbandonShare)},
		{"cancelled", strconv.Itoa(r.Cancelled)},
		{"cancel_share", num(r.CancelShare)},
		{"answers_per_request", num(r.AnswersPerRequest)},
		{"csat_avg", num(r.CSATAvg)},
		{"csat_positive_share", num(r.CSATPositiveShare)},
		{"ratings", strconv.Itoa(r.Ratings)},
		{"open_hours_requests", strconv.Itoa(r.OpenHours.Requests)},
		{"open_hours_answered", strconv.Itoa(r.OpenHours.Answered)},
		{"open_hours_first_response_p50_s", num(r.OpenHours.FirstResponseP50S)},
		{"open_hours_first_response_p90_s", num(r.OpenHours.FirstResponseP90S)},
		{"open_hours_answered_share", num(r.OpenHours.AnsweredShare)},
		{},
		{"by_hour", "requests", "answered", "first_response_p50_s", "first_response_p90_s"},
	}
	for _, h := range r.ByHour {
		rows = append(rows, []string{strconv.Itoa(h.Hour), strconv.Itoa(h.Requests), strconv.Itoa(h.Answered),
			num(h.FirstResponseP50S), num(h.FirstResponseP90S)})
	}
	rows = append(rows, nil, []string{"by_department", "name", "requests", "answered", "overflow_share", "csat_avg"})
	for _, d := range r.ByDepartment {
		rows = append(rows, []string{d.Code, text(d.Name), strconv.Itoa(d.Requests), strconv.Itoa(d.Answered),
			num(d.OverflowShare), num(d.CSATAvg)})
	}
	rows = append(rows, nil, []string{"by_day", "requests", "overflow_share", "abandon_share", "csat_avg"})
	for _, d := range r.ByDay {
		rows = append(rows, []string{d.Date, strconv.Itoa(d.Requests), num(d.OverflowShare), num(d.AbandonShare),
			num(d.CSATAvg)})
	}
	if err := csv.NewWriter(w).WriteAll(rows); err != nil {
		return fmt.Errorf("reports: write csv: %w", err)
	}
	return nil
}

// num writes a figure in its shortest exact form, and null as an empty cell.
func num(x *float64) string {
	if x == nil {
		return ""
	}
	return strconv.FormatFloat(*x, 'f', -1, 64)
}

// text guards a name typed by a person: a spreadsheet would run a cell that
// starts with =, +, - or @ as a formula, so such a cell starts with a quote.
func text(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
