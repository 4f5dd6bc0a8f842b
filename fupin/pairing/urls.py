from django.urls import path

from fupin.pairing import views

app_name = "pairing"

urlpatterns = [
    path("pairing/", views.coverage_page, name="coverage"),
    path("pairing/allocate/", views.allocate, name="allocate"),
    path("pairing/runs/<int:run_id>/", views.run_detail, name="run_detail"),
    path("pairing/units/", views.unit_list_page, name="unit_list"),
    path("pairing/cadres/", views.cadre_list_page, name="cadre_list"),
    path("pairing/my/", views.my_visits_page, name="my_visits"),
    path("pairing/my/sw.js", views.visit_service_worker, name="visit_service_worker"),
    path("pairing/visits/", views.visits_page, name="visits"),
    path("pairing/rounds/", views.rounds_page, name="rounds"),
    path("pairing/rounds/record/", views.round_visit_page, name="round_visit"),
    path(
        "pairing/households/<str:household_no>/visits/",
        views.household_visit_record,
        name="household_visit",
    ),
]
