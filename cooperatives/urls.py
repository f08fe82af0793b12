from django.urls import path

from . import views

app_name = "cooperatives"

urlpatterns = [
    path("", views.cooperative_list, name="list"),
    path("<int:pk>/", views.cooperative_detail, name="detail"),
]
