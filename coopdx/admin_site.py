"""The admin site: branded, in the user's language, its apps and models in Vietnamese order.

Django's admin sorts the index by byte order of the translated names, which puts "Định nghĩa
chỉ tiêu" after "Trụ cột"; this site sorts with the rule of every other list
(``cooperatives.collation``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from coopdx.collation import sort_key


class CoopDXAdminSite(admin.AdminSite):
    site_header = _("CoopDX administration")
    site_title = _("CoopDX administration")
    index_title = _("Data and accounts")

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[dict[str, Any]]:
        app_list = super().get_app_list(request, app_label)
        app_list.sort(key=lambda app: sort_key(str(app["name"])))
        for app in app_list:
            app["models"].sort(key=lambda model: sort_key(str(model["name"])))
        return app_list


class CoopDXAdminConfig(AdminConfig):
    default_site = "coopdx.admin_site.CoopDXAdminSite"
