"""The officers' and ministries' dashboard, read from the nightly snapshot."""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.exports import export_record
from coopdx.exports import XLSX, csv_stream, neutralise, xlsx_file
from coopdx.http import AuthenticatedHttpRequest
from coopdx.queue import QueueUnavailable
from cooperatives import selectors as registry
from cooperatives.models import Province
from cooperatives.text import fold
from surveys import selectors as survey_selectors
from surveys.models import SurveyRound

from . import selectors, services
from .map import province_map
from .models import AggregationRun
from .timeliness import dashboard_timeliness

if TYPE_CHECKING:
    from accounts.models import User


def dashboard_context(request: HttpRequest, user: User) -> dict[str, Any]:
    province = selectors.province_for(user=user, code=request.GET.get("province"))
    data = selectors.dashboard(user=user, province=province, round_code=request.GET.get("round", ""))
    may_compare = user.has_perm("indicators.compare_provinces")
    if may_compare:
        data["all_provinces"] = sorted(Province.objects.all(), key=lambda p: fold(p.short_name))
    if data["empty"]:
        return data
    metric = request.GET.get("metric", "ecommerce_pct")
    labels = selectors.metric_labels()
    if metric not in labels:
        metric = "ecommerce_pct"
    data["metric"] = metric
    data["metric_choices"] = [(code, label) for code, label in labels.items() if code.endswith(("_pct", "_avg"))]
    if may_compare and province is None:
        round_code = data["round"].code
        add_national_map(
            data,
            metric=metric,
            label=labels[metric],
            href=lambda code: f"?{urlencode({'province': code, 'round': round_code})}",
        )
    if province is not None:
        data["wards"] = selectors.ward_table(survey_round=data["round"], day=data["day"], province=province)
        data["ward_metrics"] = [(m, labels.get(m, m)) for m in selectors.WARD_METRICS]
    data.update(dashboard_timeliness(user=user, province=province, survey_round=data["round"]))
    if user.is_officer:
        open_round = SurveyRound.objects.filter(code=data["round"].code).first()
        if open_round and open_round.is_open():
            data["open_round"] = open_round
            data["open_round_counts"] = survey_selectors.round_counts(survey_round=open_round, user=user)
    data["chart"] = {
        "levels": {
            # Each level by its number and name: "3 · Hình thành", not a bare 0-5 axis.
            "labels": [f"{row['level']} · {row['name']}" for row in data["levels"]],
            "values": [float(row["count"] or 0) for row in data["levels"]],
            "label": _("Cooperatives"),
        },
        "trend": {
            "labels": [
                _("%(round)s (open)") % {"round": row["round"].name}
                if row["round"].closes_on >= data["day"]
                else row["round"].name
                for row in data["trend"]
            ],
            "series": trend_series(data),
        },
    }
    return data


def trend_series(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The trend chart's lines, one per trend metric; a point over too few answers is left out (a
    gap), as the table says "n < 5". The dashboard's and the public page's."""
    return [
        {
            "label": label,
            "values": [
                None if row[m] is None or selectors.too_few(m, row["answers"]) else round(float(row[m]), 1)
                for row in data["trend"]
            ],
        }
        for m, label in data["trend_metrics"]
    ]


def add_national_map(data: dict[str, Any], *, metric: str, label: str, href: Callable[[str], str]) -> None:
    """The province table and the map coloured by ``metric``, with the national target's verdict;
    each province links to ``href(code)`` (its dashboard or its public page)."""
    table = selectors.province_table(survey_round=data["round"], day=data["day"], metric=metric)
    for row in table:
        row["href"] = href(row["province"].code)
    national = selectors.targets_for(province=None, metrics=[metric])[metric]
    target = selectors.target_check(national, data["national_values"].get(metric), data["round"].opens_on.year)
    data["province_rows"] = table
    data["map"] = province_map(table, metric=metric, label=label, href=href, target=target)


def home(request: HttpRequest) -> HttpResponse:
    """The site's home page, by who is signed in: those who see the indicators (officers and the
    national roles) land on their dashboard, a cooperative's member on their cooperative, anyone
    else on the public page."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "home_public.html")
    if user.has_perm("indicators.view_indicators"):
        return render(request, "indicators/dashboard.html", dashboard_context(request, user))
    context: dict[str, object] = {}
    if user.is_member and user.cooperative_id:
        context["cooperative"] = registry.cooperative_get(user=user, pk=user.cooperative_id)
    return render(request, "home.html", context)


@login_required
@permission_required("indicators.view_indicators", raise_exception=True)
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "indicators/dashboard.html", dashboard_context(request, request.user))


def _table(request: AuthenticatedHttpRequest, name: str) -> tuple[list[object], list[list[Any]]]:
    data = dashboard_context(request, request.user)
    if data["empty"]:
        return [_("No figures yet")], []
    if name == "cards":
        header = [_("Indicator"), _("Value"), _("Previous round"), _("National"), _("Rank")]
        rows = [
            [c.label, _small(c.value, c.metric, c.denominator), c.previous, c.national, c.rank] for c in data["cards"]
        ]
    elif name == "trend":
        header = [_("Round"), *[label for _m, label in data["trend_metrics"]]]
        rows = [
            [row["round"].name, *[_small(row[m], m, row["answers"]) for m, _label in data["trend_metrics"]]]
            for row in data["trend"]
        ]
    elif name == "levels":
        header = [_("Level"), _("Cooperatives")]
        rows = [[row["level"], row["count"]] for row in data["levels"]]
    elif name == "sectors":
        header = [
            _("Sector"),
            _("Active cooperatives"),
            _("Self-assessments counted"),
            _("Average maturity score"),
            *[c.label for c in data["cards"][2:]],
        ]
        rows = [
            [
                str(row["sector"]),
                row.get("cooperatives_total"),
                row.get("surveyed_total"),
                _small(row.get("maturity_score_avg"), "maturity_score_avg", row.get("surveyed_total")),
                *[_small(row.get(c.metric), c.metric, row.get("surveyed_total")) for c in data["cards"][2:]],
            ]
            for row in data["sectors"]
        ]
    elif name == "wards" and "wards" in data:
        header = [
            _("Ward/commune"),
            _("Code"),
            _("Active cooperatives"),
            _("Self-assessments counted"),
            *[label for _m, label in data["ward_metrics"]],
        ]
        rows = [
            [
                row["ward"]["name"],
                row["ward"]["code"],
                row.get("cooperatives_total"),
                row.get("surveyed_total"),
                *[_small(row.get(m), m, row.get("surveyed_total")) for m, _label in data["ward_metrics"]],
            ]
            for row in data["wards"]
        ]
    elif name == "provinces" and "province_rows" in data:
        header = [
            _("Province"),
            _("Code"),
            dict(data["metric_choices"]).get(data["metric"], data["metric"]),
            _("Active cooperatives"),
            _("Self-assessments counted"),
            _("Average maturity score"),
        ]
        rows = [
            [
                row["province"].name,
                row["province"].code,
                _small(row["value"], data["metric"], row.get("surveyed_total")),
                row.get("cooperatives_total"),
                row.get("surveyed_total"),
                _small(row.get("maturity_score_avg"), "maturity_score_avg", row.get("surveyed_total")),
            ]
            for row in data["province_rows"]
        ]
    else:
        raise PermissionDenied
    # Every row says when the figures were computed (a date-time: the writers put it in Viet Nam
    # time with its zone) and from which round. Figures are rounded as the page shows them; the
    # writers then write whole numbers (every count) as integers.
    as_of = data["as_of"]
    rounded = [[*[_shown(v) for v in row], data["round"].name, as_of] for row in rows]
    return [*[str(h) for h in header], _("Round"), _("As of")], rounded


def _small(value: Decimal | None, metric: str, answers: Decimal | int | None) -> Decimal | str | None:
    """A figure for a download, with the page's rule: "n < 5" over too few answers."""
    if value is not None and selectors.too_few(metric, answers):
        return f"n < {selectors.MIN_ANSWERS}"
    return value


def _shown(value: Any) -> Any:
    """A figure as the dashboard shows it: one decimal, half up (counts stay whole)."""
    if isinstance(value, Decimal):
        return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return value


@login_required
@permission_required("indicators.view_indicators", raise_exception=True)
def dashboard_export(request: AuthenticatedHttpRequest, table: str, fmt: str) -> HttpResponse:
    header, rows = _table(request, table)
    filename = f"coopdx-{table}"
    filters = {"table": table, **{key: value for key, value in request.GET.items() if value}}
    export_record(user=request.user, action="download", kind="indicators", fmt=fmt, filters=filters, rows=len(rows))
    if fmt == "csv":
        lines = csv_stream(iter([header, *[[neutralise(v) for v in row] for row in rows]]))
        response = HttpResponse("".join(lines), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    handle = xlsx_file(iter([header, *[[neutralise(v) for v in row] for row in rows]]))
    response = HttpResponse(handle.read(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


@login_required
@require_POST
@permission_required("indicators.refresh_snapshots", raise_exception=True)
def refresh(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        services.trigger_refresh(by=request.user)
    except services.AggregationBusy:
        messages.warning(request, _("A computation is already running."))
    except QueueUnavailable:
        messages.error(request, _("The task queue is not reachable; the figures could not be refreshed now."))
    else:
        messages.info(request, _("The figures are being recomputed."))
    return redirect("indicators:dashboard")


@login_required
@permission_required("indicators.view_indicators", raise_exception=True)
def run_status(request: AuthenticatedHttpRequest) -> HttpResponse:
    # Polled every few seconds while a page shows a computation: one whose worker is gone is
    # released here, so the page says so within minutes and a new one can be started.
    services.runs_release_abandoned()
    run = AggregationRun.objects.order_by("-started_at").first()
    return render(request, "indicators/_run_status.html", {"latest": run})
