-- 0001_init.sql - the store's first schema: migration bookkeeping, the
-- shipped frameworks, the country list and published results
-- (issue 4, section 1). Applied by src/store/migrate.c in one
-- transaction with its schema_migrations row. STRICT tables: SQLite 3.37+.

-- One row per applied migration file src/store/schema/NNNN_name.sql.
CREATE TABLE schema_migrations (
    version    INTEGER PRIMARY KEY CHECK (version > 0),
    name       TEXT NOT NULL CHECK (name <> ''),
    -- UTC, ISO 8601: 2026-11-23T10:21:00Z
    applied_at TEXT NOT NULL CHECK (applied_at GLOB '[0-9][0-9][0-9][0-9]-'
        || '[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z'),
    -- SHA-256 of the file in hex; NULL until the library has SHA-256.
    sql_sha    TEXT CHECK (sql_sha IS NULL OR length(sql_sha) = 64)
) STRICT;

-- Frameworks as their gca JSON text (docs/framework-format.md).
CREATE TABLE frameworks (
    code      TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 64),
    name      TEXT NOT NULL CHECK (name <> ''),
    source    TEXT NOT NULL CHECK (source <> ''),
    json      TEXT NOT NULL CHECK (json_valid(json)),
    json_len  INTEGER NOT NULL CHECK (json_len = length(CAST(json AS BLOB))),
    -- SHA-256 of json in hex; NULL until the library has SHA-256.
    sha256    TEXT CHECK (sha256 IS NULL OR length(sha256) = 64)
) STRICT;

-- ISO 3166-1 countries with UN M49 and ITU regions (data/countries.csv).
CREATE TABLE countries (
    iso3          TEXT PRIMARY KEY CHECK (iso3 GLOB '[A-Z][A-Z][A-Z]'),
    iso2          TEXT NOT NULL UNIQUE CHECK (iso2 GLOB '[A-Z][A-Z]'),
    iso_numeric   TEXT NOT NULL UNIQUE
                  CHECK (iso_numeric GLOB '[0-9][0-9][0-9]'),
    name          TEXT NOT NULL CHECK (name <> ''),
    official_name TEXT CHECK (official_name <> ''),
    m49_region    TEXT CHECK (m49_region <> ''),
    m49_subregion TEXT CHECK (m49_subregion <> ''),
    m49_intermediate_region TEXT CHECK (m49_intermediate_region <> ''),
    itu_region    TEXT CHECK (itu_region IN ('Africa', 'Americas',
                  'Arab States', 'Asia & Pacific', 'CIS', 'Europe')),
    itu_region_source TEXT CHECK (itu_region_source <> ''),
    CHECK ((itu_region IS NULL) = (itu_region_source IS NULL))
) STRICT;

-- Scores as an edition published them, per country and framework node;
-- a cell the source leaves empty has no row. rank only where published.
CREATE TABLE published_results (
    edition   TEXT NOT NULL CHECK (edition <> ''),
    framework TEXT NOT NULL REFERENCES frameworks (code),
    iso3      TEXT NOT NULL REFERENCES countries (iso3),
    node      TEXT NOT NULL CHECK (node <> ''),
    score     REAL NOT NULL,
    rank      INTEGER CHECK (rank >= 1),
    source    TEXT NOT NULL CHECK (source <> ''),
    PRIMARY KEY (edition, framework, iso3, node)
) STRICT;
CREATE INDEX published_results_framework ON published_results (framework);
CREATE INDEX published_results_iso3 ON published_results (iso3);
