package reports

import "time"

// Report is how well one store's shoppers were helped over a period. The
// figures are defined in the package documentation; a nil pointer is a
// figure with nothing to measure (JSON null).
type Report struct {
	StoreID           string       `json:"store_id"`
	StoreName         string       `json:"store_name"`
	From              time.Time    `json:"from"`
	To                time.Time    `json:"to"`
	Requests          int          `json:"requests"`
	Answered          int          `json:"answered"`
	FirstResponseP50S *float64     `json:"first_response_p50_s"`
	FirstResponseP90S *float64     `json:"first_response_p90_s"`
	ResolveP50S       *float64     `json:"resolve_p50_s"`
	OverflowShare     *float64     `json:"overflow_share"`
	AbandonShare      *float64     `json:"abandon_share"`
	Cancelled         int          `json:"cancelled"`
	CancelShare       *float64     `json:"cancel_share"`
	AnswersPerRequest *float64     `json:"answers_per_request"`
	CSATAvg           *float64     `json:"csat_avg"`
	CSATPositiveShare *float64     `json:"csat_positive_share"`
	Ratings           int          `json:"ratings"`
	OpenHours         OpenHours    `json:"open_hours"`
	ByHour            []Hour       `json:"by_hour"`
	ByDepartment      []Department `json:"by_department"`
	ByDay             []Day        `json:"by_day"`
}

// OpenHours is the period's figures over the requests created while the
// store was open by its opening hours (all of them for a store without
// hours): how many, how many someone accepted and their share, and the
// first response median and 90th percentile.
type OpenHours struct {
	Requests          int      `json:"requests"`
	Answered          int      `json:"answered"`
	FirstResponseP50S *float64 `json:"first_response_p50_s"`
	FirstResponseP90S *float64 `json:"first_response_p90_s"`
	AnsweredShare     *float64 `json:"answered_share"`
}

// Hour is one hour of the day (0–23) in the store's time zone, over every day of the period.
type Hour struct {
	Hour              int      `json:"hour"`
	Requests          int      `json:"requests"`
	Answered          int      `json:"answered"`
	FirstResponseP50S *float64 `json:"first_response_p50_s"`
	FirstResponseP90S *float64 `json:"first_response_p90_s"`
}

// Department is one department's share of the period.
type Department struct {
	Code          string   `json:"code"`
	Name          string   `json:"name"`
	Requests      int      `json:"requests"`
	Answered      int      `json:"answered"`
	OverflowShare *float64 `json:"overflow_share"`
	CSATAvg       *float64 `json:"csat_avg"`
}

// Day is one date in the store's time zone.
type Day struct {
	Date          string   `json:"date"` // YYYY-MM-DD
	Requests      int      `json:"requests"`
	OverflowShare *float64 `json:"overflow_share"`
	AbandonShare  *float64 `json:"abandon_share"`
	CSATAvg       *float64 `json:"csat_avg"`
}
