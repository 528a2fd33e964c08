-- Each replica keeps the sessions it has just read in memory
-- (people/sessioncache.go). Whatever would make a kept session wrong is
-- announced on helpforce_sessions, so that every replica forgets it: a
-- session ended, a session's idle clock or expiry set back, or a change
-- to what a session carries of its account.

-- Sessions ended: each by its token's hash, or all of them when one
-- statement ended many (the sweep, an account deleted with its sessions).
CREATE FUNCTION announce_sessions_ended() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF (SELECT count(*) FROM ended) > 100 THEN
		PERFORM pg_notify('helpforce_sessions', '*');
	ELSE
		PERFORM pg_notify('helpforce_sessions', 't:' || encode(token_hash, 'hex')) FROM ended;
	END IF;
	RETURN NULL;
END $$;

CREATE TRIGGER sessions_ended AFTER DELETE ON sessions
	REFERENCING OLD TABLE AS ended FOR EACH STATEMENT EXECUTE FUNCTION announce_sessions_ended();

CREATE FUNCTION announce_session_set_back() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('helpforce_sessions', 't:' || encode(NEW.token_hash, 'hex'));
	RETURN NULL;
END $$;

-- Recording use moves last_used_at forward and announces nothing.
CREATE TRIGGER sessions_set_back AFTER UPDATE ON sessions FOR EACH ROW
	WHEN (NEW.last_used_at < OLD.last_used_at OR NEW.expires_at < OLD.expires_at)
	EXECUTE FUNCTION announce_session_set_back();

CREATE FUNCTION announce_account_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('helpforce_sessions', 'u:' || NEW.id);
	RETURN NULL;
END $$;

-- Presence, load and offers change all day and are not what a session
-- carries; they announce nothing here.
CREATE TRIGGER users_account_changed AFTER UPDATE ON users FOR EACH ROW
	WHEN ((OLD.email, OLD.name, OLD.role, OLD.store_id, OLD.active, OLD.must_change_password)
		IS DISTINCT FROM (NEW.email, NEW.name, NEW.role, NEW.store_id, NEW.active, NEW.must_change_password))
	EXECUTE FUNCTION announce_account_changed();
