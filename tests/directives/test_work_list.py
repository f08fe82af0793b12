"""The officer's work list on the dashboard: the directive reports due, and the panel composing
every kind of work, in a fixed number of queries."""

import datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from cooperatives.models import Cooperative
from directives import selectors
from directives.models import DirectiveTask, ReportingPeriod, ReportStatus
from imports.models import ImportJob, ImportJobStatus
from tests.directives.conftest import TaskFactory, report
from tests.factories import CooperativeFactory, complete_answers
from tests.indicators.test_aggregation import answer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_seeded_tasks(db):
    """The seed gives every province yearly tasks (Directive 19's, due each 15 January, and some
    provinces' own plans): the tests here make their own."""
    DirectiveTask.objects.exclude(code="").delete()


def days(n):
    from django.utils import timezone

    return timezone.localdate() + datetime.timedelta(days=n)


def to_report(user):
    return [t.content for t in selectors.task_list_to_report(user=user)]


# Reports due


def test_the_provinces_tasks_due_within_14_days_or_overdue_are_to_report(
    committee_a, committee_b, document_a, document_b, officer_a, officer_b
):
    TaskFactory(document=document_a, lead_agency=committee_a, content="Quá hạn", starts_on=days(-60), deadline=days(-3))
    TaskFactory(
        document=document_a, lead_agency=committee_a, content="Sắp đến hạn", starts_on=days(-60), deadline=days(10)
    )
    TaskFactory(document=document_a, lead_agency=committee_a, content="Còn xa", starts_on=days(-60), deadline=days(20))
    TaskFactory(
        document=document_b, lead_agency=committee_b, content="Tỉnh khác", starts_on=days(-60), deadline=days(-1)
    )
    assert to_report(officer_a) == ["Quá hạn", "Sắp đến hạn"]
    assert to_report(officer_b) == ["Tỉnh khác"]


def test_a_national_task_is_not_the_officers_to_report(officer_a):
    TaskFactory(content="Bộ ngành", starts_on=days(-60), deadline=days(-3))
    assert to_report(officer_a) == []


def test_a_done_report_takes_the_task_off_but_an_in_progress_one_does_not(
    committee_a, document_a, officer_a, national_admin
):
    task = TaskFactory(
        document=document_a, lead_agency=committee_a, content="Báo cáo", starts_on=days(-60), deadline=days(5)
    )
    report(task, by=officer_a, status=ReportStatus.IN_PROGRESS, percent=60)
    assert to_report(officer_a) == ["Báo cáo"]
    report(task, by=officer_a, status=ReportStatus.DONE)
    assert to_report(officer_a) == []


def test_a_recurring_tasks_period_not_reported_is_to_report(committee_a, document_a, officer_a):
    TaskFactory(
        document=document_a,
        lead_agency=committee_a,
        content="Hằng tháng",
        starts_on=days(-400),
        deadline=None,
        reporting_period=ReportingPeriod.MONTHLY,
    )
    # The last closed month is due 15 days after its end: due soon or overdue, whatever today is.
    assert to_report(officer_a) == ["Hằng tháng"]


def test_national_roles_have_nothing_to_report_here(committee_a, document_a, national_admin, ministry_analyst):
    TaskFactory(document=document_a, lead_agency=committee_a, starts_on=days(-60), deadline=days(-3))
    assert to_report(national_admin) == [] and to_report(ministry_analyst) == []


# The panel


def render_panel(user):
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load work_list %}{% officer_work_list %}").render(Context({"request": request}))


def one_of_each(n, *, questionnaire, open_round, national_admin, officer_a, province_a, committee_a, document_a):
    """``n`` items of every kind in Đồng Tháp, waiting for officer_a."""
    for i in range(n):
        # Two responses with every answer the same (above level 0): the second is flagged by the data checks.
        best = complete_answers(questionnaire, "best")
        for _copy in range(2):
            answer(
                questionnaire, open_round, CooperativeFactory(province=province_a), national_admin, accept=False, **best
            )
        CooperativeFactory(province=province_a, name=f"Hợp tác xã Không Liên Lạc {i}")
        TaskFactory(document=document_a, lead_agency=committee_a, starts_on=days(-60), deadline=days(-1 - i))
        ImportJob.objects.create(
            kind="registry",
            file="imports/x.xlsx",
            original_name=f"loi-{i}.xlsx",
            created_by=officer_a,
            status=ImportJobStatus.INVALID,
        )
        for copy in range(2):
            CooperativeFactory(province=province_a, name=f"HTX Trùng Tên {i}", phone=f"0277 000 {i}{copy}")


@pytest.fixture
def work(questionnaire, open_round, national_admin, officer_a, province_a, committee_a, document_a):
    def make(n):
        one_of_each(
            n,
            questionnaire=questionnaire,
            open_round=open_round,
            national_admin=national_admin,
            officer_a=officer_a,
            province_a=province_a,
            committee_a=committee_a,
            document_a=document_a,
        )

    return make


KINDS = ("work-review", "work-flags", "work-call-list", "work-reports", "work-imports", "work-duplicates")


def test_the_panel_shows_each_kind_of_work_with_its_link(work, officer_a):
    work(1)
    html = render_panel(officer_a)
    for kind in KINDS:
        assert f'data-testid="{kind}"' in html, kind
    assert "/surveys/call-list/" in html
    assert "/directives/tasks/" in html and "/cooperatives/import/" in html and "/surveys/responses/" in html
    pair = Cooperative.objects.filter(name="HTX Trùng Tên 0")
    for cooperative in pair:
        assert f'href="/cooperatives/{cooperative.pk}/"' in html
    assert 'data-testid="work-list-empty"' not in html


def test_with_nothing_waiting_the_panel_says_so_in_one_line(officer_a, open_round):
    html = render_panel(officer_a)
    assert 'data-testid="work-list-empty"' in html and "Không có việc nào đang chờ bạn." in html
    assert not any(kind in html for kind in KINDS)
    with translation.override("en"):
        assert "Nothing is waiting for you." in render_panel(officer_a)


def test_national_roles_and_members_get_no_panel(work, national_admin, ministry_analyst, member_a):
    work(1)
    for user in (national_admin, ministry_analyst, member_a):
        assert 'data-testid="work-list"' not in render_panel(user)


def test_an_agency_account_sees_the_reports_its_agency_owes_and_nothing_else(work, agency_officer, alliance_officer):
    """Agency accounts report on their agency's tasks: the panel lists those due or overdue (the
    factory's tasks are due on 30/6/2025), and none of a province's work."""
    from directives.models import Agency
    from tests.directives.conftest import AgencyFactory

    work(1)
    own = TaskFactory(lead_agency=Agency.objects.get(code="BNNMT"), content="Việc của bộ")
    other = TaskFactory(lead_agency=AgencyFactory(), content="Việc của cơ quan khác")
    html = render_panel(agency_officer)
    assert 'data-testid="work-reports"' in html
    assert [kind for kind in KINDS if f'data-testid="{kind}"' in html] == ["work-reports"]
    owed = selectors.task_list_to_report(user=agency_officer)
    assert own.pk in {task.pk for task in owed} and other.pk not in {task.pk for task in owed}
    count = html[html.index('data-testid="work-reports"') :]
    assert f'<span class="badge text-bg-warning me-1">{len(owed)}</span>' in count
    assert f'href="/directives/tasks/{other.pk}/"' not in html
    alliance = render_panel(alliance_officer)
    assert 'data-testid="work-list"' in alliance and f'href="/directives/tasks/{own.pk}/"' not in alliance


def test_an_agency_accounts_dashboard_shows_its_panel(login, agency_officer, work):
    from directives.models import Agency
    from indicators import services as indicator_services

    work(1)
    TaskFactory(lead_agency=Agency.objects.get(code="BNNMT"), content="Việc của bộ")  # due 30/6/2025
    indicator_services.aggregate_indicators()
    page = login(agency_officer).get("/", follow=True).content.decode()
    assert 'data-testid="work-list"' in page and 'data-testid="work-reports"' in page


def test_the_panel_costs_nine_queries_however_much_is_waiting(work, officer_a, django_assert_num_queries):
    # Eight kinds of work (the last: notifications that reached nobody), and the dismissed
    # duplicates read once a possible duplicate is found.
    work(1)
    with django_assert_num_queries(9):
        render_panel(officer_a)
    work(7)
    with django_assert_num_queries(9):
        html = render_panel(officer_a)
    # Five of each are named, the counts say how many there are.
    assert html.count('data-testid="duplicate-group"') == 5
    flags = html[html.index('data-testid="work-flags"') : html.index('data-testid="work-call-list"')]
    assert flags.count("/surveys/responses/") == 5
    assert '<span class="badge text-bg-warning me-1">15</span>' in flags  # 16 copies, the first not flagged
    assert '<span class="badge text-bg-warning me-1">8</span>' in html


def test_a_dismissed_duplicate_leaves_the_panel_and_the_panel_links_to_all_of_them(work, officer_a):
    from cooperatives.services import duplicates_dismiss

    work(2)
    html = render_panel(officer_a)
    assert '<span class="badge text-bg-warning me-1">2</span>' in html[html.index('data-testid="work-duplicates"') :]
    assert '<a href="/cooperatives/duplicates/" data-testid="duplicates-see-all">' in html
    duplicates_dismiss(cooperatives=list(Cooperative.objects.filter(name="HTX Trùng Tên 0")), by=officer_a)
    html = render_panel(officer_a)
    listed = html[html.index('data-testid="work-duplicates"') :]
    assert '<span class="badge text-bg-warning me-1">1</span>' in listed
    assert "HTX Trùng Tên 1" in listed and "HTX Trùng Tên 0" not in listed


def test_the_officers_dashboard_shows_the_panel_above_the_figures(login, officer_a, work, national_admin):
    from indicators import services as indicator_services

    work(1)
    indicator_services.aggregate_indicators()
    page = login(officer_a).get("/").content.decode()
    assert 'data-testid="cards"' in page
    assert page.index('data-testid="work-list"') < page.index('data-testid="cards"')
    assert 'data-testid="work-list"' not in login(national_admin).get("/dashboard/").content.decode()


def test_a_flagged_response_leaves_the_panel_once_its_flag_is_confirmed_or_it_is_returned(work, officer_a, officer_b):
    from surveys.flags import response_flag_confirm
    from surveys.models import ResponseFlag
    from surveys.services import response_review

    work(1)
    flag = ResponseFlag.objects.get()
    html = render_panel(officer_a)
    assert f'href="/surveys/responses/{flag.response_id}/"' in html.split('data-testid="work-flags"')[1]
    assert 'data-testid="work-flags"' not in render_panel(officer_b)
    response_flag_confirm(flag=flag, by=officer_a)
    assert 'data-testid="work-flags"' not in render_panel(officer_a)
    work(1)  # two more copies, both flagged
    for open_flag in ResponseFlag.objects.filter(status="open").select_related("response"):
        response_review(response=open_flag.response, by=officer_a, accept=False, comment="Sao chép")
    assert 'data-testid="work-flags"' not in render_panel(officer_a)
