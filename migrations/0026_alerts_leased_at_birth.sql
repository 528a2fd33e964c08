-- Queues one alert ({payload, urgency, topic, ttl_s}, as notify.Message.JSON
-- renders it) for each of the push subscriptions, as queue_alert does, but
-- already leased for lease_s seconds to the replica whose statement queues
-- it: that replica sends it as soon as its transaction commits, with no
-- claim of the outbox in between, and no other replica takes it before the
-- lease runs out (as after a claim, a replica that dies first leaves it to
-- be sent then). Returns the rows as the push workers send them, a JSON
-- array of {id, payload, urgency, topic, ttl_s, expires_at, attempts,
-- subscription_id, endpoint, p256dh, auth, lang}. A lease of 0 queues them
-- due at once, for any replica's claim. PL/pgSQL, so that the insert is
-- planned once per connection, not at every call.
CREATE FUNCTION queue_alert_leased(alert jsonb, subscriptions bigint[], lease_s float8) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	leased jsonb;
BEGIN
	IF alert IS NULL OR COALESCE(cardinality(subscriptions), 0) = 0 THEN
		RETURN '[]';
	END IF;
	WITH queued AS (
		INSERT INTO push_outbox (subscription_id, payload, urgency, topic, ttl_s, expires_at, due_at, attempts)
		SELECT s, a.payload, a.urgency, a.topic, a.ttl_s, now() + a.ttl_s * interval '1 second',
			now() + lease_s * interval '1 second', CASE WHEN lease_s > 0 THEN 1 ELSE 0 END
		FROM unnest(subscriptions) s, jsonb_to_record(alert) AS a(payload text, urgency text, topic text, ttl_s integer)
		RETURNING id, subscription_id, payload, urgency, topic, ttl_s, expires_at, attempts
	)
	SELECT jsonb_agg(jsonb_build_object('id', q.id, 'payload', q.payload, 'urgency', q.urgency, 'topic', q.topic,
		'ttl_s', q.ttl_s, 'expires_at', q.expires_at, 'attempts', q.attempts, 'subscription_id', q.subscription_id,
		'endpoint', s.endpoint, 'p256dh', s.p256dh, 'auth', s.auth, 'lang', s.lang) ORDER BY q.id)
	INTO leased
	FROM queued q JOIN push_subscriptions s ON s.id = q.subscription_id;
	RETURN COALESCE(leased, '[]');
END $$;
