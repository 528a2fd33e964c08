package reports_test

import (
	"testing"

	"helpforce/fault"
	"helpforce/reports"
)

// opera is a Paris store (UTC+1 in January) with a week of requests whose
// figures are worked out by hand below. Hours and dates are local: 22:30 UTC
// is 23:30 in Paris, and 23:59:59 UTC on the 12th is already the 13th there.
func opera(t *testing.T) (*fixture, string) {
	fx := newFixture(t)
	id := fx.store("Paris Opéra", "Europe/Paris", "tv", "TVs", "phones", "Phones", "appliances", "Appliances")
	fx.add(id,
		req{at: "2025-01-06T00:00:00Z", dept: "tv", status: "resolved", accepted: 30, resolved: 600, rating: 5, staff: 2, shopper: 1},
		req{at: "2025-01-06T09:15:00Z", dept: "tv", status: "resolved", accepted: 60, resolved: 900, rating: 4, staff: 3},
		req{at: "2025-01-06T22:30:00Z", dept: "phones", status: "resolved", accepted: 120, remote: 90, resolved: 1200, rating: 2, staff: 1, shopper: 1},
		req{at: "2025-01-07T10:00:00Z", dept: "phones", status: "abandoned", remote: 60},
		req{at: "2025-01-07T10:20:00Z", dept: "toys", status: "cancelled"}, // toys is no longer a department
		req{at: "2025-01-08T14:00:00Z", dept: "tv", status: "cancelled", accepted: 45, staff: 1},
		req{at: "2025-01-08T14:30:00Z", dept: "phones", status: "resolved", accepted: 240, remote: 100, resolved: 3000, rating: 4, staff: 4, shopper: 2},
		req{at: "2025-01-09T18:00:00Z", dept: "tv", status: "assigned", accepted: 15, staff: 2},
		req{at: "2025-01-12T23:59:59Z", dept: "tv", status: "abandoned", remote: 120},
		// Outside the week: exactly at its end, and a second before its start.
		req{at: "2025-01-13T00:00:00Z", dept: "tv", status: "resolved", accepted: 10, resolved: 100, rating: 1, staff: 1},
		req{at: "2025-01-05T23:59:59Z", dept: "phones", status: "resolved", accepted: 20, resolved: 200, rating: 3},
	)
	return fx, id
}

// hours is a full day of empty hours with some filled in.
func hours(filled ...reports.Hour) []reports.Hour {
	out := make([]reports.Hour, 24)
	for h := range out {
		out[h].Hour = h
	}
	for _, h := range filled {
		out[h.Hour] = h
	}
	return out
}

func TestStoreReport(t *testing.T) {
	fx, id := opera(t)
	week := period(t, "2025-01-06T00:00:00Z", "2025-01-13T00:00:00Z")
	tests := []struct {
		name string
		p    reports.Period
		want reports.Report
	}{{
		// Answered: 1, 2, 3, 6, 7, 8. First responses 15, 30, 45, 60, 120, 240 s:
		// p50 = 45 + 0.5 × (60 − 45) = 52.5; p90 sits at 0.9 × 5 = 4.5, so
		// 120 + 0.5 × (240 − 120) = 180. Resolved in 600, 900, 1200, 3000 s:
		// p50 = 1050. Remote: 3, 4, 7, 9 → 4/9. Abandoned: 4, 9 → 2/9.
		// Cancelled: 5, 6 → 2/9. Staff messages 2+3+1+1+4+2 = 13 over 6
		// answered = 2.17. Ratings 5, 4, 2, 4: 3.75 on average, 3 of 4 positive.
		name: "a week",
		p:    week,
		want: reports.Report{
			StoreID: id, StoreName: "Paris Opéra", From: week.From, To: week.To,
			Requests: 9, Answered: 6,
			FirstResponseP50S: val(52.5), FirstResponseP90S: val(180), ResolveP50S: val(1050),
			OverflowShare: val(0.4444), AbandonShare: val(0.2222), Cancelled: 2, CancelShare: val(0.2222),
			AnswersPerRequest: val(2.17), CSATAvg: val(3.75), CSATPositiveShare: val(0.75), Ratings: 4,
			// No opening hours: always open, so the same requests.
			OpenHours: reports.OpenHours{Requests: 9, Answered: 6, FirstResponseP50S: val(52.5), FirstResponseP90S: val(180),
				AnsweredShare: val(0.6667)},
			ByHour: hours(
				reports.Hour{Hour: 0, Requests: 1},
				reports.Hour{Hour: 1, Requests: 1, Answered: 1, FirstResponseP50S: val(30), FirstResponseP90S: val(30)},
				reports.Hour{Hour: 10, Requests: 1, Answered: 1, FirstResponseP50S: val(60), FirstResponseP90S: val(60)},
				reports.Hour{Hour: 11, Requests: 2},
				// 45 and 240 s: p50 = 142.5, p90 = 45 + 0.9 × 195 = 220.5.
				reports.Hour{Hour: 15, Requests: 2, Answered: 2, FirstResponseP50S: val(142.5), FirstResponseP90S: val(220.5)},
				reports.Hour{Hour: 19, Requests: 1, Answered: 1, FirstResponseP50S: val(15), FirstResponseP90S: val(15)},
				reports.Hour{Hour: 23, Requests: 1, Answered: 1, FirstResponseP50S: val(120), FirstResponseP90S: val(120)},
			),
			ByDepartment: []reports.Department{
				{Code: "tv", Name: "TVs", Requests: 5, Answered: 4, OverflowShare: val(0.2), CSATAvg: val(4.5)},
				{Code: "phones", Name: "Phones", Requests: 3, Answered: 2, OverflowShare: val(1), CSATAvg: val(3)},
				{Code: "toys", Name: "toys", Requests: 1, OverflowShare: val(0)},
				{Code: "appliances", Name: "Appliances"},
			},
			ByDay: []reports.Day{
				{Date: "2025-01-06", Requests: 3, OverflowShare: val(0.3333), AbandonShare: val(0), CSATAvg: val(3.67)},
				{Date: "2025-01-07", Requests: 2, OverflowShare: val(0.5), AbandonShare: val(0.5)},
				{Date: "2025-01-08", Requests: 2, OverflowShare: val(0.5), AbandonShare: val(0), CSATAvg: val(4)},
				{Date: "2025-01-09", Requests: 1, OverflowShare: val(0), AbandonShare: val(0)},
				{Date: "2025-01-10"}, {Date: "2025-01-11"}, {Date: "2025-01-12"},
				{Date: "2025-01-13", Requests: 1, OverflowShare: val(1), AbandonShare: val(1)},
			},
		},
	}, {
		// June is UTC+2 in Paris: a UTC day touches two local dates.
		name: "an empty period",
		p:    period(t, "2024-06-01T00:00:00Z", "2024-06-02T00:00:00Z"),
		want: reports.Report{
			StoreID: id, StoreName: "Paris Opéra",
			From: at(t, "2024-06-01T00:00:00Z"), To: at(t, "2024-06-02T00:00:00Z"),
			ByHour: hours(),
			ByDepartment: []reports.Department{
				{Code: "appliances", Name: "Appliances"}, {Code: "phones", Name: "Phones"}, {Code: "tv", Name: "TVs"},
			},
			ByDay: []reports.Day{{Date: "2024-06-01"}, {Date: "2024-06-02"}},
		},
	}, {
		// The request created exactly at the week's end starts the next period.
		name: "a request at from is in, one at to is out",
		p:    period(t, "2025-01-13T00:00:00Z", "2025-01-13T00:00:01Z"),
		want: reports.Report{
			StoreID: id, StoreName: "Paris Opéra",
			From: at(t, "2025-01-13T00:00:00Z"), To: at(t, "2025-01-13T00:00:01Z"),
			Requests: 1, Answered: 1,
			FirstResponseP50S: val(10), FirstResponseP90S: val(10), ResolveP50S: val(100),
			OverflowShare: val(0), AbandonShare: val(0), CancelShare: val(0),
			AnswersPerRequest: val(1), CSATAvg: val(1), CSATPositiveShare: val(0), Ratings: 1,
			OpenHours: reports.OpenHours{Requests: 1, Answered: 1, FirstResponseP50S: val(10), FirstResponseP90S: val(10),
				AnsweredShare: val(1)},
			ByHour: hours(reports.Hour{Hour: 1, Requests: 1, Answered: 1, FirstResponseP50S: val(10), FirstResponseP90S: val(10)}),
			ByDepartment: []reports.Department{
				{Code: "tv", Name: "TVs", Requests: 1, Answered: 1, OverflowShare: val(0), CSATAvg: val(1)},
				{Code: "appliances", Name: "Appliances"}, {Code: "phones", Name: "Phones"},
			},
			ByDay: []reports.Day{{Date: "2025-01-13", Requests: 1, OverflowShare: val(0), AbandonShare: val(0), CSATAvg: val(1)}},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := reports.Store(t.Context(), fx.db, id, tt.p)
			if err != nil {
				t.Fatal(err)
			}
			sameJSON(t, got, tt.want)
		})
	}
}

func TestStoreNotFound(t *testing.T) {
	fx := newFixture(t)
	week := period(t, "2025-01-06T00:00:00Z", "2025-01-13T00:00:00Z")
	for _, id := range []string{"7d1f3c52-61a4-4a53-9f39-0c3c0f1c2b7e", "not-a-store", ""} {
		if _, err := reports.Store(t.Context(), fx.db, id, week); !fault.IsNotFound(err) {
			t.Errorf("store %q: got %v, want not found", id, err)
		}
	}
}
