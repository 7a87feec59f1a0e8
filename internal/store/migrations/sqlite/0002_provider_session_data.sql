-- What a provider session's sign-in said, read by the pages that need it
-- only (the logout, "Mes informations"): kept out of the session, which
-- every request decodes. id_token is sealed with the token box (NULL for
-- rows recorded before); claims is the profile JSON.
ALTER TABLE provider_sessions ADD COLUMN id_token BLOB;
ALTER TABLE provider_sessions ADD COLUMN claims TEXT NOT NULL DEFAULT '';
