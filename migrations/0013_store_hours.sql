-- Opening hours: each store's weekly ranges and its exception dates, in the
-- store's own local time (stores.timezone), and the rule that reads them, in
-- SQL so that request creation and reports can ask it inside their statements.
--
-- A store with no hours at all is always open. A store with weekly ranges is
-- closed on the days and at the times they leave out. An exception date
-- replaces that day: closed, or open over its one range. Ranges stay within
-- their day (close may be 24:00, the next midnight); a store open past
-- midnight says so with a range ending at 24:00 and one starting at 00:00.

CREATE TABLE store_hours (
	store_id uuid NOT NULL REFERENCES stores (id) ON DELETE CASCADE,
	day      smallint NOT NULL CHECK (day BETWEEN 1 AND 7), -- ISO: 1 Monday … 7 Sunday
	opens    time NOT NULL,
	closes   time NOT NULL,
	PRIMARY KEY (store_id, day, opens),
	CHECK (closes > opens)
);

-- opens and closes are both null on a day the store is closed.
CREATE TABLE store_hour_exceptions (
	store_id uuid NOT NULL REFERENCES stores (id) ON DELETE CASCADE,
	date     date NOT NULL,
	opens    time,
	closes   time,
	PRIMARY KEY (store_id, date),
	CHECK ((opens IS NULL) = (closes IS NULL)),
	CHECK (closes > opens)
);

-- store_open_ranges is when a store is open, as a multirange of instants,
-- over every local day that [from_at, to_at] touches (a range may reach
-- outside; callers only test membership or look for the next start).
-- Adjacent ranges (a day ending at 24:00, the next starting at 00:00) are
-- merged by range_agg. It is NULL for an unknown store.
--
-- A local date and time becomes an instant through the store's zone with
-- PostgreSQL's rules: in the hour a spring change skips, a time is read with
-- the offset in force before the change (02:30 in Paris on the last Sunday of
-- March is 03:30 summer time); in the hour an autumn change repeats, with the
-- offset after it (standard time). A range that the skipped hour leaves empty
-- (02:00–02:30 on that night) is no range at all.
CREATE FUNCTION store_open_ranges(store uuid, from_at timestamptz, to_at timestamptz)
RETURNS tstzmultirange LANGUAGE sql STABLE AS $$
SELECT CASE
	WHEN NOT EXISTS (SELECT 1 FROM store_hours WHERE store_id = s.id)
		AND NOT EXISTS (SELECT 1 FROM store_hour_exceptions WHERE store_id = s.id)
	THEN '{(,)}'::tstzmultirange
	ELSE (
		SELECT COALESCE(range_agg(tstzrange(r.opens_at, r.closes_at)), '{}'::tstzmultirange)
		FROM (
			SELECT (d.day + h.opens) AT TIME ZONE s.timezone AS opens_at,
				(d.day + h.closes) AT TIME ZONE s.timezone AS closes_at
			FROM (SELECT (from_at AT TIME ZONE s.timezone)::date - 1 AS first_day) f
			CROSS JOIN LATERAL generate_series(0, (to_at AT TIME ZONE s.timezone)::date - f.first_day) i
			CROSS JOIN LATERAL (SELECT f.first_day + i AS day) d
			LEFT JOIN store_hour_exceptions e ON e.store_id = s.id AND e.date = d.day
			CROSS JOIN LATERAL (
				SELECT e.opens, e.closes WHERE e.date IS NOT NULL AND e.opens IS NOT NULL
				UNION ALL
				SELECT w.opens, w.closes FROM store_hours w
				WHERE e.date IS NULL AND w.store_id = s.id AND w.day = extract(isodow FROM d.day)
				UNION ALL
				-- Exceptions without weekly hours: every other day is open all day.
				SELECT time '00:00', time '24:00'
				WHERE e.date IS NULL AND NOT EXISTS (SELECT 1 FROM store_hours w WHERE w.store_id = s.id)
			) h
		) r
		WHERE r.opens_at < r.closes_at AND r.closes_at > from_at AND r.opens_at <= to_at
	)
END
FROM stores s WHERE s.id = store
$$;

-- store_open_at: whether the store is open at that instant; NULL for an
-- unknown store.
CREATE FUNCTION store_open_at(store uuid, at timestamptz)
RETURNS boolean LANGUAGE sql STABLE AS $$
SELECT at <@ store_open_ranges(store, at, at)
$$;

-- store_opens_at: when a store closed at that instant next opens, within 14
-- days; NULL when it is open then, never opens in those 14 days, or is unknown.
CREATE FUNCTION store_opens_at(store uuid, at timestamptz)
RETURNS timestamptz LANGUAGE sql STABLE AS $$
SELECT CASE WHEN NOT at <@ m THEN (
	SELECT min(lower(r)) FROM unnest(m) r
	WHERE lower(r) > at AND lower(r) <= at + interval '14 days'
) END
FROM store_open_ranges(store, at, at + interval '14 days') m
$$;
