-- 0002_audit_users.sql - the hash-chained audit log and the users with
-- their roles (issue 4, sections 2 and 4). The chain's byte recipe is in
-- docs/audit.md; src/store/audit.c and users.c are the only writers.

-- One row per state change, appended in the transaction of the change.
-- hash = hex(SHA-256(prev_hash as 32 bytes || canonical event)).
CREATE TABLE audit_events (
    seq       INTEGER PRIMARY KEY CHECK (seq >= 1),
    -- UTC, ISO 8601: 2026-11-23T10:21:00Z
    at        TEXT NOT NULL CHECK (at GLOB '[0-9][0-9][0-9][0-9]-'
        || '[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z'),
    actor     TEXT NOT NULL CHECK (actor <> ''),
    action    TEXT NOT NULL CHECK (action <> ''),
    object    TEXT NOT NULL CHECK (object <> ''),
    -- The event's data as canonical JSON (an object), hashed verbatim.
    payload   TEXT NOT NULL CHECK (json_valid(payload)),
    prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
    hash      TEXT NOT NULL UNIQUE CHECK (length(hash) = 64)
) STRICT;
CREATE INDEX audit_events_actor ON audit_events (actor);
CREATE INDEX audit_events_object ON audit_events (object);

-- Append-only for gca itself. Anyone with the file can drop these; the
-- hash chain is what shows it (gca audit verify).
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;

-- People who act on the store. A focal point acts for one country, so
-- it has one; no other role has.
CREATE TABLE users (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),
    role       TEXT NOT NULL
               CHECK (role IN ('admin', 'analyst', 'focal', 'viewer')),
    country    TEXT REFERENCES countries (iso3),
    -- libsodium crypto_pwhash_str (argon2id); NULL = cannot log in.
    pw_hash    TEXT CHECK (pw_hash IS NULL OR pw_hash LIKE '$argon2id$%'),
    disabled   INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at TEXT CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-'
        || '[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z'),
    CHECK ((role = 'focal') = (country IS NOT NULL))
) STRICT;
CREATE INDEX users_country ON users (country);
