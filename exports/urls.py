from django.urls import path

from . import views

app_name = "exports"

urlpatterns = [
    path("", views.export_list, name="list"),
    path("<int:pk>/", views.export_detail, name="detail"),
    path("<int:pk>/download/", views.export_download, name="download"),
    path("<int:pk>/dictionary/", views.export_dictionary, name="dictionary"),
    path("<int:pk>/restart/", views.export_restart, name="restart"),
]
