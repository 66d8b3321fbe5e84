# Source from a case's cmd: a database t.db ($GCA_DB) with users admin
# and ana (analyst), edition rtest-2026 of _inputs/rights_questionnaire.json
# (pillars LEG and TEC), open, and the knowledge-base rows of
# rights_kb.py (rights measures of GBR and an EU-level one, a national
# CIRT, a legal instrument). Test rows only, no country data is claimed.
set -e
export GCA_DB=t.db
unset GCA_USER
$GCA db init >/dev/null
$GCA user add admin --role admin >/dev/null
$GCA user add ana --role analyst --as admin >/dev/null
$GCA edition create --framework-file "$ROOT/tests/cases/_inputs/rights_questionnaire.json" \
    --year 2026 --as admin >/dev/null
$GCA edition open rtest-2026 --as admin >/dev/null
python3 "$ROOT/tests/cases/_inputs/rights_kb.py" t.db
set +e
