"""The effect of a programme against a hand computation on the prepared data set (conftest)."""

from decimal import Decimal

import pytest

from support.effect import programme_effect

pytestmark = pytest.mark.django_db

D = Decimal


def strata(effect):
    return [
        (s.province, s.sector, s.level_a, s.supported, s.supported_mean, s.compared, s.compared_mean, s.too_few)
        for s in effect.strata
    ]


def test_each_stratum_has_the_hand_computed_means_and_counts(prepared, national_admin):
    effect = programme_effect(
        user=national_admin, programme=prepared.programme, round_a=prepared.round_a, round_b=prepared.round_b
    )
    assert strata(effect) == [
        # S4: 5 supported (+1 each), 3 comparable (0): too few comparable.
        ("Tỉnh Đắk Lắk", "Nông nghiệp", 0, 5, D("1.00"), 3, D("0.00"), True),
        # S1: (1+2+0+1+1)/5 = 1; (0+1+0+0+0+1)/6 = 0.333…
        ("Tỉnh Đồng Tháp", "Nông nghiệp", 1, 5, D("1.00"), 6, D("0.33"), False),
        # S2: (1+0+0+1+1+0)/6 = 0.5; (0+0+1+0−1)/5 = 0; the one supported by another programme
        # between the rounds (+3) is in neither group, or it would read 6 and 0.50.
        ("Tỉnh Đồng Tháp", "Nông nghiệp", 2, 6, D("0.50"), 5, D("0.00"), False),
        # S3: 2 supported: too few.
        ("Tỉnh Đồng Tháp", "Vận tải", 1, 2, D("2.00"), 7, D("0.00"), True),
    ]
    assert [s.difference for s in effect.strata] == [D("1.00"), D("0.67"), D("0.50"), D("2.00")]


def test_overall_weighs_the_kept_strata_by_their_supported_cooperatives(prepared, national_admin):
    effect = programme_effect(
        user=national_admin, programme=prepared.programme, round_a=prepared.round_a, round_b=prepared.round_b
    )
    assert effect.excluded == 2
    assert (effect.supported, effect.compared) == (11, 11)
    assert not effect.too_few
    assert effect.supported_mean == D("0.73")  # (5 + 3) / 11
    assert effect.compared_mean == D("0.15")  # (5 × 2/6 + 6 × 0/5) / 11 = 10/66
    assert effect.difference == D("0.58")  # 8/11 − 10/66 = 38/66
    # Received in the period: 5 + 6 + 2 + 5 + 1 without a self-assessment in R2.
    assert (effect.supported_in_period, effect.supported_unmeasured) == (19, 1)


def test_an_officer_sees_the_effect_in_their_province_only(prepared, officer_a):
    effect = programme_effect(
        user=officer_a, programme=prepared.programme, round_a=prepared.round_a, round_b=prepared.round_b
    )
    assert [(s.province, s.level_a, s.too_few) for s in effect.strata] == [
        ("Tỉnh Đồng Tháp", 1, False),
        ("Tỉnh Đồng Tháp", 2, False),
        ("Tỉnh Đồng Tháp", 1, True),
    ]
    assert (effect.supported, effect.compared, effect.excluded) == (11, 11, 1)
    assert effect.difference == D("0.58")


def test_when_every_stratum_is_too_small_there_is_no_overall_figure(prepared, officer_b):
    effect = programme_effect(
        user=officer_b, programme=prepared.programme, round_a=prepared.round_a, round_b=prepared.round_b
    )
    assert [(s.supported, s.compared, s.too_few) for s in effect.strata] == [(5, 3, True)]
    assert effect.too_few
    assert (effect.supported, effect.compared, effect.excluded) == (0, 0, 1)
    assert (effect.supported_mean, effect.compared_mean, effect.difference) == (None, None, None)


def test_the_effect_is_counted_in_one_query(prepared, national_admin, django_assert_num_queries):
    with django_assert_num_queries(1):
        effect = programme_effect(
            user=national_admin, programme=prepared.programme, round_a=prepared.round_a, round_b=prepared.round_b
        )
    assert len(effect.strata) == 4


def test_submitted_responses_count_when_the_programme_counts_them(prepared, national_admin, settings):
    # One of S3's comparable cooperatives has its R2 response submitted, not yet accepted.
    from support.models import SupportReceived
    from surveys.models import Response

    s3_compared = Response.objects.filter(round=prepared.round_b, cooperative__sector__code="VT").exclude(
        cooperative__in=SupportReceived.objects.values("cooperative")
    )
    assert s3_compared.count() == 7
    Response.objects.filter(pk=s3_compared.first().pk).update(status="submitted")
    before = programme_effect(
        user=national_admin, programme=prepared.programme, round_a=prepared.round_a, round_b=prepared.round_b
    )
    settings.SURVEYS_COUNT_SUBMITTED = True
    after = programme_effect(
        user=national_admin, programme=prepared.programme, round_a=prepared.round_a, round_b=prepared.round_b
    )
    assert before.strata[-1].compared == 6
    assert after.strata[-1].compared == 7
