"""The admin lists and opens every directive model; its writes go through the services."""

import pytest

from accounts.models import Role
from directives.models import Agency, DirectiveTask, Document, EvidenceFile, ReminderLog, TaskReport
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", role=Role.NATIONAL_ADMIN, is_staff=True, is_superuser=True)


@pytest.mark.parametrize("model", [Agency, Document, DirectiveTask, TaskReport, EvidenceFile, ReminderLog])
def test_every_model_has_an_admin_list(login, superuser, model):
    url = f"/admin/directives/{model._meta.model_name}/"
    assert login(superuser).get(url).status_code == 200


def test_the_admin_opens_a_seeded_task_and_agency(login, superuser):
    client = login(superuser)
    task = DirectiveTask.objects.get(code="ct19-bkhdt-luat-htx")
    assert client.get(f"/admin/directives/directivetask/{task.pk}/change/").status_code == 200
    agency = Agency.objects.get(code="BKHDT")
    assert client.get(f"/admin/directives/agency/{agency.pk}/change/").status_code == 200


def test_changing_an_agency_in_the_admin_keeps_its_history(login, superuser):
    agency = Agency.objects.get(code="LMHTXVN")
    response = login(superuser).post(
        f"/admin/directives/agency/{agency.pk}/change/",
        {
            "code": agency.code,
            "name": agency.name,
            "short_name": agency.short_name,
            "kind": agency.kind,
            "email": "vanphong@vca.org.vn",
        },
    )
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.email == "vanphong@vca.org.vn"
    assert agency.history.latest().history_user == superuser


def test_the_agency_admin_writes_through_the_service_whose_rule_decides(login, agency_form_data):
    """agency_save admits national administrators only. A staff account that Django's model
    permission lets into the form (a ministry analyst) is refused by the service and nothing is
    written; an admin that saved the form itself would accept the change."""
    from django.contrib.auth.models import Permission

    agency = Agency.objects.get(code="LMHTXVN")
    analyst = UserFactory(username="bo.staff", role=Role.MINISTRY_ANALYST, is_staff=True)
    analyst.user_permissions.add(*Permission.objects.filter(codename__in=["view_agency", "change_agency"]))
    versions = agency.history.count()
    client = login(analyst)
    client.raise_request_exception = False
    assert client.get(f"/admin/directives/agency/{agency.pk}/change/").status_code == 200
    refused = client.post(f"/admin/directives/agency/{agency.pk}/change/", agency_form_data(agency))
    assert refused.status_code == 403
    agency.refresh_from_db()
    assert agency.email != "vanphong@vca.org.vn"
    assert agency.history.count() == versions


@pytest.fixture
def agency_form_data():
    def _data(agency):
        return {
            "code": agency.code,
            "name": agency.name,
            "short_name": agency.short_name,
            "kind": agency.kind,
            "email": "vanphong@vca.org.vn",
        }

    return _data
