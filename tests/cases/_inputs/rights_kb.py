#!/usr/bin/env python3
"""rights_kb.py DB - knowledge-base rows for the rights-lens cases, written
with sqlite3 as the importer would (entry, then its country list), since
`gca kb import` is not needed for them. Test rows: the titles are real
instruments, but the cases claim nothing about them."""
import sqlite3
import sys

ROWS = [
    # id, kind, subtype, title, country, region, year, status, note
    ("rm/GBR/ipa", "rights_measure", "lawful_access_e2ee",
     "Investigatory Powers Act 2016, s.253 (technical capability notices)",
     "GBR", "Europe", 2016, "in_force", "unverified: test row"),
    ("rm/GBR/ret", "rights_measure", "data_retention", "Data Retention Bill",
     "GBR", "Europe", 2025, "proposed", ""),
    ("rm/EU/csar", "rights_measure", "lawful_access_e2ee",
     "CSA Regulation (proposal)", None, "European Union", 2022, "proposed",
     ""),
    ("cirt/GBR", "national_cirt", "", "NCSC", "GBR", "Europe", 2016, "has",
     ""),
    ("li/GBR/ipa", "legal_instrument", "law", "Investigatory Powers Act 2016",
     "GBR", "Europe", 2016, "", ""),
]

con = sqlite3.connect(sys.argv[1])
# The shipped knowledge base out of the way: the cases count their own rows.
con.execute("DELETE FROM kb_entries")
with con:
    for (i, kind, sub, title, iso3, region, year, status, note) in ROWS:
        cur = con.execute(
            "INSERT INTO kb_entries (id, kind, subtype, title, countries, "
            "region, year, status, url, source, note, origin, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'https://x.example', "
            "'test source', ?, 'test', '2026-01-01T00:00:00Z')",
            (i, kind, sub, title, iso3 or "", region, year, status, note))
        if iso3:
            con.execute("INSERT INTO kb_entry_countries (entry, iso3) "
                        "VALUES (?, ?)", (cur.lastrowid, iso3))
con.close()
