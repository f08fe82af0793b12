"""Merging a cooperative registered twice (issue #18, registry hygiene): every row that points
at the merged one moves to the one kept, exactly; what cannot move refuses the merge; the merged
one is archived with its history; the level is recounted; only the province's officer or a
national administrator may do it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import User
from coopdx import versions
from cooperatives.merging import cooperatives_merge
from cooperatives.models import Cooperative, EcommerceListing, OcopProduct
from cooperatives.versioning import REGISTRY
from surveys.models import Answer, PillarScore, Response, ResponseFlag
from tests.factories import CooperativeFactory
from tests.surveys.test_flags import submit

pytestmark = pytest.mark.django_db


def counts(cooperative):
    responses = Response.objects.filter(cooperative=cooperative).values("pk")
    products = OcopProduct.objects.filter(cooperative=cooperative).values("pk")
    return {
        "responses": responses.count(),
        "answers": Answer.objects.filter(response__cooperative=cooperative).count(),
        "pillar_scores": PillarScore.objects.filter(response__cooperative=cooperative).count(),
        "flags": ResponseFlag.objects.filter(response__cooperative=cooperative).count(),
        "response_history": Response.history.filter(id__in=responses).count(),
        "ocop": products.count(),
        "ocop_history": OcopProduct.history.filter(id__in=products).count(),
        "listings": EcommerceListing.objects.filter(cooperative=cooperative).count(),
        "members": User.objects.filter(cooperative=cooperative).count(),
        "history": Cooperative.history.filter(id=cooperative.pk).count(),
    }


def test_a_merge_moves_every_row_to_the_cooperative_kept_and_loses_none(pair, officer_a, questionnaire):
    keep, copy = pair
    before = {"keep": counts(keep), "copy": counts(copy)}
    questions = questionnaire.questions.count()
    assert before["copy"]["answers"] == before["keep"]["answers"] == questions > 0
    assert before["copy"]["flags"] == 1 and before["copy"]["ocop"] == 2 and before["copy"]["members"] == 1
    answers, pillars = Answer.objects.count(), PillarScore.objects.count()

    result = cooperatives_merge(keep=keep, merged=[copy], by=officer_a)

    after = {"keep": counts(keep), "copy": counts(copy)}
    moved = before["copy"]
    assert after["copy"] == {
        **dict.fromkeys(moved, 0),
        # Its own history: the archive saying where it went, and its level gone with its response.
        "history": moved["history"] + 2,
    }
    assert after["keep"] == {
        "responses": before["keep"]["responses"] + moved["responses"],
        "answers": before["keep"]["answers"] + moved["answers"],
        "pillar_scores": before["keep"]["pillar_scores"] + moved["pillar_scores"],
        "flags": before["keep"]["flags"] + moved["flags"],
        # Every record each row had, and one more per moved row, naming the move.
        "response_history": before["keep"]["response_history"] + moved["response_history"] + moved["responses"],
        "ocop": before["keep"]["ocop"] + moved["ocop"],
        "ocop_history": before["keep"]["ocop_history"] + moved["ocop_history"] + moved["ocop"],
        "listings": before["keep"]["listings"] + moved["listings"],
        "members": before["keep"]["members"] + moved["members"],
        # The merge, and the level recounted from the response that came with it.
        "history": before["keep"]["history"] + 2,
    }
    assert (Answer.objects.count(), PillarScore.objects.count()) == (answers, pillars)
    assert result.moved == {
        "accounts.User": 1,
        "cooperatives.OcopProduct": 2,
        "cooperatives.EcommerceListing": 1,
        "surveys.Response": 1,
    }


def test_the_merged_cooperative_is_archived_with_its_history_and_the_level_recounted(pair, officer_a):
    keep, copy = pair
    assert (keep.maturity_level, copy.maturity_level) == (0, 5)
    cooperatives_merge(keep=keep, merged=[copy], by=officer_a)
    keep.refresh_from_db()
    copy.refresh_from_db()
    assert copy.is_archived and Cooperative.objects.filter(pk=copy.pk).exists()
    # The response of this round came with the merge: the latest counted one is now at level 5.
    assert (keep.maturity_level, copy.maturity_level) == (5, None)
    archived = copy.history.filter(history_change_reason="merged into 8200000201").get()
    assert archived.is_archived and archived.history_user == officer_a
    assert keep.history.filter(history_change_reason="merged from 8200000202", history_user=officer_a).count() == 1
    moved = Response.history.filter(cooperative_id=keep.pk, history_change_reason="merged into 8200000201")
    assert moved.count() == 1 and moved.get().history_user == officer_a


def test_a_merge_changes_the_registrys_data_version(pair, officer_a, django_capture_on_commit_callbacks):
    keep, copy = pair
    before = versions.version(REGISTRY).token
    with django_capture_on_commit_callbacks(execute=True):
        cooperatives_merge(keep=keep, merged=[copy], by=officer_a)
    assert versions.version(REGISTRY).token != before


def test_two_responses_to_one_round_refuse_the_merge_naming_both_and_change_nothing(
    pair, officer_a, questionnaire, open_round, national_admin
):
    keep, copy = pair
    submit(questionnaire, open_round, keep, national_admin, "worst")
    before = {"keep": counts(keep), "copy": counts(copy)}
    with pytest.raises(ValidationError) as refused:
        cooperatives_merge(keep=keep, merged=[copy], by=officer_a)
    assert refused.value.messages == [
        "Chưa hợp nhất gì. 8200000201, 8200000202 đều có phiếu tự đánh giá với cùng đợt khảo sát “Khảo sát 2026”; "
        "mỗi hợp tác xã chỉ có một."
    ]
    assert {"keep": counts(keep), "copy": counts(copy)} == before
    assert not Cooperative.objects.get(pk=copy.pk).is_archived


def test_two_listings_at_one_address_refuse_the_merge(pair, officer_a):
    keep, copy = pair
    EcommerceListing.objects.create(cooperative=copy, platform="shopee", url="https://shopee.vn/tan-duong")
    with pytest.raises(ValidationError) as refused:
        cooperatives_merge(keep=keep, merged=[copy], by=officer_a)
    assert refused.value.messages == [
        "Chưa hợp nhất gì. 8200000201, 8200000202 đều có gian hàng thương mại điện tử với cùng địa chỉ (URL) "
        "“https://shopee.vn/tan-duong”; mỗi hợp tác xã chỉ có một."
    ]
    assert EcommerceListing.objects.filter(cooperative=copy).count() == 2


def test_cooperatives_of_two_provinces_are_never_merged(pair, national_admin, province_b):
    keep, _copy = pair
    elsewhere = CooperativeFactory(province=province_b, code="6600000202", name="HTX Tân Dương")
    with pytest.raises(ValidationError) as refused:
        cooperatives_merge(keep=keep, merged=[elsewhere], by=national_admin)
    assert refused.value.messages == ["Không thể hợp nhất hợp tác xã của các tỉnh khác nhau."]
    assert not Cooperative.objects.get(pk=elsewhere.pk).is_archived


def test_only_the_provinces_officer_or_a_national_administrator_may_merge(pair, officer_b, ministry_analyst):
    keep, copy = pair
    for user in (officer_b, ministry_analyst):
        with pytest.raises(PermissionDenied):
            cooperatives_merge(keep=keep, merged=[copy], by=user)
    assert Response.objects.filter(cooperative=copy).count() == 1


def test_an_archived_cooperative_or_the_kept_one_itself_cannot_be_merged(pair, officer_a):
    keep, copy = pair
    with pytest.raises(ValidationError):
        cooperatives_merge(keep=keep, merged=[keep], by=officer_a)
    Cooperative.objects.filter(pk=copy.pk).update(is_archived=True)
    copy.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        cooperatives_merge(keep=keep, merged=[copy], by=officer_a)
    assert refused.value.messages == ["Không thể hợp nhất hợp tác xã đã lưu trữ; hãy khôi phục trước."]


def test_three_records_merge_into_one_and_two_merged_ones_in_one_round_refuse(
    pair, officer_a, questionnaire, earlier_round, national_admin, province_a
):
    keep, copy = pair
    third = CooperativeFactory(province=province_a, code="8200000203", name="HTX Tân Dương")
    OcopProduct.objects.create(cooperative=third, name="Khô cá lóc", stars=3, year_certified=2021)
    submit(questionnaire, earlier_round, copy, national_admin, "worst")
    submit(questionnaire, earlier_round, third, national_admin, "worst")
    with pytest.raises(ValidationError) as refused:
        cooperatives_merge(keep=keep, merged=[copy, third], by=officer_a)
    # The kept one answered that round too: all three are named.
    assert refused.value.messages == [
        "Chưa hợp nhất gì. 8200000201, 8200000202, 8200000203 đều có phiếu tự đánh giá với cùng đợt khảo sát "
        "“Khảo sát 2025”; mỗi hợp tác xã chỉ có một."
    ]
    Response.objects.filter(cooperative__in=[keep, copy], round=earlier_round).delete()
    before = [counts(c) for c in (keep, copy, third)]
    cooperatives_merge(keep=keep, merged=[copy, third], by=officer_a)
    after = counts(keep)
    assert after["responses"] == sum(b["responses"] for b in before) == 2
    assert after["ocop"] == sum(b["ocop"] for b in before) == 4
    assert all(Cooperative.objects.get(pk=c.pk).is_archived for c in (copy, third))


def test_every_table_pointing_at_a_cooperative_is_moved_by_a_merge_hidden_relations_included():
    """Every foreign key to Cooperative in any app, except history records, is one the merge moves:
    a table added later (or one whose relation has no reverse accessor) cannot be left behind."""
    from django.apps import apps

    from cooperatives.merging import _relations

    pointing = {
        (model._meta.label, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.is_relation
        and field.related_model is Cooperative
        and model is not Cooperative
        and not any(f.name == "history_id" for f in model._meta.fields)
    }
    moved = {(relation.related_model._meta.label, relation.field.name) for relation in _relations()}
    assert ("support.SupportReceived", "cooperative") in pointing
    assert moved == pointing


def test_the_support_a_merged_cooperative_received_moves_and_a_same_day_duplicate_refuses(pair, officer_a):
    import datetime

    from support.models import SupportKind, SupportProgramme, SupportReceived

    keep, copy = pair
    programme = SupportProgramme.objects.create(
        code="DT-SAN",
        name_vi="Lên sàn Đồng Tháp",
        kind=SupportKind.ECOMMERCE,
        provider="Sở Công Thương",
        province=keep.province,
        start_year=2024,
    )
    SupportReceived.objects.create(cooperative=copy, programme=programme, received_on=datetime.date(2025, 3, 1))
    twin = SupportReceived.objects.create(cooperative=keep, programme=programme, received_on=datetime.date(2025, 3, 1))
    with pytest.raises(ValidationError):
        cooperatives_merge(keep=keep, merged=[copy], by=officer_a)
    assert SupportReceived.objects.filter(cooperative=copy).count() == 1

    twin.delete()
    cooperatives_merge(keep=keep, merged=[copy], by=officer_a)
    assert SupportReceived.objects.filter(cooperative=keep).count() == 1
    assert not SupportReceived.objects.filter(cooperative=copy).exists()


def test_moved_responses_carry_the_time_of_the_merge_for_readers_syncing_by_update_time(pair, officer_a):
    keep, copy = pair
    moved = Response.objects.get(cooperative=copy)
    before = moved.updated_at
    cooperatives_merge(keep=keep, merged=[copy], by=officer_a)
    moved.refresh_from_db()
    assert moved.cooperative_id == keep.pk and moved.updated_at > before


def test_a_merge_sent_the_other_way_round_at_the_same_time_is_refused_once_the_first_has_run(pair, officer_a):
    keep, copy = pair
    stale_keep, stale_copy = Cooperative.objects.get(pk=keep.pk), Cooperative.objects.get(pk=copy.pk)
    cooperatives_merge(keep=keep, merged=[copy], by=officer_a)
    # The second request loaded both before the first archived its copy: it must not run.
    with pytest.raises(ValidationError):
        cooperatives_merge(keep=stale_copy, merged=[stale_keep], by=officer_a)
    assert Cooperative.objects.get(pk=keep.pk).is_archived is False
    assert Response.objects.filter(cooperative=keep).count() == 2
