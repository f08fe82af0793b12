"""Every page reachable from the navigation, as each role sees it, in both languages, on a
desktop and on a phone: no console error or CSP violation, no server error, nothing wider
than the screen, no English left on a Vietnamese page (nor Vietnamese interface text on an
English one), no number in the wrong locale in SVG or data attributes.

The pages are found by following links (tests/e2e/crawler.py), so a new page is covered as
soon as it is linked. All findings of one role, language and width are reported together.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import Role
from directives import services as directive_services
from directives.models import Agency, DocumentKind, ReportStatus
from directives.seed import directive_seed_load
from indicators import services as indicator_services
from indicators.models import IndicatorTarget
from surveys import services as survey_services
from surveys.addons import addon_question_save
from surveys.models import Questionnaire, SurveyRound
from surveys.questionnaires import questionnaire_new_version
from tests.conftest import ensure_reference_data
from tests.e2e.axe import axe_violations, describe
from tests.e2e.conftest import log_in
from tests.e2e.crawler import CSP_LISTENER, NOT_OURS, Crawler
from tests.factories import PASSWORD, CooperativeFactory, UserFactory, complete_answers, province

pytestmark = [pytest.mark.services]

ROLES = ["national_admin", "ministry_analyst", "provincial_officer", "cooperative_member", "anonymous"]
LANGUAGES = ["vi", "en"]
WIDTHS = [1366, 390]
MISSING = "/trang-khong-ton-tai/"  # the not-found page, as a user who mistypes an address sees it

# Starting points; everything else is found by following links.
SEEDS = {
    "national_admin": ["/", "/dashboard/?province=82", "/admin/", "/admin/accounts/user/", "/admin/accounts/user/add/"],
    "ministry_analyst": ["/", "/dashboard/?province=82"],
    "provincial_officer": ["/"],
    "cooperative_member": ["/"],
    "anonymous": ["/", "/accounts/login/", "/accounts/password/reset/"],
}


@pytest.fixture(scope="module")
def transactional_db(django_db_setup, django_db_blocker):
    """One committed database for the whole module, in place of pytest-django's one per test.

    The crawls only read (log-ins aside), so the world is built once instead of twenty times,
    which keeps the module within a few minutes. The live server and the e2e fixtures ask for
    ``transactional_db`` and get this one; at the end the database is flushed, as after any
    transactional test.
    """
    from django.core.management import call_command
    from django.db import connections

    with django_db_blocker.unblock():
        yield
        call_command("flush", verbosity=0, interactive=False)
        connections.close_all()


@pytest.fixture(autouse=True)
def _reference_data():
    """The world below loads the reference data once; nothing to restore between crawls."""


@pytest.fixture(scope="module")
def world(transactional_db, tmp_path_factory):
    from django.db import connections
    from django.test import override_settings

    from coopdx.celery import app

    eager = app.conf.task_always_eager
    # Passwords hashed as every test of the suite checks them (tests/conftest.py).
    with override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    ):
        app.conf.task_always_eager = True
        try:
            users = _build_world()
        finally:
            app.conf.task_always_eager = eager
            # Built beside Playwright's event loop: leave no connection behind that would keep
            # PostgreSQL from dropping the test database at the end of the run.
            connections.close_all()
        yield users


def _build_world():
    """A province as it is in the middle of a round: cooperatives, answers, figures and tasks."""
    ensure_reference_data()
    directive_seed_load()
    dong_thap, dak_lak = province("82"), province("66")
    admin = UserFactory(username="quantri", role=Role.NATIONAL_ADMIN, is_staff=True, is_superuser=True)
    analyst = UserFactory(username="bo.taichinh", role=Role.MINISTRY_ANALYST)
    officer = UserFactory(username="canbo.dongthap", role=Role.PROVINCIAL_OFFICER, province=dong_thap)
    cooperatives = [
        CooperativeFactory(province=dong_thap, name="Hợp tác xã Nông nghiệp Tân Dương"),
        CooperativeFactory(province=dong_thap, name="Hợp tác xã Thủy sản Tháp Mười"),
        CooperativeFactory(province=dong_thap, name="Hợp tác xã Dịch vụ Sen Hồng", members_count=120),
        CooperativeFactory(province=dak_lak, name="Hợp tác xã Cà phê Ea Tu", code="6600000001"),
    ]
    member = UserFactory(username="htx.demo", role=Role.COOPERATIVE_MEMBER, cooperative=cooperatives[0])
    questionnaire = Questionnaire.objects.get(code="NATIONAL", version=1)
    today = timezone.localdate()

    # Last year's round, answered and accepted while it was open, then closed.
    previous = SurveyRound.objects.create(
        code="KS2025",
        name_vi="Khảo sát 2025",
        questionnaire=questionnaire,
        opens_on=today - datetime.timedelta(days=5),
        closes_on=today + datetime.timedelta(days=5),
    )
    # The member answered for their cooperative; the officer entered another's paper form.
    _answer(previous, cooperatives[0], member, complete_answers(questionnaire, "worst"), accept_by=officer)
    _answer(previous, cooperatives[1], officer, complete_answers(questionnaire, "best"), accept_by=admin)
    SurveyRound.objects.filter(pk=previous.pk).update(
        opens_on=today - datetime.timedelta(days=400), closes_on=today - datetime.timedelta(days=300)
    )
    # This year's round: the member submitted, an officer started one on behalf of another.
    current = SurveyRound.objects.create(
        code="KS2026",
        name_vi="Khảo sát 2026",
        questionnaire=questionnaire,
        opens_on=today - datetime.timedelta(days=14),
        closes_on=today + datetime.timedelta(days=30),
    )
    _answer(current, cooperatives[0], member, complete_answers(questionnaire, "best"))
    draft = survey_services.response_start(survey_round=current, cooperative=cooperatives[2], by=officer)
    some = dict(list(complete_answers(questionnaire, "worst").items())[:3])
    survey_services.response_save_answers(response=draft, answers=some, by=officer)
    indicator_services.aggregate_indicators()
    # Đồng Tháp's own round, with an add-on question of the province (its page is the officer's).
    provincial = SurveyRound.objects.create(
        code="KS2026-DT",
        name_vi="Khảo sát tỉnh Đồng Tháp 2026",
        questionnaire=questionnaire,
        province=dong_thap,
        opens_on=today - datetime.timedelta(days=7),
        closes_on=today + datetime.timedelta(days=30),
    )
    addon_question_save(
        survey_round=provincial,
        by=officer,
        code="DU_LICH",
        kind="single",
        text_vi="Hợp tác xã có làm du lịch cộng đồng không?",
        options=[("Chưa", ""), ("Đang chuẩn bị", ""), ("Đã làm", "")],
    )
    # The national team's next version, a draft not yet published (its pages: preview, publish).
    questionnaire_new_version(questionnaire=questionnaire)

    committee = Agency.objects.get(code="UBND-82")
    document = directive_services.document_create(
        by=officer,
        number="125/KH-UBND",
        kind=DocumentKind.PLAN,
        title="Kế hoạch chuyển đổi số hợp tác xã tỉnh Đồng Tháp năm 2026",
        issuing_agency=committee,
        issued_on=today - datetime.timedelta(days=60),
    )
    task = directive_services.task_create(
        by=officer,
        document=document,
        content="Hỗ trợ 50 hợp tác xã dùng hóa đơn điện tử và sổ sách kế toán số",
        lead_agency=committee,
        starts_on=today - datetime.timedelta(days=60),
        deadline=today + datetime.timedelta(days=120),
        indicator_codes=["ecommerce_pct", "digital_accounting_pct"],
    )
    # National targets, so that the cards and the task's indicators carry their badges.
    for metric, value in (("ecommerce_pct", 80), ("digital_accounting_pct", 60)):
        indicator_services.target_save(
            target=IndicatorTarget(
                metric=metric, year=today.year + 3, value=Decimal(value), baseline_year=today.year - 2, baseline_value=0
            ),
            by=admin,
        )
    directive_services.report_create(
        task=task, by=officer, status=ReportStatus.IN_PROGRESS, percent_done=35, narrative="Đã tập huấn 18 HTX."
    )
    return {
        "national_admin": admin.username,
        "ministry_analyst": analyst.username,
        "provincial_officer": officer.username,
        "cooperative_member": member.username,
        "anonymous": None,
    }


def _answer(survey_round, cooperative, by, answers, accept_by=None):
    response = survey_services.response_start(survey_round=survey_round, cooperative=cooperative, by=by)
    response = survey_services.response_save_answers(response=response, answers=answers, by=by)
    response = survey_services.response_submit(response=response, by=by)
    if accept_by is not None:
        survey_services.response_review(response=response, by=accept_by, accept=True)
    return response


@pytest.mark.parametrize("width", WIDTHS, ids=lambda w: f"{w}px")
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ROLES)
def test_every_reachable_page_is_right_for_the_user(browser, live_server, world, role, language, width):
    result, where = _crawl(browser, live_server.url, world[role], role, language, width)
    findings = "\n".join(str(f) for f in result.findings)
    assert not result.findings, (
        f"{len(result.findings)} problems on {len(result.visited)} pages ({where}):\n{findings}\n"
        f"pages visited: {' '.join(result.visited)}"
    )


@pytest.mark.parametrize("role", ROLES)
def test_every_reachable_page_has_no_serious_accessibility_violation(browser, live_server, world, role):
    """axe-core's WCAG 2.1 A/AA rules on every page the role reaches (one page per route and
    arguments, as the crawl above), in Vietnamese on a desktop: no serious or critical violation."""
    result, where = _crawl(browser, live_server.url, world[role], role, "vi", 1366, axe=True)
    checked = [key for key in result.visited if not key.startswith(NOT_OURS)]
    assert len(checked) >= (3 if world[role] is None else 5), result.visited
    assert not any(v.failing for v in result.violations), f"{where}, {len(checked)} pages: " + describe(
        result.violations
    )


def _crawl(browser, base_url, username, role, language, width, *, axe=False):
    phone = width < 600
    context = browser.new_context(
        viewport={"width": width, "height": 844 if phone else 768},
        locale="vi-VN",
        is_mobile=phone,
        has_touch=phone,
    )
    # The language switch stores the choice in this cookie; setting it directly is the same choice.
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}])
    context.add_init_script(script=CSP_LISTENER)
    page = context.new_page()
    page.set_default_timeout(15_000)
    where = f"{role} {language} {width}px"
    try:
        if username is not None:
            log_in(page, base_url, username, PASSWORD)
            assert not page.url.startswith(f"{base_url}/accounts/login/"), f"{role} could not log in"
        crawler = Crawler(
            page,
            base_url,
            where=where,
            language=language,
            width=width,
            logged_in=username is not None,
            staff=role == "national_admin",
            slug=f"{role}-{language}-{width}",
            axe=axe,
        )
        result = crawler.crawl([*SEEDS[role], MISSING], expected_status={MISSING: 404})
        if not phone and not axe:
            crawler.check_downloads()
    finally:
        context.close()
    # The crawl really went through the site: a broken log-in or link extraction is not a pass.
    assert len(result.visited) >= (3 if username is None else 5), result.visited
    return result, where


# The main pages of each role with the high-contrast theme on (its colours are checked as the
# normal theme's are above), and on a phone in both themes (the crawl above is on a desktop).
# Paths with an id are found in the world when the test runs.
MAIN_PAGES = {
    "anonymous": ["/", "/accounts/login/"],
    "national_admin": ["/", "/cooperatives/", "/directives/", "/directives/tasks/", "{task}", "/surveys/"],
    "provincial_officer": ["/", "/cooperatives/", "{cooperative}", "/surveys/rounds/KS2026/", "{draft}"],
    "cooperative_member": ["/", "/surveys/", "{result}"],
}


def _main_paths(role):
    from cooperatives.models import Cooperative
    from directives.models import DirectiveTask
    from surveys.models import Response, ResponseStatus

    sen_hong = Response.objects.get(cooperative__name="Hợp tác xã Dịch vụ Sen Hồng", status=ResponseStatus.DRAFT)
    tan_duong = Response.objects.get(cooperative__name="Hợp tác xã Nông nghiệp Tân Dương", round__code="KS2025")
    ids = {
        "task": f"/directives/tasks/{DirectiveTask.objects.filter(reports__isnull=False).first().pk}/",
        "cooperative": f"/cooperatives/{Cooperative.objects.get(name='Hợp tác xã Thủy sản Tháp Mười').pk}/",
        "draft": f"/surveys/responses/{sen_hong.pk}/page/1/",
        "result": f"/surveys/responses/{tan_duong.pk}/",
    }
    return [path.format(**ids) for path in MAIN_PAGES[role]]


@pytest.mark.parametrize(
    ("contrast", "width"), [("high", 1366), ("high", 390), ("normal", 390)], ids=["high-1366px", "high-390px", "390px"]
)
@pytest.mark.parametrize("role", list(MAIN_PAGES))
def test_main_pages_have_no_serious_accessibility_violation_in_high_contrast_and_on_a_phone(
    browser, live_server, world, role, contrast, width
):
    base_url, username, phone = live_server.url, world[role], width < 600
    context = browser.new_context(
        viewport={"width": width, "height": 844 if phone else 768}, locale="vi-VN", is_mobile=phone, has_touch=phone
    )
    # Chosen before any page of the site runs, as the display bar would have stored it.
    context.add_init_script(script=f"localStorage.setItem('coopdx.contrast', '{contrast}');")
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations = []
    try:
        if username is not None:
            log_in(page, base_url, username, PASSWORD)
        for path in _main_paths(role):
            response = page.goto(base_url + path)
            assert response is not None and response.status == 200, f"{path}: HTTP {response and response.status}"
            if contrast == "high":
                assert page.get_attribute("html", "data-contrast") == "high", f"{path} is not in high contrast"
            violations += axe_violations(page, path)
    finally:
        context.close()
    where = f"{role} {width}px, {contrast} contrast"
    assert not any(v.failing for v in violations), f"{where}: " + describe(violations)
