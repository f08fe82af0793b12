from django.urls import path

from . import views

urlpatterns = [
    path("directives/agencies/", views.AgencyList.as_view(), name="directive-agency-list"),
    path("directives/documents/", views.DocumentList.as_view(), name="directive-document-list"),
    path("directives/documents/<int:pk>/", views.DocumentDetail.as_view(), name="directive-document-detail"),
    path("directives/tasks/", views.TaskList.as_view(), name="directive-task-list"),
    path("directives/tasks/<int:pk>/", views.TaskDetail.as_view(), name="directive-task-detail"),
    path("directives/tasks/<int:pk>/reports/", views.TaskReports.as_view(), name="directive-task-reports"),
]
