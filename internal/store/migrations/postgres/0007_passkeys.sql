-- Passkeys (WebAuthn credentials) of local accounts.
--
-- passkey_users: an account's WebAuthn user handle, random (never the
-- login: authenticators keep it and hand it back), and whether the account
-- must prove itself with a passkey whatever the portal's policy.
CREATE TABLE passkey_users (
    account_id      BIGINT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    user_handle     BYTEA NOT NULL UNIQUE,
    require_passkey BOOLEAN NOT NULL DEFAULT FALSE
);

-- One row per registered credential. record is go-webauthn's credential
-- record (JSON: public key, flags, authenticator); sign_count is repeated
-- out of it so that a use is written only over the count it was checked
-- against. last_used_at is 0 until the first use.
CREATE TABLE passkeys (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id    BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    credential_id BYTEA NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    record        TEXT NOT NULL,
    sign_count    BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    last_used_at  BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX passkeys_account ON passkeys(account_id);

-- The audit trail of an account's own security: passkeys registered, used,
-- removed, reset. Kept with the account like the lookups.
CREATE TABLE security_events (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    at         BIGINT NOT NULL, -- unix milliseconds
    kind       TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX security_events_account_at ON security_events(account_id, at DESC);
