"""The national map: the 34 provinces, and the Hoàng Sa and Trường Sa archipelagos, coloured by an indicator.

The shapes come from ``indicators/data/province_map.json``, built by ``scripts/build_province_map.py``
from the 63 former provinces' polygons (its ``source`` key names them) and served from the
repository; nothing is fetched at run time. Colours are a 5-class sequential palette readable by
colour-blind users (ColorBrewer YlGnBu), with equal-count (quantile) classes and a legend; a province
without a figure has its own hatched fill and legend entry, never the colour of zero.

Numbers in SVG attributes come from the file as plain strings and are never localised; the figures
people read are formatted by the template in their language.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from .selectors import TargetCheck, too_few

MAP_FILE = Path(__file__).resolve().parent / "data" / "province_map.json"
PALETTE = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
# The hatched fill of a province without a figure: a pattern the template defines once.
NO_DATA_PATTERN = "map-no-data"
NO_DATA_FILL = f"url(#{NO_DATA_PATTERN})"
# A province whose figure rests on fewer than 5 answers: a pattern of its own (dots), so that on the
# map it is told apart from one without any figure, as the legend tells them apart.
TOO_FEW_PATTERN = "map-too-few"
TOO_FEW_FILL = f"url(#{TOO_FEW_PATTERN})"
# Figures are shown with one decimal; they are classed as shown, so that two provinces that read
# alike are never in different classes.
SHOWN = Decimal("0.1")


@lru_cache(maxsize=1)
def shapes() -> dict[str, Any]:
    with open(MAP_FILE, encoding="utf-8") as handle:
        return json.load(handle)


def archipelago_names() -> dict[str, str]:
    return {
        "hoang_sa": _("Hoang Sa (Paracel) Islands"),
        "truong_sa": _("Truong Sa (Spratly) Islands"),
    }


def unit(metric: str) -> str:
    """The indicator's unit: percentages for shares (``_pct``), points (0-100) for scores (``_avg``)."""
    return "%" if metric.endswith("_pct") else _("points")


def shown(value: Decimal) -> Decimal:
    return value.quantize(SHOWN, rounding=ROUND_HALF_UP)


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


def class_of(value: Decimal | None, bounds: list[Decimal]) -> int | None:
    if value is None:
        return None
    return next(i for i, bound in enumerate(bounds) if value <= bound)


def province_map(
    rows: list[dict[str, Any]],
    *,
    metric: str,
    label: str,
    href: Callable[[str], str],
    target: TargetCheck | None = None,
) -> dict[str, Any]:
    """The provinces of the province table as coloured shapes, the archipelagos, and the legend.

    Each row has ``province``, ``value`` (a Decimal, or None when the province has no figure) and
    ``surveyed_total`` (the answers a share rests on). A legend entry's range is the lowest and
    highest figure of the provinces in its class, so that ranges never overlap; a "no data" entry
    follows whenever a province has no figure, and an "n < 5" one when a province's figure rests on
    too few answers to be shown (it is not coloured). ``href``: a province's page, by its code
    (the dashboard's or the public one). ``target``: the national target that applies to the
    round, said under the legend with how many provinces reached it.
    """
    data = shapes()
    paths = {item["code"]: item for item in data["provinces"]}
    few = {
        row["province"].code for row in rows if row["value"] is not None and too_few(metric, row.get("surveyed_total"))
    }
    values = {
        row["province"].code: shown(row["value"])
        for row in rows
        if row["value"] is not None and row["province"].code not in few
    }
    bounds = classes(list(values.values()))
    colours = class_colours(len(bounds))
    members: list[list[Decimal]] = [[] for _bound in bounds]
    provinces = []
    for row in rows:
        code = row["province"].code
        if code not in paths:
            continue
        value = values.get(code)
        index = class_of(value, bounds)
        if value is not None and index is not None:
            members[index].append(value)
        provinces.append(
            {
                "code": code,
                "name": row["province"].short_name,
                "value": value,
                "href": href(code),
                "too_few": code in few,
                "fill": TOO_FEW_FILL if code in few else NO_DATA_FILL if index is None else PALETTE[colours[index]],
                "path": paths[code]["path"],
                # Where a caption points on keyboard focus: a point inside the province.
                "anchor_x": str(paths[code]["anchor"][0]),
                "anchor_y": str(paths[code]["anchor"][1]),
            }
        )
    by_code = {province["code"]: province for province in provinces}
    names = archipelago_names()
    archipelagos = []
    for item in data["archipelagos"]:
        owner = by_code.get(item["province"])
        if owner is None:
            continue
        x, y = item["label"]
        archipelagos.append(
            {
                "key": item["key"],
                "name": names[item["key"]],
                "province": owner,
                "path": item["path"],
                "label_x": str(x),
                "label_y": str(y),
                "anchor_x": str(item["anchor"][0]),
                "anchor_y": str(item["anchor"][1]),
            }
        )
    no_data = sum(1 for province in provinces if province["value"] is None and not province["too_few"])
    return {
        "view_box": " ".join(str(v) for v in data["view_box"]),
        "provinces": provinces,
        "archipelagos": archipelagos,
        "title": f"{label} ({unit(metric)})",
        "suffix": "%" if metric.endswith("_pct") else f"\N{NO-BREAK SPACE}{unit(metric)}",
        "legend": [
            {"fill": PALETTE[colours[i]], "low": min(found), "high": max(found), "count": len(found)}
            for i, found in enumerate(members)
        ],
        "no_data": no_data,
        "too_few": len(few & set(paths)),
        "target": target,
        "reached": sum(1 for value in values.values() if target is not None and value >= target.value),
        "with_figures": len(values),
        "no_data_fill": NO_DATA_FILL,
        "no_data_pattern": NO_DATA_PATTERN,
        "too_few_fill": TOO_FEW_FILL,
        "too_few_pattern": TOO_FEW_PATTERN,
    }
