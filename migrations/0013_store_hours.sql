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

-- store_open_spans lists when a store is open, as spans of instants, over
-- every local day that [from_at, to_at] touches (a span may reach outside;
-- callers test membership or look for the next start). A store without any
-- hours has one span, from -infinity to infinity. It is one SELECT, so that
-- PostgreSQL inlines it into the query that joins it (LATERAL), and a list
-- of stores is planned as one join rather than a function call per store.
--
-- A local date and time becomes an instant through the store's zone with
-- PostgreSQL's rules: in the hour a spring change skips, a time is read with
-- the offset in force before the change (02:30 in Paris on the last Sunday of
-- March is 03:30 summer time); in the hour an autumn change repeats, with the
-- offset after it (standard time). A range that the skipped hour leaves empty
-- (02:00–02:30 on that night) is no span at all.
CREATE FUNCTION store_open_spans(store uuid, from_at timestamptz, to_at timestamptz)
RETURNS TABLE (opens_at timestamptz, closes_at timestamptz) LANGUAGE sql STABLE AS $$
SELECT r.opens_at, r.closes_at
FROM stores s
CROSS JOIN LATERAL (
	SELECT EXISTS (SELECT 1 FROM store_hours w WHERE w.store_id = s.id) AS weekly,
		EXISTS (SELECT 1 FROM store_hour_exceptions e WHERE e.store_id = s.id) AS exceptions,
		(from_at AT TIME ZONE s.timezone)::date - 1 AS first_day,
		(to_at AT TIME ZONE s.timezone)::date AS last_day
) k
CROSS JOIN LATERAL (
	SELECT timestamptz '-infinity', timestamptz 'infinity' WHERE NOT k.weekly AND NOT k.exceptions
	UNION ALL
	-- An exception date has its own range, or none when it is closed.
	SELECT (e.date + e.opens) AT TIME ZONE s.timezone, (e.date + e.closes) AT TIME ZONE s.timezone
	FROM store_hour_exceptions e
	WHERE e.store_id = s.id AND e.date BETWEEN k.first_day AND k.last_day AND e.opens IS NOT NULL
	UNION ALL
	-- Every other day has its weekly ranges; with exceptions but no weekly
	-- hours, every other day is open all day.
	SELECT (d.day + w.opens) AT TIME ZONE s.timezone, (d.day + w.closes) AT TIME ZONE s.timezone
	FROM (SELECT k.first_day + i AS day FROM generate_series(0, k.last_day - k.first_day) i) d
	JOIN (
		SELECT w.day, w.opens, w.closes FROM store_hours w WHERE w.store_id = s.id
		UNION ALL
		SELECT dow, time '00:00', time '24:00' FROM generate_series(1, 7) dow WHERE NOT k.weekly AND k.exceptions
	) w ON w.day = extract(isodow FROM d.day)::int
	WHERE NOT EXISTS (SELECT 1 FROM store_hour_exceptions x WHERE x.store_id = s.id AND x.date = d.day)
) r (opens_at, closes_at)
WHERE s.id = store AND r.opens_at < r.closes_at AND r.closes_at > from_at AND r.opens_at <= to_at
$$;

-- store_open_ranges is the same as one multirange, in which adjacent spans
-- (a day ending at 24:00, the next starting at 00:00) are merged. It is NULL
-- for an unknown store. Reports test each request's created_at against it.
CREATE FUNCTION store_open_ranges(store uuid, from_at timestamptz, to_at timestamptz)
RETURNS tstzmultirange LANGUAGE sql STABLE AS $$
SELECT (
	SELECT COALESCE(range_agg(tstzrange(p.opens_at, p.closes_at)), '{}'::tstzmultirange)
	FROM store_open_spans(s.id, from_at, to_at) p
)
FROM stores s WHERE s.id = store
$$;

-- store_open_state: whether a store is open at that instant and, when it is
-- closed, its next opening within 14 days (NULL when open or not opening in
-- that time); no row for an unknown store. Inlined like store_open_spans:
-- join it LATERAL to ask about many stores or requests in one statement.
CREATE FUNCTION store_open_state(store uuid, at timestamptz)
RETURNS TABLE (open_now boolean, opens_at timestamptz) LANGUAGE sql STABLE AS $$
SELECT at <@ o.m, (
	SELECT min(lower(r)) FROM unnest(o.m) r
	WHERE NOT at <@ o.m AND lower(r) > at AND lower(r) <= at + interval '14 days'
)
FROM stores s
CROSS JOIN LATERAL (
	SELECT COALESCE(range_agg(tstzrange(p.opens_at, p.closes_at)), '{}'::tstzmultirange) AS m
	FROM store_open_spans(s.id, at, at + interval '14 days') p
) o
WHERE s.id = store
$$;

-- store_open_at: whether the store is open at that instant; NULL for an
-- unknown store. A store without hours, the common case, is answered by
-- three index probes, without building its ranges.
CREATE FUNCTION store_open_at(store uuid, at timestamptz)
RETURNS boolean LANGUAGE sql STABLE AS $$
SELECT CASE
	WHEN EXISTS (SELECT 1 FROM store_hours WHERE store_id = store)
		OR EXISTS (SELECT 1 FROM store_hour_exceptions WHERE store_id = store)
	THEN at <@ store_open_ranges(store, at, at)
	WHEN EXISTS (SELECT 1 FROM stores WHERE id = store) THEN true
END
$$;

-- store_opens_at: when a store closed at that instant next opens, within 14
-- days; NULL when it is open then, never opens in those 14 days, or is unknown.
CREATE FUNCTION store_opens_at(store uuid, at timestamptz)
RETURNS timestamptz LANGUAGE sql STABLE AS $$
SELECT opens_at FROM store_open_state(store, at)
$$;
