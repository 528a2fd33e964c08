package reports

import "math"

// countColumns are the counts every figure is derived from, over whatever set
// of help_requests rows a query groups. Ratios are taken in Go, where an
// empty denominator becomes null rather than an error.
const countColumns = `
	count(*) AS requests,
	count(first_accepted_at) AS answered,
	count(remote_at) AS overflowed,
	count(*) FILTER (WHERE status = 'abandoned') AS abandoned,
	count(*) FILTER (WHERE status = 'cancelled') AS cancelled,
	COALESCE(sum(staff_answers), 0) AS staff_answers,
	count(rating_score) AS ratings,
	count(*) FILTER (WHERE rating_score >= 4) AS positive_ratings,
	COALESCE(sum(rating_score), 0) AS rating_sum`

// timeColumns are the percentiles, in seconds. Ordered-set aggregates skip
// nulls, so each covers only the requests that were answered (or resolved).
// date_part, unlike extract, stays in double precision, which is what
// percentile_cont sorts.
const timeColumns = `
	percentile_cont(0.5) WITHIN GROUP (ORDER BY date_part('epoch', first_accepted_at - created_at)) AS first_response_p50_s,
	percentile_cont(0.9) WITHIN GROUP (ORDER BY date_part('epoch', first_accepted_at - created_at)) AS first_response_p90_s,
	percentile_cont(0.5) WITHIN GROUP (ORDER BY date_part('epoch', resolved_at - created_at)) AS resolve_p50_s`

// openColumns are the open-hours figures of one store's rows, for a query
// that has the store's open ranges as open_ranges (see store_open_ranges in
// migrations/0013_store_hours.sql).
const openColumns = `
	count(*) FILTER (WHERE created_at <@ open_ranges) AS open_requests,
	count(first_accepted_at) FILTER (WHERE created_at <@ open_ranges) AS open_answered,
	percentile_cont(0.5) WITHIN GROUP (ORDER BY date_part('epoch', first_accepted_at - created_at))
		FILTER (WHERE created_at <@ open_ranges) AS open_first_response_p50_s,
	percentile_cont(0.9) WITHIN GROUP (ORDER BY date_part('epoch', first_accepted_at - created_at))
		FILTER (WHERE created_at <@ open_ranges) AS open_first_response_p90_s`

// openFigures holds a row of openColumns.
type openFigures struct {
	OpenRequests int      `db:"open_requests"`
	OpenAnswered int      `db:"open_answered"`
	OpenP50      *float64 `db:"open_first_response_p50_s"`
	OpenP90      *float64 `db:"open_first_response_p90_s"`
}

func (o openFigures) openHours() OpenHours {
	return OpenHours{Requests: o.OpenRequests, Answered: o.OpenAnswered,
		FirstResponseP50S: seconds(o.OpenP50), FirstResponseP90S: seconds(o.OpenP90),
		AnsweredShare: share(o.OpenAnswered, o.OpenRequests)}
}

// figures holds a row of countColumns and timeColumns.
type figures struct {
	Requests        int      `db:"requests"`
	Answered        int      `db:"answered"`
	Overflowed      int      `db:"overflowed"`
	Abandoned       int      `db:"abandoned"`
	Cancelled       int      `db:"cancelled"`
	StaffAnswers    int64    `db:"staff_answers"`
	Ratings         int      `db:"ratings"`
	PositiveRatings int      `db:"positive_ratings"`
	RatingSum       int64    `db:"rating_sum"`
	FirstP50        *float64 `db:"first_response_p50_s"`
	FirstP90        *float64 `db:"first_response_p90_s"`
	ResolveP50      *float64 `db:"resolve_p50_s"`
}

// headline sets the report's period-wide figures.
func (f figures) headline(r *Report) {
	r.Requests = f.Requests
	r.Answered = f.Answered
	r.FirstResponseP50S = seconds(f.FirstP50)
	r.FirstResponseP90S = seconds(f.FirstP90)
	r.ResolveP50S = seconds(f.ResolveP50)
	r.OverflowShare = share(f.Overflowed, f.Requests)
	r.AbandonShare = share(f.Abandoned, f.Requests)
	r.Cancelled = f.Cancelled
	r.CancelShare = share(f.Cancelled, f.Requests)
	r.AnswersPerRequest = average(f.StaffAnswers, f.Answered)
	r.CSATAvg = f.csatAvg()
	r.CSATPositiveShare = share(f.PositiveRatings, f.Ratings)
	r.Ratings = f.Ratings
}

func (f figures) csatAvg() *float64 { return average(f.RatingSum, f.Ratings) }

// share is n/of as a fraction rounded to 4 decimals, or nil when of is 0.
func share(n, of int) *float64 {
	if of == 0 {
		return nil
	}
	return ptr(round(float64(n)/float64(of), 4))
}

// average is sum/n rounded to 2 decimals, or nil when n is 0.
func average(sum int64, n int) *float64 {
	if n == 0 {
		return nil
	}
	return ptr(round(float64(sum)/float64(n), 2))
}

// seconds rounds a duration in seconds to 0.1 s, keeping null as null.
func seconds(s *float64) *float64 {
	if s == nil {
		return nil
	}
	return ptr(round(*s, 1))
}

func round(x float64, decimals int) float64 {
	p := math.Pow10(decimals)
	return math.Round(x*p) / p
}

func ptr(x float64) *float64 { return &x }
