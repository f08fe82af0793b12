"""Role predicates and the permissions built on them: the one permission module.

Views declare the permission they need (``PermissionRequiredMixin`` / ``has_perm``);
the rules here decide. Object scoping of querysets lives in the selectors.
"""

from __future__ import annotations

from collections.abc import Iterable

import rules

from .models import Role, User


def _active(user: object) -> User | None:
    """The signed-in, active account, or None (anonymous, deactivated, or not an account)."""
    return user if isinstance(user, User) and user.is_active else None


@rules.predicate
def is_national_admin(user: object) -> bool:
    account = _active(user)
    return bool(account and account.is_national_admin)


@rules.predicate
def is_national(user: object) -> bool:
    account = _active(user)
    return bool(account and account.is_national)


@rules.predicate
def is_ministry_analyst(user: object) -> bool:
    account = _active(user)
    return bool(account and not account.is_superuser and account.role == Role.MINISTRY_ANALYST)


@rules.predicate
def is_officer(user: object) -> bool:
    account = _active(user)
    return bool(account and account.is_officer)


@rules.predicate
def is_member(user: object) -> bool:
    account = _active(user)
    return bool(account and account.is_member)


@rules.predicate
def is_officer_of_object_province(user: object, obj: object) -> bool:
    return isinstance(user, User) and obj is not None and getattr(obj, "province_id", None) == user.province_id


@rules.predicate
def is_member_of_cooperative(user: object, cooperative: object) -> bool:
    """The cooperative is the one the member belongs to."""
    return (
        isinstance(user, User)
        and cooperative is not None
        and user.cooperative_id is not None
        and getattr(cooperative, "pk", None) == user.cooperative_id
    )


@rules.predicate
def is_officer_of_response_province(user: object, response: object) -> bool:
    """The response is of a cooperative of the officer's province."""
    cooperative = getattr(response, "cooperative", None) if response is not None else None
    return isinstance(user, User) and cooperative is not None and cooperative.province_id == user.province_id


@rules.predicate
def is_given(user: object, obj: object) -> bool:
    """The rule is asked of an object (a rule about one response says no to none)."""
    return obj is not None


@rules.predicate
def entered_response(user: object, response: object) -> bool:
    """The user entered the response (``surveys.models.Response.entered_by_user``)."""
    was_entered_by = getattr(response, "was_entered_by", None)
    return isinstance(user, User) and callable(was_entered_by) and bool(was_entered_by(user))


@rules.predicate
def is_officer_of_every_province(user: object, objects: object) -> bool:
    """Every object given (the cooperatives of a possible duplicate, a dismissal) is of the
    officer's province."""
    items = objects if isinstance(objects, Iterable) else ()
    provinces = {getattr(obj, "province_id", None) for obj in items}
    return isinstance(user, User) and provinces == {user.province_id} and user.province_id is not None


# The registry: national roles and officers browse it; admins and the officer of the
# cooperative's province edit it; members see only their own cooperative.
rules.add_perm("cooperatives.view_registry", is_national | is_officer)
rules.add_perm("cooperatives.add_cooperative", is_national_admin | is_officer)
rules.add_perm("cooperatives.change_cooperative", is_national_admin | (is_officer & is_officer_of_object_province))
rules.add_perm("cooperatives.import_cooperatives", is_national_admin | is_officer)
# Possible duplicates (cooperatives.duplicates): officers see their province's, national
# administrators every province's. Merging cooperatives or dismissing a group needs the officer
# of the province of every cooperative involved, or a national administrator.
rules.add_perm("cooperatives.review_duplicates", is_national_admin | is_officer)
rules.add_perm("cooperatives.merge_cooperatives", is_national_admin | (is_officer & is_officer_of_every_province))
rules.add_perm("cooperatives.dismiss_duplicates", is_national_admin | (is_officer & is_officer_of_every_province))
# A cooperative's OCOP products and e-commerce listings (the evidence its self-assessments are
# checked against): national administrators, the officers of its province and its own members.
rules.add_perm(
    "cooperatives.maintain_products",
    is_national_admin | (is_officer & is_officer_of_object_province) | (is_member & is_member_of_cooperative),
)

# Accounts: national administrators manage them (in the admin, through accounts.services).
rules.add_perm("accounts.view_user", is_national_admin)
rules.add_perm("accounts.add_user", is_national_admin)
rules.add_perm("accounts.change_user", is_national_admin)

# API tokens: national administrators issue them to organisations; ministries are the API's
# users, so an analyst obtains read-only tokens for themselves (accounts.api.services).
rules.add_perm("accounts.obtain_api_token", is_national_admin | is_ministry_analyst)
# Webhooks are subscribed with one's own API tokens: the same people.
rules.add_perm("webhooks.manage_webhooks", is_national_admin | is_ministry_analyst)

# Notifications: everyone reads their own; officers see who in their province could not be
# reached by any channel, national roles who in the country (notifications.selectors).
rules.add_perm("notifications.view_unreached", is_national | is_officer)

# Self-assessments. Which rounds, responses and cooperatives a user sees is decided by
# surveys.selectors (out of scope is 404); these rules decide what they may do there.
# Entering answers: the cooperative's members, the officers of its province (on its behalf)
# and national administrators. The first rule is the role gate of the API; services and pages
# ask the second of the cooperative concerned.
rules.add_perm("surveys.answer_surveys", is_national_admin | is_officer | is_member)
rules.add_perm(
    "surveys.answer_for_cooperative",
    is_national_admin | (is_officer & is_officer_of_object_province) | (is_member & is_member_of_cooperative),
)
# Reviewing (accepting or returning) a submitted response: a national administrator, or an
# officer of the response's cooperative's province. Accepting it (and confirming its flagged
# figures) is asked of one response, with four eyes: not whoever entered it, superusers included
# (asked through surveys.lifecycle.may_accept, without has_perm's superuser shortcut). The work
# lists ask the same fact of many responses at once (surveys.selectors.response_list_to_review).
may_review = is_national_admin | (is_officer & is_officer_of_response_province)
rules.add_perm("surveys.review_response", may_review)
rules.add_perm("surveys.accept_response", may_review & is_given & ~entered_response)
# Following a round: its page of cooperatives and their states, and its export. Members see
# their own responses only.
rules.add_perm("surveys.view_round_progress", is_national | is_officer)
rules.add_perm("surveys.send_reminders", is_national_admin | is_officer)
# Paper surveys: the template to fill in and the import of filled ones.
rules.add_perm("surveys.import_responses", is_national_admin | is_officer)
# Late paper surveys: only a national administrator imports into a round that has closed.
rules.add_perm("surveys.import_into_closed_round", is_national_admin)
rules.add_perm("surveys.add_round", is_national_admin)
# The consistency rules of a questionnaire version are written by the national team, in the admin,
# on a draft version (a published one is read-only: surveys.admin.FrozenWhenPublished).
for action in ("view", "add", "change", "delete"):
    rules.add_perm(f"surveys.{action}_consistencyrule", is_national_admin)
# Scoring schemes (surveys.ScoringScheme: level bounds, pillars needed, level names) are data the
# national team writes in the admin; a scheme in use is frozen. Re-scoring a round under another
# scheme (surveys.rescoring) is theirs too, and logged (surveys.RoundRescoring, read-only).
for action in ("view", "add", "change", "delete"):
    rules.add_perm(f"surveys.{action}_scoringscheme", is_national_admin)
rules.add_perm("surveys.view_roundrescoring", is_national_admin)
rules.add_perm("surveys.rescore_round", is_national_admin)
# Questionnaire versions (drafts, XLSForm in and out, preview, comparison, the indicator mappings a
# new version needs, publishing) are the national team's, on their own pages.
rules.add_perm("surveys.author_questionnaire", is_national_admin)
# A provincial round's add-on questions (surveys.addons), asked after the national ones and never
# scored: the officers of the round's province, or a national administrator, on the round's page.
rules.add_perm("surveys.manage_addon_questions", is_national_admin | (is_officer & is_officer_of_object_province))
# The self-assessments the registry contradicts (surveys.evidence): national roles and officers,
# each within their scope (surveys.evidence_selectors).
rules.add_perm("surveys.view_evidence_mismatches", is_national | is_officer)

# Indicators: the dashboard and the API's figures are for national roles and officers (each
# within their scope, by indicators.selectors); national roles also compare the provinces.
rules.add_perm("indicators.view_indicators", is_national | is_officer)
rules.add_perm("indicators.compare_provinces", is_national)
rules.add_perm("indicators.refresh_snapshots", is_national_admin)
# Indicator targets (national, and a province's own) are kept by national administrators, in the admin.
for action in ("view", "add", "change", "delete"):
    rules.add_perm(f"indicators.{action}_indicatortarget", is_national_admin)

# Support to cooperatives (support/): national roles and officers follow the programmes and
# their effect (each within their scope, by support.selectors); the officer of the cooperative's
# province or a national administrator records the support it received. Programmes themselves
# are kept by national administrators, in the admin.
rules.add_perm("support.view_programmes", is_national | is_officer)
rules.add_perm("support.record_support", is_national_admin | (is_officer & is_officer_of_object_province))
rules.add_perm("support.enter_support", is_national_admin | is_officer)
rules.add_perm("support.import_support", is_national_admin | is_officer)
for action in ("view", "add", "change", "delete"):
    rules.add_perm(f"support.{action}_supportprogramme", is_national_admin)
    rules.add_perm(f"support.{action}_supportreceived", is_national_admin)

# Microdata and exports (surveys/microdata.py, exports/): a round's responses with every answer
# for officers (their province) and national readers; export jobs for the same readers, each job
# holding only the rows its creator may read (the scoped selectors). The export trail (audit) is
# read by national administrators, in the admin.
rules.add_perm("surveys.export_microdata", is_national | is_officer)
rules.add_perm("exports.start_export", is_national | is_officer)
rules.add_perm("audit.view_exportrecord", is_national_admin)
