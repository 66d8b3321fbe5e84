#!/usr/bin/env python3
# evidence_setup.py DB [STATE] - after `gca db init --db DB`: users
# admin, ana (analyst), fred (focal FRA), gina (focal DEU), vic (viewer),
# and edition gci-2026 of the shipped GCI framework in STATE (default
# open), written with sqlite3 directly because the CLI cannot create
# users or editions yet. The edition row is what gca_edition_create
# writes: the framework's JSON copied in, with its SHA-256.
import hashlib
import sqlite3
import sys

db = sys.argv[1]
state = sys.argv[2] if len(sys.argv) > 2 else "open"
con = sqlite3.connect(db)
now = "2026-01-01T00:00:00Z"
for name, role, country in [("admin", "admin", None), ("ana", "analyst", None),
                            ("fred", "focal", "FRA"), ("gina", "focal", "DEU"),
                            ("vic", "viewer", None)]:
    con.execute("INSERT INTO users (name, role, country, created_at) "
                "VALUES (?, ?, ?, ?)", (name, role, country, now))
code, fw = con.execute("SELECT code, json FROM frameworks "
                       "WHERE lower(code) = 'gci'").fetchone()
con.execute("INSERT INTO editions (code, framework, year, state, "
            "framework_json, framework_sha256, created_at, opened_at) "
            "VALUES ('gci-2026', ?, 2026, ?, ?, ?, ?, ?)",
            (code, state, fw, hashlib.sha256(fw.encode()).hexdigest(), now,
             now))
con.commit()
