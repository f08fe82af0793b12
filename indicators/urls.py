from django.urls import path, re_path

from . import views

app_name = "indicators"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    re_path(
        r"^export/(?P<table>cards|trend|levels|sectors|wards|provinces)\.(?P<fmt>csv|xlsx)$",
        views.dashboard_export,
        name="export",
    ),
    path("refresh/", views.refresh, name="refresh"),
    path("runs/latest/", views.run_status, name="run_status"),
]
