from django.urls import path

from fupin.assistance import views

app_name = "assistance"

urlpatterns = [
    path("households/<str:household_no>/plan/", views.plan_page, name="plan"),
    path(
        "households/<str:household_no>/plan/measures/",
        views.measure_new,
        name="measure_new",
    ),
    path(
        "households/<str:household_no>/plan/measures/<int:measure_id>/",
        views.measure_edit,
        name="measure_edit",
    ),
    path(
        "households/<str:household_no>/plan/measures/<int:measure_id>/status/",
        views.measure_status,
        name="measure_status",
    ),
]
