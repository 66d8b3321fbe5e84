-- 0007_sessions.sql - sessions of the web portal (gca serve; gca/users.h,
-- gca_session_*). A session is known by the SHA-256 of its token, so
-- that a copy of the database does not hand out live sessions; the token
-- itself exists only in the browser's cookie.
CREATE TABLE sessions (
    token_sha256 TEXT PRIMARY KEY CHECK (length(token_sha256) = 64),
    user_id      INTEGER NOT NULL REFERENCES users (id),
    csrf         TEXT NOT NULL CHECK (length(csrf) = 64),
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL
) STRICT;
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);
