"""/api/v1/: every app's endpoints, the OpenAPI schema and its documentation pages."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from .exceptions import not_found


class SchemaView(SpectacularAPIView):
    public_schema = True


class SwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI with its start-up script served from a URL: the site's CSP forbids inline scripts."""

    public_schema = True


app_name = "api"

urlpatterns = [
    path("", include("cooperatives.api.urls")),
    path("", include("surveys.api.urls")),
    path("", include("indicators.api.urls")),
    path("", include("directives.api.urls")),
    path("", include("exports.api")),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", SwaggerView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^.*$", not_found),
]
