#!/bin/bash
# manpage.sh GCA MANPAGE - the man page and `gca <cmd> --help` must agree:
# the same commands, the same options per command, the same required
# options. Prints every difference; exits 1 if there is one.
set -u
gca=$1 man=$2
fail=0
say() { echo "manpage: $*"; fail=1; }

# Options of one command in the man page: .TP items of its .SS section,
# with "R" when the item's text says "Required.".
man_opts() {
    awk -v cmd="gca $1" '
        /^\.SS / { insec = (substr($0, 5) == cmd); next }
        /^\.SH / { insec = 0 }
        !insec { next }
        /^\.TP/ { tp = 1; next }
        tp && /^\\fB\\-\\-/ {
            if (opt != "") print opt, req
            o = $0; sub(/^\\fB\\-\\-/, "", o); sub(/\\fR.*/, "", o)
            gsub(/\\-/, "-", o); opt = o; req = "-"; tp = 0; next
        }
        { tp = 0 }
        opt != "" && /Required\./ { req = "R" }
        END { if (opt != "") print opt, req }
    ' "$man" | sort
}

help_opts() {
    "$gca" "$1" --help | awk '
        /^  --/ { o = $1; sub(/^--/, "", o); if (o == "help") next
                  print o, ($0 ~ /\(required\)$/ ? "R" : "-") }' | sort
}

help_cmds=$("$gca" --help | awk '/^commands:/ { on = 1; next }
                                 on && /^  [a-z]/ { print $1 } /^$/ { on = 0 }' | sort)
man_cmds=$(awk '/^\.SS gca / { print $3 }' "$man" | sort)
[ "$help_cmds" = "$man_cmds" ] ||
    say "commands differ: help [$(echo $help_cmds)] man [$(echo $man_cmds)]"

for c in $help_cmds; do
    d=$(diff <(help_opts "$c") <(man_opts "$c"))
    [ -z "$d" ] || say "gca $c: options differ (< help, > man page):
$d"
done
[ $fail = 0 ] && echo "manpage: help and man page agree ($(echo $help_cmds | wc -w) commands)"
exit $fail
