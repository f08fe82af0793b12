"""The public figures, without login (``/figures/``)."""

from django.urls import path, re_path

from . import public

app_name = "public"

urlpatterns = [
    path("", public.figures_page, name="figures"),
    re_path(r"^(?P<code>\d{2})/$", public.figures_page, name="province"),
    path("figures.csv", public.figures_csv, name="csv"),
    path("figures.schema.json", public.figures_schema, name="schema"),
]
