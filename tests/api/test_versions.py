"""No cached answer or ETag outlives a change to the data it shows, whatever path made the change.

The API's validators (ETag, Last-Modified) and its cache of rendered answers rest on the version
of each data set (``coopdx.versions``). Every model whose data appears in a cached answer feeds a
data set, and every write to its table, by any path (the admin, a service, ``save()``,
``QuerySet.update()``, ``bulk_create``, a delete, the reference-data load, an import, a shell
command, raw SQL), renews that version when it commits: the registry's, the indicators' and the
completeness-and-timeliness answers, each model they show, each way it is written. Each test below
asks with the old ETag after a change and must get 200 and the new data, never 304 with the old.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from accounts.models import Role
from coopdx import versions
from cooperatives.models import Cooperative, CooperativeStatus, Province, Sector, Ward
from cooperatives.reference import reference_data_load
from cooperatives.services import cooperative_update
from indicators.models import IndicatorSnapshot
from surveys.models import Response, ResponseStatus, SurveyRound
from tests.api.conftest import first_ward, make_snapshot
from tests.factories import CooperativeFactory, UserFactory

pytestmark = pytest.mark.django_db

REGISTRY = "/api/v1/cooperatives/?page_size=50"
REGISTRY_CSV = "/api/v1/bulk/cooperatives.csv"
FIGURES = "/api/v1/indicators/"
NATIONAL = "/api/v1/indicators/national/"


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


def _registry_row(client, code: str) -> dict[str, Any]:
    return {row["code"]: row for row in client.get(REGISTRY).json()["results"]}[code]


@pytest.fixture
def quantri(db):
    """The national administrator who keeps the reference data in the admin (as the demo's quantri)."""
    return UserFactory(username="quantri", role=Role.NATIONAL_ADMIN, is_staff=True, is_superuser=True)


def _an_hour_ago() -> None:
    """Date the registry's last change an hour back, so that answers carry a Last-Modified."""
    from django.db.models import F

    from coopdx.models import DataVersion

    hour = datetime.timedelta(hours=1)
    Cooperative.objects.update(updated_at=F("updated_at") - hour)
    DataVersion.objects.update(changed_at=F("changed_at") - hour)


@pytest.fixture
def reference_data(transactional_db):
    """Transactional tests end with a flush; the reference data comes back first."""
    from tests.conftest import ensure_reference_data

    ensure_reference_data()


@pytest.fixture
def ward_coop(province_a):
    """Coop A of Đồng Tháp in a known ward."""
    ward = province_a.wards.order_by("code").first()
    return CooperativeFactory(province=province_a, ward=ward, code="8200000777", name="Hợp tác xã Phường Mẫu")


# --- The reported case: a province renamed in the admin ---------------------------------------


def test_a_province_renamed_in_the_admin_is_answered_at_once_not_304(
    login, quantri, ministry_analyst, ward_coop, province_a, django_capture_on_commit_callbacks
):
    _an_hour_ago()
    api = login(ministry_analyst)
    first = api.get(REGISTRY)
    assert _registry_row(api, ward_coop.code)["province_name"] == province_a.name
    assert api.get(REGISTRY, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert api.get(REGISTRY, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304

    admin = login(quantri)
    with django_capture_on_commit_callbacks(execute=True):
        saved = admin.post(
            f"/admin/cooperatives/province/{province_a.pk}/change/",
            {
                "code": province_a.code,
                "name": "Tỉnh Đồng Tháp Mới",
                "short_name": province_a.short_name,
                "kind": province_a.kind,
                "latitude": province_a.latitude or "",
                "longitude": province_a.longitude or "",
            },
        )
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert Province.objects.get(pk=province_a.pk).name == "Tỉnh Đồng Tháp Mới"

    api = login(ministry_analyst)
    again = api.get(REGISTRY, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    rows = {row["code"]: row for row in again.json()["results"]}
    assert rows[ward_coop.code]["province_name"] == "Tỉnh Đồng Tháp Mới"
    # And the If-Modified-Since validator moved too.
    assert api.get(REGISTRY, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_province_renamed_in_the_admin_with_real_commits(reference_data, login, quantri, ministry_analyst, ward_coop):
    """The same, with the admin's transaction really committed (no test transaction around it)."""
    province = ward_coop.province
    api = login(ministry_analyst)
    first = api.get(REGISTRY)
    assert api.get(REGISTRY, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    saved = login(quantri).post(
        f"/admin/cooperatives/province/{province.pk}/change/",
        {
            "code": province.code,
            "name": "Tỉnh Đồng Tháp Mới",
            "short_name": province.short_name,
            "kind": province.kind,
            "latitude": province.latitude or "",
            "longitude": province.longitude or "",
        },
    )
    assert saved.status_code == 302
    api = login(ministry_analyst)
    again = api.get(REGISTRY, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert {row["code"]: row for row in again.json()["results"]}[ward_coop.code]["province_name"] == (
        "Tỉnh Đồng Tháp Mới"
    )


# --- Every model that feeds an answer, through every write path ------------------------------


def _admin_post(ctx, path: str, data: dict[str, Any]) -> None:
    response = ctx["login"](ctx["quantri"]).post(path, data)
    assert response.status_code == 302, response.content.decode()[:3000]


def _province_form(province: Province, **changes: Any) -> dict[str, Any]:
    data = {
        "code": province.code,
        "name": province.name,
        "short_name": province.short_name,
        "kind": province.kind,
        "latitude": province.latitude if province.latitude is not None else "",
        "longitude": province.longitude if province.longitude is not None else "",
    }
    return {**data, **changes}


def _shell(code: str) -> None:
    call_command("shell", command=code)


def _raw(sql: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _upsert(model, obj, unique: str, fields: list[str]) -> None:
    model.objects.bulk_create([obj], update_conflicts=True, unique_fields=[unique], update_fields=fields)


class Case:
    """One model that feeds an answer: where its data shows, and how each path changes it.

    Each path returns the value the answer must show afterwards (``probe``), or ``None`` when the
    change is not visible in the body (only the validators must move)."""

    def __init__(
        self,
        path: str,
        probe: Callable[[Any, dict[str, Any]], Any],
        writes: dict[str, Callable],
        setup: Callable[[dict[str, Any]], None] | None = None,
    ):
        self.path, self.probe, self.writes, self.setup = path, probe, writes, setup


def _coop_field(name: str):
    def probe(body, ctx):
        return {row["code"]: row for row in body["results"]}[ctx["coop"].code][name]

    return probe


def _province(ctx) -> Province:
    return Province.objects.get(pk=ctx["coop"].province_id)


def _ward(ctx) -> Ward:
    return Ward.objects.get(pk=ctx["coop"].ward_id)


def _sector(ctx) -> Sector:
    return Sector.objects.get(pk=ctx["coop"].sector_id)


def _save(obj, **changes):
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.save()


def _new_coop_bulk(ctx) -> None:
    Cooperative.objects.bulk_create(
        [
            Cooperative(
                code="8200005555",
                name="Hợp tác xã Thêm Hàng Loạt",
                search_text="hop tac xa them hang loat",
                province_id=ctx["coop"].province_id,
                sector_id=ctx["coop"].sector_id,
            )
        ]
    )


def _reference_load_after(change: Callable[[dict[str, Any]], None], ctx) -> None:
    """The official names come back from the shipped files over a local change."""
    reference_data_load()


REGISTRY_CASES = {
    "province name": Case(
        REGISTRY,
        _coop_field("province_name"),
        {
            "admin": lambda ctx: (
                _admin_post(
                    ctx,
                    f"/admin/cooperatives/province/{ctx['coop'].province_id}/change/",
                    _province_form(_province(ctx), name="Tỉnh Qua Quản Trị"),
                ),
                "Tỉnh Qua Quản Trị",
            )[1],
            "save": lambda ctx: (_save(_province(ctx), name="Tỉnh Qua Save"), "Tỉnh Qua Save")[1],
            "update": lambda ctx: (
                Province.objects.filter(pk=ctx["coop"].province_id).update(name="Tỉnh Qua Update"),
                "Tỉnh Qua Update",
            )[1],
            "bulk_update": lambda ctx: (
                Province.objects.bulk_update([_save_in_memory(_province(ctx), name="Tỉnh Hàng Loạt")], ["name"]),
                "Tỉnh Hàng Loạt",
            )[1],
            "bulk_create": lambda ctx: (
                _upsert(Province, _save_in_memory(_province(ctx), pk=None, name="Tỉnh Upsert"), "code", ["name"]),
                "Tỉnh Upsert",
            )[1],
            "shell": lambda ctx: (
                _shell(
                    "from cooperatives.models import Province; "
                    f"Province.objects.filter(pk={ctx['coop'].province_id}).update(name='Tỉnh Qua Shell')"
                ),
                "Tỉnh Qua Shell",
            )[1],
            "raw SQL": lambda ctx: (
                _raw(
                    f"UPDATE {Province._meta.db_table} SET name = %s WHERE id = %s",
                    ["Tỉnh Qua SQL", ctx["coop"].province_id],
                ),
                "Tỉnh Qua SQL",
            )[1],
            "reference-data load": lambda ctx: (reference_data_load(), ctx["official_province_name"])[1],
        },
    ),
    "ward name": Case(
        REGISTRY,
        _coop_field("ward_name"),
        {
            "admin": lambda ctx: (
                _admin_post(
                    ctx,
                    f"/admin/cooperatives/ward/{ctx['coop'].ward_id}/change/",
                    {
                        "code": _ward(ctx).code,
                        "name": "Phường Qua Quản Trị",
                        "kind": _ward(ctx).kind,
                        "province": ctx["coop"].province_id,
                    },
                ),
                "Phường Qua Quản Trị",
            )[1],
            "save": lambda ctx: (_save(_ward(ctx), name="Phường Qua Save"), "Phường Qua Save")[1],
            "update": lambda ctx: (
                Ward.objects.filter(pk=ctx["coop"].ward_id).update(name="Phường Qua Update"),
                "Phường Qua Update",
            )[1],
            "bulk_create": lambda ctx: (
                _upsert(Ward, _save_in_memory(_ward(ctx), pk=None, name="Phường Upsert"), "code", ["name"]),
                "Phường Upsert",
            )[1],
            "reference-data load": lambda ctx: (reference_data_load(), ctx["official_ward_name"])[1],
        },
    ),
    "sector code": Case(
        REGISTRY,
        _coop_field("sector"),
        {
            "admin": lambda ctx: (
                _admin_post(
                    ctx,
                    f"/admin/cooperatives/sector/{ctx['coop'].sector_id}/change/",
                    {
                        "code": "NQ",
                        "name": _sector(ctx).name,
                        "name_en": _sector(ctx).name_en,
                        "position": _sector(ctx).position,
                    },
                ),
                "NQ",
            )[1],
            "save": lambda ctx: (_save(_sector(ctx), code="NS"), "NS")[1],
            "update": lambda ctx: (Sector.objects.filter(pk=ctx["coop"].sector_id).update(code="NU"), "NU")[1],
            "bulk_create": lambda ctx: (
                Sector.objects.bulk_create([Sector(code="ZZ", name="Lĩnh vực mới", name_en="New", position=99)]),
                None,
            )[1],
        },
    ),
    "cooperative name": Case(
        REGISTRY,
        _coop_field("name"),
        {
            "admin": lambda ctx: (
                _admin_post(
                    ctx,
                    f"/admin/cooperatives/cooperative/{ctx['coop'].pk}/change/",
                    {
                        **_cooperative_form(ctx["coop"]),
                        "name": "Hợp tác xã Qua Quản Trị",
                    },
                ),
                "Hợp tác xã Qua Quản Trị",
            )[1],
            "service": lambda ctx: (
                cooperative_update(cooperative=ctx["coop"], by=ctx["quantri"], name="Hợp tác xã Qua Dịch Vụ"),
                "Hợp tác xã Qua Dịch Vụ",
            )[1],
            "save": lambda ctx: (
                _save(Cooperative.objects.get(pk=ctx["coop"].pk), name="Hợp tác xã Qua Save"),
                "Hợp tác xã Qua Save",
            )[1],
            "update": lambda ctx: (
                Cooperative.objects.filter(pk=ctx["coop"].pk).update(name="Hợp tác xã Qua Update"),
                "Hợp tác xã Qua Update",
            )[1],
            "bulk_create": lambda ctx: (_new_coop_bulk(ctx), None)[1],
        },
    ),
}


def _figures_probe(field: str, **where: Any):
    def probe(body, ctx):
        rows = [row for row in body["results"] if all(row[k] == v for k, v in where.items())]
        return sorted({row[field] for row in rows if row[field] is not None})

    return probe


def _round(ctx) -> SurveyRound:
    return SurveyRound.objects.get(pk=ctx["round"].pk)


INDICATOR_CASES = {
    "figure value": Case(
        NATIONAL,
        _figures_probe("value", metric="ecommerce_pct"),
        {
            "service (nightly aggregation)": lambda ctx: (_aggregate(ctx), None)[1],
            "save": lambda ctx: (
                _save(IndicatorSnapshot.objects.filter(scope_key="nation").get(), value=Decimal("41")),
                [41],
            )[1],
            "update": lambda ctx: (IndicatorSnapshot.objects.update(value=Decimal("42")), [42])[1],
            "bulk_create": lambda ctx: (
                IndicatorSnapshot.objects.bulk_create(
                    [
                        _save_in_memory(
                            IndicatorSnapshot.objects.filter(scope_key="nation").get(), pk=None, metric="other_pct"
                        )
                    ]
                ),
                None,
            )[1],
            "delete": lambda ctx: (IndicatorSnapshot.objects.filter(scope_key="nation").delete(), [])[1],
        },
    ),
    "round code": Case(
        NATIONAL,
        _figures_probe("round"),
        {
            "admin": lambda ctx: (
                _admin_post(
                    ctx,
                    f"/admin/surveys/surveyround/{ctx['round'].pk}/change/",
                    {**_round_form(_round(ctx)), "code": "KS-QUA-QUAN-TRI"},
                ),
                ["KS-QUA-QUAN-TRI"],
            )[1],
            "save": lambda ctx: (_save(_round(ctx), code="KS-SAVE"), ["KS-SAVE"])[1],
            "update": lambda ctx: (
                SurveyRound.objects.filter(pk=ctx["round"].pk).update(code="KS-UPDATE"),
                ["KS-UPDATE"],
            )[1],
        },
    ),
    "province code": Case(
        FIGURES + "?scope=province",
        _figures_probe("province"),
        {
            "update": lambda ctx: (Province.objects.filter(code="66").update(code="99"), ["82", "99"])[1],
            "save": lambda ctx: (_save(Province.objects.get(code="66"), code="98"), ["82", "98"])[1],
        },
    ),
    "sector code": Case(
        FIGURES + "?scope=sector",
        _figures_probe("sector"),
        {
            "update": lambda ctx: (Sector.objects.filter(code="NN").update(code="NX"), ["NX"])[1],
            "bulk_update": lambda ctx: (
                Sector.objects.bulk_update([_save_in_memory(Sector.objects.get(code="NN"), code="NB")], ["code"]),
                ["NB"],
            )[1],
        },
    ),
    "ward code": Case(
        "/api/v1/indicators/provinces/82/wards/",
        _figures_probe("ward"),
        {
            "save": lambda ctx: (_save(first_ward("82"), code="99001"), ["99001"])[1],
            "update": lambda ctx: (
                Ward.objects.filter(pk=first_ward("82").pk).update(code="99002"),
                ["99002"],
            )[1],
        },
    ),
}


def _nation(field: str):
    def probe(body, ctx):
        return body["nation"][field]

    return probe


def _submit_in_browser(ctx) -> None:
    from tests.indicators.test_aggregation import answer

    answer(ctx["round"].questionnaire, ctx["round"], ctx["coop"], ctx["quantri"], accept=False)


def _submitted(ctx) -> Response:
    return Response(
        round=ctx["round"], cooperative=ctx["coop"], status=ResponseStatus.SUBMITTED, submitted_at=timezone.now()
    )


def _draft(ctx) -> None:
    Response.objects.create(round=ctx["round"], cooperative=ctx["coop"])


def _send_draft(ctx) -> None:
    Response.objects.filter(cooperative=ctx["coop"]).update(
        status=ResponseStatus.SUBMITTED, submitted_at=timezone.now()
    )


def _expected_now(ctx) -> int:
    from surveys.lifecycle import expected_to_answer

    return Cooperative.objects.filter(expected_to_answer()).count()


def _later_closing(ctx) -> str:
    return (_round(ctx).closes_on + datetime.timedelta(days=7)).isoformat()


TIMELINESS = "/api/v1/indicators/timeliness/KS2026/"
TIMELINESS_CASES = {
    "response sent": Case(
        TIMELINESS,
        _nation("submitted"),
        {
            "service (browser submission)": lambda ctx: (_submit_in_browser(ctx), 1)[1],
            "save": lambda ctx: (_submitted(ctx).save(), 1)[1],
            "bulk_create": lambda ctx: (Response.objects.bulk_create([_submitted(ctx)]), 1)[1],
        },
    ),
    "response status": Case(
        TIMELINESS,
        _nation("submitted"),
        {"update": lambda ctx: (_send_draft(ctx), 1)[1]},
        setup=_draft,
    ),
    "response removed": Case(
        TIMELINESS,
        _nation("submitted"),
        {"delete": lambda ctx: (Response.objects.filter(cooperative=ctx["coop"]).delete(), 0)[1]},
        setup=lambda ctx: (_draft(ctx), _send_draft(ctx)),
    ),
    "cooperative status": Case(
        TIMELINESS,
        _nation("expected"),
        {
            "service": lambda ctx: (
                cooperative_update(cooperative=ctx["coop"], by=ctx["quantri"], status=CooperativeStatus.SUSPENDED),
                _expected_now(ctx),
            )[1],
            "update": lambda ctx: (
                Cooperative.objects.filter(pk=ctx["coop"].pk).update(is_archived=True),
                _expected_now(ctx),
            )[1],
        },
    ),
    "round closing day": Case(
        TIMELINESS,
        lambda body, ctx: body["closes_on"],
        {
            "admin": lambda ctx: (
                closes := _later_closing(ctx),
                _admin_post(
                    ctx,
                    f"/admin/surveys/surveyround/{ctx['round'].pk}/change/",
                    {**_round_form(_round(ctx)), "closes_on": closes},
                ),
                closes,
            )[2],
            "update": lambda ctx: (
                closes := _later_closing(ctx),
                SurveyRound.objects.filter(pk=ctx["round"].pk).update(closes_on=closes),
                closes,
            )[2],
        },
    ),
    "province name": Case(
        TIMELINESS,
        lambda body, ctx: [row["province_name"] for row in body["provinces"] if row["province"] == "82"],
        {
            "save": lambda ctx: (_save(_province(ctx), name="Tỉnh Qua Save"), ["Tỉnh Qua Save"])[1],
            "update": lambda ctx: (
                Province.objects.filter(pk=ctx["coop"].province_id).update(name="Tỉnh Qua Update"),
                ["Tỉnh Qua Update"],
            )[1],
        },
    ),
}


def _save_in_memory(obj, **changes):
    for name, value in changes.items():
        setattr(obj, name, value)
    return obj


def _cooperative_form(cooperative: Cooperative) -> dict[str, Any]:
    from cooperatives.admin import CooperativeAdmin
    from cooperatives.models import EcommerceListing, OcopProduct

    data: dict[str, Any] = {}
    for name in CooperativeAdmin.fields:
        if name in CooperativeAdmin.readonly_fields:
            continue
        value = getattr(cooperative, f"{name}_id", None) if hasattr(cooperative, f"{name}_id") else None
        if value is None and not hasattr(cooperative, f"{name}_id"):
            value = getattr(cooperative, name)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = "" if value is None else value
    for model, prefix in ((OcopProduct, "ocop_products"), (EcommerceListing, "listings")):
        related = model._meta.get_field("cooperative").remote_field.get_accessor_name() or prefix
        data.update({f"{related}-TOTAL_FORMS": 0, f"{related}-INITIAL_FORMS": 0})
    return data


def _round_form(survey_round: SurveyRound) -> dict[str, Any]:
    from django.forms.models import fields_for_model

    data = {}
    for name in fields_for_model(SurveyRound):
        value = getattr(survey_round, f"{name}_id", None) if hasattr(survey_round, f"{name}_id") else None
        if value is None and not hasattr(survey_round, f"{name}_id"):
            value = getattr(survey_round, name)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = "" if value is None else value
    return data


def _aggregate(ctx) -> None:
    from indicators.services import aggregate_indicators

    aggregate_indicators()


CASES = [
    (f"{data_set} / {model}: {path}", case, path)
    for data_set, cases in (
        ("registry", REGISTRY_CASES),
        ("indicators", INDICATOR_CASES),
        ("timeliness", TIMELINESS_CASES),
    )
    for model, case in cases.items()
    for path in case.writes
]


@pytest.mark.parametrize(("name", "case", "write"), CASES, ids=[name for name, _c, _w in CASES])
def test_every_write_path_of_every_fed_model_renews_the_answer(
    name, case, write, login, quantri, ward_coop, open_round, django_capture_on_commit_callbacks
):
    make_snapshot(open_round, datetime.date(2026, 4, 1), Decimal("40"))
    ctx = {
        "login": login,
        "quantri": quantri,
        "coop": ward_coop,
        "round": open_round,
        "official_province_name": ward_coop.province.name,
        "official_ward_name": ward_coop.ward.name,
    }
    if write == "reference-data load":
        # A local change, already versioned, that the shipped files then undo.
        with django_capture_on_commit_callbacks(execute=True):
            Province.objects.filter(pk=ward_coop.province_id).update(name="Tỉnh Sửa Tay")
            Ward.objects.filter(pk=ward_coop.ward_id).update(name="Phường Sửa Tay")
    if case.setup is not None:
        with django_capture_on_commit_callbacks(execute=True):
            case.setup(ctx)
    api = login(quantri)
    first = api.get(case.path)
    assert first.status_code == 200
    before = case.probe(first.json(), ctx)
    assert api.get(case.path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    with django_capture_on_commit_callbacks(execute=True):
        expected = case.writes[write](ctx)

    api = login(quantri)
    again = api.get(case.path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200, f"{name}: 304 with the old answer after the change"
    assert again["ETag"] != first["ETag"]
    if expected is not None:
        assert expected != before
        assert case.probe(again.json(), ctx) == expected
    # The new answer is itself validated (and cached) under the new version.
    assert api.get(case.path, HTTP_IF_NONE_MATCH=again["ETag"]).status_code == 304


# --- The list of fed models is complete ------------------------------------------------------

VERSIONED_ENDPOINTS = [
    "/api/v1/cooperatives/",
    "/api/v1/bulk/cooperatives.csv",
    "/api/v1/bulk/cooperatives.ndjson",
    "/api/v1/indicators/",
    "/api/v1/indicators/national/",
    "/api/v1/indicators/provinces/82/",
    "/api/v1/indicators/provinces/82/wards/",
    "/api/v1/indicators/sectors/NN/",
    "/api/v1/indicators/series/?metric=ecommerce_pct&scope_key=p:82",
    "/api/v1/indicators/timeliness/KS2026/",
    "/api/v1/bulk/indicators.csv",
    "/api/v1/bulk/indicators.ndjson",
    "/api/v1/bulk/indicators.sdmx.csv",
]


def _follow(model, path: list[str], labels: set[str]) -> None:
    for part in path:
        try:
            related = model._meta.get_field(part).related_model
        except Exception:  # a property or method of the model: its own data
            return
        if related is None:
            return
        labels.add(related._meta.label)
        model = related


def _models_shown(view_class) -> set[str]:
    """Every model whose columns the endpoint's rows show: the serializer's fields, nested
    serializers and dotted sources, and a bulk download's column paths."""
    import sys

    from rest_framework import serializers

    def walk(serializer, model, labels):
        labels.add(model._meta.label)
        for field in serializer.fields.values():
            child = getattr(field, "child", field)
            hops = [] if field.source == "*" else field.source.split(".")
            if isinstance(child, serializers.BaseSerializer):
                _follow(model, hops, labels)
                walk(child, child.Meta.model, labels)
            else:
                _follow(model, hops[:-1] if len(hops) > 1 else hops, labels)

    labels: set[str] = set()
    if hasattr(view_class, "shown_models"):  # an answer computed from several models, not one's rows
        return set(view_class.shown_models)
    serializer_class = view_class.serializer_class
    walk(serializer_class(), serializer_class.Meta.model, labels)
    bulk_fields = getattr(sys.modules[view_class.__module__], "BULK_FIELDS", ())
    if "Bulk" in view_class.__name__:
        for _name, path in bulk_fields:
            _follow(serializer_class.Meta.model, path.split("__"), labels)
    return labels


@pytest.mark.parametrize("path", VERSIONED_ENDPOINTS)
def test_every_model_shown_by_a_versioned_answer_feeds_its_version(path, as_caller, monkeypatch, open_round):
    from django.urls import resolve

    make_snapshot(open_round, datetime.date(2026, 4, 1))
    read: list[str] = []
    original = versions.version

    def recording(name, **extra):
        read.append(name)
        return original(name, **extra)

    monkeypatch.setattr(versions, "version", recording)
    response = as_caller("ministry_token").get(path)
    assert response.status_code == 200 and response["ETag"]
    assert read, "the answer's ETag rests on no data set version"
    fed = {label for name in read for label in versions.FEEDS[name]}
    shown = _models_shown(resolve(path.split("?")[0]).func.cls)
    assert shown - fed == set(), f"{path} shows {shown - fed}, which feed no version it reads"
    # Every fed table is recognised by the watch on the database connection.
    for label in fed:
        from django.apps import apps

        table = apps.get_model(label)._meta.db_table
        assert set(read) & versions.data_sets_written(f'UPDATE "{table}" SET x = 1')
        assert versions.data_sets_written(f"delete from {table} where id = 1")
        assert versions.data_sets_written(f'INSERT INTO "public"."{table}" (x) VALUES (1)')
    assert versions.data_sets_written(f'SELECT * FROM "{Province._meta.db_table}"') == frozenset()


@pytest.mark.django_db(transaction=True)
def test_writes_outside_any_transaction_renew_at_once(reference_data, as_caller, ward_coop):
    """In autocommit (a shell, a script) each statement commits by itself and renews at once."""
    client = as_caller("ministry_analyst")
    first = client.get(REGISTRY)
    Province.objects.filter(pk=ward_coop.province_id).update(name="Tỉnh Tự Động")
    second = client.get(REGISTRY, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert _registry_row(client, ward_coop.code)["province_name"] == "Tỉnh Tự Động"
    created = Cooperative.objects.create(
        code="8200004444",
        name="Hợp tác xã Tự Động",
        search_text="hop tac xa tu dong",
        province_id=ward_coop.province_id,
        sector_id=ward_coop.sector_id,
    )
    assert created.pk and Cooperative.objects.filter(pk=created.pk).exists()
    third = client.get(REGISTRY, HTTP_IF_NONE_MATCH=second["ETag"])
    assert third.status_code == 200
    assert created.code in {row["code"] for row in third.json()["results"]}


def test_a_lost_shared_cache_neither_changes_nor_brings_back_a_version(
    as_caller, ward_coop, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    client = as_caller("ministry_analyst")
    first = client.get(REGISTRY)
    cache.clear()
    assert client.get(REGISTRY, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        Province.objects.filter(pk=ward_coop.province_id).update(name="Tỉnh Sau Sự Cố")
    cache.clear()
    again = client.get(REGISTRY, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert _registry_row(client, ward_coop.code)["province_name"] == "Tỉnh Sau Sự Cố"


def test_a_rolled_back_write_keeps_the_answer_and_a_committed_one_in_the_same_request_renews_it(
    as_caller, ward_coop, django_capture_on_commit_callbacks
):
    from django.db import transaction

    client = as_caller("ministry_analyst")
    first = client.get(REGISTRY)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        Cooperative.objects.filter(pk=ward_coop.pk).update(name="Hợp tác xã Bỏ")
        transaction.set_rollback(True)
    assert _registry_row(client, ward_coop.code)["name"] == ward_coop.name
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        Cooperative.objects.filter(pk=ward_coop.pk).update(name="Hợp tác xã Giữ")
    again = client.get(REGISTRY, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert _registry_row(client, ward_coop.code)["name"] == "Hợp tác xã Giữ"


def test_last_modified_is_never_the_current_second(as_caller, ward_coop, django_capture_on_commit_callbacks):
    """A change later in the same second would carry the same HTTP date: If-Modified-Since would
    hide it. Such a Last-Modified is held back (the ETag still validates)."""
    import time

    from django.utils.http import parse_http_date

    client = as_caller("ministry_analyst")
    with django_capture_on_commit_callbacks(execute=True):
        Province.objects.filter(pk=ward_coop.province_id).update(name="Tỉnh Vừa Đổi")
    started = int(time.time())
    fresh = client.get(REGISTRY)
    # The second the answer was served in is this one or an earlier one (a slow machine may have
    # crossed into the next second since the change, where its Last-Modified is allowed).
    served_by = int(time.time())
    assert fresh["ETag"]
    if "Last-Modified" in fresh:
        assert parse_http_date(fresh["Last-Modified"]) < served_by
    _an_hour_ago()
    settled = client.get(REGISTRY)
    assert parse_http_date(settled["Last-Modified"]) < started
    with django_capture_on_commit_callbacks(execute=True):
        Province.objects.filter(pk=ward_coop.province_id).update(name="Tỉnh Đổi Nữa")
    assert client.get(REGISTRY, HTTP_IF_MODIFIED_SINCE=settled["Last-Modified"]).status_code == 200


def _api_views() -> dict[str, type]:
    """Every API view class by its URL pattern."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found: dict[str, type] = {}

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and hasattr(pattern.callback, "cls"):
                found[prefix + str(pattern.pattern)] = pattern.callback.cls

    walk(get_resolver().url_patterns)
    return {route: cls for route, cls in found.items() if route.startswith("api/v1/")}


def test_every_versioned_endpoint_is_checked_and_no_other_answer_is_validated_or_cached(as_caller, coop_a, open_round):
    """An answer is either built on data set versions (and checked above) or never cached: no
    ETag, no Last-Modified, so a change is seen at the next request."""
    from django.urls import resolve

    checked = {resolve(path.split("?")[0]).func.cls for path in VERSIONED_ENDPOINTS}
    versioned = {cls for cls in _api_views().values() if hasattr(cls, "list_version")}
    assert versioned == checked
    client = as_caller("ministry_token")
    plain = [
        "/api/v1/provinces/",
        "/api/v1/provinces/82/",
        "/api/v1/legacy-provinces/",
        "/api/v1/sectors/",
        f"/api/v1/cooperatives/{coop_a.pk}/",
        "/api/v1/questionnaires/",
        "/api/v1/rounds/",
        "/api/v1/responses/",
        "/api/v1/directives/agencies/",
        "/api/v1/directives/documents/",
        "/api/v1/directives/tasks/",
    ]
    for path in plain:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "ETag" not in response and "Last-Modified" not in response, path
    Province.objects.filter(code="82").update(name="Tỉnh Không Lưu Đệm")
    assert client.get("/api/v1/provinces/82/").json()["name"] == "Tỉnh Không Lưu Đệm"
