#!/bin/bash
# kb_setup.sh DB - for the kb cases: `gca db init`, the users of
# evidence_setup.py (admin, ana the analyst, vic the viewer, ...), and an
# empty knowledge base (the shipped entries removed with sqlite3), so that
# the cases see only what they import.
set -e
"$GCA" db init --db "$1" >/dev/null
python3 "$ROOT/tests/cases/_inputs/evidence_setup.py" "$1"
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('DELETE FROM kb_entries'); c.commit()" "$1"
