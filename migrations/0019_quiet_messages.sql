-- A message written by a statement that announces its changes itself once
-- committed (helpforce.notify set to 'after_commit', see 0010) no longer
-- notifies from its trigger, as requests, timers and alerts already do: a
-- conversation's messages then commit without taking PostgreSQL's
-- notification lock, one transaction at a time.

DROP TRIGGER request_messages_added ON request_messages;
CREATE TRIGGER request_messages_added AFTER INSERT ON request_messages
	FOR EACH ROW WHEN (current_setting('helpforce.notify', true) IS DISTINCT FROM 'after_commit')
	EXECUTE FUNCTION notify_message_added();
