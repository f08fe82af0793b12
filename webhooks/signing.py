"""The signature of a delivery: HMAC-SHA256 of ``"{timestamp}.{body}"`` with the subscription's
secret, sent as ``X-CoopDX-Signature: sha256=<hex>`` beside ``X-CoopDX-Timestamp`` (unix
seconds). A receiver computes the same over the raw body it received and refuses a timestamp
older than :data:`TOLERANCE_SECONDS` (a replayed request), as :func:`verify` does."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

TOLERANCE_SECONDS = 5 * 60


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    message = f"{timestamp}.".encode() + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(
    secret: str,
    timestamp: str,
    body: bytes,
    signed: str,
    *,
    now: float | None = None,
    tolerance: int = TOLERANCE_SECONDS,
) -> bool:
    """True when ``signed`` is the signature of ``body`` at ``timestamp`` and the timestamp is
    recent: the receiver's check, given here for tests and for integrators to copy."""
    try:
        stamp = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs((time.time() if now is None else now) - stamp) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, stamp, body), signed)
