#!/usr/bin/env python3
"""make_map.py TOPOJSON OUT.csv - the world map of the portal's home page
from Natural Earth's 1:110m Admin 0 countries as TopoJSON (world-atlas
2.0.2 on npm, countries-110m.json; Natural Earth 4.1.0, public domain).

Writes one row per country: its ISO 3166-1 numeric code (as in the
TopoJSON ids), its Natural Earth name, and its outline as an SVG path in
an equirectangular projection of 960 x 480 (x = (lon + 180) * 8 / 3,
y = (90 - lat) * 8 / 3), coordinates to 0.1. Rows without a numeric code
(Kosovo, Northern Cyprus, Somaliland) keep an empty code. A ring that
crosses the antimeridian is drawn on the side where most of it lies. How
to rebuild:
data/README.md, "World map"."""
import csv
import json
import sys

SCALE = 960 / 360.0


def decode(topo):
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def ring(arcs, idx):
    pts = []
    for i in idx:
        a = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        pts.extend(a if not pts else a[1:])
    return pts


def unwrap(r):
    """A ring that crosses the antimeridian is drawn on the side where
    most of it lies; the rest falls outside the view."""
    jumps = any(abs(a[0] - b[0]) > 180 for a, b in zip(r, r[1:]))
    if not jumps:
        return r
    east = sum(1 for lon, _ in r if lon > 0) * 2 > len(r)
    return [(lon + 360 if east and lon < 0 else
             lon - 360 if not east and lon > 0 else lon, lat)
            for lon, lat in r]


def path(rings):
    out = []
    for r in map(unwrap, rings):
        cmds = []
        last = None
        for lon, lat in r:
            p = (round((lon + 180) * SCALE, 1), round((90 - lat) * SCALE, 1))
            if p != last:
                cmds.append("%g,%g" % p)
                last = p
        if len(cmds) >= 3:
            out.append("M" + "L".join(cmds) + "Z")
    return "".join(out)


def main():
    topo = json.load(open(sys.argv[1]))
    arcs = decode(topo)
    rows = []
    for g in topo["objects"]["countries"]["geometries"]:
        if g["type"] == "Polygon":
            polys = [g["arcs"]]
        elif g["type"] == "MultiPolygon":
            polys = g["arcs"]
        else:
            continue
        rings = [ring(arcs, r) for poly in polys for r in poly]
        rows.append((g.get("id", ""), g["properties"]["name"], path(rings)))
    rows.sort(key=lambda r: (r[0] == "", r[0], r[1]))
    with open(sys.argv[2], "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["numeric", "name", "path"])
        w.writerows(rows)


main()
