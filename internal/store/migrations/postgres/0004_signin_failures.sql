-- Failed sign-ins, one row each, for the sliding-window throttle: keyed
-- by account + address pair or by address alone; successes are never
-- recorded. Rows older than the window are deleted.
CREATE TABLE signin_failures (
    key TEXT NOT NULL,
    at  BIGINT NOT NULL
);
CREATE INDEX signin_failures_key_at ON signin_failures (key, at);
