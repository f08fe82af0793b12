"""Each event kind, emitted by its real service path, reaches the national subscription and the
subscription of its own province, never another province's; a rolled-back write sends nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import ApiScope
from cooperatives.importing.registry import registry_import_bytes
from cooperatives.services import cooperative_archive, cooperative_create, cooperative_update
from directives import services as directive_services
from directives.models import Agency
from indicators.continuous import figures_follow_changes
from indicators.services import aggregate_indicators
from surveys.services import response_review, response_save_answers, response_start, response_submit
from tests.directives.conftest import AgencyFactory, TaskFactory
from tests.factories import CooperativeFactory
from tests.sheets import row, xlsx_bytes
from webhooks.models import Delivery

from .conftest import issue_token, subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def hooks(national_hook, province_a_hook, province_b_hook):
    return national_hook, province_a_hook, province_b_hook


def received(receiver, event):
    """Who (nation, a, b) received ``event``, with each one's data."""
    out: dict[str, list] = {}
    for request in receiver.requests:
        if request["headers"]["x-coopdx-event"] == event:
            import json

            out.setdefault(request["path"].rsplit("=", 1)[1], []).append(json.loads(request["body"])["data"])
    return out


def test_an_accepted_self_assessment_goes_to_its_province_and_the_nation(
    hooks, receiver, open_round, coop_a, national_admin, officer_a, best_answers, django_capture_on_commit_callbacks
):
    response = response_start(survey_round=open_round, cooperative=coop_a, by=national_admin)
    response = response_save_answers(response=response, answers=best_answers, by=national_admin)
    response = response_submit(response=response, by=national_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response_review(response=response, by=officer_a, accept=True)

    got = received(receiver, "response.accepted")
    assert set(got) == {"nation", "a"}
    (data,) = got["a"]
    assert data["response"] == response.pk and data["cooperative"] == coop_a.code
    assert data["province"] == "82" and data["round"] == "KS2026" and data["level"] == 5
    assert "entered_by" not in data and "phone" not in str(data)


def test_a_returned_self_assessment_sends_nothing(
    hooks, receiver, open_round, coop_a, national_admin, officer_a, best_answers, django_capture_on_commit_callbacks
):
    response = response_start(survey_round=open_round, cooperative=coop_a, by=national_admin)
    response = response_save_answers(response=response, answers=best_answers, by=national_admin)
    response = response_submit(response=response, by=national_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response_review(response=response, by=officer_a, accept=False, comment="Thiếu số liệu")
    assert received(receiver, "response.accepted") == {}


def test_a_task_report_goes_to_its_province_and_a_national_tasks_to_the_nation_only(
    hooks, receiver, officer_a, national_admin, django_capture_on_commit_callbacks, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    province_task = TaskFactory(lead_agency=Agency.objects.get(code="UBND-82"), code="kh-82")
    national_task = TaskFactory(lead_agency=AgencyFactory(), code="kh-tw")
    with django_capture_on_commit_callbacks(execute=True):
        report = directive_services.report_create(
            task=province_task, by=officer_a, status="in_progress", percent_done=40, narrative="Đã tập huấn."
        )
    with django_capture_on_commit_callbacks(execute=True):
        directive_services.report_create(
            task=national_task, by=national_admin, status="done", percent_done=100, narrative="Xong."
        )

    got = received(receiver, "task_report.posted")
    assert set(got) == {"nation", "a"}
    assert [d["task_code"] for d in got["nation"]] == ["kh-82", "kh-tw"]
    (data,) = got["a"]
    assert data["report"] == report.pk and data["province"] == "82" and data["percent_done"] == 40
    assert "narrative" not in data


def test_a_cooperative_created_changed_and_archived_through_the_services(
    hooks, receiver, officer_a, province_a, django_capture_on_commit_callbacks
):
    template = CooperativeFactory.build(province=province_a, code="8200000500", phone="0912345678")
    fields = {name: getattr(template, name) for name in ("code", "name", "province", "sector", "status")}
    with django_capture_on_commit_callbacks(execute=True):
        cooperative = cooperative_create(by=officer_a, phone="0912345678", **fields)
    with django_capture_on_commit_callbacks(execute=True):
        cooperative_update(cooperative=cooperative, by=officer_a, name="HTX Đổi Tên")
    with django_capture_on_commit_callbacks(execute=True):
        cooperative_archive(cooperative=cooperative, by=officer_a)

    created = received(receiver, "cooperative.created")
    assert set(created) == {"nation", "a"}
    (entry,) = created["a"][0]["cooperatives"]
    assert entry["code"] == "8200000500" and entry["province"] == "82"
    assert "0912345678" not in str(created)
    changed = received(receiver, "cooperative.changed")
    assert set(changed) == {"nation", "a"}
    assert [(d["source"], d["cooperatives"][0]["name"], d["cooperatives"][0]["archived"]) for d in changed["a"]] == [
        ("edit", "HTX Đổi Tên", False),
        ("archive", "HTX Đổi Tên", True),
    ]


def test_a_registry_import_sends_one_event_per_province_listing_its_codes(
    hooks, receiver, province_a, province_b, django_capture_on_commit_callbacks
):
    CooperativeFactory(province=province_a, code="8200000171", name="HTX Một")
    rows = [
        row(code="8200000171", name="HTX Một Mới"),
        row(code="8200000172", name="HTX Hai"),
        row(code="8200000173", name="HTX Ba"),
        row(code="6600000174", name="HTX Bốn", province="Đắk Lắk"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        plan, _ = registry_import_bytes(
            filename="a.xlsx", content=xlsx_bytes(rows), scope_province=None, by=None, dry_run=False
        )
    assert plan.ok, plan.errors

    created = received(receiver, "cooperative.created")
    assert {who: sorted([c["code"] for c in d["cooperatives"]] for d in data) for who, data in created.items()} == {
        "nation": [["6600000174"], ["8200000172", "8200000173"]],
        "a": [["8200000172", "8200000173"]],
        "b": [["6600000174"]],
    }
    changed = received(receiver, "cooperative.changed")
    assert {who: [[c["code"] for c in d["cooperatives"]] for d in data] for who, data in changed.items()} == {
        "nation": [["8200000171"]],
        "a": [["8200000171"]],
    }
    assert all(d["source"] == "import" for data in created.values() for d in data)


def test_the_aggregation_sends_each_province_only_its_own_figures(
    hooks, receiver, coop_a, coop_b, open_round, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = aggregate_indicators(trigger="command")

    got = received(receiver, "indicators.recomputed")
    assert set(got) == {"nation", "a", "b"}
    (nation,), (a,), (b,) = got["nation"], got["a"], got["b"]
    assert nation["scope"] == "nation" and nation["run"] == run.pk and "KS2026" in nation["rounds"]
    assert a["scope"] == "province" and a["province"] == "82" and b["province"] == "66"
    assert a["coverage"] and all(c["denominator"] == 1 for c in a["coverage"])  # A's one cooperative
    assert "66" not in str(a) and "82" not in str(b)


def test_figures_that_follow_a_change_reach_the_nation_and_the_changed_province_only(
    hooks, receiver, coop_a, coop_b, open_round, national_admin, settings, django_capture_on_commit_callbacks
):
    settings.INDICATORS_CONTINUOUS_OVERLAP_SECONDS = 0
    aggregate_indicators(trigger="command")
    figures_follow_changes()  # the first minute counts every province
    receiver.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cooperative_update(cooperative=coop_b, by=national_admin, status="suspended")
        run = figures_follow_changes()
    got = received(receiver, "indicators.recomputed")
    assert set(got) == {"nation", "b"}  # province a's figures were not rewritten: no event for it
    assert got["b"][0]["run"] == run.pk and got["b"][0]["province"] == "66"


def test_a_webhook_receives_only_the_events_it_chose_and_its_token_reads(
    national_admin, province_a, receiver, django_capture_on_commit_callbacks, officer_a
):
    registry_only = issue_token(national_admin, province=province_a, scopes=[ApiScope.REGISTRY_READ])
    subscribe(national_admin, registry_only, receiver.url + "?who=a", events=["cooperative.changed"])
    coop = CooperativeFactory(province=province_a, code="8200000600")
    with django_capture_on_commit_callbacks(execute=True):
        cooperative_update(cooperative=coop, by=officer_a, name="HTX Mới")
        cooperative_archive(cooperative=coop, by=officer_a)
    assert receiver.events() == ["cooperative.changed", "cooperative.changed"]
    with pytest.raises(ValidationError) as refused:
        subscribe(national_admin, registry_only, receiver.url, events=["response.accepted"])
    assert list(refused.value.message_dict) == ["events"]


def test_a_revoked_token_stops_its_webhooks(
    national_admin, national_hook, receiver, officer_a, coop_a, django_capture_on_commit_callbacks
):
    from accounts.api.services import api_token_revoke

    api_token_revoke(token=national_hook.subscription.token, by=national_admin)
    with django_capture_on_commit_callbacks(execute=True):
        cooperative_update(cooperative=coop_a, by=officer_a, name="HTX Khác")
    assert receiver.requests == [] and not Delivery.objects.exists()


def test_a_token_whose_account_is_switched_off_stops_its_webhooks(
    national_hook, receiver, officer_a, coop_a, django_capture_on_commit_callbacks
):
    """The API refuses such a token; its webhooks must not go on carrying the data."""
    from accounts.models import User

    User.objects.filter(pk=national_hook.subscription.token.user_id).update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        cooperative_update(cooperative=coop_a, by=officer_a, name="HTX Khác")
    assert receiver.requests == [] and not Delivery.objects.exists()


def test_an_event_of_a_rolled_back_transaction_sends_nothing(
    hooks, receiver, officer_a, coop_a, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        cooperative_update(cooperative=coop_a, by=officer_a, name="HTX Không Lưu")
        assert Delivery.objects.count() == 2  # the nation's and A's, written with the change
        raise RuntimeError("the caller fails after the change")
    assert callbacks == []
    assert receiver.requests == [] and not Delivery.objects.exists()


def test_a_merge_tells_its_province_which_cooperative_was_kept(
    hooks, receiver, national_admin, province_a, django_capture_on_commit_callbacks
):
    from cooperatives.merging import cooperatives_merge

    keep = CooperativeFactory(province=province_a, code="8200000701", name="HTX Hòa Lộc")
    copy = CooperativeFactory(province=province_a, code="8200000702", name="HTX Hòa Lộc")
    with django_capture_on_commit_callbacks(execute=True):
        cooperatives_merge(keep=keep, merged=[copy], by=national_admin)

    changed = received(receiver, "cooperative.changed")
    assert set(changed) == {"nation", "a"}
    (data,) = changed["a"]
    assert data["source"] == "merge" and data["kept"] == "8200000701" and data["merged"] == ["8200000702"]
    assert {c["code"]: c["archived"] for c in data["cooperatives"]} == {"8200000701": False, "8200000702": True}
