-- The whole store in PostgreSQL. Bodies are JSONB in the shape of src/store/schema.ts (so snapshot() returns what
-- the embedded file holds); the columns beside them are copies of the fields that queries filter or sort on, and
-- are rewritten from the body on every write. Times are epoch milliseconds (bigint), as in the embedded file.

CREATE TABLE meta (
  key text PRIMARY KEY,
  value text NOT NULL
);

CREATE TABLE conversations (
  channel text NOT NULL,
  user_id text NOT NULL,
  -- max(lastUserMessageAt, transcript times) and min(transcript times): retention finds its rows without a scan.
  last_at bigint NOT NULL,
  oldest_item_at bigint,
  body jsonb NOT NULL,
  PRIMARY KEY (channel, user_id)
);
CREATE INDEX conversations_last_at ON conversations (last_at);
CREATE INDEX conversations_oldest_item_at ON conversations (oldest_item_at);

-- Ticket numbers are unique across instances; a rolled-back creation leaves a gap, never a duplicate.
CREATE SEQUENCE ticket_numbers AS integer;

CREATE TABLE tickets (
  id integer PRIMARY KEY,
  channel text NOT NULL,
  user_id text NOT NULL,
  status text NOT NULL,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  queued_replies boolean NOT NULL,
  erased boolean NOT NULL,
  body jsonb NOT NULL
);
CREATE INDEX tickets_user ON tickets (channel, user_id, id);
CREATE INDEX tickets_status ON tickets (status);
CREATE INDEX tickets_created_at ON tickets (created_at);
CREATE INDEX tickets_updated_at ON tickets (updated_at) WHERE NOT erased;
CREATE INDEX tickets_queued ON tickets (id) WHERE queued_replies;

CREATE TABLE users (
  id text PRIMARY KEY,
  -- Insertion order: users() lists accounts in the order they were created, like the embedded array.
  seq bigserial NOT NULL,
  username text NOT NULL UNIQUE,
  body jsonb NOT NULL
);

CREATE TABLE sessions (
  id text PRIMARY KEY,
  seq bigserial NOT NULL,
  user_id text NOT NULL,
  expires_at bigint NOT NULL,
  body jsonb NOT NULL
);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

CREATE TABLE audit (
  seq bigserial PRIMARY KEY,
  at bigint NOT NULL,
  ticket_id integer,
  body jsonb NOT NULL
);
CREATE INDEX audit_ticket ON audit (ticket_id, seq);

CREATE TABLE feedback (
  seq bigserial PRIMARY KEY,
  at bigint NOT NULL,
  channel text NOT NULL,
  user_id text NOT NULL,
  -- Erased feedback keeps its verdict without user and question: retention skips it.
  erased boolean NOT NULL,
  body jsonb NOT NULL
);
CREATE INDEX feedback_at ON feedback (at);
CREATE INDEX feedback_user ON feedback (channel, user_id);

CREATE TABLE delivery_failures (
  seq bigserial PRIMARY KEY,
  at bigint NOT NULL,
  channel text NOT NULL,
  user_id text NOT NULL,
  body jsonb NOT NULL
);
CREATE INDEX delivery_failures_user ON delivery_failures (channel, user_id);
CREATE INDEX delivery_failures_at ON delivery_failures (at);

CREATE TABLE proposals (
  entry_id text NOT NULL,
  question text NOT NULL,
  count integer NOT NULL,
  from_choice integer NOT NULL,
  from_officer integer NOT NULL,
  from_helpful integer NOT NULL,
  first_at bigint NOT NULL,
  last_at bigint NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'accepted', 'dismissed')),
  PRIMARY KEY (entry_id, question)
);
CREATE INDEX proposals_open_last_at ON proposals (last_at) WHERE status = 'open';

-- The inbound journal: the primary key on the platform's event id is the deduplication across instances. Finished
-- events lose their text at compaction and their row once the deduplication window is over.
CREATE TABLE inbound_events (
  id text PRIMARY KEY,
  seq bigserial NOT NULL,
  key text NOT NULL,
  at bigint NOT NULL,
  event jsonb,
  sends jsonb,
  sent integer NOT NULL DEFAULT 0,
  done_at bigint,
  held_channel text
);
CREATE INDEX inbound_events_pending ON inbound_events (seq) WHERE done_at IS NULL AND held_channel IS NULL;
CREATE INDEX inbound_events_pending_key ON inbound_events (key, seq) WHERE done_at IS NULL;
CREATE INDEX inbound_events_held ON inbound_events (held_channel) WHERE done_at IS NULL AND held_channel IS NOT NULL;
CREATE INDEX inbound_events_done ON inbound_events (at) WHERE done_at IS NOT NULL;

-- Who processes a user's events now. A lease past expires_at is free for anyone to take over; `token` tells the
-- holder's claim apart from a later claim by the same owner name.
CREATE TABLE user_leases (
  key text PRIMARY KEY,
  owner text NOT NULL,
  token text NOT NULL,
  expires_at bigint NOT NULL
);

CREATE TABLE zalo_tokens (
  id integer PRIMARY KEY CHECK (id = 1),
  version bigint NOT NULL,
  record jsonb NOT NULL
);

CREATE TABLE activity (
  seq bigserial PRIMARY KEY,
  at bigint NOT NULL,
  -- The Vietnam month (YYYY-MM) of `at`: retention rewrites pseudonyms month by month, like the monthly files.
  month text NOT NULL,
  ch text NOT NULL,
  u text NOT NULL,
  d text NOT NULL,
  v text NOT NULL,
  e text,
  s double precision NOT NULL
);
CREATE INDEX activity_at ON activity (at);
CREATE INDEX activity_month_u ON activity (month, u);

CREATE TABLE job_runs (
  name text PRIMARY KEY,
  started_at bigint NOT NULL,
  instance text NOT NULL
);

CREATE TABLE login_attempts (
  key text PRIMARY KEY,
  count integer NOT NULL,
  last_at bigint NOT NULL
);
CREATE INDEX login_attempts_last_at ON login_attempts (last_at);
