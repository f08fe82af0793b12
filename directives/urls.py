from django.urls import path

from . import views
from .upward import views as upward_views

app_name = "directives"

urlpatterns = [
    path("", views.document_list, name="list"),
    path("tasks/", views.task_board, name="board"),
    path("tasks/export.xlsx", views.board_export, name="export"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/edit/", views.task_update, name="task_update"),
    path("documents/new/", views.document_create, name="document_create"),
    path("documents/<int:pk>/", views.task_board, name="document"),
    path("documents/<int:pk>/export.xlsx", views.board_export, name="document_export"),
    path("documents/<int:pk>/edit/", views.document_update, name="document_update"),
    path("documents/<int:pk>/file/", views.document_file, name="document_file"),
    path("documents/<int:pk>/tasks/new/", views.task_create, name="task_create"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("reports/", upward_views.upward_report_list, name="upward_list"),
    path("reports/new/", upward_views.upward_report_create, name="upward_create"),
    path("reports/<int:pk>/", upward_views.upward_report_preview, name="upward_preview"),
    path("reports/<int:pk>/edit/", upward_views.upward_report_update, name="upward_update"),
    path("reports/<int:pk>/report.docx", upward_views.upward_report_docx, name="upward_docx"),
    path("reports/<int:pk>/report.pdf", upward_views.upward_report_pdf, name="upward_pdf"),
]
