"""The public figures: national and provincial indicators without login, with their "as of"
stamp, the map, the trend, a download and its data dictionary, for anyone to read and cite.

Only the nightly snapshot's figures of the nation and the provinces are read: never a
cooperative's row, a sector's or a ward's cell. A share or an average over fewer than five
answers is suppressed on the page and in the download alike (``selectors.too_few``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coopdx.exports import csv_stream, neutralise
from cooperatives.models import Province

from . import selectors
from .views import add_national_map, trend_series


@dataclass(frozen=True)
class Column:
    """One column of the download, as its data dictionary describes it (Frictionless Table Schema)."""

    name: str
    type: str
    title: Any
    description: Any


COLUMNS = (
    Column("round", "string", gettext_lazy("Round code"), gettext_lazy("The survey round's code, e.g. KS2026.")),
    Column("round_name", "string", gettext_lazy("Round"), gettext_lazy("The survey round's name.")),
    Column(
        "scope",
        "string",
        gettext_lazy("Scope"),
        gettext_lazy('"nation" for the whole country, "province" for one of the 34 provinces.'),
    ),
    Column(
        "province",
        "string",
        gettext_lazy("Province code"),
        gettext_lazy("The province's two-digit code since 1 July 2025; empty for the nation."),
    ),
    Column(
        "province_name", "string", gettext_lazy("Province"), gettext_lazy("The province's name; empty for the nation.")
    ),
    Column(
        "metric", "string", gettext_lazy("Indicator code"), gettext_lazy("The indicator's code, e.g. ecommerce_pct.")
    ),
    Column("metric_name", "string", gettext_lazy("Indicator"), gettext_lazy("The indicator's name in Vietnamese.")),
    Column(
        "value",
        "number",
        gettext_lazy("Value"),
        gettext_lazy(
            "Percentages (codes ending in _pct) from 0 to 100; the average maturity score from 0 to 100 points; "
            "counts as whole numbers. Empty when there is no figure or when it is suppressed."
        ),
    ),
    Column(
        "numerator",
        "integer",
        gettext_lazy("Numerator"),
        gettext_lazy(
            "For a percentage, how many cooperatives it counts; for a count, the count itself. Empty when suppressed."
        ),
    ),
    Column(
        "denominator",
        "integer",
        gettext_lazy("Denominator"),
        gettext_lazy(
            "For a percentage, what it is a share of: the counted self-assessments, or for coverage the active "
            "cooperatives in the registry."
        ),
    ),
    Column(
        "answers",
        "integer",
        gettext_lazy("Self-assessments"),
        gettext_lazy("How many counted self-assessments the scope has in this round."),
    ),
    Column(
        "suppressed",
        "boolean",
        gettext_lazy("Suppressed"),
        gettext_lazy(
            "true when a share or an average rests on fewer than 5 self-assessments: its value and numerator are "
            "not published."
        ),
    ),
    Column(
        "as_of",
        "datetime",
        gettext_lazy("As of"),
        gettext_lazy("When the figures were computed (Viet Nam time, with its offset)."),
    ),
)


def _province(code: str | None) -> Province | None:
    if code is None:
        return None
    province = Province.objects.filter(code=code).first()
    if province is None:
        raise Http404
    return province


def figures_page(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """The nation's figures (with the map), or one province's (``code``)."""
    province = _province(code)
    data = selectors.dashboard(user=request.user, province=province, round_code=request.GET.get("round", ""))
    data["columns"] = COLUMNS
    if data["empty"]:
        return render(request, "indicators/public.html", data)
    labels = selectors.metric_labels()
    data["chart"] = {"trend": {"labels": [row["round"].name for row in data["trend"]], "series": trend_series(data)}}
    if province is None:
        metric = request.GET.get("metric", "ecommerce_pct")
        if metric not in labels or not metric.endswith(("_pct", "_avg")):
            metric = "ecommerce_pct"
        data["metric"] = metric
        data["metric_choices"] = [(c, label) for c, label in labels.items() if c.endswith(("_pct", "_avg"))]
        round_code = data["round"].code
        add_national_map(
            data,
            metric=metric,
            label=labels[metric],
            href=lambda code: f"{reverse('public:province', args=[code])}?{urlencode({'round': round_code})}",
        )
    return render(request, "indicators/public.html", data)


def figures_csv(request: HttpRequest) -> HttpResponse:
    """Every published figure of the latest snapshot as CSV (UTF-8 with BOM), described by the
    data dictionary at ``figures.schema.json`` (linked in the answer's ``Link`` header)."""
    day = selectors.snapshot_date()
    # The indicators' names in Vietnamese, as the dictionary says, whatever the page's language.
    with translation.override("vi"):
        labels = selectors.metric_labels()
    figures = selectors.public_figures(day=day) if day else []

    def rows() -> Any:
        yield [column.name for column in COLUMNS]
        for figure in figures:
            row = figure.snapshot
            yield [
                neutralise(value)
                for value in (
                    row.round.code,
                    row.round.name_vi,
                    row.scope,
                    row.province.code if row.province else "",
                    row.province.name if row.province else "",
                    row.metric,
                    labels.get(row.metric, row.metric),
                    figure.value,
                    figure.numerator,
                    row.denominator,
                    figure.answers,
                    "true" if figure.suppressed else "false",
                    row.as_of,
                )
            ]

    stamp = (day or timezone.localdate()).strftime("%Y%m%d")
    response = StreamingHttpResponse(csv_stream(rows()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"coopdx-figures-{stamp}.csv"
    )
    response["Link"] = f'<{request.build_absolute_uri(reverse("public:schema"))}>; rel="describedby"'
    return response


def figures_schema(request: HttpRequest) -> JsonResponse:
    """The download's data dictionary: a Frictionless Table Schema, described in Vietnamese."""
    with translation.override("vi"):
        schema = {
            "title": _("Digital transformation of cooperatives: public figures"),
            "description": _(
                "One row per figure: a round, the nation or a province, an indicator. Source: the nightly "
                "computation of CoopDX from the self-assessments counted in each round."
            ),
            "fields": [
                {"name": c.name, "type": c.type, "title": str(c.title), "description": str(c.description)}
                for c in COLUMNS
            ],
            "missingValues": [""],
            "primaryKey": ["round", "scope", "province", "metric"],
        }
    response = JsonResponse(schema, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Type"] = "application/json; charset=utf-8"
    return response
