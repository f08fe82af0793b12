"""Audit: changes keep who/when/before/after (bulk imports included); denied accesses are kept."""

import pytest

from audit.models import DeniedAccess
from cooperatives.importing.registry import registry_import_bytes
from cooperatives.models import Cooperative
from tests.sheets import row, xlsx_bytes

pytestmark = pytest.mark.django_db


def test_a_bulk_import_is_audited_row_by_row_with_the_importing_user(national_admin):
    registry_import_bytes(
        filename="a.xlsx",
        content=xlsx_bytes([row(), row(code="8212345679")]),
        scope_province=None,
        by=national_admin,
        dry_run=False,
    )
    registry_import_bytes(
        filename="b.xlsx", content=xlsx_bytes([row(members=31)]), scope_province=None, by=national_admin, dry_run=False
    )
    records = Cooperative.history.filter(code="8212345678").order_by("history_date")
    assert [(r.history_type, r.members_count, r.history_user) for r in records] == [
        ("+", 30, national_admin),
        ("~", 31, national_admin),
    ]
    change = records[1].diff_against(records[0]).changes
    assert [(c.field, c.old, c.new) for c in change] == [("members_count", 30, 31)]


def test_denied_accesses_are_recorded_for_administrators(login, officer_a, coop_b, member_a):
    login(officer_a).get(f"/cooperatives/{coop_b.pk}/")
    assert DeniedAccess.objects.filter(user=officer_a, status=404, path=f"/cooperatives/{coop_b.pk}/").exists()


def test_a_forbidden_page_is_recorded_too(client, login, member_a):
    login(member_a).get("/cooperatives/")
    assert DeniedAccess.objects.filter(user=member_a, status=403).exists()


def test_administrators_browse_the_denied_accesses(client, login, national_admin, officer_a, coop_b):
    from django.test import Client

    other = Client()
    other.force_login(officer_a)
    other.get(f"/cooperatives/{coop_b.pk}/")
    national_admin.is_superuser = True
    national_admin.save()
    page = login(national_admin).get("/admin/audit/deniedaccess/").content.decode()
    assert f"/cooperatives/{coop_b.pk}/" in page


def test_token_issue_and_revocation_are_audited_without_the_secret(national_admin):
    import datetime

    from django.utils import timezone

    from accounts.api.services import api_token_issue, api_token_revoke
    from accounts.models import ApiToken, Role

    issued = api_token_issue(
        by=national_admin,
        organisation="Bộ Tài chính",
        role=Role.MINISTRY_ANALYST,
        scopes=["registry:read"],
        expires_at=timezone.now() + datetime.timedelta(days=30),
    )
    api_token_revoke(token=issued.token, by=national_admin)
    history = ApiToken.history.filter(id=issued.token.pk).order_by("history_date")
    assert [(h.history_type, h.history_user, h.revoked_at is not None) for h in history] == [
        ("+", national_admin, False),
        ("~", national_admin, True),
    ]
    assert not hasattr(history.first(), "secret_hash")


def test_changes_to_a_user_are_audited_without_the_password(login, national_admin, officer_a, province_b):
    client = login(national_admin)
    national_admin.is_superuser = True
    national_admin.save()
    officer_a.province = province_b
    officer_a._history_user = national_admin
    officer_a.save()
    latest = officer_a.history.order_by("-history_date").first()
    assert (latest.history_type, latest.province_id, latest.history_user) == ("~", province_b.pk, national_admin)
    assert not hasattr(latest, "password")
    page = client.get(f"/admin/accounts/user/{officer_a.pk}/history/")
    assert page.status_code == 200
