#!/usr/bin/env python3
"""json2csv.py IN.json OUT.csv - turn a table gca wrote as JSON (an array
of row objects, docs/gca.1) into CSV so that csvcmp can compare it with the
oracle: null -> NA, true/false -> TRUE/FALSE. Fails (exit 1) on invalid
JSON, on anything but an array of flat objects, or on rows whose keys
differ from the first row's."""
import csv
import json
import sys


def cell(v):
    if v is None:
        return "NA"
    if v is True or v is False:
        return "TRUE" if v else "FALSE"
    if isinstance(v, (int, float, str)):
        return repr(v) if isinstance(v, float) else str(v)
    raise ValueError("nested value %r" % (v,))


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: json2csv.py IN.json OUT.csv")
    with open(sys.argv[1], encoding="utf-8") as f:
        rows = json.load(f)
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        sys.exit("%s: not an array of objects" % sys.argv[1])
    keys = list(rows[0].keys()) if rows else []
    with open(sys.argv[2], "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(keys)
        for i, r in enumerate(rows):
            if list(r.keys()) != keys:
                sys.exit("%s: row %d has other keys than row 1" % (sys.argv[1], i + 1))
            w.writerow([cell(r[k]) for k in keys])


if __name__ == "__main__":
    main()
