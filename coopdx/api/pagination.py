"""Keyset ("cursor") pagination: constant cost per page, no COUNT(*), any ordering.

DRF's CursorPagination positions on its first ordering field only and cannot follow an
ordering chosen by a filter (the registry's ``?ordering=``). This paginator orders by the
queryset's own ordering (set by the filter) or the view's ``ordering``, always ends with the
primary key so that the order is total, puts NULLs last, and encodes the last row's values
in an opaque cursor. A page is one query: ``WHERE (after the cursor) ORDER BY ... LIMIT n+1``.
Pages only go forward (``next``), which is what a nightly pull needs.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import decimal
import json
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, Field, Model, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500


def _encode_value(value: Any) -> Any:
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()  # full precision: DjangoJSONEncoder would cut microseconds
    if isinstance(value, (decimal.Decimal,)):
        return str(value)
    return value


class KeysetPagination(BasePagination):
    page_size = DEFAULT_PAGE_SIZE
    max_page_size = MAX_PAGE_SIZE
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    cursor_description = gettext_lazy("The `next` link's cursor, to read the following page.")
    page_size_description = gettext_lazy("Rows per page (default 100; more than 500 gives 500).")

    # --- set by paginate_queryset ---
    request: Request
    next_position: list[Any] | None = None

    def _page_size(self, request: Request) -> int:
        """``?page_size=``: the default when absent, capped at the maximum, 400 when not a positive number."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw in (None, ""):
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise ValidationError({self.page_size_query_param: [_("Enter a whole number of at least 1.")]})
        return min(size, self.max_page_size)

    @staticmethod
    def _ordering(queryset: QuerySet[Any], view: Any) -> list[tuple[Field, bool]]:
        terms: Sequence[Any] = queryset.query.order_by or getattr(view, "ordering", None) or ("pk",)
        if isinstance(terms, str):
            terms = (terms,)
        model: type[Model] = queryset.model
        fields: list[tuple[Field, bool]] = []
        for term in terms:
            if not isinstance(term, str) or "__" in term or term.lstrip("-") == "?":
                raise ImproperlyConfigured(f"Keyset pagination needs plain field names to order by, not {term!r}.")
            name = term.lstrip("-")
            field = model._meta.pk if name == "pk" else model._meta.get_field(name)
            if not isinstance(field, Field):
                raise ImproperlyConfigured(f"Keyset pagination needs a field of the model to order by, not {term!r}.")
            fields.append((field, term.startswith("-")))
        if not any(field.primary_key for field, _desc in fields):
            fields.append((model._meta.pk, False))
        return fields

    def _signature(self) -> list[str]:
        return [("-" if desc else "") + field.attname for field, desc in self.fields]

    def _decode(self, request: Request) -> list[Any] | None:
        raw = request.query_params.get(self.cursor_query_param)
        if raw in (None, ""):
            return None
        invalid = ValidationError({self.cursor_query_param: [_("Invalid cursor.")]})
        try:
            payload = json.loads(base64.urlsafe_b64decode(raw.encode("ascii") + b"=" * (-len(raw) % 4)))
        except (ValueError, UnicodeError, binascii.Error) as error:
            raise invalid from error
        if (
            not isinstance(payload, dict)
            or payload.get("o") != self._signature()
            or not isinstance(payload.get("v"), list)
            or len(payload["v"]) != len(self.fields)
        ):
            raise invalid
        values: list[Any] = []
        for (field, _desc), value in zip(self.fields, payload["v"], strict=True):
            if value is None:
                if not field.null:
                    raise invalid
                values.append(None)
                continue
            if isinstance(value, (dict, list)):
                raise invalid
            try:
                target = getattr(field, "target_field", field)
                values.append(target.to_python(value))
            except (DjangoValidationError, TypeError, ValueError) as error:
                raise invalid from error
        return values

    def _encode(self, values: list[Any]) -> str:
        payload = {"o": self._signature(), "v": [_encode_value(v) for v in values]}
        return base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode().rstrip("=")

    def _after(self, values: list[Any]) -> Q:
        """Rows strictly after the position, in (field1, field2, ..., pk) order with NULLs last."""
        condition = Q(pk__in=[])
        equal = Q()
        for (field, desc), value in zip(self.fields, values, strict=True):
            name = field.attname
            if value is not None:
                beyond = Q(**{f"{name}__{'lt' if desc else 'gt'}": value})
                if field.null:
                    beyond |= Q(**{f"{name}__isnull": True})
                condition |= equal & beyond
                equal &= Q(**{name: value})
            else:
                # After a NULL only more NULLs come, which are equal here: compare the next field.
                equal &= Q(**{f"{name}__isnull": True})
        return condition

    def paginate_queryset(
        self, queryset: QuerySet[Any] | Sequence[Any], request: Request, view: Any = None
    ) -> list[Any]:
        if not isinstance(queryset, QuerySet):
            raise ImproperlyConfigured("Keyset pagination pages a queryset, not a list.")
        self.request = request
        self.size = self._page_size(request)
        self.fields = self._ordering(queryset, view)
        position = self._decode(request)
        order = []
        for field, desc in self.fields:
            expression = F(field.attname)
            if field.null:
                order.append(expression.desc(nulls_last=True) if desc else expression.asc(nulls_last=True))
            else:
                order.append(expression.desc() if desc else expression.asc())
        queryset = queryset.order_by(*order)
        if position is not None:
            queryset = queryset.filter(self._after(position))
        rows = list(queryset[: self.size + 1])
        has_next = len(rows) > self.size
        rows = rows[: self.size]
        self.next_position = [getattr(rows[-1], f.attname) for f, _d in self.fields] if has_next else None
        return rows

    def get_next_link(self) -> str | None:
        if self.next_position is None:
            return None
        return replace_query_param(
            self.request.build_absolute_uri(), self.cursor_query_param, self._encode(self.next_position)
        )

    def get_paginated_response(self, data: Any) -> Response:
        return Response({"next": self.get_next_link(), "results": data})

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The next page, or null on the last page.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": str(self.cursor_description),
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": str(self.page_size_description),
                "schema": {"type": "integer", "minimum": 1},
            },
        ]
