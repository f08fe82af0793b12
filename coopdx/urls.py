from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog

from . import pwa, views

urlpatterns = [
    path("", include("indicators.home_urls")),
    path("healthz", views.healthz, name="healthz"),
    # At the root: a service worker controls only the pages under the path it is served from.
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("accounts/", include("accounts.urls")),
    path("cooperatives/", include("cooperatives.urls")),
    path("directives/", include("directives.urls")),
    path("surveys/", include("surveys.urls")),
    path("dashboard/", include("indicators.urls")),
    path("support/", include("support.urls")),
    path("exports/", include("exports.urls")),
    path("notifications/", include("notifications.urls")),
    path("webhooks/", include("webhooks.urls")),
    path("figures/", include("indicators.public_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("coopdx.api.urls")),
    # Pages without an icon link (the admin's) make browsers ask for /favicon.ico. The plain static
    # path (served as well as the hashed one) needs no manifest when the URLs are loaded.
    path("favicon.ico", RedirectView.as_view(url=f"{settings.STATIC_URL}img/favicon.svg", permanent=True)),
]

# Branded error pages in the user's language (the 500 page is templates/500.html).
handler400 = "coopdx.errors.bad_request"
handler403 = "coopdx.errors.permission_denied"
handler404 = "coopdx.errors.page_not_found"
