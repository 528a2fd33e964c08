// Package reports measures how well a store's shoppers are helped over a
// period: how many asked, how fast someone answered, how often the remote
// team or nobody had to, and how satisfied shoppers were.
//
// # Period
//
// A report covers one store and a period [from, to): a request belongs to
// the period by its created_at, so a request created exactly at from is
// counted and one created exactly at to is not. Everything about a request
// (its answer, its resolution, its rating) is counted with the period it was
// created in, even when it happened later.
//
// # Figures
//
//   - requests: requests created in the period.
//   - answered: those someone accepted (first_accepted_at is set). A request
//     accepted and later cancelled by the shopper is still answered.
//   - first_response_p50_s, first_response_p90_s: the median and the 90th
//     percentile of first_accepted_at − created_at over answered requests, in
//     seconds. Percentiles interpolate linearly between the two nearest
//     values (PostgreSQL's percentile_cont): the median of 30, 60, 90 and 120
//     is 75.
//   - resolve_p50_s: the median of resolved_at − created_at over resolved
//     requests, in seconds.
//   - overflow_share: requests that reached the remote team (remote_at is
//     set: nobody in the store was free, nobody took it in time, or everyone
//     offered passed) / requests.
//   - abandon_share: requests that nobody took before the abandon timer
//     (status abandoned) / requests.
//   - cancelled, cancel_share: requests the shopper withdrew (status
//     cancelled), and their share of requests; counted apart from abandoned.
//   - answers_per_request: messages written by staff and agents (author role
//     floor, manager, agent or admin; never the shopper's own) on the
//     period's requests / answered requests.
//   - csat_avg: the average rating (1–5) of the period's rated requests.
//   - csat_positive_share: ratings of 4 or 5 / ratings.
//   - ratings: how many of the period's requests were rated.
//   - open_hours: requests, answered, first_response_p50_s,
//     first_response_p90_s and answered_share (answered / requests) over the
//     requests created while the store was open by its opening hours (the
//     SQL function store_open_ranges, migration 0013). A store without hours
//     is always open, so these equal the all-day figures.
//
// Shares are fractions from 0 to 1 rounded to 4 decimals; seconds are
// rounded to 0.1; csat_avg and answers_per_request to 2 decimals. A figure
// whose denominator is empty (no requests, no answered request, no rating)
// is null, never 0 and never NaN.
//
// # Breakdowns
//
//   - by_hour: 24 entries, hours 0–23 of the day in the store's own time
//     zone (stores.timezone, daylight saving included), each with requests,
//     answered and the first response p50 and p90.
//   - by_department: every department of the store, and any code a request
//     names that is no longer a department, most requests first, each with
//     requests, answered, overflow_share and csat_avg.
//   - by_day: every date in the store's time zone that the period touches,
//     in order, days without requests included, each with requests,
//     overflow_share, abandon_share and csat_avg.
//
// Stores gives the headline figures of every store side by side, without
// breakdowns; requests placed in no store (answered remotely from anywhere)
// belong to no store's report.
//
// # Speed
//
// Everything a report reads is in one index, help_requests_report_idx
// (store_id, created_at, including every column the figures use), so a
// report is a range scan of that index alone (index-only: the table itself
// is not read once vacuum has marked its pages all-visible). What would
// otherwise need a join per request is kept on the request row by triggers:
// staff_answers counts staff messages as they are written, rating_score
// copies the shopper's rating.
//
// A store's report is three queries, run side by side on their own
// connections: one counts requests by local hour and department in a single
// pass and adds those few thousand groups up into the headline and the three
// breakdowns (GROUPING SETS); another sorts the answered requests' first
// responses for the percentiles by hour and over the period, and the
// resolved ones for the resolve median; the third reads the requests
// created in opening hours, one index range per range of the store's open
// ranges over the period (store_open_ranges), for the open_hours figures.
// Each runs in a read-only transaction with enough work_mem to sort in
// memory. The queries may see the database a few milliseconds apart, which
// a report over days does not notice.
package reports
