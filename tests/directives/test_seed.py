"""The seeded documents, agencies and tasks (data migration), and that loading them is idempotent."""

from typing import Any

import pytest

from cooperatives.models import Province
from directives import selectors
from directives.models import Agency, AgencyKind, DirectiveTask, Document
from directives.seed import directive_seed_load

pytestmark = pytest.mark.django_db


def test_resolution_20_and_directive_19_are_seeded_as_a_tree():
    resolution = Document.objects.get(number="20-NQ/TW")
    directive = Document.objects.get(number="19/CT-TTg")
    phu_yen = Document.objects.get(number="3734/UBND-KT")
    assert str(resolution.issued_on) == "2022-06-16"
    assert str(directive.issued_on) == "2023-06-03"
    assert directive.parent == resolution
    assert directive.issuing_agency.code == "TTGCP"
    assert phu_yen.parent == directive
    assert str(phu_yen.issued_on) == "2023-07-26"
    assert phu_yen.issuing_agency.short_name == "UBND tỉnh Phú Yên"


@pytest.mark.parametrize(
    ("old", "new"),
    [("BKHDT", "BTC"), ("BTTTT", "BKHCN"), ("BNNPTNT", "BNNMT"), ("BTNMT", "BNNMT"), ("UBND-L54", "UBND-66")],
)
def test_reorganised_agencies_point_to_their_successor(old, new):
    agency = Agency.objects.get(code=old)
    assert agency.successor.code == new
    assert agency.dissolved_on is not None


def test_each_of_the_34_provinces_has_its_peoples_committee():
    committees = Agency.objects.filter(kind=AgencyKind.PROVINCIAL_COMMITTEE, successor__isnull=True)
    assert committees.count() == 34
    assert set(committees.values_list("province__code", flat=True)) == set(
        Province.objects.values_list("code", flat=True)
    )
    assert Agency.objects.get(code="UBND-82").short_name == "UBND tỉnh Đồng Tháp"
    assert Agency.objects.get(code="UBND-01").short_name == "UBND thành phố Hà Nội"


def test_directive_19_has_tasks_now_carried_by_the_ministry_of_finance(national_admin):
    finance = Agency.objects.get(code="BTC")
    tasks = DirectiveTask.objects.filter(
        document__number="19/CT-TTg", lead_agency_id__in=selectors.agency_lineage_ids(finance.pk)
    )
    codes = set(tasks.values_list("code", flat=True))
    assert {"ct19-bkhdt-luat-htx", "ct19-bkhdt-oda", "ct19-chung-bkhdt", "ct19-chung-btc"} <= codes
    assert all(t.reporting_period == "yearly" and t.deadline is None for t in tasks)


def test_directive_19_tasks_go_to_every_assignee():
    tasks = DirectiveTask.objects.filter(document__number="19/CT-TTg")
    leads = set(tasks.values_list("lead_agency__code", flat=True))
    assert {"BKHDT", "BKHCN", "BNNPTNT", "BTTTT", "LMHTXVN"} <= leads
    assert tasks.filter(code__startswith="ct19-tinh-").count() == 34
    assert tasks.get(code="ct19-tinh-82").province.code == "82"
    assert "Quỹ Đổi mới công nghệ quốc gia" in tasks.get(code="ct19-bkhcn-von-vay").content


def test_seeded_tasks_link_their_indicators():
    assert DirectiveTask.objects.get(code="ct19-bnnptnt-truy-xuat").indicator_codes == ["traceability_pct"]
    mic = DirectiveTask.objects.get(code="ct19-btttt-nen-tang-so")
    assert mic.indicator_codes == ["ecommerce_pct"]
    assert list(mic.cooperating_agencies.values_list("code", flat=True)) == ["LMHTXVN"]


def test_the_forum_conclusions_are_recurring_follow_up_tasks_of_resolution_20():
    tasks = DirectiveTask.objects.filter(document__number="20-NQ/TW")
    assert tasks.count() == 6
    assert set(tasks.values_list("reporting_period", flat=True)) == {"yearly"}
    assert tasks.filter(content__icontains="OCOP").exists()


def test_phu_yen_tasks_belong_to_dak_lak_today():
    tasks = DirectiveTask.objects.filter(document__number="3734/UBND-KT")
    assert tasks.count() == 3
    assert set(tasks.values_list("province__code", flat=True)) == {"66"}
    assert tasks.filter(content__icontains="phuyentrade.gov.vn").exists()
    assert tasks.filter(content__icontains="98/2018/NĐ-CP").exists()


def test_loading_the_seed_again_changes_nothing():
    before = (Agency.objects.count(), Document.objects.count(), DirectiveTask.objects.count())
    Agency.objects.filter(code="BTC").update(email="vanphong@mof.gov.vn")
    counts = directive_seed_load()
    after = (Agency.objects.count(), Document.objects.count(), DirectiveTask.objects.count())
    assert before == after
    assert counts["tasks"] == DirectiveTask.objects.count()
    # What an administrator filled in is kept.
    assert Agency.objects.get(code="BTC").email == "vanphong@mof.gov.vn"


@pytest.mark.parametrize(
    ("part", "field", "bad"),
    [
        ("national_agencies", "kind", "not-a-kind"),
        ("documents", "number", "x" * 500),
        ("tasks", "content", ""),
    ],
    ids=["agency-kind", "document-number", "task-content"],
)
def test_the_seed_refuses_a_data_file_that_breaks_the_models_rules(monkeypatch, part, field, bad):
    """The seed writes through the models' rules (full_clean): a bad value in the data file stops it
    with the field named, instead of storing what the pages and the API would refuse."""
    from django.core.exceptions import ValidationError

    from directives import seed

    data: dict[str, Any] = dict(seed.directive_seed_data())
    data[part][0][field] = bad
    monkeypatch.setattr(seed, "directive_seed_data", lambda: data)
    with pytest.raises(ValidationError) as refused:
        directive_seed_load()
    assert field in refused.value.message_dict
