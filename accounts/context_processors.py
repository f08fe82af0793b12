"""Navigation built from the user's role, shared by every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    items: list[tuple[str, Any]] = [(reverse("home"), _("Home")), (reverse("public:figures"), _("Public figures"))]
    if user.is_authenticated:
        if user.has_perm("cooperatives.view_registry"):
            items.append((reverse("cooperatives:list"), _("Cooperatives")))
        elif getattr(user, "is_member", False) and user.cooperative_id:
            items.append((reverse("cooperatives:detail", args=[user.cooperative_id]), _("My cooperative")))
        if user.has_perm("directives.view_board"):
            items.append((reverse("directives:list"), _("Directive tasks")))
        if user.has_perm("support.view_programmes"):
            items.append((reverse("support:list"), _("Support")))
        items.append(
            (reverse("surveys:home"), _("Self-assessment") if getattr(user, "is_member", False) else _("Surveys"))
        )
        if user.has_perm("surveys.author_questionnaire"):
            items.append((reverse("surveys:questionnaire_list"), _("Questionnaires")))
        if user.has_perm("accounts.obtain_api_token"):
            items.append((reverse("accounts:tokens"), _("API tokens")))
        if user.is_staff:
            items.append((reverse("admin:index"), _("Administration")))
    return {"nav_items": items}
