package reports_test

import (
	"testing"

	"helpforce/reports"
)

func TestStores(t *testing.T) {
	fx, paris := opera(t)
	montreal := fx.store("Montréal", "America/Toronto", "tv", "TVs")
	annecy := fx.store("Annecy", "Europe/Paris", "tv", "TVs")
	fx.add(montreal,
		req{at: "2025-01-07T15:00:00Z", dept: "tv", status: "resolved", accepted: 100, resolved: 500, rating: 1, staff: 1},
		req{at: "2025-01-08T15:00:00Z", dept: "tv", status: "abandoned"},
		req{at: "2025-01-20T15:00:00Z", dept: "tv", status: "abandoned"}, // after the week
	)
	week := period(t, "2025-01-06T00:00:00Z", "2025-01-13T00:00:00Z")
	got, err := reports.Stores(t.Context(), fx.db, week)
	if err != nil {
		t.Fatal(err)
	}
	one, err := reports.Store(t.Context(), fx.db, paris, week)
	if err != nil {
		t.Fatal(err)
	}
	one.ByHour, one.ByDepartment, one.ByDay = nil, nil, nil
	sameJSON(t, got, []reports.Report{
		{StoreID: annecy, StoreName: "Annecy", From: week.From, To: week.To},
		{StoreID: montreal, StoreName: "Montréal", From: week.From, To: week.To,
			Requests: 2, Answered: 1, FirstResponseP50S: val(100), FirstResponseP90S: val(100), ResolveP50S: val(500),
			OverflowShare: val(0), AbandonShare: val(0.5), CancelShare: val(0),
			AnswersPerRequest: val(1), CSATAvg: val(1), CSATPositiveShare: val(0), Ratings: 1,
			OpenHours: reports.OpenHours{Requests: 2, Answered: 1, FirstResponseP50S: val(100), FirstResponseP90S: val(100),
				AnsweredShare: val(0.5)}},
		one, // the same headline as the store's own report
	})
}
