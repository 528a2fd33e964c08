-- Photos in a request's conversation, product barcodes, and the language of
-- each push subscription.
--
-- Photos live in PostgreSQL so that every replica serves them. Each image is
-- decoded and encoded again before it is written, so the bytes kept here
-- carry no EXIF, GPS or other metadata from the phone. A photo is uploaded
-- first (message_id NULL) and linked to the message that shows it; only
-- its uploader may link it.
CREATE TABLE photos (
	id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	request_id  uuid NOT NULL REFERENCES help_requests (id) ON DELETE CASCADE,
	-- The user or shopper who uploaded it.
	uploader    uuid NOT NULL,
	message_id  bigint REFERENCES request_messages (id) ON DELETE CASCADE,
	width       integer NOT NULL CHECK (width BETWEEN 1 AND 1600),
	height      integer NOT NULL CHECK (height BETWEEN 1 AND 1600),
	image       bytea NOT NULL,
	thumb       bytea NOT NULL,
	created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX photos_request_idx ON photos (request_id, created_at);
CREATE INDEX photos_message_idx ON photos (message_id) WHERE message_id IS NOT NULL;

-- A message may be photos alone.
ALTER TABLE request_messages DROP CONSTRAINT request_messages_body_check;
ALTER TABLE request_messages ADD CONSTRAINT request_messages_body_check CHECK (length(body) <= 2000);

-- The retention sweep finds closed requests by when they closed.
CREATE INDEX help_requests_closed_idx ON help_requests (closed_at) WHERE closed_at IS NOT NULL;

-- The number under a product's barcode: EAN-8, or EAN-13 (a UPC-A is kept
-- as the EAN-13 a scanner also reads from it). The import checks the check
-- digit and refuses one number on two lines; it is not unique here, so that
-- an import may move a number from one product to another row by row.
ALTER TABLE products ADD COLUMN gtin text CHECK (gtin ~ '^([0-9]{8}|[0-9]{13})$');
CREATE INDEX products_gtin_idx ON products (store_id, gtin) WHERE gtin IS NOT NULL;

-- The language the app was in when it subscribed: alerts are written in it.
ALTER TABLE push_subscriptions ADD COLUMN lang text NOT NULL DEFAULT 'en' CHECK (lang IN ('en', 'fr'));
