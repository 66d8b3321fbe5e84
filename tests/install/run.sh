#!/bin/sh
# Install the build into a temporary prefix, then build a program against
# it with pkg-config, shared and static, and run both.
# usage: run.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
pc=$(find "$tmp/prefix" -name gca.pc)
export PKG_CONFIG_PATH=$(dirname "$pc")
cc=${CC:-cc}
$cc -std=c11 -o "$tmp/shared" "$src/tests/install/consumer.c" \
    $(pkg-config --cflags --libs gca)
libdir=$(pkg-config --variable=libdir gca)
$cc -std=c11 -o "$tmp/static" "$src/tests/install/consumer.c" \
    $(pkg-config --cflags gca) "$libdir/libgca.a" \
    $(pkg-config --static --libs gca | sed 's/-lgca//')
want="ASEM 4 levels"
for kind in shared static; do
    out=$(LD_LIBRARY_PATH="$libdir" \
          "$tmp/$kind" "$tmp/prefix/share/gca/frameworks/asem.json")
    case "$out" in
    *"$want"*) echo "ok   $kind: $out" ;;
    *) echo "FAIL $kind: '$out' lacks '$want'"; exit 1 ;;
    esac
done
# The installed binary runs on the installed data.
"$tmp/prefix/bin/gca" validate --meta "$tmp/prefix/share/gca/frameworks/gci.json"
echo "ok   installed gca validates the installed GCI framework"
