-- Two lookups every request makes, made cheap.

-- A request's timers are read by the request: its next deadline once a
-- quiet transaction has set one, the reminders it has had, and deleting a
-- request. Without this index each read scanned every pending timer.
CREATE INDEX timers_request_idx ON timers (request_id);

-- store_open_at is asked on every creation. As a SQL function with
-- subqueries it cannot be inlined, so PostgreSQL planned its body again at
-- every call; in PL/pgSQL each connection plans it once. Same answers.
CREATE OR REPLACE FUNCTION store_open_at(store uuid, at timestamptz)
RETURNS boolean LANGUAGE plpgsql STABLE AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM store_hours WHERE store_id = store)
		OR EXISTS (SELECT 1 FROM store_hour_exceptions WHERE store_id = store) THEN
		RETURN at <@ store_open_ranges(store, at, at);
	END IF;
	IF EXISTS (SELECT 1 FROM stores WHERE id = store) THEN
		RETURN true;
	END IF;
	RETURN NULL;
END $$;
