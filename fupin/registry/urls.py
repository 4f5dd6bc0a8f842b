"""Downloads of the registry: exports of the household list and file, the import template.

The paths end in a file name, not a slash, so none of them is taken for a household number of
the web shell's `households/<household_no>/`.
"""

from django.urls import path

from fupin.registry import views

app_name = "registry"

urlpatterns = [
    path("households/export.xlsx", views.household_list_export, name="household_list_export"),
    path("households/import/template.xlsx", views.import_template, name="import_template"),
    path(
        "households/<str:household_no>/export.xlsx",
        views.household_file_export,
        name="household_file_export",
    ),
]
