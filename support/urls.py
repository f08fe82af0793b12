from django.urls import path

from . import views

app_name = "support"

urlpatterns = [
    path("", views.programme_list, name="list"),
    path("programmes/<str:code>/", views.programme_detail, name="programme"),
    path("programmes/<str:code>/record/", views.programme_record, name="programme_record"),
    path("cooperatives/<int:pk>/record/", views.cooperative_record, name="cooperative_record"),
    path("records/<int:pk>/remove/", views.support_remove, name="remove"),
    path("import/", views.import_upload, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
]
