"""Evidence uploads: PDF, Word, Excel, JPG, PNG only, by extension and content, 10 MB at most."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from directives import services
from directives.files import MAX_FILE_BYTES
from directives.models import EvidenceFile, TaskReport
from tests.directives.conftest import JPG, PDF, PNG, office_file, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # Messages are checked in English (the catalogue's msgids); the codes hold in any language.
    with translation.override("en"):
        yield


def _report(task, by, *files):
    return services.report_create(
        task=task, by=by, status="in_progress", percent_done=60, narrative="Đã tập huấn 40 HTX.", files=list(files)
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bien-ban.pdf", PDF),
        ("bao-cao.docx", office_file("word/document.xml")),
        ("so-lieu.xlsx", office_file("xl/workbook.xml")),
        ("anh.jpg", JPG),
        ("anh.JPEG", JPG),
        ("so-do.png", PNG),
    ],
)
def test_accepted_file_types_are_stored_with_the_report(officer_a, task_a, name, content):
    created = _report(task_a, officer_a, upload(name, content))
    [evidence] = created.evidence_files.all()
    assert evidence.original_name == name
    assert evidence.size == len(content)
    with evidence.file.open("rb") as handle:
        assert handle.read() == content
    # The name on disk is never the uploader's.
    assert name not in evidence.file.name


@pytest.mark.parametrize(
    ("name", "content", "code", "message"),
    [
        ("chuong-trinh.exe", b"MZ\x90\x00", "file_type", "not an accepted file type"),
        ("ghi-chu.txt", b"hello", "file_type", "not an accepted file type"),
        ("khong-duoi", PDF, "file_type", "not an accepted file type"),
        ("gia-mao.pdf", PNG, "file_content", "not a real .pdf file"),
        ("gia-mao.png", PDF, "file_content", "not a real .png file"),
        ("gia-mao.jpg", b"GIF89a" + b"\x00" * 10, "file_content", "not a real .jpg file"),
        ("gia-mao.docx", office_file("xl/workbook.xml"), "file_content", "not a real .docx file"),
        ("gia-mao.xlsx", b"PK\x03\x04 not really a zip", "file_content", "not a real .xlsx file"),
        ("rong.pdf", b"", "file_empty", "is empty"),
    ],
)
def test_refused_files_give_a_clear_error_and_nothing_is_saved(officer_a, task_a, name, content, code, message):
    with pytest.raises(ValidationError) as error:
        _report(task_a, officer_a, upload(name, content))
    [refusal] = error.value.error_dict["evidence"]
    assert refusal.code == code
    assert message in refusal.messages[0] and name in refusal.messages[0]
    assert not TaskReport.objects.exists()
    assert not EvidenceFile.objects.exists()


def test_a_file_over_10_mb_is_refused(officer_a, task_a):
    too_big = PDF + b"0" * (MAX_FILE_BYTES + 1 - len(PDF))
    with pytest.raises(ValidationError) as error:
        _report(task_a, officer_a, upload("qua-lon.pdf", too_big))
    [refusal] = error.value.error_dict["evidence"]
    assert refusal.code == "file_size"
    assert "larger than 10 MB" in refusal.messages[0]
    assert not TaskReport.objects.exists()


def test_a_file_of_exactly_10_mb_is_accepted(officer_a, task_a):
    exact = PDF + b"0" * (MAX_FILE_BYTES - len(PDF))
    assert _report(task_a, officer_a, upload("vua-du.pdf", exact)).evidence_files.count() == 1


def test_one_bad_file_refuses_the_whole_report(officer_a, task_a):
    with pytest.raises(ValidationError):
        _report(task_a, officer_a, upload("tot.pdf", PDF), upload("xau.pdf", b"not a pdf"))
    assert not TaskReport.objects.exists()
    assert not EvidenceFile.objects.exists()


def test_the_report_page_shows_the_error_and_saves_nothing(login, officer_a, task_a, settings):
    client = login(officer_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the message checked below is the English one
    response = client.post(
        f"/directives/tasks/{task_a.pk}/",
        {
            "status": "in_progress",
            "percent_done": 50,
            "narrative": "Đang triển khai.",
            "evidence": [upload("that.pdf", PDF), upload("gia.docx", b"%PDF-1.4 renamed")],
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "gia.docx" in body and "not a real .docx file" in body
    assert not TaskReport.objects.exists()


def test_the_report_page_saves_a_report_with_several_files(login, officer_a, task_a):
    response = login(officer_a).post(
        f"/directives/tasks/{task_a.pk}/",
        {
            "status": "in_progress",
            "percent_done": 50,
            "narrative": "Đang triển khai.",
            "evidence": [upload("bien-ban.pdf", PDF), upload("anh.png", PNG)],
        },
    )
    assert response.status_code == 302
    created = TaskReport.objects.get(task=task_a)
    assert sorted(created.evidence_files.values_list("original_name", flat=True)) == ["anh.png", "bien-ban.pdf"]
    page = login(officer_a).get(f"/directives/tasks/{task_a.pk}/").content.decode()
    for evidence in created.evidence_files.all():
        assert f"/directives/evidence/{evidence.pk}/" in page


@pytest.mark.parametrize(
    ("language", "expected", "foreign"),
    [("en", "at most 10 MB each", "tối đa"), ("vi", "tối đa 10 MB", "at most")],
)
def test_the_evidence_help_text_follows_the_page_language(
    login, officer_a, task_a, settings, language, expected, foreign
):
    client = login(officer_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    body = client.get(f"/directives/tasks/{task_a.pk}/").content.decode()
    assert expected in body
    assert foreign not in body


def test_more_files_than_a_report_takes_are_refused_and_nothing_is_saved(officer_a, task_a):
    from directives.files import MAX_REPORT_FILES

    files = [upload(f"anh-{n}.png", PNG) for n in range(MAX_REPORT_FILES + 1)]
    with pytest.raises(ValidationError) as error:
        _report(task_a, officer_a, *files)
    [refusal] = error.value.error_dict["evidence"]
    assert refusal.code == "too_many_files"
    assert f"at most {MAX_REPORT_FILES} files; {MAX_REPORT_FILES + 1} were chosen" in refusal.messages[0]
    assert not TaskReport.objects.exists() and not EvidenceFile.objects.exists()
    assert _report(task_a, officer_a, *files[:MAX_REPORT_FILES]).evidence_files.count() == MAX_REPORT_FILES


def test_files_adding_up_to_more_than_a_report_takes_are_refused(officer_a, task_a):
    from directives.files import MAX_REPORT_BYTES

    each = PDF + b"0" * (MAX_FILE_BYTES - len(PDF))  # each within its own limit
    count = MAX_REPORT_BYTES // MAX_FILE_BYTES + 1
    with pytest.raises(ValidationError) as error:
        _report(task_a, officer_a, *[upload(f"bien-ban-{n}.pdf", each) for n in range(count)])
    [refusal] = error.value.error_dict["evidence"]
    assert refusal.code == "files_total_size"
    assert "may add up to 30 MB; these add up to 40.0 MB" in refusal.messages[0]
    assert not TaskReport.objects.exists() and not EvidenceFile.objects.exists()


def test_the_report_page_says_why_the_set_of_files_was_refused(login, officer_a, task_a, settings):
    client = login(officer_a)
    response = client.post(
        f"/directives/tasks/{task_a.pk}/",
        {
            "status": "in_progress",
            "percent_done": 50,
            "narrative": "Đang triển khai.",
            "evidence": [upload(f"anh-{n}.png", PNG) for n in range(11)],
        },
    )
    assert response.status_code == 200
    with translation.override("vi"):
        from django.utils.translation import gettext

        expected = gettext("A report takes at most %(limit)s files; %(count)s were chosen.") % {
            "limit": 10,
            "count": 11,
        }
    assert expected in response.content.decode()
    assert not TaskReport.objects.exists()


@pytest.mark.parametrize("path", ["/directives/tasks/{pk}/", "/api/v1/directives/tasks/{pk}/reports/"])
def test_a_post_with_more_files_than_any_form_takes_is_a_400_with_a_message(login, officer_a, task_a, path):
    from django.conf import settings as django_settings

    count = django_settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1
    response = login(officer_a).post(
        path.format(pk=task_a.pk),
        {
            "status": "in_progress",
            "percent_done": 50,
            "narrative": "x",
            "evidence": [upload(f"{n}.png", PNG) for n in range(count)],
        },
    )
    assert response.status_code == 400
    with translation.override("vi"):
        from django.utils.translation import gettext

        expected = gettext("Too many files were sent at once (at most %(limit)s).") % {
            "limit": django_settings.DATA_UPLOAD_MAX_NUMBER_FILES
        }
    if path.startswith("/api/"):
        assert response.json()["error"]["code"] == "bad_request"
    else:
        assert expected in response.content.decode()
    assert not TaskReport.objects.exists()
