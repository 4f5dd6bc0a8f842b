from django.urls import path

from fupin.distribution import views

app_name = "distribution"

urlpatterns = [
    path("distribution/", views.plan_list_page, name="list"),
    path("distribution/draft/", views.plan_draft_view, name="draft"),
    path("distribution/<int:plan_id>/", views.plan_detail_page, name="detail"),
    path("distribution/<int:plan_id>/plan.csv", views.plan_csv, name="csv"),
    path("distribution/<int:plan_id>/<str:step>/", views.plan_step_view, name="step"),
    path("distribution/funds/<str:village_code>/", views.fund_page, name="fund"),
]
