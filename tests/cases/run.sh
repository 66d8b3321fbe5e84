#!/usr/bin/env bash
# run.sh - run the data-driven command-line cases under tests/cases/
# (format: tests/cases/README.md). One line per case, "ok" or "FAIL" with
# the reason and details; exits 1 if any case failed, 2 on a usage error.
#
# usage: run.sh [--gca PATH] [--csvcmp PATH] [-v] [FILTER...]
#   FILTER  run only the cases whose "family/NNNN-name" contains FILTER;
#           a FILTER ending in "/" selects a family ("bad-input/")
#   -v      also show the output of passing cases
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
gca=${GCA:-$root/build/gca}
csvcmp=${CSVCMP:-$root/build/tests/csvcmp}
verbose=0
filters=()
timeout_s=${GCA_CASE_TIMEOUT:-120}

while [ $# -gt 0 ]; do
    case $1 in
    --gca) gca=$2; shift 2 ;;
    --csvcmp) csvcmp=$2; shift 2 ;;
    -v) verbose=1; shift ;;
    -h|--help)
        # Print the comment at the top of this file.
        awk 'NR > 1 && !/^#/ { exit }
             NR > 1 { sub(/^# ?/, ""); print }' "$0"
        exit 0 ;;
    -*) echo "run.sh: unknown option '$1'" >&2; exit 2 ;;
    *) filters+=("$1"); shift ;;
    esac
done
gca=$(cd "$(dirname "$gca")" 2>/dev/null && pwd)/$(basename "$gca")
csvcmp=$(cd "$(dirname "$csvcmp")" 2>/dev/null && pwd)/$(basename "$csvcmp")
for bin in "$gca" "$csvcmp"; do
    if [ ! -x "$bin" ]; then
        echo "run.sh: '$bin' is not an executable (see --gca, --csvcmp)" >&2
        exit 2
    fi
done

# Colour only for a person at a terminal.
if [ -t 1 ] && [ -z "${CI:-}" ]; then
    c_ok=$'\e[32m' c_bad=$'\e[31m' c_off=$'\e[0m'
else
    c_ok='' c_bad='' c_off=''
fi

base=$(mktemp -d "${TMPDIR:-/tmp}/gca-cases.XXXXXX") || exit 2
trap 'rm -rf "$base"' EXIT
trap 'exit 130' INT TERM

have_timeout=0
command -v timeout >/dev/null 2>&1 && have_timeout=1

# Lines of file $1 that are not blank and not comments (# ...).
lines_of() {
    grep -v -e '^[[:space:]]*$' -e '^[[:space:]]*#' "$1" || true
}

# Show a captured file indented, at most 20 lines.
show() {
    local title=$1 file=$2
    [ -s "$file" ] || return 0
    echo "    --- $title"
    head -n 20 "$file" | sed 's/^/    | /'
    local n
    n=$(wc -l <"$file")
    [ "$n" -gt 20 ] && echo "    | ... ($n lines)"
    return 0
}

# Run one case: $1 = case dir, $2 = its name "family/NNNN-name". Prints
# the failure reasons to stdout (nothing when the case passes).
run_case() {
    local dir=$1 name=$2
    local work=$base/work cap=$base/cap
    rm -rf "$work" "$cap"
    mkdir -p "$work" "$cap"
    if [ ! -f "$dir/cmd" ] || [ ! -f "$dir/exit" ]; then
        echo "case has no 'cmd' or no 'exit' file"
        return
    fi
    local want_rc
    want_rc=$(lines_of "$dir/exit" | head -n 1 | tr -d '[:space:]')
    local rc
    (
        cd "$work" || exit 125
        export GCA=$gca ROOT=$root CASE=$dir CSVCMP=$csvcmp
        if [ $have_timeout = 1 ]; then
            exec timeout "$timeout_s" bash -o pipefail "$dir/cmd"
        else
            exec bash -o pipefail "$dir/cmd"
        fi
    ) >"$cap/stdout" 2>"$cap/stderr" </dev/null
    rc=$?
    if [ "$rc" != "$want_rc" ]; then
        echo "exit code $rc, want $want_rc"
        [ $have_timeout = 1 ] && [ "$rc" = 124 ] &&
            echo "(timed out after ${timeout_s}s)"
    fi
    # Sanitizer reports fail a case whatever its exit code.
    if grep -q -e 'ERROR: AddressSanitizer' -e 'runtime error:' \
        -e 'ERROR: LeakSanitizer' "$cap/stderr"; then
        echo "sanitizer report on stderr"
    fi
    if [ -f "$dir/stdout" ] && ! cmp -s "$dir/stdout" "$cap/stdout"; then
        echo "stdout differs from the expected 'stdout' file:"
        diff -u "$dir/stdout" "$cap/stdout" | head -n 30 | sed 's/^/    /'
    fi
    local line
    if [ -f "$dir/stdout-has" ]; then
        while IFS= read -r line; do
            grep -q -F -e "$line" "$cap/stdout" ||
                echo "stdout lacks: $line"
        done < <(lines_of "$dir/stdout-has")
    fi
    if [ -f "$dir/stderr" ]; then
        while IFS= read -r line; do
            grep -q -F -e "$line" "$cap/stderr" ||
                echo "stderr lacks: $line"
        done < <(lines_of "$dir/stderr")
    fi
    if [ -f "$dir/stderr-empty" ] && [ -s "$cap/stderr" ]; then
        echo "stderr is not empty"
    fi
    if [ -f "$dir/absent" ]; then
        while IFS= read -r line; do
            [ -e "$work/$line" ] || [ -L "$work/$line" ] &&
                echo "'$line' exists, want it absent"
        done < <(lines_of "$dir/absent")
    fi
    if [ -f "$dir/compare" ] && [ "$rc" != "$want_rc" ]; then
        echo "(files not compared: the command failed)"
    elif [ -f "$dir/compare" ]; then
        while IFS= read -r line; do
            local args
            # Lines may name $ROOT and $CASE; expand them and nothing else.
            line=${line//\$ROOT/$root}
            line=${line//\$CASE/$dir}
            read -r -a args <<<"$line"
            if [ ${#args[@]} -lt 2 ]; then
                echo "bad 'compare' line: $line"
                continue
            fi
            local got=${args[0]} want=${args[1]} opts=()
            local o
            for o in "${args[@]:2}"; do opts+=("--$o"); done
            case $want in /*) ;; *) want=$dir/$want ;; esac
            if [ ! -f "$work/$got" ]; then
                echo "'$got' was not written"
                continue
            fi
            if ! (cd "$work" && "$csvcmp" "${opts[@]}" "$got" "$want") \
                >"$cap/cmp" 2>&1; then
                echo "$got differs from ${want#"$root"/}:"
                head -n 12 "$cap/cmp" | sed 's/^/    /'
            fi
        done < <(lines_of "$dir/compare")
    fi
}

nok=0
nfail=0
failed=()
for dir in "$here"/*/*/; do
    dir=${dir%/}
    [ -f "$dir/cmd" ] || [ -f "$dir/exit" ] || continue
    name=${dir#"$here"/}
    if [ ${#filters[@]} -gt 0 ]; then
        match=0
        for f in "${filters[@]}"; do
            case $f in
            */) case $name/ in "$f"*) match=1 ;; esac ;;
            *) case $name in *"$f"*) match=1 ;; esac ;;
            esac
        done
        [ $match = 1 ] || continue
    fi
    run_case "$dir" "$name" >"$base/reasons"
    # Any unindented line is a failure reason; indented lines detail one.
    if grep -q -v -e '^    ' "$base/reasons"; then
        nfail=$((nfail + 1))
        failed+=("$name")
        echo "${c_bad}FAIL${c_off} $name: $(head -n 1 "$base/reasons")"
        tail -n +2 "$base/reasons" | sed 's/^/  /'
        show "stdout" "$base/cap/stdout"
        show "stderr" "$base/cap/stderr"
    else
        nok=$((nok + 1))
        echo "${c_ok}ok${c_off}   $name"
        if [ $verbose = 1 ]; then
            show "stdout" "$base/cap/stdout"
            show "stderr" "$base/cap/stderr"
        fi
    fi
done

total=$((nok + nfail))
if [ $total = 0 ]; then
    echo "run.sh: no case matches ${filters[*]:-(no filter)}" >&2
    exit 2
fi
echo "$nok of $total cases passed"
if [ $nfail -gt 0 ]; then
    printf '  failed: %s\n' "${failed[@]}"
    exit 1
fi
exit 0
