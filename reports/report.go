package reports

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/jmoiron/sqlx"

	"helpforce/fault"
)

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
	ByHour            []Hour       `json:"by_hour"`
	ByDepartment      []Department `json:"by_department"`
	ByDay             []Day        `json:"by_day"`
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

// storeQuery reads the store and the local dates its period touches; the
// last is the date of the last instant before to.
const storeQuery = `
SELECT name, timezone,
	($2::timestamptz AT TIME ZONE timezone)::date AS first_day,
	(($3::timestamptz - interval '1 microsecond') AT TIME ZONE timezone)::date AS last_day
FROM stores WHERE id = $1`

const departmentsQuery = `SELECT code, name FROM departments WHERE store_id = $1 ORDER BY name, code`

// storeFigures reads the period's rows once, from help_requests_report_idx
// alone, and groups them four ways in one pass: the whole period, by local
// hour, by department and by local date. hour, department and day are never
// null in a row, so the null ones in a result say which grouping it is.
const storeFigures = `
SELECT hour, department, day, ` + figureColumns + `
FROM (
	SELECT created_at, first_accepted_at, remote_at, resolved_at, status, department, staff_answers, rating_score,
		extract(hour FROM created_at AT TIME ZONE $4)::int AS hour,
		(created_at AT TIME ZONE $4)::date AS day
	FROM help_requests
	WHERE store_id = $1 AND created_at >= $2 AND created_at < $3
) p
GROUP BY GROUPING SETS ((), (hour), (department), (day))`

// group is one row of storeFigures.
type group struct {
	Hour       *int       `db:"hour"`
	Department *string    `db:"department"`
	Day        *time.Time `db:"day"`
	figures
}

var uuidShape = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// Store reports on one store over p.
func Store(ctx context.Context, db *sqlx.DB, storeID string, p Period) (Report, error) {
	if !uuidShape.MatchString(storeID) {
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
	if err := db.SelectContext(ctx, &depts, departmentsQuery, storeID); err != nil {
		return Report{}, fmt.Errorf("reports: departments of %s: %w", storeID, err)
	}
	var groups []group
	if err := db.SelectContext(ctx, &groups, storeFigures, storeID, p.From, p.To, st.Timezone); err != nil {
		return Report{}, fmt.Errorf("reports: figures of %s: %w", storeID, err)
	}
	r := Report{StoreID: storeID, StoreName: st.Name, From: p.From.UTC(), To: p.To.UTC()}
	b := newBreakdowns(depts, st.FirstDay, st.LastDay)
	for _, g := range groups {
		switch {
		case g.Hour != nil:
			b.hour(*g.Hour, g.figures)
		case g.Department != nil:
			b.department(*g.Department, g.figures)
		case g.Day != nil:
			b.day(*g.Day, g.figures)
		default:
			g.headline(&r)
		}
	}
	r.ByHour, r.ByDepartment, r.ByDay = b.done()
	return r, nil
}
