package reports_test

import (
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"helpforce/pg/pgtest"
	"helpforce/reports"
)

// benchRequests writes 1,000,000 help requests spread over the 120 days
// before $1, created between 07:00 and 21:00 UTC, 100,000 for each of 10
// stores, in time order and so interleaved on disk as real traffic is. Of
// them 10% are abandoned, 6% cancelled (a third of those after someone
// accepted) and the rest resolved; a quarter reach the remote team; first
// responses follow an exponential spread (a median near 70 s), resolutions
// come some 8 minutes later; staff write 1 to 6 messages on an answered
// request; 30% of resolved requests are rated, mostly 4s and 5s. What the
// triggers would keep (staff_answers, rating_score) is written directly:
// see benchFill.
const benchRequests = `
INSERT INTO help_requests (shopper_id, store_id, department, status, channel, created_at,
	first_accepted_at, remote_at, resolved_at, closed_at, staff_answers, rating_score)
SELECT shopper_id, store_id, department, status, CASE WHEN remote THEN 'remote' ELSE 'floor' END, created_at,
	accepted_at, CASE WHEN remote THEN created_at + (60 + 120 * u_remote) * interval '1 second' END,
	CASE WHEN status = 'resolved' THEN accepted_at + (30 + 480 * e_resolve) * interval '1 second' END,
	created_at + interval '1 hour',
	CASE WHEN accepted_at IS NOT NULL THEN 1 + floor(u_msgs * 6)::int ELSE 0 END,
	CASE WHEN status = 'resolved' AND u_rating < 0.3 THEN
		CASE WHEN u_rating < 0.135 THEN 5 WHEN u_rating < 0.21 THEN 4 WHEN u_rating < 0.246 THEN 3
			WHEN u_rating < 0.27 THEN 2 ELSE 1 END END
FROM (
	SELECT *, CASE WHEN status = 'resolved' OR (status = 'cancelled' AND u_status < 0.12) THEN
		created_at + (5 + 60 * e_accept + CASE WHEN remote THEN 120 ELSE 0 END) * interval '1 second' END AS accepted_at
	FROM (
		SELECT *, CASE WHEN u_status < 0.10 THEN 'abandoned' WHEN u_status < 0.16 THEN 'cancelled' ELSE 'resolved' END AS status,
			u_remote < 0.25 AS remote
		FROM (
			SELECT md5('shopper' || (i % 20000))::uuid AS shopper_id, md5('store' || (i % 10))::uuid AS store_id,
				(ARRAY['tv', 'phones', 'appliances', 'computers', 'gaming'])[1 + floor(random() ^ 1.5 * 5)::int] AS department,
				$1::timestamptz - interval '120 days' + floor(random() * 120) * interval '1 day'
					+ (7 + 14 * random()) * interval '1 hour' AS created_at,
				random() AS u_status, random() AS u_remote, random() AS u_msgs, random() AS u_rating,
				-ln(1 - random()) AS e_accept, -ln(1 - random()) AS e_resolve
			FROM generate_series(1, 1000000) i
		) draws
	) fates
) lives
ORDER BY created_at`

// benchFill loads the benchmark's database in one transaction. Triggers and
// foreign-key checks fired row by row would make the load take minutes, so
// it runs in the replica role, which skips both (a superuser's setting: the
// test cluster connects as postgres) and writes the ratings rows to match the
// scores it wrote. Then a few thousand real messages go through the counting
// trigger, as the app writes them.
var benchFill = []string{
	`SET LOCAL session_replication_role = replica`,
	// The test cluster commits asynchronously; vacuum marks a page
	// all-visible only once the commit of its rows is on disk.
	`SET LOCAL synchronous_commit = on`,
	`SET LOCAL TimeZone = 'UTC'`,
	`SELECT setseed(0.42)`,
	`INSERT INTO stores (id, name, timezone, lat, lng)
	SELECT md5('store' || i)::uuid, 'Bench ' || i,
		(ARRAY['Europe/Paris', 'Europe/London', 'America/Toronto', 'Europe/Berlin', 'Asia/Tokyo'])[1 + i % 5],
		45 + i * 0.01, 4.85
	FROM generate_series(0, 9) i`,
	`INSERT INTO departments (store_id, code, name)
	SELECT s.id, d.code, d.name FROM stores s,
		(VALUES ('tv', 'TVs'), ('phones', 'Phones'), ('appliances', 'Appliances'),
			('computers', 'Computers'), ('gaming', 'Gaming')) d (code, name)`,
	// Opening hours as a chain keeps them: Monday to Saturday 09:00–20:00
	// with a lunch break on Mondays, and a few holidays.
	`INSERT INTO store_hours (store_id, day, opens, closes)
	SELECT s.id, d, time '09:00', CASE WHEN d = 1 THEN time '12:30' ELSE time '20:00' END FROM stores s, generate_series(1, 6) d
	UNION ALL SELECT s.id, 1, time '14:00', time '20:00' FROM stores s`,
	`INSERT INTO store_hour_exceptions (store_id, date)
	SELECT s.id, (now() - d * interval '1 day')::date FROM stores s, (VALUES (3), (17), (45), (80)) x (d)`,
	`INSERT INTO shoppers (id) SELECT md5('shopper' || i)::uuid FROM generate_series(0, 19999) i`,
	benchRequests,
	`INSERT INTO ratings (request_id, score, at)
	SELECT id, rating_score, resolved_at + interval '2 minutes' FROM help_requests WHERE rating_score IS NOT NULL`,
	`SET LOCAL session_replication_role = origin`,
	`INSERT INTO request_messages (request_id, author_name, author_role, body)
	SELECT id, role, role, 'Bench message'
	FROM (SELECT id FROM help_requests WHERE first_accepted_at IS NOT NULL LIMIT 2000) r,
		(VALUES ('floor'), ('agent'), ('shopper')) m (role)`,
}

// BenchmarkStoreReport90Days times one store's report over the last 90 days
// with 1,000,000 requests in the database (75,000 of them in the report).
func BenchmarkStoreReport90Days(b *testing.B) {
	db := pgtest.New(b)
	to := time.Now().UTC().Truncate(24 * time.Hour)
	started := time.Now()
	tx := db.MustBegin()
	for _, q := range benchFill {
		var args []any
		if q == benchRequests {
			args = append(args, to)
		}
		if _, err := tx.Exec(q, args...); err != nil {
			b.Fatalf("bench fill: %v\n%s", err, q)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	// What autovacuum would have done by now: the visibility map that lets
	// the report read the index alone, and fresh statistics.
	db.MustExec(`VACUUM ANALYZE help_requests, ratings`)
	b.Logf("filled in %v", time.Since(started).Round(time.Millisecond))
	p := reports.Period{From: to.AddDate(0, 0, -90), To: to}
	storeID := benchStore(b, db)
	var r reports.Report
	for b.Loop() {
		var err error
		if r, err = reports.Store(b.Context(), db, storeID, p); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.Logf("%d requests, first response p50 %.1f s, csat %.2f; in opening hours %d requests, p50 %.1f s",
		r.Requests, *r.FirstResponseP50S, *r.CSATAvg, r.OpenHours.Requests, *r.OpenHours.FirstResponseP50S)
	started = time.Now()
	if _, err := reports.Stores(b.Context(), db, p); err != nil {
		b.Fatal(err)
	}
	b.Logf("all 10 stores side by side: %v", time.Since(started).Round(time.Millisecond))
}

func benchStore(b *testing.B, db *sqlx.DB) string {
	var id string
	if err := db.Get(&id, `SELECT id FROM stores WHERE name = 'Bench 0'`); err != nil {
		b.Fatal(err)
	}
	return id
}
