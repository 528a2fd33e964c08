-- A shopper's open requests are counted on the shopper's row, kept by a
-- trigger as requests open and close. Creation locks that row and reads the
-- count in the statement that inserts: a lock waited for re-reads the row,
-- so the cap on open requests holds however many a shopper sends at once.

ALTER TABLE shoppers ADD COLUMN open_requests integer NOT NULL DEFAULT 0 CHECK (open_requests >= 0);

UPDATE shoppers s SET open_requests = (SELECT count(*) FROM help_requests r
	WHERE r.shopper_id = s.id AND r.status IN ('waiting', 'assigned'));

CREATE FUNCTION count_open_requests() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	was_open boolean := TG_OP <> 'INSERT' AND OLD.status IN ('waiting', 'assigned');
	now_open boolean := TG_OP <> 'DELETE' AND NEW.status IN ('waiting', 'assigned');
BEGIN
	IF was_open <> now_open THEN
		UPDATE shoppers SET open_requests = open_requests + CASE WHEN now_open THEN 1 ELSE -1 END
		WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.shopper_id ELSE NEW.shopper_id END;
	END IF;
	RETURN NULL;
END $$;

CREATE TRIGGER help_requests_count_open AFTER INSERT OR DELETE OR UPDATE OF status ON help_requests
	FOR EACH ROW EXECUTE FUNCTION count_open_requests();
