from django.urls import path, re_path

from . import duplicate_views, views, views_products

app_name = "cooperatives"

urlpatterns = [
    path("", views.cooperative_list, name="list"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", views.cooperative_export, name="export"),
    path("new/", views.cooperative_create, name="create"),
    path("<int:pk>/", views.cooperative_detail, name="detail"),
    path("<int:pk>/edit/", views.cooperative_update, name="update"),
    path("<int:pk>/archive/", views.cooperative_archive, name="archive"),
    path("duplicates/", duplicate_views.duplicate_list, name="duplicates"),
    path("duplicates/merge/", duplicate_views.duplicate_merge, name="duplicates_merge"),
    path("duplicates/dismiss/", duplicate_views.duplicate_dismiss, name="duplicates_dismiss"),
    path("duplicates/dismissed/<int:pk>/undo/", duplicate_views.duplicate_dismissal_undo, name="duplicates_undo"),
    path("<int:pk>/ocop/new/", views_products.ocop_create, name="ocop_create"),
    path("<int:pk>/ocop/<int:item>/edit/", views_products.ocop_update, name="ocop_update"),
    path("<int:pk>/ocop/<int:item>/delete/", views_products.ocop_delete, name="ocop_delete"),
    path("<int:pk>/listings/new/", views_products.listing_create, name="listing_create"),
    path("<int:pk>/listings/<int:item>/edit/", views_products.listing_update, name="listing_update"),
    path("<int:pk>/listings/<int:item>/delete/", views_products.listing_delete, name="listing_delete"),
    path("import/", views.import_upload, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("import/<int:pk>/", views.import_job_detail, name="import_job"),
    path("import/<int:pk>/confirm/", views.import_job_confirm_view, name="import_confirm"),
    path("import/<int:pk>/errors.xlsx", views.import_job_errors, name="import_errors"),
]
