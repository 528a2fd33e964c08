-- Accounts that are safe to run for years: forced password changes, idle
-- sessions, push subscriptions tied to the session that registered them, and
-- login attempts counted per account and address.

-- Set by an administrator's reset: the temporary password works once, to sign
-- in and choose a new one.
ALTER TABLE users ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;

-- Touched at most once a minute while the session is used; a staff session
-- unused for longer than the idle timeout stops working.
ALTER TABLE sessions ADD COLUMN last_used_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX sessions_user_idx ON sessions (user_id) WHERE user_id IS NOT NULL;

-- The session a device registered its subscription from: ending the session
-- (sign-out, sign-out everywhere, a password change, deactivation, expiry)
-- removes the device's subscription with it, so nobody signed out gets alerts.
ALTER TABLE push_subscriptions ADD COLUMN session_hash bytea REFERENCES sessions (token_hash) ON DELETE CASCADE;
CREATE INDEX push_subscriptions_session_idx ON push_subscriptions (session_hash) WHERE session_hash IS NOT NULL;

-- Login attempts per account and address. An attempt is counted before the
-- password is checked, in one guarded statement, so parallel guesses cannot
-- slip past together; each attempt beyond the free ones waits twice as long
-- as the one before. A success clears the row.
CREATE TABLE login_attempts (
	key       text PRIMARY KEY,
	attempts  integer NOT NULL CHECK (attempts > 0),
	last_at   timestamptz NOT NULL
);
CREATE INDEX login_attempts_last_idx ON login_attempts (last_at);
