"""The national map: provinces as circles at their coordinates over Viet Nam's outline.

The outline comes from Natural Earth (public domain) through ``scripts/build_vietnam_outline.py``
and is served from the repository; nothing is fetched at run time. Colours are a 5-class
sequential palette readable by colour-blind users (ColorBrewer YlGnBu), always with a legend,
and every circle carries its province and value as text for screen readers.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

OUTLINE_FILE = Path(__file__).resolve().parent / "data" / "vietnam_outline.json"
PALETTE = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
# Text on the darker classes is white, on the lighter ones dark.
INK = ("#1f2937", "#1f2937", "#1f2937", "#ffffff", "#ffffff")


@lru_cache(maxsize=1)
def outline() -> dict[str, Any]:
    with open(OUTLINE_FILE, encoding="utf-8") as handle:
        return json.load(handle)


def project(lat: float, lng: float) -> tuple[float, float]:
    p = outline()["projection"]
    x = (lng - p["lng_min"]) * math.cos(math.radians(p["cos_lat"])) * p["k"]
    y = (p["lat_max"] - lat) * p["k"]
    return round(x, 1), round(y, 1)


def classes(values: list[Decimal]) -> list[Decimal]:
    """Upper bounds of 5 equal-count classes (quantiles) of the values present."""
    ordered = sorted(values)
    if not ordered:
        return []
    bounds = [ordered[min(len(ordered) - 1, math.ceil(len(ordered) * q / 5) - 1)] for q in range(1, 6)]
    # Many equal values (a round's first weeks, 0 % everywhere) give equal quantiles: one class each,
    # or the legend repeats "0,0–0,0" for classes that no province can fall in.
    return sorted(set(bounds))


def class_colours(count: int) -> list[int]:
    """Palette positions for ``count`` classes, spread so that the highest class is the darkest."""
    if count <= 1:
        return [len(PALETTE) - 1][:count]
    return [round(i * (len(PALETTE) - 1) / (count - 1)) for i in range(count)]


def province_map(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Circles (x, y, colour, label) for the provinces of the province table."""
    values = [row["value"] for row in rows if row["value"] is not None]
    bounds = classes(values)
    colours = class_colours(len(bounds))
    circles = []
    for row in rows:
        province = row["province"]
        if province.latitude is None or province.longitude is None:
            continue
        x, y = project(province.latitude, province.longitude)
        value = row["value"]
        index = next((i for i, bound in enumerate(bounds) if value is not None and value <= bound), None)
        circles.append(
            {
                "x": x,
                "y": y,
                "province": province,
                "value": value,
                "fill": PALETTE[colours[index]] if index is not None else "#d1d5db",
                "ink": INK[colours[index]] if index is not None else "#1f2937",
            }
        )
    lower = [min(values)] + bounds[:-1] if values else []
    return {
        "view_box": " ".join(str(v) for v in outline()["view_box"]),
        "path": outline()["path"],
        "circles": circles,
        "legend": [{"fill": PALETTE[colours[i]], "low": lower[i], "high": bounds[i]} for i in range(len(bounds))],
    }
