"""Absolute links for messages that leave the site (e-mails), built on ``settings.SITE_URL``."""

from __future__ import annotations

from django.conf import settings


def absolute_url(path: str) -> str:
    """``path`` (as ``reverse`` gives it) on the site's public address."""
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")
