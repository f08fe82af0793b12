"""The permission rules of surveys and indicators (accounts/rules.py), one table row each.

Each row names a rule, the object it is asked about (or none) and the callers it allows; every
other caller is refused. Callers: nobody, a member of cooperative A1 and one of A2 (both in
Đồng Tháp, A), officers of Đồng Tháp (A) and Đắk Lắk (B), a deactivated officer of A, a
ministry analyst, a national administrator, and the officers of a ministry's and of the
Cooperative Alliance's agency (national readers who change nothing here). Objects: the two
cooperatives of A and one of B, a response of A1, one of B and one of A2 that officer A entered.
The rules are asked through ``User.has_perm``, as the pages, services and API ask them.
"""

from __future__ import annotations

import pytest
import rules

from accounts.models import Role
from surveys.models import Response
from tests.factories import CooperativeFactory, UserFactory, provincial_round

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"
MEMBER_A1 = "member_a1"  # member of cooperative A1
MEMBER_A2 = "member_a2"  # member of another cooperative of the same province
OFFICER_A = "officer_a"
OFFICER_B = "officer_b"
INACTIVE_OFFICER_A = "inactive_officer_a"
ANALYST = "ministry_analyst"
ADMIN = "national_admin"
AGENCY = "agency_officer"
ALLIANCE = "alliance_officer"
CALLERS = (ANONYMOUS, MEMBER_A1, MEMBER_A2, OFFICER_A, OFFICER_B, INACTIVE_OFFICER_A, ANALYST, ADMIN, AGENCY, ALLIANCE)

# Objects the rules are asked about.
NONE = "no object"
COOP_A1 = "cooperative A1"
COOP_A2 = "cooperative A2"
COOP_B = "cooperative B"
RESPONSE_A1 = "response of A1"
RESPONSE_B = "response of B"
RESPONSE_A2_ENTERED = "response of A2 entered by officer A"
ROUND_NATIONAL = "national round"
ROUND_A = "provincial round of A"
ROUND_B = "provincial round of B"

NATIONAL_OR_OFFICER = {OFFICER_A, OFFICER_B, ANALYST, ADMIN, AGENCY, ALLIANCE}
ADMIN_OR_OFFICER = {OFFICER_A, OFFICER_B, ADMIN}

# (rule, object, callers allowed): any caller not named is refused.
RULES: list[tuple[str, str, set[str]]] = [
    # The API's role gate for entering answers: anyone who may answer for some cooperative.
    ("surveys.answer_surveys", NONE, {MEMBER_A1, MEMBER_A2, OFFICER_A, OFFICER_B, ADMIN}),
    # Answering for a cooperative: its own members, officers of its province, national admins.
    ("surveys.answer_for_cooperative", COOP_A1, {MEMBER_A1, OFFICER_A, ADMIN}),
    ("surveys.answer_for_cooperative", COOP_A2, {MEMBER_A2, OFFICER_A, ADMIN}),
    ("surveys.answer_for_cooperative", COOP_B, {OFFICER_B, ADMIN}),
    ("surveys.answer_for_cooperative", NONE, {ADMIN}),
    # Reviewing a response: officers of the cooperative's province and national admins.
    ("surveys.review_response", RESPONSE_A1, {OFFICER_A, ADMIN}),
    ("surveys.review_response", RESPONSE_B, {OFFICER_B, ADMIN}),
    ("surveys.review_response", NONE, {ADMIN}),
    ("surveys.review_response", RESPONSE_A2_ENTERED, {OFFICER_A, ADMIN}),
    # Accepting one: the same, except whoever entered it (four eyes).
    ("surveys.accept_response", RESPONSE_A1, {OFFICER_A, ADMIN}),
    ("surveys.accept_response", RESPONSE_B, {OFFICER_B, ADMIN}),
    ("surveys.accept_response", RESPONSE_A2_ENTERED, {ADMIN}),
    ("surveys.accept_response", NONE, set()),  # a rule about one response says no to none
    ("surveys.view_round_progress", NONE, NATIONAL_OR_OFFICER),
    ("surveys.send_reminders", NONE, ADMIN_OR_OFFICER),
    ("surveys.import_responses", NONE, ADMIN_OR_OFFICER),
    ("surveys.import_into_closed_round", NONE, {ADMIN}),
    ("surveys.add_round", NONE, {ADMIN}),
    # The self-assessments the registry contradicts: national roles and officers (scoped by selectors).
    ("surveys.view_evidence_mismatches", NONE, NATIONAL_OR_OFFICER),
    # A cooperative's OCOP products and listings: its members, its province's officers, national admins.
    ("cooperatives.maintain_products", COOP_A1, {MEMBER_A1, OFFICER_A, ADMIN}),
    ("cooperatives.maintain_products", COOP_B, {OFFICER_B, ADMIN}),
    ("cooperatives.maintain_products", NONE, {ADMIN}),
    ("indicators.view_indicators", NONE, NATIONAL_OR_OFFICER),
    ("indicators.compare_provinces", NONE, {ANALYST, ADMIN, AGENCY, ALLIANCE}),
    ("indicators.refresh_snapshots", NONE, {ADMIN}),
    # Indicator targets are kept by national administrators, in the admin.
    ("indicators.view_indicatortarget", NONE, {ADMIN}),
    ("indicators.add_indicatortarget", NONE, {ADMIN}),
    ("indicators.change_indicatortarget", NONE, {ADMIN}),
    ("indicators.delete_indicatortarget", NONE, {ADMIN}),
    ("surveys.view_consistencyrule", NONE, {ADMIN}),
    ("surveys.add_consistencyrule", NONE, {ADMIN}),
    ("surveys.change_consistencyrule", NONE, {ADMIN}),
    ("surveys.delete_consistencyrule", NONE, {ADMIN}),
    # Scoring schemes and re-scoring a round: the national team's, logged.
    ("surveys.view_scoringscheme", NONE, {ADMIN}),
    ("surveys.add_scoringscheme", NONE, {ADMIN}),
    ("surveys.change_scoringscheme", NONE, {ADMIN}),
    ("surveys.delete_scoringscheme", NONE, {ADMIN}),
    ("surveys.view_roundrescoring", NONE, {ADMIN}),
    ("surveys.rescore_round", NONE, {ADMIN}),
    ("surveys.author_questionnaire", NONE, {ADMIN}),
    # A provincial round's add-on questions: the officers of its province and national admins
    # (a national round has none: the service refuses it, whoever asks).
    ("surveys.manage_addon_questions", ROUND_A, {OFFICER_A, ADMIN}),
    ("surveys.manage_addon_questions", ROUND_B, {OFFICER_B, ADMIN}),
    ("surveys.manage_addon_questions", ROUND_NATIONAL, {ADMIN}),
    ("surveys.manage_addon_questions", NONE, {ADMIN}),
    # Microdata and export jobs: national readers and officers (each within their scope).
    ("surveys.export_microdata", NONE, NATIONAL_OR_OFFICER),
    ("exports.start_export", NONE, NATIONAL_OR_OFFICER),
    ("audit.view_exportrecord", NONE, {ADMIN}),
    # Webhooks ride on one's own API tokens: those who may hold tokens.
    ("webhooks.manage_webhooks", NONE, {ANALYST, ADMIN}),
]


@pytest.fixture
def world(province_a, province_b, open_round, agency_officer, alliance_officer):
    coop_a1 = CooperativeFactory(province=province_a)
    coop_a2 = CooperativeFactory(province=province_a)
    coop_b = CooperativeFactory(province=province_b)
    users = {
        ANONYMOUS: None,
        MEMBER_A1: UserFactory(role=Role.COOPERATIVE_MEMBER, cooperative=coop_a1),
        MEMBER_A2: UserFactory(role=Role.COOPERATIVE_MEMBER, cooperative=coop_a2),
        OFFICER_A: UserFactory(role=Role.PROVINCIAL_OFFICER, province=province_a),
        OFFICER_B: UserFactory(role=Role.PROVINCIAL_OFFICER, province=province_b),
        INACTIVE_OFFICER_A: UserFactory(role=Role.PROVINCIAL_OFFICER, province=province_a, is_active=False),
        ANALYST: UserFactory(role=Role.MINISTRY_ANALYST),
        ADMIN: UserFactory(role=Role.NATIONAL_ADMIN),
        AGENCY: agency_officer,
        ALLIANCE: alliance_officer,
    }
    objects = {
        NONE: None,
        COOP_A1: coop_a1,
        COOP_A2: coop_a2,
        COOP_B: coop_b,
        RESPONSE_A1: Response.objects.create(round=open_round, cooperative=coop_a1),
        RESPONSE_B: Response.objects.create(round=open_round, cooperative=coop_b),
        RESPONSE_A2_ENTERED: Response.objects.create(
            round=open_round, cooperative=coop_a2, entered_by=users[OFFICER_A], is_proxy=True
        ),
        ROUND_NATIONAL: open_round,
        ROUND_A: provincial_round(province_a, code="KS2026-A"),
        ROUND_B: provincial_round(province_b, code="KS2026-B"),
    }
    return users, objects


@pytest.mark.parametrize(
    ("rule", "target", "caller", "expected"),
    [
        pytest.param(rule, target, caller, caller in allowed, id=f"{rule}-{target}-{caller}")
        for rule, target, allowed in RULES
        for caller in CALLERS
    ],
)
def test_rule(world, rule, target, caller, expected):
    from django.contrib.auth.models import AnonymousUser

    users, objects = world
    user = users[caller] or AnonymousUser()
    assert user.has_perm(rule, objects[target]) is expected


PREFIXES = ("surveys.", "indicators.", "webhooks.")


def test_every_survey_and_indicator_rule_has_a_row():
    registered = {name for name in rules.permissions.permissions if name.startswith(PREFIXES)}
    assert registered == {rule for rule, _target, _allowed in RULES if rule.startswith(PREFIXES)}
