-- 0003_workflow.sql - the questionnaire workflow (issue 4, section 3):
-- editions of a framework, answers per country and question with their
-- review state, evidence (URLs and files kept by SHA-256 in the blob
-- directory) and the scores of an edition. The rules are in
-- docs/workflow.md; the review history of an answer is its audit events
-- (object "edition/CODE/answer/ISO3/QUESTION"), not a second table.

-- One run of the questionnaire for a framework. The framework's JSON is
-- copied in at creation, so that later changes to the frameworks table
-- never change what an edition asked or how it scores.
CREATE TABLE editions (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 80),
    framework     TEXT NOT NULL REFERENCES frameworks (code),
    year          INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 9999),
    state         TEXT NOT NULL
                  CHECK (state IN ('draft', 'open', 'closed', 'published')),
    framework_json TEXT NOT NULL CHECK (json_valid(framework_json)),
    framework_sha256 TEXT NOT NULL CHECK (length(framework_sha256) = 64),
    -- The edition's method (weights, steps) as gca method JSON; NULL =
    -- the framework's own default method.
    method_json   TEXT CHECK (method_json IS NULL OR json_valid(method_json)),
    created_at    TEXT NOT NULL,
    opened_at     TEXT,
    closed_at     TEXT,
    published_at  TEXT,
    -- When the stored scores were computed; NULL = not scored, or an
    -- approved answer changed since.
    scored_at     TEXT,
    UNIQUE (framework, year)
) STRICT;

-- What a country answered (or an analyst recorded from open sources) to
-- one question of an edition.
CREATE TABLE answers (
    id          INTEGER PRIMARY KEY,
    edition     INTEGER NOT NULL REFERENCES editions (id),
    country     TEXT NOT NULL REFERENCES countries (iso3),
    question    TEXT NOT NULL CHECK (question <> ''),
    -- The indicator (framework node) the question belongs to.
    indicator   TEXT NOT NULL CHECK (indicator <> ''),
    -- Canonical text of the answer: "yes", "partial", a choice value, or
    -- a number as %.17g. NULL = no value yet.
    value       TEXT,
    comment     TEXT CHECK (comment IS NULL OR length(comment) <= 4000),
    state       TEXT NOT NULL CHECK (state IN ('draft', 'submitted',
                'returned', 'resubmitted', 'approved')),
    source      TEXT NOT NULL CHECK (source IN ('country', 'analyst')),
    -- Analyst-sourced answers: when the country's focal point confirmed.
    confirmed_by TEXT,
    confirmed_at TEXT,
    -- The last review comment (a return needs one).
    review_comment TEXT CHECK (review_comment IS NULL
                               OR length(review_comment) <= 4000),
    updated_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    -- 1 on creation, +1 on every change.
    version     INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    UNIQUE (edition, country, question),
    CHECK (state = 'draft' OR state = 'returned' OR value IS NOT NULL)
) STRICT;
CREATE INDEX answers_country ON answers (edition, country);
CREATE INDEX answers_state ON answers (edition, state);

-- Files kept in the blob directory under their SHA-256 (never
-- overwritten: the same content is the same file).
CREATE TABLE blobs (
    sha256     TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    size       INTEGER NOT NULL CHECK (size > 0),
    mime       TEXT NOT NULL CHECK (mime <> ''),
    created_at TEXT NOT NULL
) STRICT;

-- Evidence for an answer: a URL with its retrieval date (and optionally
-- a snapshot of the page as a blob) or a file (a blob).
CREATE TABLE evidence (
    id          INTEGER PRIMARY KEY,
    edition     INTEGER NOT NULL REFERENCES editions (id),
    country     TEXT NOT NULL REFERENCES countries (iso3),
    question    TEXT NOT NULL CHECK (question <> ''),
    kind        TEXT NOT NULL CHECK (kind IN ('url', 'file')),
    url         TEXT CHECK (url IS NULL OR length(url) <= 2048),
    -- The day the URL was read, YYYY-MM-DD.
    retrieved   TEXT CHECK (retrieved IS NULL OR retrieved GLOB
                '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    blob        TEXT REFERENCES blobs (sha256),
    file_name   TEXT CHECK (file_name IS NULL OR length(file_name) <= 255),
    visibility  TEXT NOT NULL CHECK (visibility IN ('public', 'restricted')),
    note        TEXT CHECK (note IS NULL OR length(note) <= 4000),
    added_by    TEXT NOT NULL,
    added_at    TEXT NOT NULL,
    CHECK ((kind = 'url') = (url IS NOT NULL AND retrieved IS NOT NULL)),
    CHECK (kind = 'url' OR blob IS NOT NULL)
) STRICT;
CREATE INDEX evidence_answer ON evidence (edition, country, question);

-- Scores of an edition (gca score): one row per country and framework
-- node, the rank among the scored countries, and the tier of the top
-- node. Replaced as a whole by each scoring run.
CREATE TABLE edition_scores (
    edition  INTEGER NOT NULL REFERENCES editions (id),
    country  TEXT NOT NULL REFERENCES countries (iso3),
    node     TEXT NOT NULL CHECK (node <> ''),
    score    REAL,
    rank     INTEGER CHECK (rank IS NULL OR rank >= 1),
    PRIMARY KEY (edition, country, node)
) STRICT;
CREATE TABLE edition_tiers (
    edition  INTEGER NOT NULL REFERENCES editions (id),
    country  TEXT NOT NULL REFERENCES countries (iso3),
    tier     TEXT,
    PRIMARY KEY (edition, country)
) STRICT;
