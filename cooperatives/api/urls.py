from django.urls import path

from . import views

urlpatterns = [
    path("provinces/", views.ProvinceList.as_view(), name="province-list"),
    path("provinces/<str:code>/", views.ProvinceDetail.as_view(), name="province-detail"),
    path("legacy-provinces/", views.LegacyProvinceList.as_view(), name="legacy-province-list"),
    path("sectors/", views.SectorList.as_view(), name="sector-list"),
    path("cooperatives/", views.CooperativeList.as_view(), name="cooperative-list"),
    path("cooperatives/<int:pk>/", views.CooperativeDetail.as_view(), name="cooperative-detail"),
    path("bulk/cooperatives.csv", views.CooperativeBulkCSV.as_view(), name="bulk-cooperatives-csv"),
    path("bulk/cooperatives.ndjson", views.CooperativeBulkNDJSON.as_view(), name="bulk-cooperatives-ndjson"),
]
