-- A conversation row is rewritten with every message. With last_at and oldest_item_at indexed, every rewrite put a
-- new entry in three indexes: in the webhook benchmark 13 rewrites of 7,000 were made in place, 4,500 without these
-- indexes. The daily retention job finds its rows with a scan instead (one row per user, once a day). Free room on
-- each page (fillfactor) lets PostgreSQL rewrite a row in place, and a body under 8 kB is stored as it is instead of
-- compressed at every write.
DROP INDEX conversations_last_at;
DROP INDEX conversations_oldest_item_at;
ALTER TABLE conversations SET (fillfactor = 50, toast_tuple_target = 8160);
