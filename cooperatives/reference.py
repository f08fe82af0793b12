"""Loading the shipped reference data: provinces, wards, pre-2025 provinces, sectors.

The data files live in ``cooperatives/data/`` with their source named inside. Loading is
an upsert by code, so it is safe to repeat (a data migration runs it once; the command
``load_reference_data`` runs it again after a data file is updated).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.apps import apps as global_apps
from django.core.exceptions import ValidationError
from django.db import transaction

DATA_DIR = Path(__file__).resolve().parent / "data"


def _read(name: str) -> dict[str, Any]:
    with open(DATA_DIR / name, encoding="utf-8") as handle:
        return json.load(handle)


def _checked(rows: Iterable[Any]) -> list[Any]:
    """The rows, each through its model's field rules (``full_clean``) before the bulk upsert:
    uniqueness is the upsert's, and the links to other reference rows are made from their codes
    here, so neither is asked of the database row by row. A bad row stops the load, naming it."""
    checked = []
    for row in rows:
        links = [field.name for field in row._meta.concrete_fields if field.is_relation]
        try:
            row.full_clean(exclude=links, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            raise ValidationError(f"{row._meta.object_name} {row.code}: {error.message_dict}") from error
        checked.append(row)
    return checked


def reference_data_load(apps: Any = global_apps) -> dict[str, int]:
    """Upsert the reference tables from the shipped files; return the counts loaded.

    ``apps`` lets a data migration pass its historical app registry.
    """
    Province = apps.get_model("cooperatives", "Province")
    Ward = apps.get_model("cooperatives", "Ward")
    LegacyProvince = apps.get_model("cooperatives", "LegacyProvince")
    Sector = apps.get_model("cooperatives", "Sector")

    units = _read("admin_units.json")
    sectors = _read("sectors.json")["sectors"]
    with transaction.atomic():
        names_before = dict(Ward.objects.values_list("code", "name"))
        Province.objects.bulk_create(
            _checked(
                Province(
                    code=p["code"],
                    name=p["name"],
                    short_name=p["short_name"],
                    kind=p["kind"],
                    latitude=p.get("lat"),
                    longitude=p.get("lng"),
                )
                for p in units["provinces"]
            ),
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["name", "short_name", "kind", "latitude", "longitude"],
        )
        province_ids = dict(Province.objects.values_list("code", "id"))
        Ward.objects.bulk_create(
            _checked(
                Ward(code=w["code"], name=w["name"], kind=w["kind"], province_id=province_ids[w["province"]])
                for w in units["wards"]
            ),
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["name", "kind", "province"],
            batch_size=1000,
        )
        LegacyProvince.objects.bulk_create(
            _checked(
                LegacyProvince(
                    code=p["code"],
                    name=p["name"],
                    short_name=p["short_name"],
                    successor_id=province_ids[p["successor"]],
                )
                for p in units["legacy_provinces"]
            ),
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["name", "short_name", "successor"],
        )
        Sector.objects.bulk_create(
            _checked(
                Sector(code=s["code"], name=s["name"], name_en=s["name_en"], position=index)
                for index, s in enumerate(sectors)
            ),
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["name", "name_en", "position"],
        )
        renamed = [w["code"] for w in units["wards"] if names_before.get(w["code"], w["name"]) != w["name"]]
        if renamed and apps is global_apps:
            # The ward's name is part of each cooperative's search text. (A data migration
            # runs before any cooperative exists, with its historical models: nothing to do.)
            from .services import cooperative_search_text_refresh

            cooperative_search_text_refresh(ward_ids=Ward.objects.filter(code__in=renamed).values_list("pk", flat=True))
    return {
        "provinces": len(units["provinces"]),
        "wards": len(units["wards"]),
        "legacy_provinces": len(units["legacy_provinces"]),
        "sectors": len(sectors),
    }


def sector_aliases() -> dict[str, str]:
    """Folded spellings and short codes that name each sector, mapped to its code."""
    from .text import fold

    aliases: dict[str, str] = {}
    for sector in _read("sectors.json")["sectors"]:
        for spelling in [sector["code"], sector["name"], sector["name_en"], *sector["aliases"]]:
            aliases[fold(spelling)] = sector["code"]
    return aliases
