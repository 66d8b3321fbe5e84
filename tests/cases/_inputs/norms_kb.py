#!/usr/bin/env python3
"""norms_kb.py DB [PARA...] - put the eleven UN GGE 2015 norms (A/70/174
para 13(a)-(k)) straight into the kb_entries table of a database made by
`gca db init`, as the knowledge-base importer would, so that the norms
cases need no `gca kb import`. With PARA arguments only those norms
("13(a)" ...). Titles and sources as data/kb/norms.csv and the reference collection's
gge2015_norms.csv (short names; dig.watch pages)."""
import sqlite3
import sys

NORMS = [
    ("GGE15-A", "13(a)", "Interstate cooperation on security", "https://wp.dig.watch/cyber-norms/interstate-co-operation-on-security"),
    ("GGE15-B", "13(b)", "Consider all relevant information", "https://dig.watch/cyber-norms/consider-all-relevant-information"),
    ("GGE15-C", "13(c)", "Prevent misuse of ICTs in own territory", "https://dig.watch/cyber-norms/prevent-misuse-of-icts-in-your-territory"),
    ("GGE15-D", "13(d)", "Cooperate against crime and terrorism", "https://dig.watch/cyber-norms/co-operate-to-stop-crime-and-terrorism"),
    ("GGE15-E", "13(e)", "Respect human rights and privacy", "https://wp.dig.watch/?p=174071"),
    ("GGE15-F", "13(f)", "Do not damage critical infrastructure", "https://wp.dig.watch/?p=174075"),
    ("GGE15-G", "13(g)", "Protect own critical infrastructure", "https://dig.watch/cyber-norms/protect-critical-infrastructure"),
    ("GGE15-H", "13(h)", "Respond to requests for assistance", "https://dig.watch/cyber-norms/respond-to-requests-for-assistance"),
    ("GGE15-I", "13(i)", "Ensure supply-chain integrity", "https://wp.dig.watch/cyber-norms/ensure-supply-chain-security"),
    ("GGE15-J", "13(j)", "Report ICT vulnerabilities", "https://dig.watch/cyber-norms/report-ict-vulnerabilities"),
    ("GGE15-K", "13(k)", "Do no harm to emergency response teams", "https://dig.watch/cyber-norms/do-no-harm-to-response-teams"),
]

want = set(sys.argv[2:])
con = sqlite3.connect(sys.argv[1])
# The shipped knowledge base out of the way: the cases count their own rows.
con.execute("DELETE FROM kb_entries")
with con:
    for code, para, title, source in NORMS:
        if want and para not in want:
            continue
        con.execute(
            "INSERT INTO kb_entries (id, kind, subtype, title, region, year, "
            "url, source, origin, updated_at) VALUES (?, 'norm', ?, ?, "
            "'global', 2015, 'https://undocs.org/A/70/174', ?, 'test', "
            "'2026-01-01T00:00:00Z')",
            ("norm/" + code, para, title, source))
con.close()
