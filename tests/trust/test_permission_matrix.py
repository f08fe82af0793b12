"""One permission matrix for every page: URL × role × method → expected status.

Objects belong to province A (Đồng Tháp, officer_a, member_a's cooperative). Officer B (Đắk Lắk)
must get 404 on every object URL of A: the same answer as a missing object. The API has its own
table in tests/api; every URL name of the site must appear in one of the two, so a new URL
without a row fails the suite.
"""

from __future__ import annotations

import copy
import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from cooperatives.models import DuplicateDismissal
from exports.models import ExportJob
from imports.models import ImportJob
from notifications.models import Notification, NotificationKind
from support.models import SupportKind, SupportProgramme, SupportReceived
from surveys.models import FlagKind, Response, ResponseFlag
from surveys.questionnaires import questionnaire_new_version
from tests.factories import CooperativeFactory, add_addons, provincial_round
from tests.sheets import row, xlsx_bytes

ROLES = (
    "anonymous",
    "member_a",
    "officer_a",
    "officer_b",
    "ministry_analyst",
    "national_admin",
    "agency_officer",
    "alliance_officer",
)
A, M, OA, OB, MI, AD, AG, AL = ROLES

# url name → (method, path template, {role: status}); "*" = every role not listed.
MATRIX: list[tuple[str, str, str, dict[str, int]]] = [
    ("home", "GET", "/", {"*": 200}),
    ("healthz", "GET", "/healthz", {"*": 200}),
    ("service_worker", "GET", "/sw.js", {"*": 200}),
    ("manifest", "GET", "/manifest.webmanifest", {"*": 200}),
    ("set_language", "POST", "/i18n/setlang/", {"*": 302}),
    ("javascript-catalog", "GET", "/jsi18n/", {"*": 200}),
    ("accounts:login", "GET", "/accounts/login/", {A: 200, "*": 302}),
    ("accounts:logout", "POST", "/accounts/logout/", {"*": 302}),
    # Sign-in by a one-time link: asked for by anyone signed out; a made-up link no longer works.
    ("accounts:link_request", "GET", "/accounts/login/link/", {A: 200, "*": 302}),
    ("accounts:link_signin", "GET", "/accounts/login/link/made-up-token/", {"*": 410}),
    ("accounts:password_change", "GET", "/accounts/password/change/", {A: 302, "*": 200}),
    ("accounts:password_change_done", "GET", "/accounts/password/change/done/", {A: 302, "*": 200}),
    ("accounts:password_reset", "GET", "/accounts/password/reset/", {"*": 200}),
    ("accounts:password_reset_done", "GET", "/accounts/password/reset/done/", {"*": 200}),
    ("accounts:password_reset_confirm", "GET", "/accounts/password/reset/MQ/bad-token/", {"*": 200}),
    ("accounts:password_reset_complete", "GET", "/accounts/password/reset/complete/", {"*": 200}),
    ("accounts:two_factor_setup", "GET", "/accounts/2fa/", {A: 302, "*": 200}),
    ("accounts:two_factor_verify", "GET", "/accounts/2fa/verify/", {"*": 302}),
    ("accounts:two_factor_disable", "POST", "/accounts/2fa/disable/", {"*": 302}),
    ("accounts:tokens", "GET", "/accounts/tokens/", {A: 302, MI: 200, AD: 200, "*": 403}),
    ("accounts:token_issue", "GET", "/accounts/tokens/new/", {A: 302, MI: 200, AD: 200, "*": 403}),
    ("accounts:token_revoke", "POST", "/accounts/tokens/999999/revoke/", {A: 302, MI: 404, AD: 404, "*": 403}),
    ("cooperatives:list", "GET", "/cooperatives/", {A: 302, M: 403, "*": 200}),
    ("cooperatives:export", "GET", "/cooperatives/export.csv", {A: 302, M: 403, "*": 200}),
    ("cooperatives:create", "GET", "/cooperatives/new/", {A: 302, M: 403, MI: 403, AG: 403, AL: 403, "*": 200}),
    ("cooperatives:detail", "GET", "/cooperatives/{coop}/", {A: 302, OB: 404, "*": 200}),
    (
        "cooperatives:update",
        "GET",
        "/cooperatives/{coop}/edit/",
        {A: 302, M: 403, OB: 404, MI: 403, AG: 403, AL: 403, "*": 200},
    ),
    (
        "cooperatives:archive",
        "POST",
        "/cooperatives/{coop}/archive/",
        {A: 302, M: 403, OB: 404, MI: 403, AG: 403, AL: 403, "*": 302},
    ),
    # A cooperative's OCOP products and listings: its officers and members (another cooperative's
    # member, like another province's officer, finds nothing); read-only roles may not.
    (
        "cooperatives:ocop_create",
        "GET",
        "/cooperatives/{coop}/ocop/new/",
        {A: 302, OB: 404, MI: 403, AG: 403, AL: 403, "*": 200},
    ),
    (
        "cooperatives:ocop_update",
        "GET",
        "/cooperatives/{coop}/ocop/{ocop}/edit/",
        {A: 302, OB: 404, MI: 403, AG: 403, AL: 403, "*": 200},
    ),
    (
        "cooperatives:ocop_update",
        "GET",
        "/cooperatives/{other_coop}/ocop/{other_ocop}/edit/",
        {A: 302, M: 404, OB: 404, MI: 403, AG: 403, AL: 403, "*": 200},
    ),
    (
        "cooperatives:ocop_delete",
        "POST",
        "/cooperatives/{coop}/ocop/{ocop}/delete/",
        {A: 302, OB: 404, MI: 403, AG: 403, AL: 403, "*": 302},
    ),
    (
        "cooperatives:listing_create",
        "GET",
        "/cooperatives/{coop}/listings/new/",
        {A: 302, OB: 404, MI: 403, AG: 403, AL: 403, "*": 200},
    ),
    (
        "cooperatives:listing_update",
        "GET",
        "/cooperatives/{coop}/listings/{listing}/edit/",
        {A: 302, OB: 404, MI: 403, AG: 403, AL: 403, "*": 200},
    ),
    (
        "cooperatives:listing_delete",
        "POST",
        "/cooperatives/{coop}/listings/{listing}/delete/",
        {A: 302, OB: 404, MI: 403, AG: 403, AL: 403, "*": 302},
    ),
    ("cooperatives:import", "GET", "/cooperatives/import/", {A: 302, M: 403, MI: 403, AG: 403, AL: 403, "*": 200}),
    (
        "cooperatives:import_template",
        "GET",
        "/cooperatives/import/template.xlsx",
        {A: 302, M: 403, MI: 403, AG: 403, AL: 403, "*": 200},
    ),
    ("cooperatives:import_job", "GET", "/cooperatives/import/{job}/", {A: 302, OA: 200, AD: 200, "*": 404}),
    (
        "cooperatives:import_errors",
        "GET",
        "/cooperatives/import/{job}/errors.xlsx",
        {A: 302, OA: 200, AD: 200, "*": 404},
    ),
    (
        "cooperatives:import_confirm",
        "POST",
        "/cooperatives/import/{job}/confirm/",
        {A: 302, OA: 302, AD: 302, "*": 404},
    ),
    # Possible duplicates: officers (their province) and national administrators; a group or a
    # dismissal of another province is 404, as a missing one.
    (
        "cooperatives:duplicates",
        "GET",
        "/cooperatives/duplicates/",
        {A: 302, M: 403, MI: 403, AG: 403, AL: 403, "*": 200},
    ),
    (
        "cooperatives:duplicates",
        "GET",
        "/cooperatives/duplicates/?province=82",
        {A: 302, M: 403, MI: 403, AG: 403, AL: 403, OB: 404, "*": 200},
    ),
    (
        "cooperatives:duplicates_merge",
        "POST",
        "/cooperatives/duplicates/merge/",
        {A: 302, M: 403, MI: 403, AG: 403, AL: 403, OB: 404, "*": 302},
    ),
    (
        "cooperatives:duplicates_dismiss",
        "POST",
        "/cooperatives/duplicates/dismiss/",
        {A: 302, M: 403, MI: 403, AG: 403, AL: 403, OB: 404, "*": 302},
    ),
    (
        "cooperatives:duplicates_undo",
        "POST",
        "/cooperatives/duplicates/dismissed/{dismissal}/undo/",
        {A: 302, M: 403, MI: 403, AG: 403, AL: 403, OB: 404, "*": 302},
    ),
    ("surveys:home", "GET", "/surveys/", {A: 302, "*": 200}),
    ("surveys:round", "GET", "/surveys/rounds/{round}/", {A: 302, M: 403, "*": 200}),
    (
        "surveys:remind",
        "POST",
        "/surveys/rounds/{round}/remind/",
        {A: 302, M: 403, MI: 403, AG: 403, AL: 403, "*": 302},
    ),
    (
        "surveys:reminded",
        "GET",
        "/surveys/rounds/{round}/reminders/",
        {A: 302, M: 403, MI: 403, AG: 403, AL: 403, "*": 302},
    ),
    ("surveys:export", "GET", "/surveys/rounds/{round}/export.csv", {A: 302, M: 403, "*": 200}),
    ("surveys:evidence", "GET", "/surveys/rounds/{round}/evidence/", {A: 302, M: 403, "*": 200}),
    ("surveys:evidence", "GET", "/surveys/rounds/{round}/evidence/?province=82", {A: 302, M: 403, "*": 200}),
    (
        "surveys:template",
        "GET",
        "/surveys/rounds/{round}/template.xlsx",
        {A: 302, M: 403, MI: 403, AG: 403, AL: 403, "*": 200},
    ),
    (
        "surveys:start",
        "POST",
        "/surveys/rounds/{round}/start/{coop}/",
        {A: 302, OB: 404, MI: 403, AG: 403, AL: 403, "*": 302},
    ),
    # A provincial round's add-on questions: its province's officers and national administrators.
    (
        "surveys:addons",
        "GET",
        "/surveys/rounds/{addon_round}/addons/",
        {A: 302, OA: 200, AD: 200, OB: 404, "*": 403},
    ),
    (
        "surveys:addon_edit",
        "GET",
        "/surveys/rounds/{addon_round}/addons/{addon}/",
        {A: 302, OA: 200, AD: 200, OB: 404, "*": 403},
    ),
    (
        "surveys:addon_move",
        "POST",
        "/surveys/rounds/{addon_round}/addons/{addon}/move/",
        {A: 302, OA: 302, AD: 302, OB: 404, "*": 403},
    ),
    (
        "surveys:addon_delete",
        "POST",
        "/surveys/rounds/{addon_round}/addons/{addon}/delete/",
        {A: 302, OA: 302, AD: 302, OB: 404, "*": 403},
    ),
    ("surveys:result", "GET", "/surveys/responses/{response}/", {A: 302, OB: 404, "*": 200}),
    (
        "surveys:fill",
        "GET",
        "/surveys/responses/{response}/page/1/",
        {A: 302, OB: 404, MI: 403, AG: 403, AL: 403, "*": 200},
    ),
    (
        "surveys:submit",
        "GET",
        "/surveys/responses/{response}/submit/",
        {A: 302, OB: 404, MI: 403, AG: 403, AL: 403, "*": 200},
    ),
    (
        "surveys:review",
        "POST",
        "/surveys/responses/{response}/review/",
        {A: 302, M: 403, OB: 404, MI: 403, AG: 403, AL: 403, "*": 302},
    ),
    ("indicators:dashboard", "GET", "/dashboard/", {A: 302, M: 403, "*": 200}),
    ("indicators:export", "GET", "/dashboard/export/cards.csv", {A: 302, M: 403, "*": 200}),
    ("indicators:refresh", "POST", "/dashboard/refresh/", {A: 302, AD: 302, "*": 403}),
    ("indicators:run_status", "GET", "/dashboard/runs/latest/", {A: 302, M: 403, "*": 200}),
    ("directives:list", "GET", "/directives/", {A: 302, M: 403, "*": 200}),
    ("directives:board", "GET", "/directives/tasks/", {A: 302, M: 403, "*": 200}),
    ("directives:export", "GET", "/directives/tasks/export.xlsx", {A: 302, M: 403, "*": 200}),
    ("directives:task", "GET", "/directives/tasks/{task}/", {A: 302, M: 403, OB: 404, "*": 200}),
    # Posting a report: roles that never report are refused; a task the user sees but may not
    # report on (another province's, another agency's, one their agency only co-operates on) is 404.
    (
        "directives:task",
        "POST",
        "/directives/tasks/{task}/",
        {A: 302, M: 403, OB: 404, MI: 403, AG: 404, AL: 404, "*": 302},
    ),
    (
        "directives:task",
        "POST",
        "/directives/tasks/{agency_task}/",
        {A: 302, M: 403, OA: 404, OB: 404, MI: 403, AG: 302, AL: 404, AD: 302},
    ),
    (
        "directives:task",
        "POST",
        "/directives/tasks/{alliance_task}/",
        {A: 302, M: 403, OA: 404, OB: 404, MI: 403, AG: 404, AL: 302, AD: 302},
    ),
    (
        "directives:task_update",
        "GET",
        "/directives/tasks/{task}/edit/",
        {A: 302, M: 404, OB: 404, MI: 403, AG: 403, AL: 403, "*": 200},
    ),
    (
        "directives:document_create",
        "GET",
        "/directives/documents/new/",
        {A: 302, M: 403, MI: 403, AG: 403, AL: 403, "*": 200},
    ),
    ("directives:document", "GET", "/directives/documents/{document}/", {A: 302, M: 403, OB: 404, "*": 200}),
    (
        "directives:document_export",
        "GET",
        "/directives/documents/{document}/export.xlsx",
        {A: 302, M: 403, OB: 404, "*": 200},
    ),
    (
        "directives:document_update",
        "GET",
        "/directives/documents/{document}/edit/",
        {A: 302, M: 404, OB: 404, MI: 403, AG: 403, AL: 403, "*": 200},
    ),
    ("directives:document_file", "GET", "/directives/documents/{document}/file/", {A: 302, M: 403, OB: 404, "*": 200}),
    (
        "directives:task_create",
        "GET",
        "/directives/documents/{document}/tasks/new/",
        {A: 302, M: 403, OB: 404, MI: 403, AG: 403, AL: 403, "*": 200},
    ),
    ("directives:evidence", "GET", "/directives/evidence/{evidence}/", {A: 302, M: 403, OB: 404, "*": 200}),
    # Reports sent upward, province A's: read by national roles and A's officer, prepared and
    # edited by A's officer and national admins (a ministry analyst reads only; an agency account
    # prepares its own agency's reports and reads the others).
    ("directives:upward_list", "GET", "/directives/reports/", {A: 302, M: 403, "*": 200}),
    ("directives:upward_create", "GET", "/directives/reports/new/", {A: 302, M: 403, MI: 403, "*": 200}),
    ("directives:upward_preview", "GET", "/directives/reports/{upward}/", {A: 302, M: 403, OB: 404, "*": 200}),
    (
        "directives:upward_update",
        "GET",
        "/directives/reports/{upward}/edit/",
        {A: 302, M: 403, OB: 404, MI: 403, AG: 403, AL: 403, "*": 200},
    ),
    ("directives:upward_docx", "GET", "/directives/reports/{upward}/report.docx", {A: 302, M: 403, OB: 404, "*": 200}),
    ("directives:upward_pdf", "GET", "/directives/reports/{upward}/report.pdf", {A: 302, M: 403, OB: 404, "*": 200}),
    ("admin:index", "GET", "/admin/", {AD: 200, "*": 302}),
    # The public figures: anyone, signed in or not.
    ("public:figures", "GET", "/figures/", {"*": 200}),
    ("public:province", "GET", "/figures/82/", {"*": 200}),
    ("public:csv", "GET", "/figures/figures.csv", {"*": 200}),
    ("public:schema", "GET", "/figures/figures.schema.json", {"*": 200}),
    ("surveys:call_list", "GET", "/surveys/call-list/", {A: 302, M: 403, "*": 200}),
    ("surveys:call_list", "GET", "/surveys/call-list/?province=82", {A: 302, M: 403, OB: 404, "*": 200}),
    # A member never sees a flag (404, as a missing one); a read-only role may not confirm.
    (
        "surveys:flag_confirm",
        "POST",
        "/surveys/flags/{flag}/confirm/",
        {A: 302, M: 404, OB: 404, MI: 403, AG: 403, AL: 403, "*": 302},
    ),
    # The one-page result of another cooperative's response: its province and national roles.
    ("surveys:result_pdf", "GET", "/surveys/responses/{submitted}/result.pdf", {A: 302, M: 404, OB: 404, "*": 200}),
    ("surveys:result_pdf", "GET", "/surveys/responses/{response}/result.pdf", {A: 302, "*": 404}),  # not scored
    ("surveys:progress", "GET", "/surveys/cooperatives/{coop}/progress/", {A: 302, OB: 404, "*": 200}),
    # Support to cooperatives: the programme is province A's own; officer B sees neither it nor
    # A's cooperatives and their records.
    # A round's responses with every answer (Excel): officers (their province's rows) and national readers.
    ("surveys:microdata", "GET", "/surveys/rounds/{round}/responses.xlsx", {A: 302, M: 403, "*": 200}),
    # Questionnaire versions (a draft from XLSForm, its workbook, preview, comparison, publishing):
    # the national administrator's alone, whatever the version; publishing a published one is 409.
    ("surveys:questionnaire_list", "GET", "/surveys/questionnaires/", {A: 302, AD: 200, "*": 403}),
    ("surveys:questionnaire_upload", "GET", "/surveys/questionnaires/new/", {A: 302, AD: 200, "*": 403}),
    ("surveys:questionnaire_upload", "POST", "/surveys/questionnaires/new/", {A: 302, AD: 400, "*": 403}),
    (
        "surveys:questionnaire_xlsform",
        "GET",
        "/surveys/questionnaires/{questionnaire}/xlsform.xlsx",
        {A: 302, AD: 200, "*": 403},
    ),
    ("surveys:questionnaire_preview", "GET", "/surveys/questionnaires/{draft}/preview/", {A: 302, AD: 200, "*": 403}),
    ("surveys:questionnaire_compare", "GET", "/surveys/questionnaires/{draft}/compare/", {A: 302, AD: 200, "*": 403}),
    ("surveys:questionnaire_publish", "GET", "/surveys/questionnaires/{draft}/publish/", {A: 302, AD: 200, "*": 403}),
    ("surveys:questionnaire_publish", "POST", "/surveys/questionnaires/{draft}/publish/", {A: 302, AD: 302, "*": 403}),
    (
        "surveys:questionnaire_publish",
        "POST",
        "/surveys/questionnaires/{questionnaire}/publish/",
        {A: 302, AD: 409, "*": 403},
    ),
    # Export jobs: started by national readers and officers; each sees only the jobs they started.
    ("exports:list", "GET", "/exports/", {A: 302, M: 403, "*": 200}),
    ("exports:detail", "GET", "/exports/{export}/", {A: 302, M: 403, OA: 200, "*": 404}),
    ("exports:download", "GET", "/exports/{export}/download/", {A: 302, M: 403, OA: 200, "*": 404}),
    ("exports:dictionary", "GET", "/exports/{export}/dictionary/", {A: 302, M: 403, OA: 200, "*": 404}),
    ("exports:restart", "POST", "/exports/{export}/restart/", {A: 302, M: 403, OA: 302, "*": 404}),
    ("support:list", "GET", "/support/", {A: 302, M: 403, "*": 200}),
    ("support:programme", "GET", "/support/programmes/{programme}/", {A: 302, M: 403, OB: 404, "*": 200}),
    (
        "support:programme_record",
        "GET",
        "/support/programmes/{programme}/record/",
        {A: 302, M: 403, OB: 404, MI: 403, AG: 403, AL: 403, "*": 200},
    ),
    (
        "support:cooperative_record",
        "GET",
        "/support/cooperatives/{coop}/record/",
        {A: 302, M: 403, OB: 404, MI: 403, AG: 403, AL: 403, "*": 200},
    ),
    (
        "support:remove",
        "POST",
        "/support/records/{support}/remove/",
        {A: 302, M: 403, OB: 404, MI: 403, AG: 403, AL: 403, "*": 302},
    ),
    ("support:import", "GET", "/support/import/", {A: 302, M: 403, MI: 403, AG: 403, AL: 403, "*": 200}),
    (
        "support:import_template",
        "GET",
        "/support/import/template.xlsx",
        {A: 302, M: 403, MI: 403, AG: 403, AL: 403, "*": 200},
    ),
    # Notifications: everyone signed in has their own; another's is 404, as a missing one. Who
    # could not be reached: officers (their province) and national roles.
    ("notifications:list", "GET", "/notifications/", {A: 302, "*": 200}),
    ("notifications:read", "POST", "/notifications/{notification}/read/", {A: 302, M: 302, "*": 404}),
    ("notifications:read_all", "POST", "/notifications/read-all/", {"*": 302}),
    ("notifications:settings", "GET", "/notifications/settings/", {A: 302, "*": 200}),
    ("notifications:unreached", "GET", "/notifications/unreached/", {A: 302, M: 403, "*": 200}),
    # Webhooks: the owners of API tokens; each sees only their own (the national admin's here).
    ("webhooks:list", "GET", "/webhooks/", {A: 302, MI: 200, AD: 200, "*": 403}),
    ("webhooks:create", "GET", "/webhooks/new/", {A: 302, MI: 200, AD: 200, "*": 403}),
    ("webhooks:detail", "GET", "/webhooks/{webhook}/", {A: 302, MI: 404, AD: 200, "*": 403}),
    ("webhooks:ping", "POST", "/webhooks/{webhook}/ping/", {A: 302, MI: 404, AD: 302, "*": 403}),
    ("webhooks:enable", "POST", "/webhooks/{webhook}/enable/", {A: 302, MI: 404, AD: 302, "*": 403}),
    ("webhooks:disable", "POST", "/webhooks/{webhook}/disable/", {A: 302, MI: 404, AD: 302, "*": 403}),
    ("webhooks:delete", "POST", "/webhooks/{webhook}/delete/", {A: 302, MI: 404, AD: 302, "*": 403}),
    ("webhooks:retry", "POST", "/webhooks/deliveries/{webhook_delivery}/retry/", {A: 302, MI: 404, AD: 302, "*": 403}),
    # Questionnaire versions are the national team's; a published one records no new mapping (400).
    (
        "surveys:questionnaire_indicators",
        "GET",
        "/surveys/questionnaires/{questionnaire}/indicators/",
        {A: 302, AD: 200, "*": 403},
    ),
    (
        "surveys:questionnaire_indicators",
        "POST",
        "/surveys/questionnaires/{questionnaire}/indicators/",
        {A: 302, AD: 400, "*": 403},
    ),
]

# What a row posts besides the defaults, formatted with the objects like the paths.
POST_DATA: dict[str, dict[str, list[str] | str]] = {
    "cooperatives:duplicates_merge": {"cooperatives": ["{coop}", "{copy}"], "keep": "{coop}"},
    "cooperatives:duplicates_dismiss": {"cooperatives": ["{coop}", "{copy}"], "note": "Hai HTX khác nhau"},
    "surveys:questionnaire_indicators": {"indicator": "digital_signature", "question": "E_FILING", "options": ["yes"]},
    "directives:task": {"status": "in_progress", "percent_done": "40", "narrative": "Đã tập huấn 12 hợp tác xã."},
}

# Namespaces with their own matrix or their own permission system.
COVERED_ELSEWHERE = ("api", "admin")


def expected(statuses: dict[str, int], role: str) -> int:
    return statuses.get(role, statuses.get("*"))


@pytest.fixture
def objects(db, coop_a, officer_a, member_a, national_admin, open_round, tmp_path, settings):
    from directives.models import Agency, EvidenceFile
    from directives.upward import services as upward_services
    from tests.directives.conftest import DocumentFactory, TaskFactory, report

    settings.MEDIA_ROOT = tmp_path / "media"
    response = Response.objects.create(round=open_round, cooperative=coop_a, entered_by=officer_a)
    # A submitted response of A, entered by its member, with an open data-check flag.
    submitted = Response.objects.create(
        round=open_round,
        cooperative=CooperativeFactory(province=coop_a.province, code="8200000998"),
        status="submitted",
        level=3,
        score=Decimal("45.00"),
    )
    flag = ResponseFlag.objects.create(
        response=submitted, kind=FlagKind.LEVEL_JUMP, detail={"previous_level": 0, "level": 3}, raised_at=timezone.now()
    )
    # A registered twice, and a pair of A marked as not duplicates.
    copy_a = CooperativeFactory(province=coop_a.province, code="8200000997", name=coop_a.name)
    pair = [CooperativeFactory(province=coop_a.province, code=f"820000099{n}", name="HTX Trùng Mẫu") for n in (5, 6)]
    dismissal = DuplicateDismissal.objects.create(
        province=coop_a.province,
        cooperative_ids=sorted(c.pk for c in pair),
        dismissed_by=officer_a,
        dismissed_at=timezone.now(),
    )
    other = CooperativeFactory(province=coop_a.province, code="8200000999")  # a second cooperative of A
    ocop = coop_a.ocop_products.create(name="Xoài cát", stars=4, year_certified=2023)
    other_ocop = other.ocop_products.create(name="Mật ong", stars=3, year_certified=2022)
    listing = coop_a.listings.create(platform="shopee", url="https://shopee.vn/htx-a")
    # A refused file with one error, so that its marked copy can be downloaded by those who may.
    job = ImportJob.objects.create(
        file=SimpleUploadedFile("a.xlsx", xlsx_bytes([row(phone="abc")])),
        original_name="a.xlsx",
        created_by=officer_a,
        scope_province=officer_a.province,
        status="invalid",
        errors=[{"row": 2, "column": "Điện thoại", "message": "not a phone number"}],
    )
    committee = Agency.objects.get(code="UBND-82")
    document = DocumentFactory(
        issuing_agency=committee,
        file=SimpleUploadedFile("kh.pdf", b"%PDF-1.4 test"),
        issued_on=datetime.date(2024, 3, 1),
    )
    task = TaskFactory(document=document, lead_agency=committee)
    made = report(task, by=officer_a)
    # A national task of a ministry merged into the agency officer's (Bộ NN&PTNT → Bộ NN&MT), and
    # one the Alliance leads and that ministry only co-operates on.
    agency_task = TaskFactory(document=DocumentFactory(), lead_agency=Agency.objects.get(code="BNNPTNT"))
    alliance_task = TaskFactory(document=DocumentFactory(), lead_agency=Agency.objects.get(code="LMHTXVN"))
    alliance_task.cooperating_agencies.set([Agency.objects.get(code="BNNMT")])
    evidence = EvidenceFile.objects.create(
        report=made,
        file=SimpleUploadedFile("bb.pdf", b"%PDF-1.4 x"),
        original_name="bb.pdf",
        size=10,
        content_type="application/pdf",
    )
    upward = upward_services.upward_report_create(
        by=officer_a,
        province=coop_a.province,
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 6, 30),
    )
    programme = SupportProgramme.objects.create(
        code="DT-SAN",
        name_vi="Đưa hợp tác xã lên sàn thương mại điện tử",
        kind=SupportKind.ECOMMERCE,
        provider="Sở Công Thương",
        province=coop_a.province,
        start_year=2024,
    )
    support = SupportReceived.objects.create(
        cooperative=coop_a, programme=programme, received_on=datetime.date(2024, 9, 15)
    )
    notification = Notification.objects.create(
        recipient=member_a, kind=NotificationKind.RESPONSE_RETURNED, key="matrix", subject="Trả lại", link="/"
    )
    export = ExportJob.objects.create(
        kind="registry",
        fmt="csv",
        created_by=officer_a,
        status="done",
        file=SimpleUploadedFile("htx.csv.gz", b"\x1f\x8b"),
        dictionary=SimpleUploadedFile("tu-dien.csv", b"column"),
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    webhook, webhook_delivery = _webhook(national_admin)
    addon_round = provincial_round(coop_a.province, code="KS2026-DT")
    addon = add_addons(addon_round, national_admin)[0]
    draft = questionnaire_new_version(questionnaire=open_round.questionnaire)
    return {
        "addon_round": addon_round.code,
        "addon": addon.pk,
        "questionnaire": open_round.questionnaire_id,
        "draft": draft.pk,
        "export": export.pk,
        "webhook": webhook.pk,
        "webhook_delivery": webhook_delivery.pk,
        "notification": notification.pk,
        "coop": coop_a.pk,
        "programme": programme.code,
        "support": support.pk,
        "round": open_round.code,
        "response": response.pk,
        "job": job.pk,
        "task": task.pk,
        "agency_task": agency_task.pk,
        "alliance_task": alliance_task.pk,
        "document": document.pk,
        "evidence": evidence.pk,
        "upward": upward.pk,
        "flag": flag.pk,
        "submitted": submitted.pk,
        "copy": copy_a.pk,
        "dismissal": dismissal.pk,
        "ocop": ocop.pk,
        "other_coop": other.pk,
        "other_ocop": other_ocop.pk,
        "listing": listing.pk,
    }


def _webhook(owner):
    """The national admin's webhook (through its national token) and a failed delivery of it."""
    from accounts.api.services import api_token_issue
    from webhooks.models import Delivery, DeliveryState, Subscription

    token = api_token_issue(
        by=owner,
        organisation="Bộ",
        role="ministry_analyst",
        scopes=["registry:read"],
        expires_at=timezone.now() + datetime.timedelta(days=30),
    ).token
    webhook = Subscription.objects.create(
        owner=owner, token=token, url="https://hooks.example.org/coopdx", events=["cooperative.changed"], secret="s"
    )
    delivery = Delivery.objects.create(subscription=webhook, event="cooperative.changed", state=DeliveryState.FAILED)
    return webhook, delivery


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, objects, role, request):
    """Every row for one role; each request runs in a savepoint that is rolled back, so a write
    (an archive, a review) never changes what the next row sees."""
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    cookies = client.cookies
    failures = []
    for name, method, template, statuses in MATRIX:
        path = template.format(**objects) if "{" in template else template
        client.cookies = copy.deepcopy(cookies)  # logout and the language switch change cookies
        with transaction.atomic():
            data = {"decision": "accept", "language": "vi", "next": "/"}
            for key, value in POST_DATA.get(name, {}).items():
                data[key] = [v.format(**objects) for v in value] if isinstance(value, list) else value.format(**objects)
            response = client.post(path, data) if method == "POST" else client.get(path)
            transaction.set_rollback(True)
        want = expected(statuses, role)
        if response.status_code != want:
            failures.append(f"{name}: {method} {path} → {response.status_code}, expected {want}")
    assert failures == [], f"{role}:\n" + "\n".join(failures)


def _names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_of_the_site_has_a_row_in_a_matrix():
    covered = {row[0] for row in MATRIX}
    missing = sorted(
        name
        for name in set(_names(get_resolver().url_patterns))
        if name not in covered and not name.startswith(tuple(f"{ns}:" for ns in COVERED_ELSEWHERE))
    )
    assert missing == [], f"URLs without a row in the permission matrix: {missing}"
