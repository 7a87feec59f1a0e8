-- Passkeys (WebAuthn credentials) of local accounts.
--
-- passkey_users: an account's WebAuthn user handle, random (never the
-- login: authenticators keep it and hand it back), and whether the account
-- must prove itself with a passkey whatever the portal's policy.
CREATE TABLE passkey_users (
    account_id      INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    user_handle     BLOB NOT NULL UNIQUE,
    require_passkey INTEGER NOT NULL DEFAULT 0
);

-- One row per registered credential. record is go-webauthn's credential
-- record (JSON: public key, flags, authenticator); sign_count is repeated
-- out of it so that a use is written only over the count it was checked
-- against. last_used_at is 0 until the first use.
CREATE TABLE passkeys (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id    INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    credential_id BLOB NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    record        TEXT NOT NULL,
    sign_count    INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    last_used_at  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX passkeys_account ON passkeys(account_id);

-- The audit trail of an account's own security: passkeys registered, used,
-- removed, reset. Kept with the account like the lookups.
CREATE TABLE security_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    at         INTEGER NOT NULL, -- unix milliseconds
    kind       TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX security_events_account_at ON security_events(account_id, at DESC);
