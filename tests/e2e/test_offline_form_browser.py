"""The self-assessment without a connection, in a real browser with its service worker: answers
typed offline stay on the device (through a reload and from part to part), are sent when the
connection returns, and a change made meanwhile on the server is a conflict the member resolves;
another user of the same browser never sees the previous user's kept form."""

import re

import pytest

from surveys.models import Answer, Question, Response
from surveys.services import response_save_answers, response_start
from tests.e2e.conftest import ARTIFACTS, log_in
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

TEXT = {
    "vi": {"offline": "Mất mạng", "waiting": "3 câu trả lời đang chờ gửi", "none": "Không có câu trả lời nào chờ gửi"},
    "en": {"offline": "Offline", "waiting": "3 answers waiting to be sent", "none": "Nothing waiting to be sent"},
}


def choice_questions(response, page):
    """The single-choice questions of a part, each with two of its option codes."""
    pillar = list(response.round.questionnaire.pillars.all())[page - 1]
    found = []
    for question in pillar.questions.prefetch_related("options"):
        options = [o.code for o in question.options.all() if not o.exclusive]
        if question.kind in ("single", "yes_no") and len(options) >= 3:
            found.append((question.code, options))
    return found


def saved_options(response, code):
    answer = Answer.objects.filter(response=response, question__code=code).first()
    return [o.code for o in answer.options.all()] if answer else []


def watch_console(screen):
    errors = []
    screen.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    screen.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def open_form(screen, base, user, response, language="vi"):
    log_in(screen, base, user.username, PASSWORD)
    if language == "en":
        with screen.expect_navigation():
            screen.locator("[data-testid=language-switch]").evaluate("button => button.click()")
    screen.goto(f"{base}/surveys/responses/{response.pk}/page/1/")
    pages = response.round.questionnaire.pillars.count()
    # Every part and the review page kept by the service worker (and the entry naming their user).
    for _ in range(100):
        if len(kept_pages(screen)) >= pages + 2:
            break
        screen.wait_for_timeout(200)
    assert len(kept_pages(screen)) == pages + 2


def settle(screen, response):
    """Wait until the worker has kept every page at the response's revision: none of its requests
    is still running when the test's database is emptied."""
    response.refresh_from_db()
    script = """() => caches.open('coopdx-pages').then(c => c.keys().then(keys => Promise.all(keys
        .filter(k => !k.url.includes('owner')).map(k => c.match(k).then(r => r.headers.get('X-Offline-Revision'))))))"""
    for _ in range(100):
        revisions = screen.evaluate(script)
        if revisions and set(revisions) == {str(response.revision)}:
            break
        screen.wait_for_timeout(200)
    assert set(screen.evaluate(script)) == {str(response.revision)}
    screen.wait_for_load_state("networkidle")


def kept_pages(screen):
    return screen.evaluate("caches.open('coopdx-pages').then(c => c.keys()).then(k => k.map(r => r.url))")


def wait_for_status(screen, text):
    status = screen.get_by_test_id("offline-status")
    for _ in range(75):
        if text in status.inner_text():
            return
        screen.wait_for_timeout(200)
    assert text in status.inner_text()


@pytest.mark.parametrize(("device", "language"), [("page", "en"), ("phone", "vi")])
def test_answers_typed_offline_stay_on_the_device_and_are_sent_when_the_connection_returns(
    request, device, language, live_server, member_a, coop_a, open_round
):
    screen = request.getfixturevalue(device)
    errors = watch_console(screen)
    response = response_start(survey_round=open_round, cooperative=coop_a, by=member_a)
    words = TEXT[language]
    open_form(screen, live_server.url, member_a, response, language)
    first, second = choice_questions(response, 1)[:2], choice_questions(response, 2)[0]

    screen.context.set_offline(True)
    wait_for_status(screen, words["offline"])
    for code, options in first:
        screen.check(f"input[name={code}][value={options[1]}]")
    screen.click("[data-testid=next-page]")
    screen.wait_for_url(re.compile(r"/page/2/$"))
    assert screen.get_by_test_id("pillar-form").is_visible()  # the part, from the device's cache
    screen.check(f"input[name={second[0]}][value={second[1][2]}]")
    wait_for_status(screen, words["waiting"])
    assert screen.get_attribute("[data-testid=progress-part]", "aria-valuenow") == "1"
    assert screen.get_attribute("[data-testid=progress-all]", "aria-valuenow") == "3"  # with part 1, kept here
    screen.screenshot(path=str(ARTIFACTS / f"offline-form-{device}-{language}.png"), full_page=True)

    screen.reload()
    wait_for_status(screen, words["waiting"])
    assert screen.is_checked(f"input[name={second[0]}][value={second[1][2]}]")
    assert Response.objects.get(pk=response.pk).revision == 0  # nothing reached the server

    screen.context.set_offline(False)
    wait_for_status(screen, words["none"])
    response.refresh_from_db()
    assert response.revision == 1
    for code, options in first:
        assert saved_options(response, code) == [options[1]]
    assert saved_options(response, second[0]) == [second[1][2]]
    # The page's own form now carries the new revision: saving it normally is no conflict.
    screen.click("[data-testid=next-page]")
    screen.wait_for_url(re.compile(r"/page/3/$"))
    assert Response.objects.get(pk=response.pk).revision == 2
    # Online, a part is posted as always and its answers leave the device with it: nothing is
    # sent again from the next page.
    calls = []
    screen.on("request", lambda call: calls.append(call.url) if "/api/" in call.url else None)
    third = choice_questions(response, 3)[0]
    screen.check(f"input[name={third[0]}][value={third[1][1]}]")
    screen.click("[data-testid=next-page]")
    screen.wait_for_url(re.compile(r"/page/4/$"))
    wait_for_status(screen, words["none"])
    assert saved_options(response, third[0]) == [third[1][1]]
    assert calls == []
    settle(screen, response)
    assert errors == [], "\n".join(errors)


def test_a_change_made_on_the_server_meanwhile_is_a_conflict_the_member_resolves(
    page, live_server, member_a, coop_a, open_round
):
    errors = watch_console(page)
    response = response_start(survey_round=open_round, cooperative=coop_a, by=member_a)
    (mine_code, options), (theirs_code, theirs_options) = choice_questions(response, 1)[:2]
    response = response_save_answers(
        response=response, answers={mine_code: options[0], theirs_code: theirs_options[0]}, by=member_a
    )
    open_form(page, live_server.url, member_a, response)

    page.context.set_offline(True)
    page.check(f"input[name={mine_code}][value={options[1]}]")
    page.check(f"input[name={theirs_code}][value={theirs_options[1]}]")
    wait_for_status(page, "2 câu trả lời đang chờ gửi")
    # Meanwhile an officer corrects both answers on the server.
    officer = UserFactory(username="officer_conflict", role="provincial_officer", province=coop_a.province)
    response_save_answers(
        response=Response.objects.get(pk=response.pk),
        answers={mine_code: options[2], theirs_code: theirs_options[2]},
        by=officer,
    )

    page.context.set_offline(False)
    box = page.get_by_test_id("offline-conflicts")
    box.wait_for(state="visible")
    rows = box.get_by_test_id("conflict-row")
    assert rows.count() == 2
    labels = {
        o.code: o.label
        for o in Question.objects.get(questionnaire=open_round.questionnaire, code=mine_code).options.all()
    }
    first_row = rows.nth(0).inner_text()
    assert labels[options[1]] in first_row and labels[options[2]] in first_row
    page.screenshot(path=str(ARTIFACTS / "offline-conflict-page-vi.png"), full_page=True)
    # Nothing is overwritten before the member chooses.
    assert saved_options(response, mine_code) == [options[2]]
    assert saved_options(response, theirs_code) == [theirs_options[2]]

    rows.nth(1).locator("input[value=theirs]").check()
    with page.expect_navigation():
        box.get_by_test_id("conflict-apply").click()
    wait_for_status(page, "Không có câu trả lời nào chờ gửi")
    assert saved_options(response, mine_code) == [options[1]]
    assert saved_options(response, theirs_code) == [theirs_options[2]]
    assert page.is_checked(f"input[name={mine_code}][value={options[1]}]")
    assert page.is_checked(f"input[name={theirs_code}][value={theirs_options[2]}]")
    assert not page.get_by_test_id("offline-conflicts").is_visible()
    settle(page, response)
    assert errors == [], "\n".join(errors)


def test_another_user_of_the_same_browser_never_sees_the_previous_users_kept_form(
    page, live_server, member_a, coop_a, coop_b, open_round
):
    response = response_start(survey_round=open_round, cooperative=coop_a, by=member_a)
    open_form(page, live_server.url, member_a, response)
    kept = kept_pages(page)
    assert any(f"/responses/{response.pk}/page/1/" in url for url in kept)

    page.get_by_test_id("user-menu").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng xuất").click()
    other = UserFactory(username="member_b", role="cooperative_member", cooperative=coop_b)
    log_in(page, live_server.url, other.username, PASSWORD)
    assert kept_pages(page) == []

    page.context.set_offline(True)
    try:
        page.goto(f"{live_server.url}/surveys/responses/{response.pk}/page/1/")
    except Exception as error:  # no copy on the device: the browser's own "no connection" error
        assert "ERR_" in str(error)
    page.wait_for_timeout(1000)
    assert coop_a.name not in page.locator("html").inner_text()
    assert page.locator("[data-testid=pillar-form]").count() == 0


def test_a_member_whose_session_ended_while_pages_were_being_kept_signs_in_again_at_once(
    page, live_server, member_a, coop_a, open_round
):
    """The worker keeps the form's pages in the background. If the session ends meanwhile (cookies
    cleared, a session expired), it must not fetch the sign-in page in their place: that page
    would give the browser a new CSRF cookie behind the back of the sign-in form already open,
    and the member's next sign-in would be refused (403)."""
    response = response_start(survey_round=open_round, cooperative=coop_a, by=member_a)
    open_form(page, live_server.url, member_a, response)
    page.context.clear_cookies()
    # The form asks for its pages again, as it does on every opening (an older revision: every
    # page is fetched), and waits for the worker to be done with them.
    done = page.evaluate(
        """(urls) => new Promise((resolve) => {
            setTimeout(() => resolve('no answer'), 15000);
            navigator.serviceWorker.addEventListener('message', (event) => {
                if (event.data && event.data.type === 'pages-kept') resolve(event.data.fetched);
            });
            navigator.serviceWorker.controller.postMessage({type: 'keep-pages', urls: urls, revision: 'old'});
        })""",
        [f"{live_server.url}/surveys/responses/{response.pk}/page/{n}/" for n in (1, 2, 3)],
    )
    assert done == 1  # the first page told it the session was over; it asked for no other
    assert [c["name"] for c in page.context.cookies()] == []
    log_in(page, live_server.url, member_a.username, PASSWORD)
    assert "/accounts/login/" not in page.url
    page.goto(f"{live_server.url}/surveys/responses/{response.pk}/page/1/")
    assert page.get_by_test_id("pillar-form").is_visible()


def test_a_newer_request_to_keep_a_responses_pages_ends_the_older_one(page, live_server, member_a, coop_a, open_round):
    """Each part of the form asks the worker to keep the response's pages when it opens. A member
    going from part to part must not start one download of every page per part, all running at
    once beside the page the member is waiting for: the newer request ends the older one."""
    response = response_start(survey_round=open_round, cooperative=coop_a, by=member_a)
    open_form(page, live_server.url, member_a, response)
    urls = [f"{live_server.url}/surveys/responses/{response.pk}/page/{n}/" for n in (1, 2, 3, 4, 5)]
    # Two requests one after the other, for revisions none of the kept pages has: without the rule
    # the two downloads run side by side and each fetches all five pages.
    answers = page.evaluate(
        """(urls) => new Promise((resolve) => {
            const answers = [];
            setTimeout(() => resolve(answers), 15000);
            navigator.serviceWorker.addEventListener('message', (event) => {
                if (event.data && event.data.type === 'pages-kept') answers.push(event.data.fetched);
                if (answers.length === 2) resolve(answers);
            });
            navigator.serviceWorker.controller.postMessage({type: 'keep-pages', urls: urls, revision: 'first'});
            navigator.serviceWorker.controller.postMessage({type: 'keep-pages', urls: urls, revision: 'second'});
        })""",
        urls,
    )
    assert len(answers) == 2, answers
    assert answers[0] <= 1 and answers[1] == len(urls), answers
