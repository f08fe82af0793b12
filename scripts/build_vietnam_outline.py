"""Build indicators/data/vietnam_outline.json, Viet Nam's outline as one SVG path.

The national dashboard draws the 34 provinces as circles over this outline, and
nothing may load from the internet at run time, so the outline is a committed file.

Source: Natural Earth 1:50m "Admin 0 - Countries" (public domain,
https://www.naturalearthdata.com/about/terms-of-use/), as carried by the npm package
``world-atlas`` 2.x (ISC licence, https://github.com/topojson/world-atlas), file
``countries-50m.json``: TopoJSON whose feature with id "704" (name "Vietnam") is
Viet Nam's MultiPolygon.

The script decodes the TopoJSON by hand (standard library only), keeps the polygons
that lie inside the map bounds (mainland and near-shore islands such as Phu Quoc and
Con Dao; anything outside is dropped), projects them with a simple equirectangular
projection corrected by cos(16 degrees) at the centre latitude::

    x = (lng - LNG_MIN) * cos(radians(16)) * K
    y = (LAT_MAX - lat) * K

drops consecutive points closer than MIN_STEP units, rounds to 1 decimal and writes
the same bytes on every run. Place markers with the same formula (the parameters are
repeated in the file's "projection" key).

Rerun, from the repository root, with the package unpacked outside the repository::

    mkdir -p /tmp/wa && cd /tmp/wa && npm pack world-atlas@2 && tar xzf world-atlas-*.tgz && cd -
    python3 scripts/build_vietnam_outline.py /tmp/wa/package/countries-50m.json
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

FEATURE_ID = "704"
LNG_MIN, LNG_MAX = 102.0, 110.0
LAT_MIN, LAT_MAX = 8.2, 23.5
COS_LAT = 16  # degrees; the cosine correction is taken at this latitude
K = 39.0  # units per degree of latitude: the viewBox is about 300 units wide
MIN_STEP = 0.6  # drop a point closer than this (in units) to the last point kept
GENERATED = "2026-11-22"
SOURCE = (
    'Natural Earth 1:50m Admin 0 - Countries (public domain), feature id "704" (Vietnam) '
    "of countries-50m.json in the npm package world-atlas 2.x (ISC licence)"
)
OUTPUT = Path(__file__).resolve().parent.parent / "indicators" / "data" / "vietnam_outline.json"

Point = tuple[float, float]


def project(lat: float, lng: float) -> Point:
    """Map (lat, lng) in degrees to (x, y) in viewBox units (y grows southwards)."""
    x = (lng - LNG_MIN) * math.cos(math.radians(COS_LAT)) * K
    y = (LAT_MAX - lat) * K
    return x, y


def decode_arcs(topology: dict) -> list[list[Point]]:
    """Return every arc as absolute (lng, lat) points: undo delta encoding, then quantization."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        qx = qy = 0
        points = []
        for dx, dy in arc:
            qx, qy = qx + dx, qy + dy
            points.append((qx * sx + tx, qy * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(arc_indices: list[int], arcs: list[list[Point]]) -> list[Point]:
    """Stitch a ring from arc indices; a negative index ~i means arc i reversed."""
    ring: list[Point] = []
    for index in arc_indices:
        points = arcs[~index][::-1] if index < 0 else arcs[index]
        # Consecutive arcs share an end point: keep it once.
        ring.extend(points[1:] if ring else points)
    return ring


def in_bounds(ring: list[Point]) -> bool:
    return all(LNG_MIN <= lng <= LNG_MAX and LAT_MIN <= lat <= LAT_MAX for lng, lat in ring)


def simplify(ring: list[Point]) -> list[Point]:
    """Drop points closer than MIN_STEP to the last point kept; the ring stays closed."""
    kept = [ring[0]]
    for point in ring[1:-1]:
        if math.dist(point, kept[-1]) >= MIN_STEP:
            kept.append(point)
    while len(kept) > 1 and math.dist(kept[-1], ring[0]) < MIN_STEP:
        kept.pop()  # too close to the closing point, which repeats the first one
    return kept + [ring[0]]


def number(value: float) -> str:
    text = f"{round(value, 1):.1f}".removesuffix(".0")
    return "0" if text == "-0" else text


def svg_path(rings: list[list[Point]]) -> str:
    """One "M x y L x y ... Z" subpath per ring (the closing point is implied by Z)."""
    subpaths = []
    for ring in rings:
        coords = [f"{number(x)} {number(y)}" for x, y in ring[:-1]]
        subpaths.append(f"M{coords[0]} L{' '.join(coords[1:])} Z")
    return " ".join(subpaths)


def build(topology: dict) -> dict:
    geometries = [g for g in topology["objects"]["countries"]["geometries"] if g.get("id") == FEATURE_ID]
    if len(geometries) != 1 or geometries[0]["type"] != "MultiPolygon":
        raise SystemExit(f"expected one MultiPolygon with id {FEATURE_ID!r}, found {geometries!r:.200}")
    arcs = decode_arcs(topology)
    rings = []
    for polygon in geometries[0]["arcs"]:
        polygon_rings = [ring_points(indices, arcs) for indices in polygon]
        if not all(in_bounds(ring) for ring in polygon_rings):
            continue  # an island outside the map: drop the whole polygon
        for ring in polygon_rings:
            projected = simplify([project(lat, lng) for lng, lat in ring])
            if len(projected) >= 4:  # at least a triangle plus the closing point
                rings.append(projected)
    if not rings:
        raise SystemExit("no polygon of the feature lies inside the bounds")
    width, height = project(LAT_MIN, LNG_MAX)
    return {
        "source": SOURCE,
        "generated": GENERATED,
        "projection": {
            "lng_min": LNG_MIN,
            "lng_max": LNG_MAX,
            "lat_min": LAT_MIN,
            "lat_max": LAT_MAX,
            "cos_lat": COS_LAT,
            "k": K,
        },
        "view_box": [0, 0, round(width, 1), round(height, 1)],
        "path": svg_path(rings),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topojson", type=Path, help="path of world-atlas's countries-50m.json")
    parser.add_argument("--output", type=Path, default=OUTPUT, help=f"default: {OUTPUT}")
    args = parser.parse_args(argv)
    outline = build(json.loads(args.topojson.read_text(encoding="utf-8")))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(outline, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.output} ({args.output.stat().st_size} bytes, {outline['path'].count('M')} rings)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
