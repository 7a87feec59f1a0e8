-- Accounts: the local professionals. login is the N° d'Assurance Maladie.
CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    login         TEXT NOT NULL UNIQUE,
    given_name    TEXT NOT NULL DEFAULT '',
    family_name   TEXT NOT NULL DEFAULT '',
    profession    TEXT NOT NULL DEFAULT '',
    rpps          TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL
);

-- Identities of an authority (psc idNat, hin hin_id) linked to an account.
CREATE TABLE identities (
    provider   TEXT NOT NULL,
    subject    TEXT NOT NULL,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    linked_at  INTEGER NOT NULL,
    PRIMARY KEY (provider, subject)
);
CREATE INDEX identities_account ON identities(account_id);

-- French patients, as the demo's local data.
CREATE TABLE patients (
    nir            TEXT PRIMARY KEY,
    nir_key        TEXT NOT NULL,
    sex            TEXT NOT NULL,
    family_name    TEXT NOT NULL,
    usage_name     TEXT NOT NULL DEFAULT '',
    given_names    TEXT NOT NULL,
    birth_date     TEXT NOT NULL,
    birth_place    TEXT NOT NULL DEFAULT '',
    address_line   TEXT NOT NULL DEFAULT '',
    postal_code    TEXT NOT NULL DEFAULT '',
    city           TEXT NOT NULL DEFAULT '',
    regime         TEXT NOT NULL DEFAULT '',
    fund_code      TEXT NOT NULL DEFAULT '',
    fund_name      TEXT NOT NULL DEFAULT '',
    rights_until   TEXT NOT NULL DEFAULT '',
    complementary  TEXT NOT NULL DEFAULT '',
    long_term      INTEGER NOT NULL DEFAULT 0,
    attending      TEXT NOT NULL DEFAULT '',
    updated_at     INTEGER NOT NULL
);

-- The audit trail of patient lookups: personal health data, kept.
CREATE TABLE lookups (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    at         INTEGER NOT NULL, -- unix milliseconds
    kind       TEXT NOT NULL,
    identifier TEXT NOT NULL,
    outcome    TEXT NOT NULL
);
CREATE INDEX lookups_account_at ON lookups(account_id, at DESC);

-- Sign-ins in flight at an authority (state, nonce, PKCE verifier).
CREATE TABLE pending_logins (
    state         TEXT PRIMARY KEY,
    authority     TEXT NOT NULL,
    browser       TEXT NOT NULL,
    nonce         TEXT NOT NULL DEFAULT '',
    code_verifier TEXT NOT NULL DEFAULT '',
    return_to     TEXT NOT NULL DEFAULT '',
    expires_at    INTEGER NOT NULL
);

-- Local sessions of a provider session, for back-channel logout.
CREATE TABLE provider_sessions (
    provider      TEXT NOT NULL,
    sid           TEXT NOT NULL DEFAULT '',
    subject       TEXT NOT NULL DEFAULT '',
    session_token TEXT NOT NULL PRIMARY KEY,
    expires_at    INTEGER NOT NULL
);
CREATE INDEX provider_sessions_sid ON provider_sessions(provider, sid);
CREATE INDEX provider_sessions_subject ON provider_sessions(provider, subject);

-- Encrypted token blobs (HIN user and service tokens).
CREATE TABLE tokens (
    key        TEXT PRIMARY KEY,
    ciphertext BLOB NOT NULL,
    updated_at INTEGER NOT NULL
);

-- Fixed-window counters of sign-in attempts.
CREATE TABLE rate_limits (
    key          TEXT PRIMARY KEY,
    window_start INTEGER NOT NULL,
    count        INTEGER NOT NULL
);

-- scs's sqlite3store table.
CREATE TABLE sessions (
    token  TEXT PRIMARY KEY,
    data   BLOB NOT NULL,
    expiry REAL NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions(expiry);
