from django.urls import path

from . import sdmx, timeliness, views

urlpatterns = [
    path("indicators/", views.FigureList.as_view(), name="indicator-list"),
    path("indicators/national/", views.NationalFigures.as_view(), name="indicator-national"),
    path("indicators/provinces/<str:code>/", views.ProvinceFigures.as_view(), name="indicator-province"),
    path("indicators/provinces/<str:code>/wards/", views.WardFigures.as_view(), name="indicator-province-wards"),
    path("indicators/sectors/<str:code>/", views.SectorFigures.as_view(), name="indicator-sector"),
    path("indicators/timeliness/<str:code>/", timeliness.RoundTimeliness.as_view(), name="indicator-timeliness"),
    path("indicators/series/", views.FigureSeries.as_view(), name="indicator-series"),
    path("bulk/indicators.csv", views.FigureBulkCSV.as_view(), name="bulk-indicators-csv"),
    path("bulk/indicators.ndjson", views.FigureBulkNDJSON.as_view(), name="bulk-indicators-ndjson"),
    path("bulk/indicators.sdmx.csv", sdmx.FigureBulkSDMX.as_view(), name="bulk-indicators-sdmx"),
]
