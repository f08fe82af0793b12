"""A small prepared data set for the completeness and timeliness figures, computed by hand.

A national round that closed 30 days ago; the review delay is the default 10 days.

Đồng Tháp (82): 9 cooperatives, a7 archived and a8 dissolved: 7 expected.

| coop | response  | sent (Viet Nam time)             | reviewed            | on time | review              |
|------|-----------|----------------------------------|---------------------|---------|---------------------|
| a1   | accepted  | 5 days before the close, 10:00   | 3 days later        | yes     | in time             |
| a2   | accepted  | closing day, 23:30               | 12 days later       | yes     | late                |
| a3   | returned  | the day after the close, 00:30   | 2 days later        | no      | in time             |
| a4   | submitted | 2 days after the close           | waiting (28 days)   | no      | late (waiting)      |
| a5   | draft     | —                                | —                   | —       | —                   |
| a6   | none      |                                  |                     |         |                     |
| a7 archived, a8 dissolved: accepted responses, on time, not counted anywhere                        |
| a9   | submitted | 3 days ago                       | waiting (3 days)    | no      | not decided yet     |

Expected 7 (a1-a6, a9), counted 2 (a1, a2: accepted), coverage 2 / 7; submitted 5 (a1-a4, a9),
on time 2 / 5; due for review 4 (a1, a2, a3 reviewed; a4 waiting past 10 days), reviewed in
time 2 / 4 (a1, a3); waiting late 1 (a4).

Đắk Lắk (66): 2 cooperatives; b1 accepted, sent before the close, reviewed the next day; b2 none.
expected 2, counted 1, submitted 1, on time 1 / 1, reviewed in time 1 / 1.

The nation: expected 9, counted 3, submitted 6, on time 3, due 5, in time 3, waiting late 1.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from cooperatives.models import Cooperative, CooperativeStatus
from indicators.timeliness import VIET_NAM
from surveys.models import Questionnaire, Response, ResponseStatus, SurveyRound
from tests.factories import CooperativeFactory, province


@dataclass
class Prepared:
    survey_round: SurveyRound
    closes_on: datetime.date
    a: dict[str, Cooperative]


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=VIET_NAM)


def prepare() -> Prepared:
    today = timezone.localdate()
    closes_on = today - datetime.timedelta(days=30)
    survey_round = SurveyRound.objects.create(
        code="KS2026T",
        name_vi="Khảo sát 2026",
        name_en="Survey 2026",
        questionnaire=Questionnaire.objects.get(code="NATIONAL", version=1),
        opens_on=today - datetime.timedelta(days=90),
        closes_on=closes_on,
    )
    a_province, b_province = province("82"), province("66")
    a = {f"a{n}": CooperativeFactory(province=a_province, code=f"82000090{n:02d}") for n in range(1, 10)}
    Cooperative.objects.filter(pk=a["a7"].pk).update(is_archived=True)
    Cooperative.objects.filter(pk=a["a8"].pk).update(status=CooperativeStatus.DISSOLVED)
    b1 = CooperativeFactory(province=b_province, code="6600009001")
    CooperativeFactory(province=b_province, code="6600009002")
    day = datetime.timedelta(days=1)
    now = timezone.now()

    def respond(coop: Cooperative, status: str, sent: datetime.datetime | None, review_after=None) -> None:
        Response.objects.create(
            round=survey_round,
            cooperative=coop,
            status=status,
            submitted_at=sent,
            reviewed_at=sent + review_after if sent and review_after is not None else None,
        )

    respond(a["a1"], ResponseStatus.ACCEPTED, at(closes_on - 5 * day, 10), 3 * day)
    respond(a["a2"], ResponseStatus.ACCEPTED, at(closes_on, 23, 30), 12 * day)
    respond(a["a3"], ResponseStatus.RETURNED, at(closes_on + day, 0, 30), 2 * day)
    respond(a["a4"], ResponseStatus.SUBMITTED, at(closes_on + 2 * day, 9))
    respond(a["a5"], ResponseStatus.DRAFT, None)
    respond(a["a7"], ResponseStatus.ACCEPTED, at(closes_on - 3 * day, 9), day)
    respond(a["a8"], ResponseStatus.ACCEPTED, at(closes_on - 3 * day, 9), day)
    respond(a["a9"], ResponseStatus.SUBMITTED, now - 3 * day)
    respond(b1, ResponseStatus.ACCEPTED, at(closes_on - 10 * day, 15), day)
    return Prepared(survey_round=survey_round, closes_on=closes_on, a=a)
