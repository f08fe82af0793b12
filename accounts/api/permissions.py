"""The API's one permission check: the role rule and the token scope each view declares.

A view declares, per HTTP method:

* ``required_scopes``: the scope a token needs, or a tuple of scopes of which any one will
  do, e.g. ``{"GET": "registry:read"}``. A method missing here is closed to tokens.
  Session users need no scopes.
* ``allowed``: who may call it, as a rule from ``accounts.rules`` (a predicate such as
  ``is_national | is_officer``) or a permission name registered with django-rules (e.g.
  ``"directives.view_board"``). A method missing here is open to any signed-in caller.

The same role rules apply to a token, which acts as its service account (a ministry analyst
or an officer of one province). Which *objects* a caller sees is not decided here: views read
through the scoped selectors, and anything outside the scope is 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from ..models import ApiToken

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _for_method(mapping: dict[str, Any] | None, method: str) -> Any:
    if not mapping:
        return None
    if method in ("HEAD", "OPTIONS"):
        method = "GET"
    return mapping.get(method)


def token_of(request: Request) -> ApiToken | None:
    return request.auth if isinstance(request.auth, ApiToken) else None


class ApiAccess(BasePermission):
    message: StrOrPromise = _("You do not have permission to perform this action.")

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            # DRF answers 401 (not authenticated) since no authenticator succeeded.
            return False
        method = request.method or "GET"
        if method not in ("HEAD", "OPTIONS") and not hasattr(view, method.lower()):
            return True  # the view answers 405 Method Not Allowed
        token = token_of(request)
        if token is not None:
            wanted = _for_method(getattr(view, "required_scopes", None), method)
            if wanted is None:
                self.message = _("API tokens cannot be used for this operation.")
                self.code = "token_not_allowed"
                return False
            choices = (wanted,) if isinstance(wanted, str) else tuple(wanted)
            if not set(choices) & set(token.scopes):
                self.message = _("This token lacks the scope this operation needs: %(scopes)s.") % {
                    "scopes": " or ".join(choices)
                }
                self.code = "scope_missing"
                return False
        rule = _for_method(getattr(view, "allowed", None), method)
        if rule is None:
            return True
        return user.has_perm(rule) if isinstance(rule, str) else bool(rule.test(user))
