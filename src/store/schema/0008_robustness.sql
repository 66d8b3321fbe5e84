-- 0008_robustness.sql - how robust a published edition's ranks are: the
-- uncertainty analysis (gca/sensitivity.h) that publication runs and
-- signs with the results (gca/workflow.h, gca_edition_robustness;
-- docs/workflow.md, "Robustness").

-- The edition's own spec of uncertain inputs (docs/method.md,
-- "Sensitivity"); NULL = the default: weights of every level below the
-- index perturbed by 25 %, 100 weight sets.
ALTER TABLE editions ADD COLUMN sensitivity_json TEXT
    CHECK (sensitivity_json IS NULL OR json_valid(sensitivity_json));

-- The analysis as run at publication.
CREATE TABLE edition_robustness_runs (
    edition   INTEGER PRIMARY KEY REFERENCES editions (id),
    spec_json TEXT NOT NULL CHECK (json_valid(spec_json)),
    n         INTEGER NOT NULL CHECK (n >= 1),
    seed      INTEGER NOT NULL,
    runs      INTEGER NOT NULL,
    failed    INTEGER NOT NULL,
    made_at   TEXT NOT NULL
) STRICT;

-- Per country: the rank interval (5th to 95th percentile over the runs)
-- and how often the country stayed in its published tier.
CREATE TABLE edition_robustness (
    edition     INTEGER NOT NULL REFERENCES editions (id),
    country     TEXT NOT NULL,
    ranked      INTEGER NOT NULL,
    rank_q5     REAL,
    rank_q95    REAL,
    rank_median REAL,
    rank_mean   REAL,
    tier        TEXT,    -- the published tier (edition_tiers)
    tier_prob   REAL,    -- share of the runs in that tier
    tier_probs  TEXT CHECK (tier_probs IS NULL OR json_valid(tier_probs)),
    PRIMARY KEY (edition, country)
) STRICT;
