-- A person offered a request who took another one first (both alerts came
-- at once, or they were helping someone and let it be) is reminded of it
-- once, when they are free again, if it still waits: the first alert is
-- long gone from their mind. reminded_at says it was done.
ALTER TABLE offers ADD COLUMN reminded_at timestamptz;

-- The open offer person holds of a waiting request that was made before
-- they last took a request (assigned: users.last_assigned_at), and that
-- they were not reminded of yet; the oldest, NULL for none. PL/pgSQL, so
-- that it is planned once per connection, not at every call: it is asked
-- for everyone an accept or a resolve may have freed.
CREATE FUNCTION offer_to_remind(person uuid, assigned timestamptz) RETURNS uuid
LANGUAGE plpgsql STABLE AS $$
BEGIN
	IF assigned IS NULL THEN
		RETURN NULL;
	END IF;
	RETURN (SELECT o.request_id FROM offers o JOIN help_requests w ON w.id = o.request_id
		WHERE o.user_id = person AND o.answer IS NULL AND o.reminded_at IS NULL AND o.offered_at < assigned
		  AND w.status = 'waiting'
		ORDER BY o.offered_at LIMIT 1);
END $$;
