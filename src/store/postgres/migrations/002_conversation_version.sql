-- A conversation is changed several times per message (the user's line, the bot's state, the reply's lines). Each
-- change reads the row and writes it back only if nobody changed it meanwhile (the version): two round trips and no
-- lock held across them, instead of a transaction with SELECT … FOR UPDATE.
ALTER TABLE conversations ADD COLUMN version bigint NOT NULL DEFAULT 0;
