"""The API token lifecycle: issue, authenticate, revoke. The token pages, the admin and the
API's authentication class all come through here."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ApiToken, Role, User
from coopdx.history import record_by

if TYPE_CHECKING:
    from collections.abc import Iterable

    from cooperatives.models import Province

# A token's last use is written at most this often, so that a busy integration does not
# turn every read into a write.
LAST_USED_GRANULARITY = datetime.timedelta(minutes=1)
MAX_LIFETIME = datetime.timedelta(days=2 * 366)
# Active tokens a ministry analyst may hold for themselves at a time.
MAX_PERSONAL_TOKENS = 3
# How long a looked-up token row is reused from the shared cache (revocation is immediate).
TOKEN_CACHE_SECONDS = 30


class TokenRejected(Exception):
    """The presented secret is unknown, expired or revoked (the message says which)."""


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    # The only time the secret exists outside the caller's hands: show it once, never store it.
    secret: str


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _new_secret() -> str:
    # 32 random bytes, URL-safe: 43 characters; the first 8 are the displayed prefix.
    while True:
        secret = secrets.token_urlsafe(32)
        if not ApiToken.objects.filter(secret_hash=secret_hash(secret)).exists():
            return secret


def _service_username(prefix: str) -> str:
    base = f"api-{prefix}".lower()
    username = base
    while User.objects.filter(username__iexact=username).exists():
        username = f"{base}-{secrets.token_hex(2)}"
    return username


@transaction.atomic
def api_token_issue(
    *,
    by: User,
    organisation: str,
    role: str,
    scopes: Iterable[str],
    expires_at: datetime.datetime,
    province: Province | None = None,
) -> IssuedToken:
    """Issue a token: by a national administrator to an organisation, or by a ministry analyst
    to themselves.

    The token gets its own service account (no usable password, so no browser login), bound
    to the token's role and province: every read and write of the API goes through the same
    scoping and services as a person in that role, and history names the token's account.

    A ministry analyst's own tokens are national and read-only (the model refuses writing
    scopes for a national token), at most ``MAX_PERSONAL_TOKENS`` active at a time, under the
    same expiry rule as every token; they are revoked when the analyst leaves the role.
    """
    now = timezone.now()
    if not by.is_national_admin:
        if not (by.is_active and by.role == Role.MINISTRY_ANALYST):
            raise PermissionDenied(_("Only national administrators and ministry analysts obtain API tokens."))
        if role != Role.MINISTRY_ANALYST or province is not None:
            raise PermissionDenied(_("A ministry analyst obtains national, read-only tokens only."))
        # One request at a time per analyst, so that two at once cannot pass the limit together.
        User.objects.select_for_update().filter(pk=by.pk).first()
        active = ApiToken.objects.filter(
            created_by=by, personal=True, revoked_at__isnull=True, expires_at__gt=now
        ).count()
        if active >= MAX_PERSONAL_TOKENS:
            raise ValidationError(
                _(
                    "You already hold %(count)d active tokens, the most allowed. Revoke one you no longer "
                    "use before asking for another."
                )
                % {"count": MAX_PERSONAL_TOKENS}
            )
    if role not in (Role.MINISTRY_ANALYST, Role.PROVINCIAL_OFFICER):
        raise ValidationError({"role": [_("A token acts as a ministry analyst or a provincial officer.")]})
    if expires_at <= now:
        raise ValidationError({"expires_at": [_("The expiry must be in the future.")]})
    if expires_at > now + MAX_LIFETIME:
        raise ValidationError({"expires_at": [_("A token may live at most two years.")]})
    secret = _new_secret()
    prefix = secret[:8]
    organisation = organisation.strip()
    user = User(
        username=_service_username(prefix),
        role=role,
        province=province if role == Role.PROVINCIAL_OFFICER else None,
        organisation=organisation,
        first_name=organisation[:150],
        last_name=f"(API {prefix})",
    )
    user.set_unusable_password()
    token = ApiToken(
        organisation=organisation,
        role=role,
        province=user.province,
        scopes=sorted(set(scopes)),
        prefix=prefix,
        secret_hash=secret_hash(secret),
        created_by=by,
        personal=not by.is_national_admin,
        expires_at=expires_at,
    )
    token.clean()
    user.full_clean(exclude=["password"])
    record_by(user, by)
    user.save()
    token.user = user
    token.full_clean()
    record_by(token, by)
    token.save()
    return IssuedToken(token=token, secret=secret)


def _cache_key(digest: str) -> str:
    return f"coopdx:api-token:{digest}"


def _token_by_hash(digest: str) -> ApiToken | None:
    """The token row with its service account, from the shared cache when recently read.

    Every machine request looks its token up; the joined ORM read costs about a millisecond of
    CPU, a third of a cached API answer, so the row is kept for ``TOKEN_CACHE_SECONDS``.
    Revocation removes it at once (see ``api_token_revoke``); other changes to a token's service
    account, which only revocation makes, would show within that time.
    """
    key = _cache_key(digest)
    token = cache.get(key)
    if isinstance(token, ApiToken):
        return token
    try:
        # get(), not first(): the hash is unique, and ordering a joined row costs more than the query.
        token = ApiToken.objects.select_related("user", "user__province").get(secret_hash=digest)
    except ApiToken.DoesNotExist:
        return None
    cache.set(key, token, TOKEN_CACHE_SECONDS)
    return token


def api_token_authenticate(*, secret: str) -> ApiToken:
    """The usable token with this secret, its last use recorded (at most once a minute)."""
    digest = secret_hash(secret)
    token = _token_by_hash(digest)
    if token is None:
        raise TokenRejected(_("Invalid token."))
    now = timezone.now()
    if token.revoked_at is not None:
        raise TokenRejected(_("This token has been revoked."))
    if token.expires_at <= now:
        raise TokenRejected(_("This token has expired."))
    if not token.user.is_active:
        raise TokenRejected(_("Invalid token."))
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_GRANULARITY:
        # A conditional update: concurrent requests write once, and no row lock is held.
        stale = now - LAST_USED_GRANULARITY
        ApiToken.objects.filter(Q(last_used_at__isnull=True) | Q(last_used_at__lte=stale), pk=token.pk).update(
            last_used_at=now
        )
        token.last_used_at = now
        cache.set(_cache_key(digest), token, TOKEN_CACHE_SECONDS)
    return token


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    """Revoke a token for good; its service account is deactivated too (kept for history).

    National administrators revoke any token; a ministry analyst, the tokens they obtained.
    """
    if not (by.is_national_admin or (by.is_active and token.personal and token.created_by_id == by.pk)):
        raise PermissionDenied(_("Only national administrators revoke API tokens."))
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = by
        record_by(token, by)
        token.save(update_fields=["revoked_at", "revoked_by"])
        User.objects.filter(pk=token.user_id).update(is_active=False)
    # Forget the cached row now, and again once committed: a request reading the row in between
    # would otherwise cache it unrevoked.
    key = _cache_key(token.secret_hash)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))
    return token
