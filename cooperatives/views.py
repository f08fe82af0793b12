"""Registry pages. Thin: selectors read, services write, templates show."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors
from .filters import CooperativeFilter

PAGE_SIZE = 50


@login_required
@permission_required("cooperatives.view_registry", raise_exception=True)
def cooperative_list(request: HttpRequest) -> HttpResponse:
    provinces = selectors.province_list(user=request.user)
    filterset = CooperativeFilter(
        request.GET or None, queryset=selectors.cooperative_list(user=request.user), provinces=provinces
    )
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cooperatives/cooperative_list.html",
        {"filter": filterset, "page": page, "query": query.urlencode()},
    )


@login_required
def cooperative_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cooperative = selectors.cooperative_get(user=request.user, pk=pk)
    # One query: each record is compared with the one before it (the next in this order).
    records = list(cooperative.history.select_related("history_user").order_by("-history_date", "-history_id")[:51])
    changes = [
        {"record": record, "changes": record.diff_against(records[i + 1]).changes if i + 1 < len(records) else []}
        for i, record in enumerate(records[:50])
    ]
    return render(
        request,
        "cooperatives/cooperative_detail.html",
        {
            "cooperative": cooperative,
            "ocop_products": cooperative.ocop_products.all(),
            "listings": cooperative.listings.all(),
            "changes": changes,
            "can_edit": request.user.has_perm("cooperatives.change_cooperative", cooperative),
        },
    )
