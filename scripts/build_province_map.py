"""Build indicators/data/province_map.json: the 34 provinces and the two archipelagos as SVG paths.

The national dashboard colours each province by an indicator (a choropleth), and nothing may load
from the internet at run time, so the shapes are a committed file built by this script.

Sources:

- the polygons of the 63 provinces in force before 1 July 2025, with the Hoàng Sa archipelago (part
  of Đà Nẵng) and the Trường Sa archipelago (part of Khánh Hòa) as two more features: the GitHub
  repository nguyenduy1133/Free-GIS-Data, file
  ``VietNam/Administrative/Provinces_included_Paracel_SpratlyIslands_combine.geojson``, commit
  67582c8 (17/06/2025), WGS 84, property ``Name`` without diacritics;
- which current province succeeded each of the 63: ``legacy_provinces[].successor`` in
  ``cooperatives/data/admin_units.json`` (the project's reference data).

Steps:

1. Match each feature's ``Name`` to a legacy province by folding diacritics ("Dak Lak" =
   "Đắk Lắk"); the few names that do not fold to the short name are in ``ODD_NAMES``. Any feature or
   legacy province left unmatched, or matched twice, stops the script.
2. Snap the coordinates to a 1e-6 degree grid: the source's neighbours then share their edges
   exactly (it has a few overlaps of 1e-14 square degrees), so the polygons form a clean coverage.
3. Project with an equirectangular projection corrected by the cosine of the centre latitude::

       x = (lng - LNG_MIN) * cos(radians(COS_LAT)) * K
       y = (LAT_MAX - lat) * K

   The bounds take in the Trường Sa archipelago (to about 117°E and 6.9°N).
4. Dissolve each current province's predecessors into one shape (a coverage union: no slivers).
5. Drop islands and holes smaller than ``MIN_AREA`` (square units; about 1.3 km²), never a province's
   largest part, then simplify all 34 together, preserving the shared edges (a coverage
   simplification, so neighbours keep common borders without gaps or overlaps). The archipelagos'
   reefs are simplified on their own, with a finer tolerance, and none is dropped.
6. Round to ``DIGITS`` decimals and check: 34 provinces and 2 archipelagos, each geometry valid and
   not empty, the provinces still a coverage (no overlaps).
7. Write the same bytes on every run: provinces by code, each with its SVG path ("M x y L ... Z",
   one subpath a ring, to draw with fill-rule evenodd) and an anchor inside it (the pole of
   inaccessibility of its largest part) where a caption may point; then the archipelagos, each
   with its province, its path, where its name is written and an anchor (the middle of its reefs).

Rerun from the repository root; shapely is needed by this script only, never by the site::

    pip install --target /tmp/geo shapely
    PYTHONPATH=/tmp/geo python3 scripts/build_province_map.py \\
        ../shared/geo/vietnam_63_provinces_with_paracel_spratly.geojson
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.ops import polylabel

ROOT = Path(__file__).resolve().parent.parent
ADMIN_UNITS = ROOT / "cooperatives" / "data" / "admin_units.json"
OUTPUT = ROOT / "indicators" / "data" / "province_map.json"

LNG_MIN, LNG_MAX = 101.9, 117.4
LAT_MIN, LAT_MAX = 6.6, 23.6
COS_LAT = 15  # degrees: about the middle of the bounds
K = 40.0  # units per degree of latitude: the viewBox is about 600 units wide
SNAP = 1e-6  # degrees
MIN_AREA = 0.17  # square units, about 1.3 km²
TOLERANCE = 0.35  # units (about 1 km): provinces
REEF_TOLERANCE = 0.05  # units: the archipelagos' reefs are small
DIGITS = 1
GENERATED = "2026-12-03"
SOURCE = (
    "Province polygons before 1 July 2025 with the Hoàng Sa and Trường Sa archipelagos: GitHub "
    "nguyenduy1133/Free-GIS-Data, VietNam/Administrative/Provinces_included_Paracel_SpratlyIslands_combine"
    ".geojson, commit 67582c8 (17/06/2025); dissolved into the 34 current provinces by "
    "legacy_provinces[].successor of cooperatives/data/admin_units.json; built by scripts/build_province_map.py"
)

# Feature names that do not fold to the legacy province's short name.
ODD_NAMES = {
    "Ha Noi city": "Hà Nội",
    "Hai Phong city": "Hải Phòng",
    "Da Nang city": "Đà Nẵng",
    "Ho Chi Minh city": "Hồ Chí Minh",
    "Can Tho city": "Cần Thơ",
    "Thua Thien - Hue": "Huế",
    "Ba Ria - Vung Tau": "Bà Rịa - Vũng Tàu",
}
# The archipelagos, by the feature's ``Note``: key, the legacy province the source puts them in, and
# where their name is written (lng, lat of the middle of the baseline of the text's first line; a
# second line, the province, goes under it): above each archipelago, clear of the reefs and the coast.
ARCHIPELAGOS = {
    "Hoang Sa (Da Nang city)": ("hoang_sa", "Đà Nẵng", (112.0, 17.9)),
    "Truong Sa (Khanh Hoa)": ("truong_sa", "Khánh Hòa", (113.5, 12.95)),
}


class BuildError(SystemExit):
    pass


def fold(value: str) -> str:
    """Lower case without diacritics (đ → d), spaces collapsed: the project's folding of names."""
    text = unicodedata.normalize("NFD", value)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn").replace("đ", "d").replace("Đ", "D")
    return " ".join(text.lower().split())


def match_features(features: list[dict[str, Any]], legacy: list[dict[str, Any]]) -> dict[str, list[int]]:
    """Legacy province code -> indexes of its mainland features; every one of the 63 exactly once."""
    by_name = {fold(row["short_name"]): row["code"] for row in legacy}
    matched: dict[str, list[int]] = {}
    unmatched = []
    for index, feature in enumerate(features):
        properties = feature["properties"]
        if properties.get("Note"):
            continue
        name = properties["Name"]
        code = by_name.get(fold(ODD_NAMES.get(name, name)))
        if code is None:
            unmatched.append(name)
        else:
            matched.setdefault(code, []).append(index)
    if unmatched:
        raise BuildError(f"features matching no legacy province: {sorted(unmatched)}")
    twice = {code: indexes for code, indexes in matched.items() if len(indexes) > 1}
    if twice:
        raise BuildError(f"legacy provinces matched by more than one feature: {twice}")
    missing = sorted(row["short_name"] for row in legacy if row["code"] not in matched)
    if missing:
        raise BuildError(f"legacy provinces without a feature: {missing}")
    return matched


def project(geometry: Any) -> Any:
    scale = math.cos(math.radians(COS_LAT)) * K

    def transform(coords: np.ndarray) -> np.ndarray:
        return np.column_stack(((coords[:, 0] - LNG_MIN) * scale, (LAT_MAX - coords[:, 1]) * K))

    return shapely.transform(geometry, transform)


def polygons(geometry: Any) -> list[Polygon]:
    if geometry.is_empty:
        return []
    if isinstance(geometry, Polygon):
        return [geometry]
    if isinstance(geometry, MultiPolygon):
        return list(geometry.geoms)
    return [part for child in geometry.geoms for part in polygons(child)]  # a collection


def drop_specks(geometry: Any) -> MultiPolygon:
    """Without islands and holes below MIN_AREA; the largest part always stays."""
    parts = sorted(polygons(geometry), key=lambda p: -p.area)
    kept = [parts[0]] + [p for p in parts[1:] if p.area >= MIN_AREA]
    return MultiPolygon(
        [Polygon(p.exterior, [hole for hole in p.interiors if Polygon(hole).area >= MIN_AREA]) for p in kept]
    )


def rounded(geometry: Any) -> Any:
    # Rounding each vertex on its own keeps shared edges shared (set_precision would snap each
    # province differently). A ring that rounding made invalid is repaired below, if any.
    result = shapely.transform(geometry, lambda coords: np.round(coords, DIGITS))
    if not result.is_valid:
        result = shapely.set_precision(result, 10**-DIGITS)
    return MultiPolygon(polygons(result))


def number(value: float) -> str:
    text = f"{value:.{DIGITS}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def svg_path(geometry: Any) -> str:
    """One "M x y L x y ... Z" subpath per ring (the closing point is implied by Z)."""
    subpaths = []
    for polygon in polygons(geometry):
        for ring in [polygon.exterior, *polygon.interiors]:
            points = [f"{number(x)} {number(y)}" for x, y in ring.coords[:-1]]
            subpaths.append(f"M{points[0]} L{' '.join(points[1:])} Z")
    return " ".join(subpaths)


def point(geometry: Any) -> list[float]:
    return [round(geometry.x, DIGITS), round(geometry.y, DIGITS)]


def build(geojson: dict[str, Any], admin_units: dict[str, Any]) -> dict[str, Any]:
    features = geojson["features"]
    legacy = admin_units["legacy_provinces"]
    current = {row["code"]: row for row in admin_units["provinces"]}
    successor = {row["code"]: row["successor"] for row in legacy}
    legacy_by_name = {row["short_name"]: row["code"] for row in legacy}
    matched = match_features(features, legacy)

    shapes = [project(shapely.set_precision(shape(f["geometry"]), SNAP)) for f in features]
    codes = sorted(current)
    members: dict[str, list[Any]] = {code: [] for code in codes}
    for legacy_code, indexes in matched.items():
        members[successor[legacy_code]].extend(shapes[i] for i in indexes)
    empty = [current[code]["short_name"] for code, parts in members.items() if not parts]
    if empty:
        raise BuildError(f"current provinces without a predecessor's shape: {empty}")
    dissolved = [drop_specks(shapely.coverage_union_all(members[code])) for code in codes]
    simplified = shapely.coverage_simplify(np.array(dissolved, dtype=object), TOLERANCE)
    provinces = [rounded(geometry) for geometry in simplified]

    archipelagos = []
    notes = {f["properties"].get("Note"): index for index, f in enumerate(features) if f["properties"].get("Note")}
    if set(notes) != set(ARCHIPELAGOS):
        raise BuildError(f"expected the archipelagos {sorted(ARCHIPELAGOS)}, found {sorted(notes)}")
    for note, (key, legacy_name, (lng, lat)) in ARCHIPELAGOS.items():
        reefs = shapely.simplify(shapes[notes[note]], REEF_TOLERANCE, preserve_topology=True)
        geometry = rounded(reefs)
        archipelagos.append(
            {
                "key": key,
                "province": successor[legacy_by_name[legacy_name]],
                "label": point(project(shapely.Point(lng, lat))),
                "anchor": point(shapely.box(*geometry.bounds).centroid),
                "path": svg_path(geometry),
                "_geometry": geometry,
            }
        )

    check(codes, provinces, archipelagos, set(current))
    width, height = project(shapely.Point(LNG_MAX, LAT_MIN)).coords[0]
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
        "view_box": [0, 0, round(width, DIGITS), round(height, DIGITS)],
        "provinces": [
            {
                "code": code,
                "name": current[code]["short_name"],
                "anchor": point(polylabel(max(polygons(geometry), key=lambda p: p.area), 0.5)),
                "path": svg_path(geometry),
            }
            for code, geometry in zip(codes, provinces, strict=True)
        ],
        "archipelagos": [{k: v for k, v in a.items() if not k.startswith("_")} for a in archipelagos],
    }


def check(codes: list[str], provinces: list[Any], archipelagos: list[dict[str, Any]], current: set[str]) -> None:
    """Fail loudly unless there are 34 valid provinces forming a coverage, and 2 valid archipelagos."""
    problems = []
    if len(codes) != 34 or len(provinces) != 34:
        problems.append(f"{len(provinces)} provinces, not 34")
    for code, geometry in zip(codes, provinces, strict=True):
        if geometry.is_empty or not geometry.is_valid:
            problems.append(f"province {code}: {shapely.is_valid_reason(geometry)}")
    if len(archipelagos) != 2:
        problems.append(f"{len(archipelagos)} archipelagos, not 2")
    for archipelago in archipelagos:
        geometry = archipelago["_geometry"]
        if geometry.is_empty or not geometry.is_valid:
            problems.append(f"{archipelago['key']}: {shapely.is_valid_reason(geometry)}")
        if archipelago["province"] not in current:
            problems.append(f"{archipelago['key']}: province {archipelago['province']} does not exist")
    overlaps = [
        (codes[i], codes[j])
        for i, j in zip(*shapely.STRtree(provinces).query(provinces, predicate="overlaps"), strict=True)
        if i < j and provinces[i].intersection(provinces[j]).area > 0.01
    ]
    if overlaps:
        problems.append(f"provinces overlapping: {overlaps}")
    if problems:
        raise BuildError("the map does not check:\n  " + "\n  ".join(problems))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("geojson", type=Path, help="the 63 provinces with the two archipelagos (GeoJSON)")
    parser.add_argument("--admin-units", type=Path, default=ADMIN_UNITS, help=f"default: {ADMIN_UNITS}")
    parser.add_argument("--output", type=Path, default=OUTPUT, help=f"default: {OUTPUT}")
    args = parser.parse_args(argv)
    data = build(
        json.loads(args.geojson.read_text(encoding="utf-8")),
        json.loads(args.admin_units.read_text(encoding="utf-8")),
    )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    points = sum(p["path"].count(" ") for p in data["provinces"]) // 2
    print(f"wrote {args.output} ({args.output.stat().st_size} bytes, about {points} points)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
