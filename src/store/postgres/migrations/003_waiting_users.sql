-- The users with events waiting, one row each, oldest first: a claim picks from these (a few hundred rows at most)
-- instead of scanning every waiting event past the users other workers hold (thousands under a backlog).
-- Accepting an event adds its user; letting go of a user with nothing left removes it.
CREATE TABLE waiting_users (
  key text PRIMARY KEY,
  since_seq bigint NOT NULL
);
CREATE INDEX waiting_users_since ON waiting_users (since_seq);
INSERT INTO waiting_users (key, since_seq)
  SELECT key, min(seq) FROM inbound_events WHERE done_at IS NULL AND held_channel IS NULL GROUP BY key;
