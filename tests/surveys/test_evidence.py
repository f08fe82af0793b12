"""Self-reports against the registry's evidence (surveys.evidence), on prepared data.

Round KS2026 (questionnaire v1, which has no OCOP question). Đồng Tháp (82):
  a: sells on a marketplace, no listing; QR on all, registry QR on all → marketplace_claimed
  b: marketplace + provincial platform, a Shopee listing only; no traceability, registry QR on
     some → provincial_platform_claimed, traceability_denied
  c: no online channel, listings on the provincial platform and an "other" one; paper, registry
     none → marketplace_denied, provincial_platform_denied
  d: a website only, no listing, paper; an OCOP product (not checked in v1) → nothing
  e: archived, sells on a marketplace with no listing → not checked
  f: submitted, not accepted (not counted), marketplace with no listing → not checked
Đắk Lắk (66):
  g: QR on some products, registry none → traceability_claimed
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.urls import reverse

from cooperatives.models import Traceability
from surveys import evidence_selectors
from surveys.evidence import ANY, counted_responses, resolved_checks, with_mismatches
from surveys.models import EvidenceCheck, Option, Question, Response, ResponseStatus, SurveyRound
from surveys.questionnaires import questionnaire_new_version, questionnaire_publish
from surveys.services import response_save_answers, response_start, response_submit
from tests.factories import CooperativeFactory, complete_answers

pytestmark = pytest.mark.django_db


def answer(survey_round, cooperative, by, accept=True, **chosen):
    values = complete_answers(survey_round.questionnaire, "worst")
    values.update(chosen)
    response = response_start(survey_round=survey_round, cooperative=cooperative, by=by)
    response_save_answers(response=response, answers=values, by=by)
    response = response_submit(response=response, by=by)
    if accept:
        Response.objects.filter(pk=response.pk).update(status=ResponseStatus.ACCEPTED)
    return response


@pytest.fixture
def prepared(open_round, national_admin, province_a, province_b):
    def coop(code, province=province_a, **fields):
        return CooperativeFactory(province=province, code=code, **fields)

    a = coop("8200000001", traceability=Traceability.QR_ALL)
    b = coop("8200000002", traceability=Traceability.QR_PARTIAL)
    c = coop("8200000003")
    d = coop("8200000004")
    e = coop("8200000005")
    f = coop("8200000006")
    g = coop("6600000001", province=province_b)
    b.listings.create(platform="shopee", url="https://shopee.vn/htx-b")
    c.listings.create(platform="provincial", url="https://sandongthap.vn/htx-c")
    c.listings.create(platform="other", url="https://sendo.vn/htx-c")
    d.ocop_products.create(name="Xoài cát", stars=4, year_certified=2023)
    r, by = open_round, national_admin
    answer(r, a, by, ONLINE_CHANNELS=["marketplace"], TRACEABILITY="qr_all")
    answer(r, b, by, ONLINE_CHANNELS=["marketplace", "provincial_platform"], TRACEABILITY="none")
    answer(r, c, by, ONLINE_CHANNELS=["none"], TRACEABILITY="paper")
    answer(r, d, by, ONLINE_CHANNELS=["website"], TRACEABILITY="paper")
    answer(r, e, by, ONLINE_CHANNELS=["marketplace"], TRACEABILITY="paper")
    type(e).objects.filter(pk=e.pk).update(is_archived=True)
    answer(r, f, by, accept=False, ONLINE_CHANNELS=["marketplace"], TRACEABILITY="paper")
    answer(r, g, by, ONLINE_CHANNELS=["website"], TRACEABILITY="qr_partial")
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "g": g}


EXPECTED = {
    "8200000001": {"marketplace_claimed"},
    "8200000002": {"provincial_platform_claimed", "traceability_denied"},
    "8200000003": {"marketplace_denied", "provincial_platform_denied"},
    "6600000001": {"traceability_claimed"},
}


def mismatches_by_code() -> dict[str, set[str]]:
    checks = resolved_checks()
    rows = with_mismatches(counted_responses(), checks).filter(**{ANY: True}).select_related("cooperative")
    return {row.cooperative.code: {r.check.code for r in checks if getattr(row, r.flag)} for row in rows}


def test_each_check_finds_exactly_the_expected_responses_in_both_directions(prepared):
    assert mismatches_by_code() == EXPECTED


def test_qr_codes_on_every_product_with_no_traceability_record_is_a_claim_the_registry_contradicts(
    prepared, open_round, national_admin, province_a
):
    """The issue's third example: "QR traceability on all products", and the registry holds none."""
    unrecorded = CooperativeFactory(province=province_a, code="8200000007")
    assert unrecorded.traceability == Traceability.NONE
    answer(open_round, unrecorded, national_admin, ONLINE_CHANNELS=["website"], TRACEABILITY="qr_all")
    assert mismatches_by_code() == {**EXPECTED, "8200000007": {"traceability_claimed"}}


def test_the_shipped_checks_are_loaded_and_the_ocop_ones_apply_to_no_version_of_v1(prepared, open_round):
    assert set(EvidenceCheck.objects.values_list("code", flat=True)) == {
        "marketplace_claimed",
        "provincial_platform_claimed",
        "marketplace_denied",
        "provincial_platform_denied",
        "traceability_claimed",
        "traceability_denied",
        "ocop_claimed",
        "ocop_denied",
    }
    applying, not_applying = evidence_selectors.round_checks(open_round)
    assert {c.code for c in not_applying} == {"ocop_claimed", "ocop_denied"}
    assert "ocop_claimed" not in {r.check.code for r in resolved_checks()}
    assert len(applying) == 6


def test_a_version_with_an_ocop_question_is_checked_against_the_ocop_products(
    questionnaire, open_round, national_admin, province_a
):
    draft = questionnaire_new_version(questionnaire=questionnaire)
    ocop = Question.objects.create(
        questionnaire=draft,
        pillar=draft.pillars.get(code="CUSTOMER"),
        code="OCOP_PRODUCTS",
        kind="yes_no",
        text_vi="HTX có sản phẩm OCOP không?",
        position=99,
    )
    Option.objects.create(question=ocop, code="yes", label_vi="Có", score=5)
    Option.objects.create(question=ocop, code="no", label_vi="Không", score=0)
    second = questionnaire_publish(questionnaire=draft)
    later = SurveyRound.objects.create(
        code="KS2027",
        name_vi="Khảo sát 2027",
        questionnaire=second,
        opens_on=open_round.opens_on,
        closes_on=open_round.closes_on,
    )
    claims = CooperativeFactory(province=province_a, code="8200000011")
    denies = CooperativeFactory(province=province_a, code="8200000012")
    honest = CooperativeFactory(province=province_a, code="8200000013")
    denies.ocop_products.create(name="Mật ong", stars=3, year_certified=2022)
    honest.ocop_products.create(name="Khô cá", stars=3, year_certified=2022)
    common = {"ONLINE_CHANNELS": ["website"], "TRACEABILITY": "paper"}
    answer(later, claims, national_admin, OCOP_PRODUCTS="yes", **common)
    answer(later, denies, national_admin, OCOP_PRODUCTS="no", **common)
    answer(later, honest, national_admin, OCOP_PRODUCTS="yes", **common)
    # The same cooperative in the v1 round: the OCOP checks do not apply there.
    answer(open_round, claims, national_admin, **common)
    assert mismatches_by_code() == {"8200000011": {"ocop_claimed"}, "8200000012": {"ocop_denied"}}
    assert {r.check.code for r in evidence_selectors.round_checks(later)[0]} >= {"ocop_claimed", "ocop_denied"}


def test_an_inactive_check_finds_nothing(prepared):
    EvidenceCheck.objects.filter(code="traceability_denied").update(is_active=False)
    assert mismatches_by_code()["8200000002"] == {"provincial_platform_claimed"}


def test_province_counts_and_rate(prepared, open_round, officer_a, national_admin):
    checks, _ = evidence_selectors.round_checks(open_round)
    rows = {
        p.province.code: p
        for p in evidence_selectors.province_mismatches(user=national_admin, survey_round=open_round, checks=checks)
    }
    assert len(rows) == 34
    # Counts always; the rate only over five or more (the indicator's small-numbers rule).
    assert (rows["82"].counted, rows["82"].mismatched, rows["82"].rate) == (4, 3, None)
    assert replace(rows["82"], counted=8, mismatched=6).rate == 75
    assert rows["82"].per_check == {
        "marketplace_claimed": 1,
        "provincial_platform_claimed": 1,
        "marketplace_denied": 1,
        "provincial_platform_denied": 1,
        "traceability_claimed": 0,
        "traceability_denied": 1,
    }
    assert (rows["66"].counted, rows["66"].mismatched, rows["66"].rate) == (1, 1, None)
    assert (rows["01"].counted, rows["01"].rate) == (0, None)
    own = evidence_selectors.province_mismatches(user=officer_a, survey_round=open_round, checks=checks)
    assert [(p.province.code, p.counted, p.mismatched) for p in own] == [("82", 4, 3)]


def test_the_cooperatives_page_shows_what_was_answered_what_the_registry_holds_and_links_to_fix(
    prepared, login, officer_a
):
    b = prepared["b"]
    page = login(officer_a).get(reverse("cooperatives:detail", args=[b.pk]))
    html = page.content.decode()
    panel = html[html.index('data-testid="evidence"') :]
    assert panel.count("data-check=") == 2
    assert 'data-check="provincial_platform_claimed"' in panel and 'data-check="traceability_denied"' in panel
    assert "Chưa truy xuất được nguồn gốc" in panel  # the answer, in the option's words
    assert "Có mã QR truy xuất nguồn gốc cho một số sản phẩm" not in panel  # nor any other option
    assert "Mã QR trên một số sản phẩm" in panel  # what the registry holds
    assert reverse("cooperatives:listing_create", args=[b.pk]) + "?platform=provincial" in panel
    assert reverse("cooperatives:update", args=[b.pk]) in panel


def test_the_panel_says_nothing_to_a_member_and_nothing_is_checked_for_an_archived_cooperative(
    prepared, login, member_a, national_admin
):
    from cooperatives.models import Cooperative

    own = Cooperative.objects.get(pk=member_a.cooperative_id)
    answer_page = login(member_a).get(reverse("cooperatives:detail", args=[own.pk])).content.decode()
    assert 'data-testid="evidence"' not in answer_page
    archived = login(national_admin).get(reverse("cooperatives:detail", args=[prepared["e"].pk])).content.decode()
    assert 'data-testid="evidence"' in archived and "data-check=" not in archived.split('data-testid="evidence"')[1]


def test_the_round_page_of_a_province_lists_the_cooperatives_with_their_mismatches(
    prepared, open_round, login, officer_a, django_assert_max_num_queries
):
    client = login(officer_a)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("surveys:evidence", args=[open_round.code]))
    html = page.content.decode()
    assert page.status_code == 200
    listed = html[html.index('data-testid="mismatches"') :]
    assert listed.count("data-cooperative=") == 3
    for code in ("8200000001", "8200000002", "8200000003"):
        assert f'data-cooperative="{code}"' in listed
    assert "6600000001" not in html and "8200000005" not in html and "8200000006" not in html
    assert 'data-testid="not-applying"' in html


def test_a_national_user_sees_every_province_and_opens_one(prepared, open_round, login, ministry_analyst):
    client = login(ministry_analyst)
    html = client.get(reverse("surveys:evidence", args=[open_round.code])).content.decode()
    assert html.count("data-province=") == 34
    one = client.get(reverse("surveys:evidence", args=[open_round.code]), {"province": "66"}).content.decode()
    assert 'data-cooperative="6600000001"' in one and "8200000001" not in one
    assert client.get(reverse("surveys:evidence", args=[open_round.code]), {"province": "ZZ"}).status_code == 404


def test_the_panels_queries_do_not_grow_with_rounds(
    prepared, open_round, login, officer_a, national_admin, django_assert_max_num_queries
):
    import datetime

    a = prepared["a"]
    previous_round = SurveyRound.objects.create(
        code="KS2026-DT",
        name_vi="Khảo sát bổ sung",
        questionnaire=open_round.questionnaire,
        opens_on=open_round.opens_on - datetime.timedelta(days=1),
        closes_on=open_round.closes_on,
    )
    client = login(officer_a)
    with django_assert_max_num_queries(30) as captured:
        client.get(reverse("cooperatives:detail", args=[a.pk]))
    one_round = len(captured)
    answer(previous_round, a, national_admin, ONLINE_CHANNELS=["marketplace"], TRACEABILITY="none")
    with django_assert_max_num_queries(one_round) as captured:
        page = client.get(reverse("cooperatives:detail", args=[a.pk])).content.decode()
    panel = page[page.index('data-testid="evidence"') :]
    # Both rounds, the later first: this round's one mismatch, the earlier round's two.
    assert panel.index(open_round.name) < panel.index(previous_round.name)
    assert panel.count("data-check=") == 3
