-- 0004_kb.sql - the knowledge base (issue 5, section 1): initiatives,
-- legal instruments, organisations, national CIRTs, standards, norms and
-- rights measures, each with its source, and their full-text index
-- (SQLite FTS5). Field rules: docs/kb.md; include/gca/kb.h.

CREATE TABLE kb_entries (
    rowid     INTEGER PRIMARY KEY,
    id        TEXT NOT NULL UNIQUE CHECK (length(id) BETWEEN 1 AND 80),
    kind      TEXT NOT NULL CHECK (kind IN ('initiative', 'legal_instrument',
              'organisation', 'national_cirt', 'standard', 'norm',
              'rights_measure')),
    subtype   TEXT NOT NULL DEFAULT '',
    title     TEXT NOT NULL CHECK (title <> '' AND length(title) <= 500),
    summary   TEXT NOT NULL DEFAULT '' CHECK (length(summary) <= 4000),
    -- ';'-separated lists, also kept one row per item below for filters.
    pillars   TEXT NOT NULL DEFAULT '',
    countries TEXT NOT NULL DEFAULT '',
    region    TEXT NOT NULL DEFAULT '',
    year      INTEGER CHECK (year IS NULL OR year BETWEEN 1900 AND 2099),
    status    TEXT NOT NULL DEFAULT '',
    url       TEXT NOT NULL DEFAULT '',
    source    TEXT NOT NULL CHECK (source <> ''),
    retrieved TEXT NOT NULL DEFAULT '' CHECK (retrieved = '' OR retrieved
              GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    note      TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
    -- "shipped" or the name of the file the entry was imported from.
    origin    TEXT NOT NULL CHECK (origin <> ''),
    updated_at TEXT NOT NULL,
    CHECK (kind <> 'rights_measure' OR (subtype IN ('lawful_access_e2ee',
           'encryption_restriction', 'data_retention',
           'subscriber_id_registration', 'routing_restriction', 'shutdown')
           AND status IN ('in_force', 'proposed', 'repealed',
           'struck_down'))),
    CHECK (kind <> 'national_cirt' OR status IN ('has', 'none'))
) STRICT;
CREATE INDEX kb_entries_kind ON kb_entries (kind, year);

CREATE TABLE kb_entry_countries (
    entry INTEGER NOT NULL REFERENCES kb_entries (rowid) ON DELETE CASCADE,
    iso3  TEXT NOT NULL REFERENCES countries (iso3),
    PRIMARY KEY (iso3, entry)
) STRICT, WITHOUT ROWID;
CREATE INDEX kb_entry_countries_entry ON kb_entry_countries (entry);

CREATE TABLE kb_entry_pillars (
    entry  INTEGER NOT NULL REFERENCES kb_entries (rowid) ON DELETE CASCADE,
    pillar TEXT NOT NULL CHECK (pillar IN ('LEG', 'TEC', 'ORG', 'CAP', 'COO')),
    PRIMARY KEY (pillar, entry)
) STRICT, WITHOUT ROWID;
CREATE INDEX kb_entry_pillars_entry ON kb_entry_pillars (entry);

-- External-content FTS5 index over the text columns, kept in step by
-- the triggers below. Diacritics folded ("Côte" finds "Cote").
CREATE VIRTUAL TABLE kb_fts USING fts5(
    title, summary, subtype, region, note,
    content = 'kb_entries', content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2');

CREATE TRIGGER kb_entries_ai AFTER INSERT ON kb_entries BEGIN
    INSERT INTO kb_fts (rowid, title, summary, subtype, region, note)
    VALUES (new.rowid, new.title, new.summary, new.subtype, new.region,
            new.note);
END;
CREATE TRIGGER kb_entries_ad AFTER DELETE ON kb_entries BEGIN
    INSERT INTO kb_fts (kb_fts, rowid, title, summary, subtype, region, note)
    VALUES ('delete', old.rowid, old.title, old.summary, old.subtype,
            old.region, old.note);
END;
CREATE TRIGGER kb_entries_au AFTER UPDATE ON kb_entries BEGIN
    INSERT INTO kb_fts (kb_fts, rowid, title, summary, subtype, region, note)
    VALUES ('delete', old.rowid, old.title, old.summary, old.subtype,
            old.region, old.note);
    INSERT INTO kb_fts (rowid, title, summary, subtype, region, note)
    VALUES (new.rowid, new.title, new.summary, new.subtype, new.region,
            new.note);
END;
