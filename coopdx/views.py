"""Project-wide pages: the role-aware home page and the health probe."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cooperatives import selectors as registry

from .health import health_report


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_authenticated:
        return render(request, "home_public.html")
    if user.is_national or user.is_officer:
        # Officers and ministries land on their dashboard: the province's (or nation's) figures.
        from indicators.views import dashboard_context

        return render(request, "indicators/dashboard.html", dashboard_context(request))
    context: dict[str, object] = {}
    if user.is_member and user.cooperative_id:
        context["cooperative"] = registry.cooperative_get(user=user, pk=user.cooperative_id)
    return render(request, "home.html", context)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    healthy, report = health_report()
    return JsonResponse({"status": "ok" if healthy else "degraded", **report}, status=200 if healthy else 503)
