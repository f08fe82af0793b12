"""The project's URLs plus a view that fails, to see the server-error page."""

from django.urls import path

from coopdx.urls import *  # noqa: F403 (the error handlers too)
from coopdx.urls import urlpatterns as project_urlpatterns


def failing_view(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", failing_view), *project_urlpatterns]
