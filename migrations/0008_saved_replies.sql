-- Answers the remote team gives again and again, kept by admins.
CREATE TABLE saved_replies (
	id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	title      text NOT NULL CHECK (length(title) BETWEEN 1 AND 80),
	body       text NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
	updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX saved_replies_title_key ON saved_replies (lower(title));

INSERT INTO saved_replies (title, body) VALUES
	('Greeting', 'Hello, I''m from the Helpforce team. How can I help?'),
	('Checking stock', 'Let me check the stock in our stores near you — one moment.'),
	('Hold offer', 'I can put it aside for you to pick up today. Shall I?'),
	('Manager on the way', 'I''ve asked the store''s manager to come and help you in person.');
