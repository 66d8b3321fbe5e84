#!/usr/bin/env python3
"""team.py DB - add the users of the workflow cases straight into the users
table (the `gca user` command is not needed for them): admin, ana
(analyst), fred (focal point of FRA), dora (focal point of DEU) and vic
(viewer), none with a password (the CLI trusts --as)."""
import sqlite3
import sys

TEAM = [("admin", "admin", None), ("ana", "analyst", None),
        ("fred", "focal", "FRA"), ("dora", "focal", "DEU"),
        ("vic", "viewer", None)]

con = sqlite3.connect(sys.argv[1])
with con:
    con.executemany("INSERT INTO users (name, role, country, created_at) "
                    "VALUES (?, ?, ?, '2026-01-01T00:00:00Z')", TEAM)
con.close()
