"""What a user may see of documents and tasks, and the documents and provinces themselves.

National roles see everything. A provincial officer sees national documents (issued by a body
with no province) and their own province's, and of their tasks those with no province or with
their own. Members see nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from cooperatives.models import Province

from ..models import Document

if TYPE_CHECKING:
    from accounts.models import User


def document_scope(user: User, prefix: str = "") -> Q | None:
    """The condition on documents for the user; ``None`` means no documents at all.

    ``prefix`` is the path from the rows being filtered to their document (``"task__document__"``).
    """
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_national:
        return Q()
    if user.is_officer:
        return Q(**{f"{prefix}issuing_agency__province__isnull": True}) | Q(
            **{f"{prefix}issuing_agency__province_id": user.province_id}
        )
    return None


def task_scope(user: User, prefix: str = "") -> Q | None:
    """The condition on tasks for the user (``prefix`` leads to the task); ``None`` means none."""
    scope = document_scope(user, prefix=f"{prefix}document__")
    if scope is None:
        return None
    if user.is_national:
        return scope
    province = Q(**{f"{prefix}province__isnull": True}) | Q(**{f"{prefix}province_id": user.province_id})
    return scope & province


def document_list(*, user: User) -> QuerySet[Document]:
    scope = document_scope(user)
    if scope is None:
        return Document.objects.none()
    return Document.objects.filter(scope).select_related("issuing_agency", "parent")


def document_get(*, user: User, pk: int) -> Document:
    """One document; 404 when missing or outside the user's scope."""
    return get_object_or_404(document_list(user=user), pk=pk)


def province_list(*, user: User) -> QuerySet[Province]:
    if user.is_national:
        return Province.objects.all()
    if user.is_officer and user.province_id is not None:
        return Province.objects.filter(pk=user.province_id)
    return Province.objects.none()
