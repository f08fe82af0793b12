"""The seed's data file (``directives/data/directives.json``): what loading it into an empty
directive tracker gives, and that the loader takes its documents and tasks from the file."""

from __future__ import annotations

import datetime
import json
import unicodedata
from typing import Any

import pytest

from directives import seed, selectors
from directives.models import Agency, DirectiveTask, Document
from directives.seed import directive_seed_data, directive_seed_load

pytestmark = pytest.mark.django_db

D = datetime.date


def empty_the_tracker() -> None:
    DirectiveTask.objects.all().delete()
    Document.objects.update(parent=None)
    Document.objects.all().delete()
    Agency.objects.update(successor=None)
    Agency.objects.all().delete()


@pytest.fixture
def freshly_loaded() -> dict[str, int]:
    empty_the_tracker()
    return directive_seed_load()


def strings_in(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in strings_in(item)]
    if isinstance(value, list):
        return [s for item in value for s in strings_in(item)]
    return []


def test_every_text_of_the_data_file_is_nfc():
    texts = strings_in(directive_seed_data())
    assert len(texts) > 200
    assert [t for t in texts if not unicodedata.is_normalized("NFC", t)] == []


def test_loading_into_an_empty_tracker_gives_the_documents_agencies_and_tasks(freshly_loaded):
    assert freshly_loaded == {"agencies": 47, "documents": 3, "tasks": 89}
    assert (Agency.objects.count(), Document.objects.count(), DirectiveTask.objects.count()) == (47, 3, 89)
    per_document = {
        number: DirectiveTask.objects.filter(document__number=number).count()
        for number in ("20-NQ/TW", "19/CT-TTg", "3734/UBND-KT")
    }
    assert per_document == {"20-NQ/TW": 6, "19/CT-TTg": 80, "3734/UBND-KT": 3}
    assert set(DirectiveTask.objects.values_list("reporting_period", flat=True)) == {"yearly"}
    assert not DirectiveTask.objects.filter(deadline__isnull=False).exists()


def test_directive_19_keeps_its_vietnamese_title_and_summary(freshly_loaded):
    directive = Document.objects.get(code="ct-19-2023")
    assert directive.number == "19/CT-TTg"
    assert directive.title == "Về việc đẩy mạnh chuyển đổi số trong khu vực kinh tế hợp tác, hợp tác xã"
    assert directive.issued_on == D(2023, 6, 3)
    assert directive.parent is not None and directive.parent.number == "20-NQ/TW"
    assert directive.summary.endswith(
        "giao nhiệm vụ cụ thể cho các bộ, UBND các tỉnh, thành phố và Liên minh Hợp tác xã Việt Nam."
    )


def test_a_ministry_task_keeps_its_text_lead_agency_and_indicator(freshly_loaded):
    task = DirectiveTask.objects.get(code="ct19-bnnptnt-truy-xuat")
    assert task.clause == "Nhiệm vụ giao Bộ Nông nghiệp và Phát triển nông thôn"
    assert task.content == (
        "Nghiên cứu, trình cấp có thẩm quyền ban hành cơ chế, chính sách và quy định về truy xuất nguồn gốc nông "
        "sản bằng công nghệ số."
    )
    assert task.lead_agency.name == "Bộ Nông nghiệp và Phát triển nông thôn"
    assert task.starts_on == D(2023, 6, 3)
    assert task.indicator_codes == ["traceability_pct"]
    # The ministry merged on 1 March 2025; the merged ministry carries the task today.
    assert task.lead_agency.dissolved_on == D(2025, 3, 1)
    assert selectors.agency_current(task.lead_agency).name == "Bộ Nông nghiệp và Môi trường"


def test_the_phu_yen_bodies_map_to_their_dak_lak_successors(freshly_loaded):
    committee = Agency.objects.get(code="UBND-L54")
    assert committee.name == "Ủy ban nhân dân tỉnh Phú Yên"
    assert committee.successor is not None and committee.successor.code == "UBND-66"
    assert committee.successor.short_name == "UBND tỉnh Đắk Lắk"
    assert committee.dissolved_on == D(2025, 7, 1)
    assert committee.legacy_province is not None and committee.legacy_province.code == "54"
    department = Agency.objects.get(code="SNNPTNT-L54")
    assert department.successor is not None and department.successor.name == "Sở Nông nghiệp và Môi trường tỉnh Đắk Lắk"
    assert department.successor.legacy_province is None
    training = DirectiveTask.objects.get(code="cv3734-phu-yen-tap-huan")
    assert training.lead_agency == department
    assert training.province is not None and training.province.code == "66"
    planning = DirectiveTask.objects.get(code="cv3734-phu-yen-qlnn")
    assert list(planning.cooperating_agencies.values_list("code", flat=True)) == ["SNNPTNT-L54"]


def test_the_shared_directive_19_tasks_go_to_each_ministry_and_committee(freshly_loaded):
    common = DirectiveTask.objects.filter(code__startswith="ct19-chung-")
    assert common.count() == 6 + 34
    assert {"ct19-chung-bkhdt", "ct19-chung-btnmt", "ct19-chung-ubnd-01", "ct19-chung-ubnd-66"} <= set(
        common.values_list("code", flat=True)
    )
    hanoi = DirectiveTask.objects.get(code="ct19-chung-ubnd-01")
    assert hanoi.lead_agency.short_name == "UBND thành phố Hà Nội"
    assert hanoi.province is not None and hanoi.province.code == "01"
    assert hanoi.clause == "Nhiệm vụ chung của các bộ, ngành và UBND các tỉnh, thành phố"
    provincial = DirectiveTask.objects.get(code="ct19-tinh-82")
    assert provincial.lead_agency.code == "UBND-82"
    assert provincial.content.startswith("Chủ động chuyển đổi số theo chức năng, nhiệm vụ và thẩm quyền")


def test_the_loader_takes_the_tasks_from_the_data_file(tmp_path, monkeypatch):
    data = directive_seed_data()
    [ocop] = [task for task in data["tasks"] if task["code"] == "nq20-dd-ocop"]
    ocop["content"] = "Nội dung đã sửa trong tệp dữ liệu."
    data["tasks"] = [task for task in data["tasks"] if task["code"] != "nq20-dd-dao-tao"]
    changed = tmp_path / "directives.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(seed, "DATA_FILE", changed)
    empty_the_tracker()

    counts = directive_seed_load()

    assert counts["tasks"] == 88
    assert DirectiveTask.objects.get(code="nq20-dd-ocop").content == "Nội dung đã sửa trong tệp dữ liệu."
    assert not DirectiveTask.objects.filter(code="nq20-dd-dao-tao").exists()
