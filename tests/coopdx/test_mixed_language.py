"""One language per page: filters, the admin, forms and import messages speak the page's language."""

from __future__ import annotations

import html
import re

import pytest
from django.conf import settings
from django.utils import translation

from cooperatives.importing.registry import registry_import_plan
from imports.files import Sheet
from tests.sheets import HEADERS, row

pytestmark = pytest.mark.django_db

VIETNAMESE_LETTERS = re.compile("[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]", re.IGNORECASE)


def in_language(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def form_html(page: str) -> str:
    return page[page.index("<form") : page.index("</form>")]


def select_options(page: str, name: str) -> list[str]:
    match = re.search(rf'<select name="{name}".*?</select>', page, re.S)
    assert match, f"no select named {name}"
    return [html.unescape(text).strip() for text in re.findall(r"<option[^>]*>(.*?)</option>", match.group(0), re.S)]


@pytest.mark.parametrize(
    ("language", "all_provinces", "name_z_a", "members_most"),
    [
        ("vi", "Tất cả tỉnh/thành phố", "Tên (Z→A)", "Số thành viên (nhiều nhất trước)"),
        ("en", "All provinces", "Name (Z→A)", "Members (most first)"),
    ],
)
def test_registry_filters_speak_the_page_language(
    login, national_admin, language, all_provinces, name_z_a, members_most
):
    page = in_language(login(national_admin), language).get("/cooperatives/").content.decode()
    form = form_html(page)
    assert "---------" not in form
    assert "descending" not in form and "ascending" not in form
    assert select_options(page, "province")[0] == all_provinces
    ordering = select_options(page, "ordering")
    assert name_z_a in ordering
    assert members_most in ordering
    for name in ("sector", "status", "ordering"):
        assert select_options(page, name)[0] not in ("", "---------")


@pytest.mark.parametrize(("language", "all_statuses"), [("vi", "Tất cả trạng thái"), ("en", "All statuses")])
def test_task_board_filters_have_no_dashes(login, national_admin, language, all_statuses):
    page = in_language(login(national_admin), language).get("/directives/tasks/").content.decode()
    assert "---------" not in form_html(page)
    assert select_options(page, "status")[0] == all_statuses
    kinds = select_options(page, "kind")
    if language == "en":
        assert "Recurring" in kinds
        assert not any(VIETNAMESE_LETTERS.search(kind) for kind in kinds)


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    # Names of provinces and wards are data, shown as they are spelled.
    page = re.sub(r'<select name="(province|ward)".*?</select>', " ", page, flags=re.S)
    # The language switch names each language in that language.
    page = re.sub(r"<option[^>]*>\s*Tiếng Việt\s*</option>|>\s*Tiếng Việt\s*<", "><", page)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_the_english_cooperative_form_has_no_vietnamese_text(login, national_admin):
    page = in_language(login(national_admin), "en").get("/cooperatives/new/").content.decode()
    assert 'lang="en"' in page
    text = visible_text(page)
    vietnamese = sorted({word for word in text.split() if VIETNAMESE_LETTERS.search(word)})
    assert vietnamese == []


def test_english_task_board_and_document_kinds_have_no_vietnamese(login, national_admin):
    from directives.models import DocumentKind

    with translation.override("en"):
        labels = [str(label) for label in DocumentKind.labels]
    assert "Resolution" in labels
    assert not any(VIETNAMESE_LETTERS.search(label) for label in labels)
    with translation.override("vi"):
        assert "Nghị quyết" in [str(label) for label in DocumentKind.labels]


def test_import_errors_in_english_are_english(province_a):
    bad = row(code="8212345678", province="Đồng Tháp", sector="Ngân hàng", status="Ngừng", members="ba mươi")
    sheet = Sheet(headers=HEADERS, rows=[(2, bad)])
    with translation.override("en"):
        plan = registry_import_plan(sheet=sheet, scope_province=None)
    messages = {error.column: error.message for error in plan.errors}
    assert len(messages) >= 3, messages
    for message in messages.values():
        echoed = re.sub(r"“[^”]*”|\"[^\"]*\"", "", message)  # the cell's own value is quoted back
        assert not VIETNAMESE_LETTERS.search(echoed), message
    status_message = next(m for m in messages.values() if "Ngừng" in m)
    assert "Active" in status_message and "Suspended" in status_message
    with translation.override("vi"):
        plan = registry_import_plan(sheet=sheet, scope_province=None)
    assert any("Đang hoạt động" in error.message for error in plan.errors)


@pytest.mark.parametrize(
    ("language", "choose", "none"), [("vi", "— Chọn —", "— Không có —"), ("en", "— Choose —", "— None —")]
)
def test_form_selects_name_their_blank_choice(login, national_admin, language, choose, none):
    from directives.models import Document

    client = in_language(login(national_admin), language)
    document = Document.objects.first()
    pages = {
        url: client.get(url).content.decode()
        for url in (
            "/cooperatives/new/",
            "/directives/documents/new/",
            f"/directives/documents/{document.pk}/tasks/new/",
            "/accounts/tokens/new/",
        )
    }
    for url, page in pages.items():
        assert "---------" not in page, url
    cooperative_form = pages["/cooperatives/new/"]
    assert select_options(cooperative_form, "sector")[0] == choose  # required
    assert select_options(cooperative_form, "ward")[0] == none  # optional
    assert select_options(pages["/directives/documents/new/"], "parent")[0] == none
