"""Reports sent upward: drawn as DOCX and PDF from the data as of the period's cut-off, edited
before export, prepared only within the preparer's scope, and refusing bad input with a message."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import docx
import pytest
from django.core.exceptions import PermissionDenied
from pypdf import PdfReader

from directives.models import Agency, DirectiveTask, UpwardReport
from directives.upward import services
from directives.upward.content import upward_content
from directives.upward.pdf import upward_pdf
from directives.upward.word import upward_docx
from indicators.models import AggregationRun, IndicatorSnapshot, IndicatorTarget, RunStatus, Scope
from surveys.models import SurveyRound
from tests.directives.conftest import AgencyFactory, DocumentFactory, TaskFactory, at_vn, report

pytestmark = pytest.mark.django_db

START, CUT_OFF = datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)


def _snapshot(run, survey_round, province, day, metric, value):
    return IndicatorSnapshot.objects.create(
        run=run,
        snapshot_date=day,
        as_of=at_vn(day.year, day.month, day.day, 2),
        round=survey_round,
        scope=Scope.PROVINCE,
        province=province,
        scope_key=f"p:{province.code}",
        metric=metric,
        value=value,
    )


@pytest.fixture
def world(province_a, province_b, officer_a, questionnaire):
    """Five tasks of Đồng Tháp (one of each status as of 30/06/2026, and one done only after),
    a task of Đắk Lắk, and the e-commerce share before and after the cut-off, with a target."""
    # The seed gives every province the shared tasks of Directive 19; this province starts without.
    DirectiveTask.objects.filter(province=province_a).delete()
    committee = Agency.objects.get(code="UBND-82")
    document = DocumentFactory(issuing_agency=committee, number="12/KH-UBND")

    def task(deadline, **fields):
        return TaskFactory(document=document, lead_agency=committee, deadline=deadline, **fields)

    on_time = task(datetime.date(2026, 3, 31), content="Đưa 50 hợp tác xã lên sàn thương mại điện tử")
    report(on_time, by=officer_a, at=at_vn(2026, 3, 20), narrative="Đã đưa 52 hợp tác xã lên sàn.")
    late = task(datetime.date(2026, 3, 31), content="Tập huấn kế toán số")
    report(late, by=officer_a, at=at_vn(2026, 4, 10))
    after = task(datetime.date(2026, 12, 31), content="Xây dựng bản đồ số hợp tác xã")
    report(after, by=officer_a, status="in_progress", percent=40, at=at_vn(2026, 5, 10), narrative="Đã khảo sát.")
    report(after, by=officer_a, at=at_vn(2026, 7, 5), narrative="Hoàn thành sau kỳ báo cáo.")
    task(datetime.date(2026, 5, 31), content="Ban hành quy chế dữ liệu", note="Chờ góp ý")
    linked = task(datetime.date(2026, 6, 15), content="Truy xuất nguồn gốc", indicator_codes=["ecommerce_pct"])
    report(linked, by=officer_a, status="in_progress", percent=60, at=at_vn(2026, 6, 1))
    TaskFactory(
        document=DocumentFactory(issuing_agency=Agency.objects.get(code="UBND-66")),
        lead_agency=Agency.objects.get(code="UBND-66"),
        content="Nhiệm vụ của Đắk Lắk",
    )
    survey_round = SurveyRound.objects.create(
        code="KS2026A",
        name_vi="Khảo sát 2026",
        questionnaire=questionnaire,
        opens_on=datetime.date(2026, 3, 1),
        closes_on=datetime.date(2026, 9, 30),
    )
    run = AggregationRun.objects.create(status=RunStatus.SUCCEEDED, trigger="test")
    for day, share in ((datetime.date(2026, 6, 20), Decimal("35.5")), (datetime.date(2026, 7, 10), Decimal("48"))):
        _snapshot(run, survey_round, province_a, day, "ecommerce_pct", share)
        _snapshot(run, survey_round, province_a, day, "surveyed_total", Decimal(20))
    IndicatorTarget.objects.create(metric="ecommerce_pct", year=2030, value=Decimal(60))
    return {"after": after}


@pytest.fixture
def draft(world, national_admin, province_a):
    made = services.upward_report_create(by=national_admin, province=province_a, period_start=START, period_end=CUT_OFF)
    return services.upward_report_update(
        report=made, by=national_admin, number="12/BC-UBND", issued_on=datetime.date(2026, 7, 14)
    )


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def test_counts_are_as_of_the_cut_off_and_ignore_a_later_done_report(draft, world):
    content = upward_content(report=draft)
    assert [count for _code, _label, count in content.counts] == [1, 1, 1, 2]
    assert content.total == 5  # Đắk Lắk's task is not Đồng Tháp's
    after = next(line for line in content.tasks if line.task_id == world["after"].pk)
    assert after.status == "in_progress" and after.percent == 40 and after.narrative == "Đã khảo sát."
    [indicator] = content.indicators
    assert indicator.value == Decimal("35.5") and content.snapshot_day == datetime.date(2026, 6, 20)


@pytest.mark.parametrize("render, extract", [(upward_docx, docx_text), (upward_pdf, pdf_text)], ids=["docx", "pdf"])
def test_the_file_holds_the_heading_counts_and_figures_as_of_the_cut_off(draft, render, extract):
    text = " ".join(extract(render(upward_content(report=draft))).split())
    for line in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP",
        "Số: 12/BC-UBND",
        "Đồng Tháp, ngày 14 tháng 7 năm 2026",
        "BÁO CÁO",
        "kỳ báo cáo từ ngày 01/01/2026 đến ngày 30/06/2026",
        "I. KẾT QUẢ THỰC HIỆN",
        "II. KHÓ KHĂN, VƯỚNG MẮC",
        "III. ĐỀ XUẤT, KIẾN NGHỊ",
        "Nơi nhận:",
        "PHỤ LỤC",
        "Tổng số nhiệm vụ: 5",
        "Đã hoàn thành đúng hạn: 1",
        "Đã hoàn thành quá hạn: 1",
        "Đang thực hiện trong hạn: 1",
        "Quá hạn chưa hoàn thành: 2",
        "35,5%",
        "chỉ tiêu năm 2030: 60,0%",
        "Chờ góp ý",
    ):
        assert line in text, line
    assert "48,0%" not in text  # the snapshot after the cut-off
    assert "Hoàn thành sau kỳ báo cáo" not in text  # nor the report sent after it
    assert "Nhiệm vụ của Đắk Lắk" not in text


def test_the_word_file_is_a4_with_the_decree_margins_and_times_new_roman(draft):
    document = docx.Document(io.BytesIO(upward_docx(upward_content(report=draft))))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin)] == [20, 20, 30]
    assert round(section.right_margin.mm) == 15
    assert document.styles["Normal"].font.name == "Times New Roman"


def test_the_pdf_embeds_a_font_with_vietnamese_glyphs(draft):
    reader = PdfReader(io.BytesIO(upward_pdf(upward_content(report=draft))))
    fonts = {
        str(font.get_object()["/BaseFont"]) for page in reader.pages for font in page["/Resources"]["/Font"].values()
    }
    assert any("Serif" in name for name in fonts), fonts
    assert len(reader.pages) >= 2  # the annex starts a page of its own


def test_an_agencys_report_holds_the_tasks_of_the_agencies_it_succeeded(national_admin, officer_a):
    successor = AgencyFactory(name="Bộ Nông nghiệp và Môi trường (thử)")
    merged = AgencyFactory(name="Bộ cũ", successor=successor)
    TaskFactory(lead_agency=merged, content="Nhiệm vụ của bộ cũ", deadline=datetime.date(2026, 3, 1))
    TaskFactory(lead_agency=successor, content="Nhiệm vụ của bộ mới", deadline=datetime.date(2026, 9, 1))
    TaskFactory(content="Nhiệm vụ của bộ khác")
    made = services.upward_report_create(by=national_admin, agency=successor, period_start=START, period_end=CUT_OFF)
    content = upward_content(report=made)
    assert sorted(line.content for line in content.tasks) == ["Nhiệm vụ của bộ cũ", "Nhiệm vụ của bộ mới"]
    assert made.agency_name == "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG (THỬ)" and made.place == "Hà Nội"


def test_an_edited_text_appears_in_both_files(login, draft, national_admin):
    client = login(national_admin)
    url = f"/directives/reports/{draft.pk}/edit/"
    form = client.get(url).context["form"]
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data["issued_on"] = "14/07/2026"
    data["difficulties"] = "Thiếu cán bộ công nghệ thông tin ở cấp xã."
    assert client.post(url, data).status_code == 302
    for suffix, extract in (("report.docx", docx_text), ("report.pdf", pdf_text)):
        response = client.get(f"/directives/reports/{draft.pk}/{suffix}")
        assert response.status_code == 200
        assert "Thiếu cán bộ công nghệ thông tin ở cấp xã." in " ".join(extract(response.content).split())
    assert UpwardReport.history.filter(id=draft.pk).count() == 3  # created, numbered, edited


def test_an_officer_of_another_province_gets_404_everywhere(login, draft, officer_b):
    client = login(officer_b)
    for suffix in ("", "edit/", "report.docx", "report.pdf"):
        assert client.get(f"/directives/reports/{draft.pk}/{suffix}").status_code == 404
    assert draft.number not in client.get("/directives/reports/").content.decode()


def test_an_officer_prepares_only_for_their_province(login, world, officer_a, province_a, province_b):
    client = login(officer_a)
    dates = {"period_start": "01/01/2026", "period_end": "30/06/2026"}
    refused = client.post("/directives/reports/new/", {"province": province_b.pk, **dates})
    assert refused.status_code == 400  # not a choice offered to them
    response = client.post("/directives/reports/new/", {"province": province_a.pk, **dates})
    assert response.status_code == 302
    with pytest.raises(PermissionDenied):
        services.upward_report_create(by=officer_a, province=province_b, period_start=START, period_end=CUT_OFF)


def test_an_agency_account_prepares_its_own_agencys_report_and_no_other(login, world, agency_officer):
    client = login(agency_officer)
    dates = {"period_start": "01/01/2026", "period_end": "30/06/2026"}
    other = Agency.objects.get(code="UBND-82")
    assert client.post("/directives/reports/new/", {"agency": other.pk, **dates}).status_code == 400
    response = client.post("/directives/reports/new/", {"agency": agency_officer.agency_id, **dates})
    assert response.status_code == 302
    made = UpwardReport.objects.get(agency=agency_officer.agency)
    assert client.get(f"/directives/reports/{made.pk}/edit/").status_code == 200
    with pytest.raises(PermissionDenied):
        services.upward_report_create(by=agency_officer, agency=other, period_start=START, period_end=CUT_OFF)


def test_a_ministry_analyst_reads_but_cannot_prepare_or_edit(login, draft, ministry_analyst, province_a):
    client = login(ministry_analyst)
    assert client.get(f"/directives/reports/{draft.pk}/").status_code == 200
    assert client.get("/directives/reports/new/").status_code == 403
    assert client.get(f"/directives/reports/{draft.pk}/edit/").status_code == 403
    with pytest.raises(PermissionDenied):
        services.upward_report_create(by=ministry_analyst, province=province_a, period_start=START, period_end=CUT_OFF)


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("difficulties", "x" * 20_001, "20000"),
        ("proposals", "Đề xuất\u202egiả", "U+202E"),
        ("subject", "Báo cáo\x00", "Null characters are not allowed."),
        ("number", "1" * 61, "60"),
    ],
)
def test_hostile_text_is_a_form_error_not_a_crash(login, draft, national_admin, field, value, message):
    client = login(national_admin)
    url = f"/directives/reports/{draft.pk}/edit/"
    form = client.get(url).context["form"]
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(issued_on="14/07/2026", **{field: value})
    response = client.post(url, data)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    draft.refresh_from_db()
    assert getattr(draft, field) != value


@pytest.mark.parametrize(
    "data, message",
    [
        (
            {"period_start": "01/07/2026", "period_end": "30/06/2026"},
            "Ngày chốt số liệu trước ngày bắt đầu kỳ báo cáo.",
        ),
        ({"period_start": "01/01/2026", "period_end": "31/12/2999"}, "Ngày chốt số liệu không được ở tương lai."),
        ({"period_start": "hôm qua", "period_end": "30/06/2026"}, "Nhập một ngày hợp lệ."),
    ],
)
def test_a_bad_period_is_refused_in_vietnamese(login, world, national_admin, province_a, data, message):
    response = login(national_admin).post("/directives/reports/new/", {"province": province_a.pk, **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not UpwardReport.objects.exists()


def test_choosing_both_an_agency_and_a_province_is_refused(login, world, national_admin, province_a):
    data = {
        "province": province_a.pk,
        "agency": Agency.objects.get(code="UBND-82").pk,
        "period_start": "01/01/2026",
        "period_end": "30/06/2026",
    }
    response = login(national_admin).post("/directives/reports/new/", data)
    assert response.status_code == 400
    assert "Chọn một cơ quan hoặc một tỉnh/thành phố." in response.content.decode()


# (caller, rule, what it is asked about, allowed): the rules of directives/rules.py.
RULES = [
    ("national_admin", "directives.prepare_upward_report", "province_b", True),
    ("national_admin", "directives.prepare_upward_report", "ministry", True),
    ("officer_a", "directives.prepare_upward_report", None, True),
    ("officer_a", "directives.prepare_upward_report", "province_a", True),
    ("officer_a", "directives.prepare_upward_report", "department_a", True),
    ("officer_a", "directives.prepare_upward_report", "province_b", False),
    ("officer_a", "directives.prepare_upward_report", "ministry", False),
    ("ministry_analyst", "directives.prepare_upward_report", None, False),
    ("ministry_analyst", "directives.prepare_upward_report", "province_a", False),
    ("member_a", "directives.prepare_upward_report", "province_a", False),
    ("agency_officer", "directives.prepare_upward_report", None, True),
    ("agency_officer", "directives.prepare_upward_report", "own_agency", True),
    ("agency_officer", "directives.prepare_upward_report", "ministry", False),
    ("agency_officer", "directives.prepare_upward_report", "province_a", False),
    ("alliance_officer", "directives.prepare_upward_report", "alliance", True),
    ("alliance_officer", "directives.prepare_upward_report", "own_agency", False),
    ("agency_officer", "directives.view_upward_reports", None, True),
    ("ministry_analyst", "directives.view_upward_reports", None, True),
    ("officer_b", "directives.view_upward_reports", None, True),
    ("member_a", "directives.view_upward_reports", None, False),
]


@pytest.mark.parametrize("caller, rule, target, allowed", RULES)
def test_who_may_prepare_and_read_upward_reports(request, province_a, caller, rule, target, allowed):
    objects = {
        "ministry": lambda: AgencyFactory(),
        "department_a": lambda: AgencyFactory(kind="provincial_department", province=province_a),
        "own_agency": lambda: Agency.objects.get(code="BNNMT"),
        "alliance": lambda: Agency.objects.get(code="LMHTXVN"),
    }
    obj = None
    if target is not None:
        obj = objects[target]() if target in objects else request.getfixturevalue(target)
    assert request.getfixturevalue(caller).has_perm(rule, obj) is allowed
