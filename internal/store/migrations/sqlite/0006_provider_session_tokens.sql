-- A PSC sign-in's access and refresh tokens, for calls on the
-- professional's behalf: sealed together (one JSON, the token box, bound
-- to the session) beside the ID token, replaced at each refresh, gone
-- with the row at logout. NULL when the sign-in keeps none.
ALTER TABLE provider_sessions ADD COLUMN tokens BLOB;
