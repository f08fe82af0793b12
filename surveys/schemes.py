"""Scoring schemes as data: loading them from ``surveys/data/scoring_schemes.json`` and finding
the one a response is scored with. The rules themselves are ``surveys.scoring``'s."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.apps import apps as global_apps
from django.db import transaction

from .scoring import SchemeSpec

SCHEMES_FILE = Path(__file__).resolve().parent / "data" / "scoring_schemes.json"


@lru_cache(maxsize=1)
def schemes_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SCHEMES_FILE.read_text(encoding="utf-8"))
    return data


def scheme_fields(data: dict[str, Any]) -> dict[str, Any]:
    """A scheme's model fields from its JSON description (checked by ``SchemeSpec.parse``)."""
    SchemeSpec.parse(data)
    return {
        "name_vi": data["name"]["vi"],
        "name_en": data["name"].get("en", ""),
        "source": data.get("source", ""),
        "pillar_bounds": [str(value) for value in data["pillar_bounds"]],
        "overall_bounds": [str(value) for value in data["overall_bounds"]],
        "pillars_needed": [str(value) for value in data["pillars_needed"]],
        "level_names_vi": list(data["level_names"]["vi"]),
        "level_names_en": list(data["level_names"].get("en", [])),
    }


def scoring_schemes_load(apps: Any = global_apps) -> Any:
    """Create (once) every scheme of the data file and return the default one. Idempotent: an
    existing code is left as it is, since a scheme in use never changes. ``apps`` lets a data
    migration pass its historical registry."""
    ScoringScheme = apps.get_model("surveys", "ScoringScheme")
    data = schemes_data()
    with transaction.atomic():
        for scheme in data["schemes"]:
            ScoringScheme.objects.get_or_create(code=scheme["code"], defaults=scheme_fields(scheme))
    return ScoringScheme.objects.get(code=data["default"])


def scheme_for(code: str | None, apps: Any = global_apps) -> Any:
    """The scheme named by a questionnaire's data (the default one when it names none)."""
    default = scoring_schemes_load(apps)
    if not code or code == default.code:
        return default
    return apps.get_model("surveys", "ScoringScheme").objects.get(code=code)
