from django.urls import path

from . import views

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
]
