"""The site's home page (``/``), included at the root by the project's URLs."""

from django.urls import path

from . import views

urlpatterns = [path("", views.home, name="home")]
