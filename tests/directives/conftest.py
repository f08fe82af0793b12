"""Fixtures of directive tracking: factories on top of the seeded agencies and documents."""

from __future__ import annotations

import datetime
import io
import zipfile

import factory
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from directives.models import (
    Agency,
    AgencyKind,
    DirectiveTask,
    Document,
    DocumentKind,
    EvidenceFile,
    ReportStatus,
    TaskReport,
)

VN = datetime.timezone(datetime.timedelta(hours=7))

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def office_file(part: str) -> bytes:
    """A minimal Office file (a zip with its content types and ``part``). The same bytes every
    time, whatever the clock: parallel test processes must collect identical test names."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in (("[Content_Types].xml", "<Types/>"), (part, "<document/>")):
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), text)
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"TEST-{n}")
    name = factory.Sequence(lambda n: f"Cơ quan thử nghiệm {n}")
    short_name = factory.LazyAttribute(lambda o: o.name)
    kind = AgencyKind.MINISTRY
    email = factory.LazyAttribute(lambda o: f"{o.code.lower()}@example.gov.vn")


class DocumentFactory(DjangoModelFactory):
    class Meta:
        model = Document

    number = factory.Sequence(lambda n: f"{n + 100}/KH-TEST")
    kind = DocumentKind.PLAN
    title = factory.Sequence(lambda n: f"Kế hoạch thử nghiệm {n}")
    issuing_agency = factory.LazyFunction(lambda: Agency.objects.get(code="TTGCP"))
    issued_on = datetime.date(2024, 1, 1)


class TaskFactory(DjangoModelFactory):
    class Meta:
        model = DirectiveTask
        skip_postgeneration_save = True

    document = factory.SubFactory(DocumentFactory)
    content = factory.Sequence(lambda n: f"Nhiệm vụ thử nghiệm số {n}")
    lead_agency = factory.SubFactory(AgencyFactory)
    province = factory.LazyAttribute(lambda o: o.lead_agency.province)
    starts_on = datetime.date(2024, 1, 1)
    deadline = datetime.date(2025, 6, 30)
    reporting_period = ""

    @factory.post_generation
    def cooperating(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create and extracted:
            self.cooperating_agencies.set(extracted)


def report(
    task: DirectiveTask,
    *,
    by,
    status: str = ReportStatus.DONE,
    percent: int | None = None,
    at: datetime.datetime | None = None,
    period_start: datetime.date | None = None,
    narrative: str = "Đã triển khai.",
) -> TaskReport:
    """A report written straight to the database, dated ``at`` (Viet Nam time by default)."""
    created = TaskReport.objects.create(
        task=task,
        status=status,
        percent_done=percent if percent is not None else (100 if status == ReportStatus.DONE else 50),
        narrative=narrative,
        period_start=period_start,
        reporting_agency=task.lead_agency,
        submitted_by=by,
    )
    if at is not None:
        # Reports are immutable through the model; a test back-dates one with a queryset update.
        TaskReport.objects.filter(pk=created.pk).update(submitted_at=at)
        created.refresh_from_db()
    return created


def at_vn(year: int, month: int, day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=VN)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def committee_a(db):
    return Agency.objects.get(code="UBND-82")


@pytest.fixture
def committee_b(db):
    return Agency.objects.get(code="UBND-66")


@pytest.fixture
def document_a(committee_a):
    return DocumentFactory(
        number="100/KH-UBND", issuing_agency=committee_a, title="Kế hoạch chuyển đổi số HTX Đồng Tháp"
    )


@pytest.fixture
def document_b(committee_b):
    return DocumentFactory(number="200/KH-UBND", issuing_agency=committee_b, title="Kế hoạch chuyển đổi số HTX Đắk Lắk")


@pytest.fixture
def task_a(document_a, committee_a):
    return TaskFactory(document=document_a, lead_agency=committee_a, content="Nhiệm vụ riêng của Đồng Tháp")


@pytest.fixture
def task_b(document_b, committee_b):
    return TaskFactory(document=document_b, lead_agency=committee_b, content="Nhiệm vụ riêng của Đắk Lắk")


@pytest.fixture
def evidence_b(task_b, officer_b):
    created = report(task_b, by=officer_b, status=ReportStatus.IN_PROGRESS, percent=40)
    evidence = EvidenceFile(report=created, original_name="bien-ban.pdf", size=len(PDF), content_type="application/pdf")
    evidence.file.save("bien-ban.pdf", SimpleUploadedFile("bien-ban.pdf", PDF), save=False)
    evidence.save()
    return evidence


@pytest.fixture
def today():
    return timezone.localdate()
