"""Shared fixtures: one user per role, two provinces (A = Đồng Tháp, B = Đắk Lắk)."""

from __future__ import annotations

import datetime
import os
import socket
from urllib.parse import urlparse

import pytest
from django.utils import timezone

from accounts.models import Role
from surveys.models import Questionnaire, SurveyRound
from tests.factories import CooperativeFactory, UserFactory, complete_answers, logic_version, province

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
# Redis databases of the shared server: 0 the broker, 1 the cache, 15 the real-worker test;
# each parallel test process (pytest-xdist worker gw0, gw1, ...) takes one of these for its cache.
WORKER_CACHE_DATABASES = range(2, 15)


def pytest_configure(config: pytest.Config) -> None:
    """Parallel test processes share one Redis: give each its own cache database, so that a
    test's ``cache.clear()`` never empties a cache another process's test is relying on."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return
    from django.conf import settings

    database = WORKER_CACHE_DATABASES[int(worker[2:]) % len(WORKER_CACHE_DATABASES)]
    for cache in settings.CACHES.values():
        location = cache.get("LOCATION")
        if isinstance(location, str) and location.startswith(("redis://", "rediss://")):
            cache["LOCATION"] = urlparse(location)._replace(path=f"/{database}").geturl()


def ensure_reference_data() -> None:
    """Provinces, wards, sectors and the national questionnaire, as the migrations load them.

    Transactional tests end with a flush that removes this data; the loaders are idempotent.
    """
    from cooperatives.models import Province
    from cooperatives.reference import reference_data_load
    from surveys.questionnaires import national_questionnaire_load

    if not Province.objects.exists():
        reference_data_load()
        national_questionnaire_load()


def require_service(available: bool, what: str) -> None:
    """Skip a test whose real service is missing, except in CI, where that is a failure."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is required in CI but is not available")
    pytest.skip(f"{what} is not available")


def tcp_open(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty shared cache (stamps, cached answers, throttle counters)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _locmem_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's default language: a request made by an earlier test leaves
    its language active in the thread, which would make messages depend on the test order."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Every user fixture sets a real password; PBKDF2 would dominate the suite's CPU time.

    The production hasher is Django's default (PBKDF2); no test depends on its cost.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _eager_tasks(settings):
    """Tasks run in-process in tests, even when a broker is configured (no worker listens).

    The real-worker test starts its own worker and producer instead.
    """
    from coopdx.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def province_a(db):
    # `db` first: in transactional tests the reference data is restored by the database fixture.
    return province("82")


@pytest.fixture
def province_b(db):
    return province("66")


@pytest.fixture
def coop_a(province_a):
    return CooperativeFactory(province=province_a, name="Hợp tác xã Nông nghiệp Tân Dương")


@pytest.fixture
def coop_b(province_b):
    return CooperativeFactory(province=province_b, name="Hợp tác xã Cà phê Ea Tu", code="6600000001")


@pytest.fixture
def national_admin(db):
    return UserFactory(username="admin", role=Role.NATIONAL_ADMIN, is_staff=True)


@pytest.fixture
def ministry_analyst(db):
    return UserFactory(username="ministry", role=Role.MINISTRY_ANALYST)


@pytest.fixture
def agency_officer(db):
    """An officer of the Ministry of Agriculture and Environment (into which two ministries merged)."""
    from directives.models import Agency

    return UserFactory(username="agency_officer", role=Role.AGENCY_OFFICER, agency=Agency.objects.get(code="BNNMT"))


@pytest.fixture
def alliance_officer(db):
    """An officer of the Vietnam Cooperative Alliance."""
    from directives.models import Agency

    return UserFactory(
        username="alliance_officer", role=Role.ALLIANCE_OFFICER, agency=Agency.objects.get(code="LMHTXVN")
    )


@pytest.fixture
def officer_a(province_a):
    return UserFactory(username="officer_a", role=Role.PROVINCIAL_OFFICER, province=province_a)


@pytest.fixture
def officer_b(province_b):
    return UserFactory(username="officer_b", role=Role.PROVINCIAL_OFFICER, province=province_b)


@pytest.fixture
def member_a(coop_a):
    return UserFactory(username="member_a", role=Role.COOPERATIVE_MEMBER, cooperative=coop_a)


@pytest.fixture
def login(client):
    def _login(user):
        # force_login: the login form itself (with lockout) is tested through real POSTs.
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def questionnaire(db):
    return Questionnaire.objects.get(code="NATIONAL", version=1)


def _round_open_now(code, name, questionnaire):
    today = timezone.localdate()
    return SurveyRound.objects.create(
        code=code,
        name_vi=name,
        questionnaire=questionnaire,
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=30),
    )


@pytest.fixture
def open_round(questionnaire):
    return _round_open_now("KS2026", "Khảo sát 2026", questionnaire)


@pytest.fixture
def previous_round(questionnaire):
    today = timezone.localdate()
    return SurveyRound.objects.create(
        code="KS2025",
        name_vi="Khảo sát 2025",
        questionnaire=questionnaire,
        opens_on=today - datetime.timedelta(days=400),
        closes_on=today - datetime.timedelta(days=300),
    )


@pytest.fixture
def best_answers(questionnaire):
    return complete_answers(questionnaire, "best")


@pytest.fixture
def worst_answers(questionnaire):
    return complete_answers(questionnaire, "worst")


@pytest.fixture
def run_on_commit_after_post(monkeypatch, django_capture_on_commit_callbacks):
    """Jobs are enqueued on commit; run those callbacks after each request, as a real commit would."""
    from django.test import Client

    original = Client.post

    def post(self, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return original(self, *args, **kwargs)

    monkeypatch.setattr(Client, "post", post)


@pytest.fixture
def logic_round(questionnaire):
    """A round open now on a version with skip logic and a constraint (factories.logic_version)."""
    return _round_open_now("KS2027", "Khảo sát 2027", logic_version(questionnaire))


@pytest.fixture
def addon_round(province_a, officer_a):
    """A provincial round of Đồng Tháp open now, with the add-on questions of factories.add_addons."""
    from tests.factories import add_addons, provincial_round

    survey_round = provincial_round(province_a)
    add_addons(survey_round, officer_a)
    return survey_round
