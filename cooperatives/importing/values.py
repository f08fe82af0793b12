"""The registry's reference tables (provinces, pre-2025 provinces, wards, sectors) folded into
dictionaries once per import, and the words a status cell may hold. Cells are read by
:mod:`imports.cells`."""

from __future__ import annotations

from collections.abc import Iterable

from ..models import CooperativeStatus, LegacyProvince, Province, Sector, Ward
from ..reference import sector_aliases
from ..text import fold, nfc

STATUS_WORDS = {
    "dang hoat dong": CooperativeStatus.ACTIVE,
    "hoat dong": CooperativeStatus.ACTIVE,
    "active": CooperativeStatus.ACTIVE,
    "tam ngung": CooperativeStatus.SUSPENDED,
    "tam ngung hoat dong": CooperativeStatus.SUSPENDED,
    "tam dung hoat dong": CooperativeStatus.SUSPENDED,
    "suspended": CooperativeStatus.SUSPENDED,
    "giai the": CooperativeStatus.DISSOLVED,
    "da giai the": CooperativeStatus.DISSOLVED,
    "dissolved": CooperativeStatus.DISSOLVED,
}


class Lookups:
    """Reference tables folded into dictionaries once per import (a few queries in all)."""

    def __init__(self) -> None:
        self.provinces: dict[str, int] = {}
        self.legacy: dict[str, int] = {}
        self.province_names: dict[int, str] = {}
        for province in Province.objects.all():
            self.province_names[province.pk] = province.short_name
            for spelling in (province.code, province.name, province.short_name):
                self.provinces[fold(spelling)] = province.pk
            if province.kind == "Thành phố":
                for prefix in ("tp", "tp.", "thanh pho"):
                    self.provinces[f"{prefix} {fold(province.short_name)}"] = province.pk
        for legacy in LegacyProvince.objects.all():
            for spelling in (legacy.name, legacy.short_name):
                self.legacy.setdefault(fold(spelling), legacy.successor_id)
        codes: dict[str, int] = {}
        self.sector_names: dict[int, str] = {}
        for pk, code, name in Sector.objects.values_list("pk", "code", "name"):
            codes[code] = pk
            self.sector_names[pk] = name
        self.sectors = {alias: codes[code] for alias, code in sector_aliases().items() if code in codes}
        self.wards: dict[int, tuple[dict[str, list[int]], dict[str, list[int]]]] = {}
        self.ward_names: dict[int, str] = {}

    def load_wards(self, province_ids: Iterable[int]) -> None:
        """Index wards by code, exact name and folded name, with and without their kind."""
        wanted = set(province_ids) - set(self.wards)
        for ward_id, code, name, kind, province_id in Ward.objects.filter(province_id__in=wanted).values_list(
            "pk", "code", "name", "kind", "province_id"
        ):
            exact, folded = self.wards.setdefault(province_id, ({}, {}))
            self.ward_names[ward_id] = name
            bare = name[len(kind) :].strip() if name.startswith(kind) else name
            exact.setdefault(code, []).append(ward_id)
            for spelling in {name, bare}:
                exact.setdefault(exact_key(spelling), []).append(ward_id)
                folded.setdefault(fold(spelling), []).append(ward_id)

    def ward(self, province_id: int, value: str) -> list[int]:
        """Wards matching ``value``: the exact spelling wins; without diacritics only as a fallback,
        since folding makes e.g. "Lộc Thành" and "Lộc Thạnh" the same."""
        exact, folded = self.wards.get(province_id, ({}, {}))
        key = value.strip().zfill(5) if value.strip().isdigit() else exact_key(value)
        return exact.get(key) or folded.get(fold(value), [])

    def province(self, value: str) -> tuple[int | None, bool]:
        """(province id, whether a pre-2025 name was used)."""
        key = fold(value)
        if key.isdigit():
            key = key.zfill(2)
        if key in self.provinces:
            return self.provinces[key], False
        if key in self.legacy:
            return self.legacy[key], True
        for prefix in ("tinh ", "thanh pho ", "tp. ", "tp "):
            if key.startswith(prefix):
                return self.province(key[len(prefix) :])
        return None, False


def exact_key(value: str) -> str:
    """Case and spacing ignored, diacritics kept (composed)."""
    return " ".join(nfc(value).lower().split())
