-- A session ended (logout, back-channel logout, idle timeout) keeps its
-- row, emptied and marked ended, until its expiry: a request that loaded
-- the session before it ended cannot write it back, since a commit never
-- updates an ended row.
ALTER TABLE sessions ADD COLUMN ended INTEGER NOT NULL DEFAULT 0;

-- When a provider session's local session began (unix seconds; 0 for rows
-- recorded before): a back-channel logout by subject alone ends only the
-- sessions begun before its token was issued.
ALTER TABLE provider_sessions ADD COLUMN started_at BIGINT NOT NULL DEFAULT 0;

-- Back-channel logout tokens already acted upon, kept until they expire:
-- a replayed token is refused.
CREATE TABLE logout_tokens (
    issuer     TEXT NOT NULL,
    jti        TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (issuer, jti)
);
CREATE INDEX logout_tokens_expires ON logout_tokens(expires_at);

-- Every instance caches the sessions it reads (internal/store/sessionlisten.go):
-- each session row changed is named on this channel, "end:<token>" when
-- the session ends, "chg:<token>" otherwise, and every instance forgets it.
CREATE FUNCTION infopatient_session_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.ended = 1 AND OLD.ended = 0 THEN
        PERFORM pg_notify('infopatient_sessions', 'end:' || OLD.token);
    ELSE
        PERFORM pg_notify('infopatient_sessions', 'chg:' || OLD.token);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER sessions_changed AFTER UPDATE OR DELETE ON sessions
    FOR EACH ROW EXECUTE FUNCTION infopatient_session_changed();

-- The instances listening, each beating every 10 s: an instance ending a
-- session waits until every live one has forgotten it.
CREATE TABLE session_listeners (
    id   TEXT PRIMARY KEY,
    seen BIGINT NOT NULL
);
