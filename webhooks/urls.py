from django.urls import path

from . import views

app_name = "webhooks"

urlpatterns = [
    path("", views.subscription_list, name="list"),
    path("new/", views.subscription_create, name="create"),
    path("<int:pk>/", views.subscription_detail, name="detail"),
    path("<int:pk>/ping/", views.subscription_ping, name="ping"),
    path("<int:pk>/enable/", views.subscription_enable, name="enable"),
    path("<int:pk>/disable/", views.subscription_disable, name="disable"),
    path("<int:pk>/delete/", views.subscription_delete, name="delete"),
    path("deliveries/<int:pk>/retry/", views.delivery_retry, name="retry"),
]
