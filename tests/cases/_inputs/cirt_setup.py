#!/usr/bin/env python3
"""cirt_setup.py DB - the users of team.py (admin, ana the analyst, fred and
dora the focal points of FRA and DEU, vic the viewer) and three test
knowledge-base entries of kind national_cirt, written straight with sqlite3
(gca kb import is not needed): AUT has "Test team A", DEU has "Test team
D", MLT none. They are fixtures, not facts about these countries."""
import sqlite3
import sys

TEAM = [("admin", "admin", None), ("ana", "analyst", None),
        ("fred", "focal", "FRA"), ("dora", "focal", "DEU"),
        ("vic", "viewer", None)]
KB = [("test/AUT", "Test team A", "has", "AUT"),
      ("test/DEU", "Test team D", "has", "DEU"),
      ("test/MLT", "No national team (test)", "none", "MLT")]

con = sqlite3.connect(sys.argv[1])
# The shipped knowledge base out of the way: the cases count their own rows.
con.execute("DELETE FROM kb_entries")
with con:
    con.executemany("INSERT INTO users (name, role, country, created_at) "
                    "VALUES (?, ?, ?, '2026-01-01T00:00:00Z')", TEAM)
    for kid, title, status, iso3 in KB:
        cur = con.execute(
            "INSERT INTO kb_entries (id, kind, title, countries, status, "
            "source, origin, updated_at) VALUES (?, 'national_cirt', ?, ?, "
            "?, 'test fixture', 'test', '2026-01-01T00:00:00Z')",
            (kid, title, iso3, status))
        con.execute("INSERT INTO kb_entry_countries (entry, iso3) "
                    "VALUES (?, ?)", (cur.lastrowid, iso3))
con.close()
