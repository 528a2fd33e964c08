-- Abuse limits: token buckets shared by every replica, and the client
-- address a hold was placed from.

-- One bucket per key (an action by a shopper, or by a client address), kept
-- as a "theoretical arrival time" (GCRA): an action is allowed while tat is
-- no further ahead of now than the bucket's tolerance, and each allowed
-- action moves tat on by one interval. One row, one guarded upsert per
-- check; a row whose tat has passed is the same as no row, so the sweep
-- deletes it.
CREATE TABLE rate_buckets (
	key       text PRIMARY KEY,
	tat       timestamptz NOT NULL,
	tolerance interval NOT NULL
);
CREATE INDEX rate_buckets_tat_idx ON rate_buckets (tat);

-- Where a shopper's hold came from (an IPv4 address or an IPv6 /64), for the
-- daily cap on units of one product per address and store. Cleared once the
-- day it counts for is over.
ALTER TABLE holds ADD COLUMN client_key text CHECK (length(client_key) <= 64);
CREATE INDEX holds_client_idx ON holds (store_id, sku, client_key, created_at) WHERE client_key IS NOT NULL;
