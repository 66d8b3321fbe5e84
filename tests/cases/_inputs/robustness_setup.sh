#!/bin/bash
# robustness_setup.sh GCA DB - a closed, scored gci-2026 with approved
# answers of six countries to the first legal questions, ready to publish
# (the robustness cases): `gca db init`, evidence_setup.py's users and
# edition, answers recorded and approved by ana, scores, closed.
set -e
gca=$1 db=$2
here=$(dirname "$0")
"$gca" db init --db "$db" >/dev/null
python3 "$here/evidence_setup.py" "$db"
i=0
for c in FRA DEU GBR ITA ESP NLD; do
    for q in LEG.1.1 LEG.1.1.1; do
        v=yes
        [ $(( (i + ${#q}) % 3 )) = 0 ] && v=no
        i=$((i + 1))
        "$gca" answer set --edition gci-2026 --country $c --question $q \
            --value $v --as ana --db "$db" >/dev/null
        "$gca" answer submit --edition gci-2026 --country $c --question $q \
            --as ana --db "$db" >/dev/null
        "$gca" answer review --edition gci-2026 --country $c --question $q \
            --approve --as ana --db "$db" >/dev/null
    done
done
"$gca" score --edition gci-2026 --as admin --db "$db" >/dev/null 2>&1
"$gca" edition close gci-2026 --as admin --db "$db" >/dev/null
cp "$here/sign_test.key" team.key
chmod 600 team.key
