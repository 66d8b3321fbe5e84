-- 0005_cirt.sql - the CIRT programme (issue 5, section 2; docs/cirt.md):
-- SIM3 assessments of teams, and analysts' records of a country's
-- national CIRT status. Both are written only with an audit event.

CREATE TABLE cirt_assessments (
    id          INTEGER PRIMARY KEY,
    team        TEXT NOT NULL CHECK (team <> '' AND length(team) <= 200),
    country     TEXT REFERENCES countries (iso3),
    assessed_on TEXT NOT NULL CHECK (assessed_on GLOB
                '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    assessor    TEXT NOT NULL CHECK (assessor <> '' AND
                length(assessor) <= 200),
    source      TEXT CHECK (length(source) <= 4000),
    note        TEXT CHECK (length(note) <= 4000),
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX cirt_assessments_team ON cirt_assessments (team, assessed_on);

-- One row per parameter of the SIM3 model; level NULL = not assessed.
CREATE TABLE cirt_assessment_levels (
    assessment INTEGER NOT NULL REFERENCES cirt_assessments (id),
    code       TEXT NOT NULL CHECK (code <> ''),
    level      INTEGER CHECK (level IS NULL OR level BETWEEN 0 AND 4),
    PRIMARY KEY (assessment, code)
) STRICT, WITHOUT ROWID;

-- An analyst's finding on a country; the newest wins over older ones and
-- over knowledge-base entries of kind national_cirt.
CREATE TABLE cirt_status_records (
    id          INTEGER PRIMARY KEY,
    iso3        TEXT NOT NULL REFERENCES countries (iso3),
    status      TEXT NOT NULL CHECK (status IN ('has', 'none')),
    team        TEXT CHECK (team IS NULL OR (status = 'has' AND
                length(team) <= 200)),
    source      TEXT NOT NULL CHECK (source <> '' AND length(source) <= 4000),
    evidence    TEXT CHECK (length(evidence) <= 4000),
    note        TEXT CHECK (length(note) <= 4000),
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
) STRICT;
CREATE INDEX cirt_status_records_iso3 ON cirt_status_records (iso3, id);
