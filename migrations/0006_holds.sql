-- Holds for pickup and the product search behind them.

-- Both extensions ship with PostgreSQL's contrib and are trusted (PostgreSQL
-- 13+): a database owner may create them without being a superuser.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

-- unaccent() is only STABLE, because its dictionary could be swapped; naming
-- the dictionary makes the result fixed, so it can be stored and indexed.
-- Searches fold their words with the same function.
CREATE FUNCTION search_fold(text) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
	AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;

-- The name as searched: lower case, without accents. Stored, because a SQL
-- function call per row and per condition would cost a search more than
-- its index scans do.
ALTER TABLE products ADD COLUMN search_name text GENERATED ALWAYS AS (search_fold(name)) STORED;

CREATE INDEX products_name_trgm_idx ON products USING gin (search_name gin_trgm_ops);
CREATE INDEX products_sku_prefix_idx ON products (store_id, lower(sku) text_pattern_ops);
-- Listing a store's products by name, with no search words.
CREATE INDEX products_store_name_idx ON products (store_id, search_name, sku);

-- A hold changes only held, which no index covers: leaving room on each page
-- lets those updates stay heap-only (HOT) on a hot SKU.
ALTER TABLE products SET (fillfactor = 85);

CREATE TABLE holds (
	id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	store_id          uuid NOT NULL,
	sku               text NOT NULL,
	-- The name when the hold was placed: what the shopper was promised.
	product_name      text NOT NULL,
	quantity          integer NOT NULL CHECK (quantity > 0),
	status            text NOT NULL DEFAULT 'active'
		CHECK (status IN ('active', 'ready', 'picked_up', 'cancelled', 'expired')),
	pickup_code       text NOT NULL CHECK (pickup_code ~ '^[ACDEFHJKMNPRTUVWXY3479]{6}$'),
	-- Whose hold it is; none when staff hold stock for the store itself.
	shopper_id        uuid REFERENCES shoppers (id) ON DELETE SET NULL,
	help_request_id   uuid REFERENCES help_requests (id) ON DELETE SET NULL,
	-- Who placed it: the caller an Idempotency-Key belongs to.
	placed_by_user    uuid REFERENCES users (id),
	placed_by_shopper uuid REFERENCES shoppers (id) ON DELETE SET NULL,
	idempotency_key   text CHECK (length(idempotency_key) BETWEEN 1 AND 200),
	-- The hold's deadline is also its expiry timer (see holds_due_idx).
	expires_at        timestamptz NOT NULL,
	created_at        timestamptz NOT NULL DEFAULT now(),
	ready_at          timestamptz,
	picked_up_at      timestamptz,
	picked_up_by      uuid REFERENCES users (id),
	closed_at         timestamptz,
	FOREIGN KEY (store_id, sku) REFERENCES products (store_id, sku) ON DELETE CASCADE,
	CHECK (status <> 'ready' OR ready_at IS NOT NULL),
	CHECK (status <> 'picked_up' OR picked_up_at IS NOT NULL),
	CHECK (status IN ('active', 'ready') OR closed_at IS NOT NULL),
	UNIQUE (placed_by_user, idempotency_key),
	UNIQUE (placed_by_shopper, idempotency_key)
);

-- A code names one open hold at its store; a closed hold frees its code.
CREATE UNIQUE INDEX holds_open_code_idx ON holds (store_id, pickup_code) WHERE status IN ('active', 'ready');
-- The expiry worker's queue: open holds by deadline.
CREATE INDEX holds_due_idx ON holds (expires_at) WHERE status IN ('active', 'ready');
CREATE INDEX holds_store_idx ON holds (store_id, created_at);
CREATE INDEX holds_store_open_idx ON holds (store_id, created_at) WHERE status IN ('active', 'ready');
CREATE INDEX holds_shopper_idx ON holds (shopper_id, created_at) WHERE shopper_id IS NOT NULL;
CREATE INDEX holds_request_idx ON holds (help_request_id) WHERE help_request_id IS NOT NULL;

-- Any change to a hold tells every replica its id and store: expiry workers
-- wake to a new deadline, live screens re-read the hold.
CREATE FUNCTION notify_hold_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('helpforce_holds', NEW.id::text || ' ' || NEW.store_id::text);
	RETURN NULL;
END $$;
CREATE TRIGGER holds_changed AFTER INSERT OR UPDATE ON holds
	FOR EACH ROW EXECUTE FUNCTION notify_hold_changed();
