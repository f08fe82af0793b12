"""Loading the seeded directives from ``directives/data/directives.json``.

The file holds Resolution 20-NQ/TW, Directive 19/CT-TTg and Phú Yên's 3734/UBND-KT, their
tasks and the agencies they name; its README gives the sources and the shape. Each province's
People's Committee is made here from the reference geography, not written out in the file.

Loading is an upsert by stable codes, so running it again changes nothing (a data
migration runs it once; ``apps`` lets the migration pass its historical registry).
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any, TypedDict, cast

from django.apps import apps as global_apps
from django.db import transaction

DATA_FILE = Path(__file__).resolve().parent / "data" / "directives.json"


class AgencySpec(TypedDict):
    code: str
    name: str
    short_name: str
    kind: str
    successor: str | None
    dissolved_on: str | None


class ProvincialAgencySpec(AgencySpec):
    province: str
    legacy_province: str | None


class DocumentSpec(TypedDict):
    code: str
    number: str
    kind: str
    title: str
    issuing_agency: str
    issued_on: str
    parent: str | None
    summary: str


class TaskSpec(TypedDict):
    code: str
    document: str
    clause: str
    lead_agency: str
    content: str
    starts_on: str
    cooperating_agencies: list[str]
    indicator_codes: list[str]
    note: str


class SharedTaskSpec(TypedDict):
    """One task given to several agencies: ``code`` is a template of ``{agency}`` (the lead
    agency's code in lower case) and ``{province}`` (a committee's province code)."""

    code: str
    document: str
    clause: str
    content: str
    starts_on: str
    lead_agencies: list[str]
    and_every_provincial_committee: bool


class DirectiveSeed(TypedDict):
    source: str
    national_agencies: list[AgencySpec]
    provincial_agencies: list[ProvincialAgencySpec]
    documents: list[DocumentSpec]
    tasks: list[TaskSpec]
    shared_tasks: list[SharedTaskSpec]


def directive_seed_data() -> DirectiveSeed:
    with open(DATA_FILE, encoding="utf-8") as handle:
        return cast(DirectiveSeed, json.load(handle))


def provincial_committee_code(province_code: str) -> str:
    return f"UBND-{province_code}"


def _upsert(model: Any, code: str, fields: dict[str, Any]) -> Any:
    """The row of ``model`` with this code, created or changed to ``fields``, through the model's
    rules (``full_clean``: its validators, and its ``clean`` outside migrations) like every other
    write; running it again changes nothing."""
    row = model.objects.filter(code=code).first() or model(code=code)
    for name, value in fields.items():
        setattr(row, name, value)
    row.full_clean()
    row.save()
    return row


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _expand_shared(shared: SharedTaskSpec, province_codes: list[str]) -> list[TaskSpec]:
    leads = [(code, "") for code in shared["lead_agencies"]]
    if shared["and_every_provincial_committee"]:
        leads += [(provincial_committee_code(code), code) for code in province_codes]
    return [
        TaskSpec(
            code=shared["code"].format(agency=agency.lower(), province=province),
            document=shared["document"],
            clause=shared["clause"],
            lead_agency=agency,
            content=shared["content"],
            starts_on=shared["starts_on"],
            cooperating_agencies=[],
            indicator_codes=[],
            note="",
        )
        for agency, province in leads
    ]


@transaction.atomic
def directive_seed_load(apps: Any = global_apps) -> dict[str, int]:
    """Upsert the seeded agencies, documents and tasks by their codes; return the counts.

    The sources give no deadlines: every task is recurring ("thường xuyên") with a yearly
    report, which is how the Government Office treats tasks without a deadline.
    """
    Province = apps.get_model("cooperatives", "Province")
    LegacyProvince = apps.get_model("cooperatives", "LegacyProvince")
    Agency = apps.get_model("directives", "Agency")
    Document = apps.get_model("directives", "Document")
    DirectiveTask = apps.get_model("directives", "DirectiveTask")
    data = directive_seed_data()

    agencies: dict[str, Any] = {}

    def upsert_agency(code: str, **fields: Any) -> None:
        agencies[code] = _upsert(Agency, code, fields)

    for national in data["national_agencies"]:
        upsert_agency(
            national["code"],
            name=national["name"],
            short_name=national["short_name"],
            kind=national["kind"],
            dissolved_on=_date(national["dissolved_on"]),
        )
    provinces = {p.code: p for p in Province.objects.all()}
    for province in provinces.values():
        kind = province.kind.lower()
        upsert_agency(
            provincial_committee_code(province.code),
            name=f"Ủy ban nhân dân {kind} {province.short_name}",
            short_name=f"UBND {kind} {province.short_name}",
            kind="provincial_committee",
            province=province,
        )
    for local in data["provincial_agencies"]:
        legacy_code = local["legacy_province"]
        upsert_agency(
            local["code"],
            name=local["name"],
            short_name=local["short_name"],
            kind=local["kind"],
            province=provinces[local["province"]],
            legacy_province=LegacyProvince.objects.get(code=legacy_code) if legacy_code else None,
            dissolved_on=_date(local["dissolved_on"]),
        )
    for named in [*data["national_agencies"], *data["provincial_agencies"]]:
        if named["successor"]:
            agency = agencies[named["code"]]
            agency.successor = agencies[named["successor"]]
            agency.full_clean()
            agency.save(update_fields=["successor"])

    documents: dict[str, Any] = {}
    for document in data["documents"]:
        parent = document["parent"]
        documents[document["code"]] = _upsert(
            Document,
            document["code"],
            {
                "number": document["number"],
                "kind": document["kind"],
                "title": document["title"],
                "issuing_agency": agencies[document["issuing_agency"]],
                "issued_on": _date(document["issued_on"]),
                "parent": documents[parent] if parent else None,
                "summary": document["summary"],
            },
        )

    province_codes = sorted(provinces)
    tasks = list(data["tasks"])
    for shared in data["shared_tasks"]:
        tasks += _expand_shared(shared, province_codes)
    for spec in tasks:
        lead_agency = agencies[spec["lead_agency"]]
        task = _upsert(
            DirectiveTask,
            spec["code"],
            {
                "document": documents[spec["document"]],
                "clause": spec["clause"],
                "content": spec["content"],
                "lead_agency": lead_agency,
                "province": lead_agency.province,
                "starts_on": _date(spec["starts_on"]),
                "deadline": None,
                "reporting_period": "yearly",
                "indicator_codes": spec["indicator_codes"],
                "note": spec["note"],
            },
        )
        task.cooperating_agencies.set([agencies[c] for c in spec["cooperating_agencies"]])
    return {"agencies": len(agencies), "documents": len(documents), "tasks": len(tasks)}
