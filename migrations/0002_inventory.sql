-- What each store has on its shelves. available = on_hand - held, never below zero.

CREATE TABLE products (
	store_id   uuid NOT NULL REFERENCES stores (id) ON DELETE CASCADE,
	sku        text NOT NULL CHECK (length(sku) BETWEEN 1 AND 64),
	name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	price      numeric(12, 2) CHECK (price >= 0),
	on_hand    integer NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
	held       integer NOT NULL DEFAULT 0 CHECK (held >= 0),
	updated_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (store_id, sku)
);
