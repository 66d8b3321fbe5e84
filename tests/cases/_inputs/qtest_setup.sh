# Source from a case's cmd: a database t.db ($GCA_DB) with users admin,
# ana (analyst), fred (focal point of FRA) and vic (viewer), and edition
# qtest-2026 of _inputs/questionnaire.json, open, with FRA's answers
# (by fred) and DEU's and KEN's (from open sources, by ana) approved and
# BRA's q2 submitted only. The scores are worked out by hand in
# tests/unit/store/test_score.c. Uses the command line only.
set -e
export GCA_DB=t.db
unset GCA_USER
$GCA db init >/dev/null
$GCA user add admin --role admin >/dev/null
$GCA user add ana --role analyst --as admin >/dev/null
$GCA user add fred --role focal --country FRA --as admin >/dev/null
$GCA user add vic --role viewer --as admin >/dev/null
$GCA edition create --framework-file "$ROOT/tests/cases/_inputs/questionnaire.json" \
    --year 2026 --as admin >/dev/null
$GCA edition open qtest-2026 --as admin >/dev/null
qa() { # WHO COUNTRY QUESTION VALUE APPROVE
    $GCA answer set --edition qtest-2026 --country "$2" --question "$3" \
        --value "$4" --as "$1" >/dev/null
    $GCA answer submit --edition qtest-2026 --country "$2" --question "$3" \
        --as "$1" >/dev/null
    if [ "$5" = 1 ]; then
        $GCA answer review --edition qtest-2026 --country "$2" \
            --question "$3" --approve --as ana >/dev/null
    fi
}
qa fred FRA q1 yes 1; qa fred FRA q2 partial 1; qa fred FRA q3 draft 1
qa fred FRA q4 5 1; qa fred FRA q5 no 1
qa ana DEU q1 yes 1; qa ana DEU q2 yes 1; qa ana DEU q3 adopted 1
qa ana DEU q4 10 1; qa ana DEU q5 yes 1
qa ana KEN q5 yes 1
qa ana BRA q1 yes 1; qa ana BRA q2 partial 0
set +e
