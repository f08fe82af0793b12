"""Factories for tests: real rows in the real database, built on the shipped reference data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import factory
from factory.django import DjangoModelFactory

from accounts.models import Role, User
from cooperatives.models import Cooperative, Province, Sector, Ward

PASSWORD = "Mat-khau-an-toan-2026"


def province(code: str) -> Province:
    return Province.objects.get(code=code)


class CooperativeFactory(DjangoModelFactory):
    class Meta:
        model = Cooperative

    # Far from the codes tests pick by hand (82000xxxxx, 829xxxxxxx...): a long run of one
    # process must not reach them.
    code = factory.Sequence(lambda n: f"{8270000000 + n:010d}")
    name = factory.Sequence(lambda n: f"Hợp tác xã Nông nghiệp Thử nghiệm {n}")
    province = factory.LazyFunction(lambda: province("82"))
    ward = factory.LazyAttribute(lambda o: Ward.objects.filter(province=o.province).order_by("code").first())
    sector = factory.LazyFunction(lambda: Sector.objects.get(code="NN"))
    members_count = 25
    representative = ""
    search_text = factory.LazyAttribute(
        lambda o: Cooperative.build_search_text(o.name, o.code, o.representative, o.ward.name if o.ward else "")
    )
    representative_key = factory.LazyAttribute(lambda o: Cooperative.build_representative_key(o.representative))


def cooperatives_in_bulk(province: Province, count: int, fields: Callable[[int], dict[str, Any]]) -> list[Cooperative]:
    """``count`` cooperatives of the province in one insert, in its first ward and the
    agricultural sector, the n-th with ``fields(n)`` and its search text built by the model's rule."""
    ward = Ward.objects.filter(province=province).order_by("code").first()
    sector = Sector.objects.get(code="NN")
    rows = []
    for n in range(count):
        cooperative = Cooperative(province=province, ward=ward, sector=sector, **fields(n))
        cooperative.search_text = cooperative.current_search_text(ward.name if ward else "")
        cooperative.representative_key = cooperative.build_representative_key(cooperative.representative)
        rows.append(cooperative)
    return Cooperative.objects.bulk_create(rows)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.vn")
    role = Role.NATIONAL_ADMIN
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


def complete_answers(questionnaire, pick="best"):
    """A complete set of raw answers: the best (or worst) option of every question."""
    result = {}
    from surveys.models import Question

    for question in Question.objects.filter(questionnaire=questionnaire).prefetch_related("options"):
        options = sorted(question.options.all(), key=lambda o: o.score)
        if question.kind in ("single", "yes_no"):
            result[question.code] = (options[-1] if pick == "best" else options[0]).code
        elif question.kind == "multiple":
            chosen = [o.code for o in options if not o.exclusive and o.score > 0]
            result[question.code] = chosen if pick == "best" else [options[0].code]
        elif question.kind == "number":
            # The best answer is the lowest value of the top band: within the question's bounds.
            result[question.code] = str(question.bands[-1][0]) if pick == "best" else "0"
        else:
            result[question.code] = "Thiếu vốn"
    return result


STAFF_MESSAGE_VI = "Đã có người được tập huấn thì phải có người biết dùng máy tính."
STAFF_MESSAGE_EN = "Staff were trained, so someone must use computers."


def set_logic(version, code, **fields):
    from surveys.models import Question

    question = Question.objects.get(questionnaire=version, code=code)
    for name, value in fields.items():
        setattr(question, name, value)
    question.full_clean()
    question.save()
    return question


def logic_version(questionnaire):
    """The national questionnaire's next version with skip logic and a constraint:
    ONLINE_ORDERS only for a cooperative with an online channel; DX_PLAN only when digital
    transformation is not judged unneeded, DX_BUDGET only with an approved or running plan
    (hidden in turn when DX_PLAN is); E_FILING (part 4) only with an Internet connection (part 3);
    STAFF_TRAINED above 0 only if someone uses computers."""
    from surveys.questionnaires import questionnaire_new_version, questionnaire_publish

    draft = questionnaire_new_version(questionnaire=questionnaire)
    set_logic(draft, "ONLINE_ORDERS", relevant="not(selected(${ONLINE_CHANNELS}, 'none'))")
    set_logic(draft, "DX_PLAN", relevant="${DX_NEED} != 'no'")
    set_logic(draft, "DX_BUDGET", relevant="${DX_PLAN} = 'approved' or ${DX_PLAN} = 'implementing'")
    set_logic(draft, "E_FILING", relevant="${INTERNET} != 'none'")  # a part on a part before it
    set_logic(
        draft,
        "STAFF_TRAINED",
        constraint=". = 0 or ${DIGITAL_SKILLS} != 'none'",
        constraint_message_vi=STAFF_MESSAGE_VI,
        constraint_message_en=STAFF_MESSAGE_EN,
    )
    return questionnaire_publish(questionnaire=draft)


# No online channel, and the answers that go with it (the version's consistency rules hold).
NO_CHANNEL = {
    "ONLINE_CHANNELS": ["none"],
    "PRODUCT_INFO_ONLINE": "none",
    "DIGITAL_PAYMENT": ["bank_transfer", "qr_code"],
}


def provincial_round(province, code="KS2026-DT", questionnaire=None):
    """A provincial round of ``province`` on the national questionnaire, open now."""
    import datetime

    from django.utils import timezone

    from surveys.models import Questionnaire, SurveyRound

    today = timezone.localdate()
    return SurveyRound.objects.create(
        code=code,
        name_vi=f"Khảo sát tỉnh {province.short_name}",
        name_en=f"{province.short_name} province survey",
        questionnaire=questionnaire or Questionnaire.objects.get(code="NATIONAL", version=1),
        province=province,
        opens_on=today - datetime.timedelta(days=5),
        closes_on=today + datetime.timedelta(days=30),
    )


def add_addons(survey_round, by):
    """Three add-on questions on the round, written through the service: a required single
    choice (TOURISM: 1, 2, 3), an optional whole number (HOMESTAY_ROOMS) and an optional text."""
    from surveys.addons import addon_question_save

    tourism = addon_question_save(
        survey_round=survey_round,
        by=by,
        code="TOURISM",
        kind="single",
        text_vi="Hợp tác xã có làm du lịch cộng đồng không?",
        text_en="Does the cooperative run community tourism?",
        required=True,
        options=[("Chưa", "Not yet"), ("Đang chuẩn bị", "Preparing"), ("Đã làm", "Running")],
    )
    rooms = addon_question_save(
        survey_round=survey_round,
        by=by,
        code="HOMESTAY_ROOMS",
        kind="integer",
        text_vi="Số phòng homestay",
        text_en="Homestay rooms",
    )
    note = addon_question_save(
        survey_round=survey_round, by=by, code="TOURISM_NOTE", kind="text", text_vi="Ghi chú về du lịch"
    )
    return tourism, rooms, note
