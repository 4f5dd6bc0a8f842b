"""Pages of the registry: the household list and file, the import, and their downloads.

The fixed paths under `households/` come before `households/<household_no>/`, and the downloads
end in a file name, not a slash, so that none of them is taken for a household number.
"""

from django.urls import path

from fupin.registry import views

app_name = "registry"

urlpatterns = [
    path("households/", views.household_list_page, name="household_list"),
    path("households/count/", views.household_count, name="household_count"),
    path("households/export.xlsx", views.household_list_export, name="household_list_export"),
    path("households/import/", views.household_import, name="household_import"),
    path("households/import/template.xlsx", views.import_template, name="import_template"),
    path("households/import/<str:token>/report.csv", views.import_report, name="import_report"),
    path("households/<str:household_no>/", views.household_detail, name="household_detail"),
    path(
        "households/<str:household_no>/export.xlsx",
        views.household_file_export,
        name="household_file_export",
    ),
    path(
        "households/<str:household_no>/members/<int:person_id>/reveal-id/",
        views.person_reveal,
        name="person_reveal",
    ),
]
