"""Sign-in for people without passwords: a one-time link sent to the registered e-mail.

Who may have one: a cooperative's member, and anyone else only with two-step verification on
(the link opens the session; the second factor is still asked for, ``accounts.middleware``).
The link is sent to the person's e-mail, or for a member without one to their cooperative's
registered e-mail. It works once, for ``SIGNIN_LINK_MINUTES``; asking is limited per person and
per address (``SIGNIN_LINKS_PER_HOUR``), and the answer to a request never says whether an
account exists. Only a digest of the token is kept; opening the link shows a button, so a mail
scanner that follows links does not use it up.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_otp import user_has_device

from coopdx.links import absolute_url

from .models import SignInLink, User

logger = logging.getLogger("coopdx.security")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def may_use_links(user: User) -> bool:
    return user.is_active and (user.is_member or user_has_device(user, confirmed=True))


def _address(user: User) -> str:
    if user.email:
        return user.email
    cooperative = getattr(user, "cooperative", None) if user.is_member else None
    return cooperative.email if cooperative is not None else ""


def _too_many(user: User, ip: str | None, now: datetime.datetime) -> bool:
    hour = now - datetime.timedelta(hours=1)
    limit = settings.SIGNIN_LINKS_PER_HOUR
    recent = SignInLink.objects.filter(created_at__gte=hour)
    if recent.filter(user=user).count() >= limit:
        return True
    return ip is not None and recent.filter(requested_from=ip).count() >= limit * 3


def signin_link_request(*, identifier: str, ip: str | None) -> bool:
    """Send a link to the account named by its user name or e-mail, if it may have one and has
    not asked too often; True when a link went out (the page says the same either way)."""
    identifier = identifier.strip()[:254]
    if not identifier:
        return False
    user = (
        User.objects.select_related("cooperative")
        .filter(Q(username__iexact=identifier) | Q(email__iexact=identifier), is_active=True)
        .order_by("pk")
        .first()
    )
    now = timezone.now()
    if user is None or not may_use_links(user):
        logger.info("sign-in link refused for %r from %s: no such account may use links", identifier, ip)
        return False
    address = _address(user)
    if not address or _too_many(user, ip, now):
        logger.warning("sign-in link not sent to user %s from %s: %s", user.pk, ip, "limit" if address else "no e-mail")
        return False
    token = secrets.token_urlsafe(32)
    minutes = settings.SIGNIN_LINK_MINUTES
    SignInLink.objects.create(
        user=user,
        token_digest=_digest(token),
        expires_at=now + datetime.timedelta(minutes=minutes),
        requested_from=ip,
        sent_to=address,
    )
    link = absolute_url(reverse("accounts:link_signin", args=[token]))
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your CoopDX sign-in link")
        body = _(
            "Hello %(name)s,\n\nOpen this link to sign in to CoopDX. It works once, for %(minutes)s minutes:\n\n"
            "%(link)s\n\nIf you did not ask for it, ignore this message: nobody can sign in without the link."
        ) % {"name": user.get_full_name() or user.username, "minutes": minutes, "link": link}
    EmailMessage(subject, body, None, [address]).send()
    logger.info("sign-in link %s sent to user %s from %s", _digest(token)[:12], user.pk, ip)
    return True


def signin_link_find(token: str) -> SignInLink | None:
    """The unused, unexpired link of this token (nothing is changed)."""
    link = SignInLink.objects.select_related("user").filter(token_digest=_digest(token)).first()
    if link is None or link.used_at is not None or link.expires_at <= timezone.now():
        return None
    return link if may_use_links(link.user) else None


@transaction.atomic
def signin_link_use(*, token: str, ip: str | None) -> User | None:
    """Use the link up: its user, once; None when it is unknown, used, expired or its user may
    no longer sign in this way."""
    now = timezone.now()
    link = SignInLink.objects.select_for_update().select_related("user").filter(token_digest=_digest(token)).first()
    if link is None or link.used_at is not None or link.expires_at <= now or not may_use_links(link.user):
        logger.warning("sign-in link refused from %s", ip)
        return None
    link.used_at, link.used_from = now, ip
    link.save(update_fields=["used_at", "used_from"])
    logger.info("sign-in link used by user %s from %s", link.user_id, ip)
    return link.user
