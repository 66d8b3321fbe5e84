#!/bin/sh
# run.sh GCA ARTEFACTS - the browser tests of the portal (portal.mjs):
# playwright-core, pinned by package-lock.json, is installed here with
# `npm ci` when missing; node, npm and chromium come from deps.txt
# (scripts/setup). Screenshots go to ARTEFACTS.
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
for c in node npm; do
    command -v $c >/dev/null 2>&1 || {
        echo "e2e: $c is missing: run scripts/setup as root" >&2
        exit 1
    }
done
[ -x /usr/lib/chromium/chromium ] || [ -x /usr/bin/chromium ] || {
    echo "e2e: chromium is missing: run scripts/setup as root" >&2
    exit 1
}
if [ ! -f "$here/node_modules/playwright-core/package.json" ]; then
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi
exec node "$here/portal.mjs" "$1" "$2"
