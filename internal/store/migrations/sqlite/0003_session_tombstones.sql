-- A session ended (logout, back-channel logout, idle timeout) keeps its
-- row, emptied and marked ended, until its expiry: a request that loaded
-- the session before it ended cannot write it back, since a commit never
-- updates an ended row.
ALTER TABLE sessions ADD COLUMN ended INTEGER NOT NULL DEFAULT 0;

-- When a provider session's local session began (unix seconds; 0 for rows
-- recorded before): a back-channel logout by subject alone ends only the
-- sessions begun before its token was issued.
ALTER TABLE provider_sessions ADD COLUMN started_at INTEGER NOT NULL DEFAULT 0;

-- Back-channel logout tokens already acted upon, kept until they expire:
-- a replayed token is refused.
CREATE TABLE logout_tokens (
    issuer     TEXT NOT NULL,
    jti        TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (issuer, jti)
);
CREATE INDEX logout_tokens_expires ON logout_tokens(expires_at);
