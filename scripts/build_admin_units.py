"""Build cooperatives/data/admin_units.json, Viet Nam's administrative units.

Source: the data files shipped inside the PyPI package ``vietnamadminunits`` 1.0.4
(MIT licence, https://github.com/tranngocminhhieu/vietnamadminunits):

* ``data/dataset.db`` (SQLite), table ``admin_units``: the 34 provinces and 3,321
  wards/communes/special zones in force since 2025-07-01, with official codes and a
  representative point per province (``provinceLat``/``provinceLon``);
* the same file, table ``admin_units_legacy``: the 63 provinces in force until
  2025-06-30 and their wards;
* ``data/converter_2025.json``, key ``DICT_PROVINCE``: which old provinces each new
  province was formed from.

The script only reads those files (it never imports the package, whose address
converter can call an online geocoder), so it runs offline. It checks the data and
writes the same bytes on every run.

Rerun, from the repository root, in a throwaway venv outside the repository::

    python3.11 -m venv /tmp/vau
    /tmp/vau/bin/pip install vietnamadminunits==1.0.4
    /tmp/vau/bin/python scripts/build_admin_units.py

Pass ``--generated YYYY-MM-DD`` to date a regeneration from newer data (after raising
PACKAGE_VERSION and reviewing the differences).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import json
import sqlite3
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

PACKAGE = "vietnamadminunits"
PACKAGE_VERSION = "1.0.4"
DEFAULT_GENERATED = "2026-11-22"
SOURCE = (
    f"{PACKAGE} {PACKAGE_VERSION} (PyPI), official list in force from 2025-07-01 "
    "(Nghị quyết 202/2025/QH15 and the NQ of UBTVQH on ward arrangement)"
)
OUTPUT = Path(__file__).resolve().parent.parent / "cooperatives" / "data" / "admin_units.json"

PROVINCE_KINDS = ("Thành phố", "Tỉnh")
WARD_KINDS = ("Phường", "Xã", "Đặc khu")
EXPECTED_PROVINCES = 34
EXPECTED_LEGACY_PROVINCES = 63

Record = dict[str, Any]


def check(condition: object, message: object) -> None:
    """Stop with ``message`` unless ``condition`` holds (unlike assert, always on)."""
    if not condition:
        sys.exit(f"check failed: {message}")


def package_dir() -> Path:
    """Locate the installed package without importing it."""
    try:
        version = importlib.metadata.version(PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        sys.exit(f"{PACKAGE} is not installed: pip install {PACKAGE}=={PACKAGE_VERSION}")
    if version != PACKAGE_VERSION:
        sys.exit(f"{PACKAGE} {version} found, {PACKAGE_VERSION} expected (see docstring)")
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"cannot locate the {PACKAGE} package directory")
    return Path(next(iter(spec.submodule_search_locations)))


def nfc(value: str) -> str:
    """Trim and compose diacritics (NFC)."""
    return unicodedata.normalize("NFC", value.strip())


def kind_of(name: str, kinds: tuple[str, ...]) -> str:
    """Return the unit kind that prefixes ``name`` (e.g. "Phường Ba Đình" -> "Phường").

    The kind is taken from the official name rather than the package's ``wardType``
    column, which disagrees with the name for four wards in 1.0.4 (10543, 11848,
    31213, 31299); their names match the resolutions and their predecessor units.
    """
    for kind in kinds:
        if name.startswith(kind + " "):
            return kind
    raise ValueError(f"unknown unit kind in {name!r}")


def read_db(db_path: Path) -> dict[str, list[sqlite3.Row]]:
    """Read the rows this script needs from the package's SQLite file (read-only)."""
    queries = {
        "wards": "SELECT wardCode, ward, wardType, provinceCode FROM admin_units",
        "provinces": "SELECT DISTINCT provinceCode, province, provinceShort,"
        " provinceLat, provinceLon, provinceKey FROM admin_units",
        "legacy": "SELECT DISTINCT provinceCode, province, provinceShort, provinceKey FROM admin_units_legacy",
        "legacy_wards": "SELECT wardCode, provinceCode FROM admin_units_legacy WHERE wardCode IS NOT NULL",
    }
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        conn.row_factory = sqlite3.Row
        return {name: conn.execute(sql).fetchall() for name, sql in queries.items()}


def successors_by_ward_codes(wards: list[sqlite3.Row], legacy_wards: list[sqlite3.Row]) -> dict[str, str]:
    """Derive old -> new province codes from ward codes, to cross-check the converter.

    Most new wards keep the code of one of the old wards they were formed from, so each
    old province points at the new province holding most of its surviving ward codes.
    """
    old_province_of = {row["wardCode"]: row["provinceCode"] for row in legacy_wards}
    votes: dict[str, Counter[str]] = {}
    for ward in wards:
        old_province = old_province_of.get(ward["wardCode"])
        if old_province is not None:
            votes.setdefault(old_province, Counter())[ward["provinceCode"]] += 1
    return {old: counter.most_common(1)[0][0] for old, counter in votes.items()}


def build(pkg: Path, generated: str) -> dict[str, Any]:
    """Assemble and validate the data set."""
    rows = read_db(pkg / "data" / "dataset.db")
    converter = json.loads((pkg / "data" / "converter_2025.json").read_text(encoding="utf-8"))

    provinces: list[Record] = []
    code_by_key: dict[str, str] = {}
    for row in rows["provinces"]:
        name, short = nfc(row["province"]), nfc(row["provinceShort"])
        kind = kind_of(name, PROVINCE_KINDS)
        check(name == f"{kind} {short}", name)
        code_by_key[row["provinceKey"]] = row["provinceCode"]
        provinces.append(
            {
                "code": row["provinceCode"],
                "name": name,
                "short_name": short,
                "kind": kind,
                "lat": round(float(row["provinceLat"]), 6),
                "lng": round(float(row["provinceLon"]), 6),
            }
        )

    wards: list[Record] = []
    for row in rows["wards"]:
        name = nfc(row["ward"])
        kind = kind_of(name, WARD_KINDS)
        if kind != row["wardType"]:
            print(
                f"note: ward {row['wardCode']} {name}: package wardType {row['wardType']!r}, kind taken from the name",
                file=sys.stderr,
            )
        wards.append(
            {
                "code": row["wardCode"],
                "name": name,
                "kind": kind,
                "province": row["provinceCode"],
            }
        )

    successor_by_old_key: dict[str, str] = {}
    for new_key, old_keys in converter["DICT_PROVINCE"].items():
        for old_key in old_keys:
            check(old_key not in successor_by_old_key, f"{old_key} has two successors")
            successor_by_old_key[old_key] = code_by_key[new_key]

    by_ward_codes = successors_by_ward_codes(rows["wards"], rows["legacy_wards"])
    legacy: list[Record] = []
    for row in rows["legacy"]:
        name, short = nfc(row["province"]), nfc(row["provinceShort"])
        check(name == f"{kind_of(name, PROVINCE_KINDS)} {short}", name)
        successor = successor_by_old_key[row["provinceKey"]]
        check(
            by_ward_codes.get(row["provinceCode"]) == successor,
            f"{name}: converter says {successor}, ward codes say {by_ward_codes.get(row['provinceCode'])}",
        )
        legacy.append(
            {
                "code": row["provinceCode"],
                "name": name,
                "short_name": short,
                "successor": successor,
            }
        )

    validate(provinces, wards, legacy)
    return {
        "source": SOURCE,
        "generated": generated,
        "provinces": sorted(provinces, key=lambda p: p["code"]),
        "wards": sorted(wards, key=lambda w: w["code"]),
        "legacy_provinces": sorted(legacy, key=lambda p: p["code"]),
    }


def validate(provinces: list[Record], wards: list[Record], legacy: list[Record]) -> None:
    """Fail loudly if the data does not have the expected shape."""
    codes = {p["code"] for p in provinces}
    check(
        len(provinces) == len(codes) == EXPECTED_PROVINCES,
        f"{len(provinces)} provinces",
    )
    check(
        len(legacy) == len({p["code"] for p in legacy}) == EXPECTED_LEGACY_PROVINCES,
        f"{len(legacy)} legacy provinces",
    )
    check(len(wards) == len({w["code"] for w in wards}), "duplicate ward codes")
    check(
        all(len(p["code"]) == 2 and p["code"].isdigit() for p in provinces + legacy),
        "code",
    )
    check(all(len(w["code"]) == 5 and w["code"].isdigit() for w in wards), "ward code")
    with_wards = {w["province"] for w in wards}
    with_predecessors = {p["successor"] for p in legacy}
    check(with_wards == codes, f"provinces without wards: {codes ^ with_wards}")
    check(with_predecessors == codes, f"without predecessors: {codes ^ with_predecessors}")


def dump(data: dict[str, Any]) -> str:
    """Serialise with one record per line: valid JSON, stable, and readable in diffs."""

    def line(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=False)

    parts = []
    for key, value in data.items():
        if isinstance(value, list):
            body = ",\n".join(f"  {line(item)}" for item in value)
            parts.append(f"{line(key)}: [\n{body}\n ]")
        else:
            parts.append(f"{line(key)}: {line(value)}")
    return "{\n " + ",\n ".join(parts) + "\n}\n"


def main(argv: list[str] | None = None) -> None:
    """Parse arguments, build the data set and write it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--generated", default=DEFAULT_GENERATED, help="date, YYYY-MM-DD")
    args = parser.parse_args(argv)

    data = build(package_dir(), args.generated)
    text = dump(data)
    check(json.loads(text) == data, "serialisation round trip")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(
        f"wrote {args.output}: {len(data['provinces'])} provinces,"
        f" {len(data['wards'])} wards,"
        f" {len(data['legacy_provinces'])} legacy provinces"
    )


if __name__ == "__main__":
    main()
