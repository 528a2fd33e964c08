package reports

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"helpforce/fault"
	"helpforce/pg"
)

// storeQuery reads the store and the local dates its period touches; the
// last is the date of the last instant before to.
const storeQuery = `
SELECT name, timezone,
	($2::timestamptz AT TIME ZONE timezone)::date AS first_day,
	(($3::timestamptz - interval '1 microsecond') AT TIME ZONE timezone)::date AS last_day
FROM stores WHERE id = $1`

const departmentsQuery = `SELECT code, name FROM departments WHERE store_id = $1 ORDER BY name, code`

// storeCounts counts the period's requests by local hour and department in
// one pass over help_requests_report_idx (a few thousand small groups), then
// adds those groups up four ways: the whole period, by hour of the day, by
// department and by local date. Converting each request's time to the
// store's zone once, and grouping before the four-way sums, is what keeps
// this cheap; date_bin truncates to the hour by arithmetic, where
// date_trunc would take the time apart into fields. hour, department and
// day are never null in a group, so the null ones in a result row say which
// of the four sums it is.
const storeCounts = `
SELECT hour, department, day,
	COALESCE(sum(requests), 0) AS requests, COALESCE(sum(answered), 0) AS answered,
	COALESCE(sum(overflowed), 0) AS overflowed, COALESCE(sum(abandoned), 0) AS abandoned,
	COALESCE(sum(cancelled), 0) AS cancelled, COALESCE(sum(staff_answers), 0) AS staff_answers,
	COALESCE(sum(ratings), 0) AS ratings, COALESCE(sum(positive_ratings), 0) AS positive_ratings,
	COALESCE(sum(rating_sum), 0) AS rating_sum
FROM (
	SELECT date_bin('1 hour', created_at AT TIME ZONE $4, timestamp '2000-01-01') AS local_hour,
		department, ` + countColumns + `
	FROM help_requests
	WHERE store_id = $1 AND created_at >= $2 AND created_at < $3
	GROUP BY 1, 2
) g
CROSS JOIN LATERAL (SELECT date_part('hour', local_hour)::int AS hour, local_hour::date AS day) k
GROUP BY GROUPING SETS ((), (hour), (department), (day))`

// storeTimes takes the first-response percentiles by local hour of the day
// and over the period (the ROLLUP row, hour null), and the period's
// resolve median, which is wanted for the period only.
const storeTimes = `
SELECT hour,
	percentile_cont(0.5) WITHIN GROUP (ORDER BY first_response_s) AS first_response_p50_s,
	percentile_cont(0.9) WITHIN GROUP (ORDER BY first_response_s) AS first_response_p90_s,
	CASE WHEN GROUPING(hour) = 1 THEN (
		SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY date_part('epoch', resolved_at - created_at))
		FROM help_requests
		WHERE store_id = $1 AND created_at >= $2 AND created_at < $3
	) END AS resolve_p50_s
FROM (
	SELECT date_part('hour', created_at AT TIME ZONE $4)::int AS hour,
		date_part('epoch', first_accepted_at - created_at) AS first_response_s
	FROM help_requests
	WHERE store_id = $1 AND created_at >= $2 AND created_at < $3 AND first_accepted_at IS NOT NULL
) a
GROUP BY ROLLUP (hour)`

// storeOpenHours reads the requests created while the store was open, one
// range of when it was open at a time (a day's opening, merged across
// midnight), each an index range scan of help_requests_report_idx. Run
// beside the other two queries, it leaves them as they were: testing every
// request of the period against the open ranges cost more than reading
// again the ones inside them.
const storeOpenHours = `
SELECT count(*) AS open_requests, count(h.first_accepted_at) AS open_answered,
	percentile_cont(0.5) WITHIN GROUP (ORDER BY date_part('epoch', h.first_accepted_at - h.created_at)) AS open_first_response_p50_s,
	percentile_cont(0.9) WITHIN GROUP (ORDER BY date_part('epoch', h.first_accepted_at - h.created_at)) AS open_first_response_p90_s
FROM unnest(store_open_ranges($1, $2, $3)) r
JOIN help_requests h ON h.store_id = $1
	AND h.created_at >= greatest(lower(r), $2) AND h.created_at < least(upper(r), $3)`

// group is one row of storeCounts, or of storeTimes in its Hour and
// percentiles.
type group struct {
	Hour       *int       `db:"hour"`
	Department *string    `db:"department"`
	Day        *time.Time `db:"day"`
	figures
}

// Store reports on one store over p.
func Store(ctx context.Context, db *sqlx.DB, storeID string, p Period) (Report, error) {
	if !pg.IsID(storeID) {
		return Report{}, fault.NotFound("store")
	}
	var st struct {
		Name     string    `db:"name"`
		Timezone string    `db:"timezone"`
		FirstDay time.Time `db:"first_day"`
		LastDay  time.Time `db:"last_day"`
	}
	err := db.GetContext(ctx, &st, storeQuery, storeID, p.From, p.To)
	if errors.Is(err, sql.ErrNoRows) {
		return Report{}, fault.NotFound("store")
	}
	if err != nil {
		return Report{}, fmt.Errorf("reports: store %s: %w", storeID, err)
	}
	var depts []Department
	var counts, times []group
	var open []openFigures
	args := []any{storeID, p.From, p.To, st.Timezone}
	err = concurrently(
		func() error { return read(ctx, db, &counts, storeCounts, args...) },
		func() error { return read(ctx, db, &times, storeTimes, args...) },
		func() error { return read(ctx, db, &open, storeOpenHours, args[:3]...) },
		func() error { return db.SelectContext(ctx, &depts, departmentsQuery, storeID) },
	)
	if err != nil {
		return Report{}, fmt.Errorf("reports: store %s: %w", storeID, err)
	}
	r := Report{StoreID: storeID, StoreName: st.Name, From: p.From.UTC(), To: p.To.UTC()}
	b := newBreakdowns(depts, st.FirstDay, st.LastDay)
	timesAt := map[int]figures{} // by hour; -1 for the whole period
	for _, t := range times {
		timesAt[hourKey(t.Hour)] = t.figures
	}
	for _, g := range counts {
		switch {
		case g.Hour != nil:
			b.hour(*g.Hour, g.withTimes(timesAt[*g.Hour]))
		case g.Department != nil:
			b.department(*g.Department, g.figures)
		case g.Day != nil:
			b.day(*g.Day, g.figures)
		default:
			g.withTimes(timesAt[-1]).headline(&r)
		}
	}
	if len(open) == 1 {
		r.OpenHours = open[0].openHours()
	}
	r.ByHour, r.ByDepartment, r.ByDay = b.done()
	return r, nil
}

func hourKey(h *int) int {
	if h == nil {
		return -1
	}
	return *h
}

// withTimes is the group's counts with the percentiles of t.
func (g group) withTimes(t figures) figures {
	f := g.figures
	f.FirstP50, f.FirstP90, f.ResolveP50 = t.FirstP50, t.FirstP90, t.ResolveP50
	return f
}
