"""Record denied accesses (403, and 404 on object URLs) of identified callers."""

import logging
import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from coopdx.http import client_ip

logger = logging.getLogger("coopdx.security")
# A 404 on a URL with an object id is what a probe of another scope looks like.
OBJECT_URL = re.compile(r"/\d+(/|$)")


class DeniedAccessMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        status = response.status_code
        if status == 403 or (status == 404 and OBJECT_URL.search(request.path)):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                from .models import DeniedAccess

                ip = client_ip(request)
                DeniedAccess.objects.create(
                    user=user, method=(request.method or "")[:8], path=request.path[:500], status=status, ip_address=ip
                )
                logger.warning("denied %s %s %s for %s", status, request.method, request.path, user.pk)
        return response
