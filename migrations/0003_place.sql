-- Every replica keeps the place index in memory; this tells them all when a
-- store's area changes. The payload is the store id only.
CREATE FUNCTION notify_store_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('helpforce_stores', COALESCE(NEW.id, OLD.id)::text);
	RETURN NULL;
END $$;

CREATE TRIGGER stores_changed AFTER INSERT OR UPDATE OR DELETE ON stores
	FOR EACH ROW EXECUTE FUNCTION notify_store_changed();

-- A spot is a QR code on a shelf: it names the store and the department exactly.
CREATE TABLE spots (
	code       text PRIMARY KEY CHECK (code ~ '^[23456789abcdefghjkmnpqrstuvwxyz]{12}$'),
	store_id   uuid NOT NULL,
	department text NOT NULL,
	label      text NOT NULL CHECK (length(label) BETWEEN 1 AND 80),
	created_at timestamptz NOT NULL DEFAULT now(),
	FOREIGN KEY (store_id, department) REFERENCES departments (store_id, code) ON DELETE CASCADE
);
CREATE INDEX spots_store_idx ON spots (store_id, label);
