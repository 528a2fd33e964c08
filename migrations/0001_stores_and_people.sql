-- Stores, their departments, the people who work there and the shoppers they help.

CREATE TABLE stores (
	id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
	timezone   text NOT NULL,
	address    text NOT NULL DEFAULT '',
	lat        double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
	lng        double precision NOT NULL CHECK (lng BETWEEN -180 AND 180),
	footprint  jsonb,
	radius_m   double precision NOT NULL DEFAULT 60 CHECK (radius_m > 0),
	cells      text[] NOT NULL DEFAULT '{}',
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE departments (
	store_id uuid NOT NULL REFERENCES stores (id) ON DELETE CASCADE,
	code     text NOT NULL CHECK (code ~ '^[a-z0-9][a-z0-9_-]{0,31}$'),
	name     text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
	PRIMARY KEY (store_id, code)
);

CREATE TABLE users (
	id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	email            text NOT NULL,
	name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
	role             text NOT NULL CHECK (role IN ('floor', 'manager', 'agent', 'admin')),
	store_id         uuid REFERENCES stores (id),
	password_hash    text NOT NULL,
	status           text NOT NULL DEFAULT 'off' CHECK (status IN ('available', 'busy', 'break', 'off')),
	active           boolean NOT NULL DEFAULT true,
	last_assigned_at timestamptz,
	created_at       timestamptz NOT NULL DEFAULT now(),
	-- Floor staff and managers belong to one store; agents and admins to none.
	CHECK ((role IN ('floor', 'manager')) = (store_id IS NOT NULL))
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_store_idx ON users (store_id) WHERE store_id IS NOT NULL;

CREATE TABLE user_departments (
	user_id  uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	store_id uuid NOT NULL,
	code     text NOT NULL,
	PRIMARY KEY (user_id, code),
	FOREIGN KEY (store_id, code) REFERENCES departments (store_id, code) ON DELETE CASCADE
);

CREATE TABLE shoppers (
	id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	created_at timestamptz NOT NULL DEFAULT now()
);

-- Only a hash of each token is kept: a leaked table does not leak sessions.
CREATE TABLE sessions (
	token_hash bytea PRIMARY KEY,
	user_id    uuid REFERENCES users (id) ON DELETE CASCADE,
	shopper_id uuid REFERENCES shoppers (id) ON DELETE CASCADE,
	csrf_token text NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL,
	CHECK ((user_id IS NULL) <> (shopper_id IS NULL))
);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

-- Fixed-window counters shared by every replica (login attempts, shopper sign-ups).
CREATE TABLE rate_limits (
	key          text NOT NULL,
	window_start timestamptz NOT NULL,
	hits         integer NOT NULL,
	PRIMARY KEY (key, window_start)
);

-- Small server-wide values, such as generated keys.
CREATE TABLE settings (
	key        text PRIMARY KEY,
	value      text NOT NULL,
	updated_at timestamptz NOT NULL DEFAULT now()
);
