from django.urls import path

from fupin.projects import views

app_name = "projects"

urlpatterns = [
    path("projects/", views.project_list_page, name="list"),
    path("projects/new/", views.project_new, name="new"),
    path("projects/<int:project_id>/", views.project_detail, name="detail"),
    path("projects/<int:project_id>/move/", views.project_move_view, name="move"),
    path("projects/<int:project_id>/progress/", views.progress_view, name="progress"),
    path("projects/<int:project_id>/contracts/", views.contract_view, name="contract"),
    path(
        "projects/<int:project_id>/beneficiaries/", views.beneficiaries_view, name="beneficiaries"
    ),
    path("projects/<int:project_id>/plans/", views.plan_add_view, name="plan_add"),
    path("projects/plans/<int:plan_id>/approve/", views.plan_approve_view, name="plan_approve"),
    path("projects/plans/overdue/", views.plans_overdue_page, name="plans_overdue"),
    path("projects/operators/", views.operator_list_page, name="operators"),
    path(
        "projects/operators/<int:operator_id>/qualify/",
        views.operator_qualify_view,
        name="operator_qualify",
    ),
    path("projects/beneficiaries/", views.beneficiary_counts_page, name="beneficiary_counts"),
    path("projects/reviews/", views.review_list_page, name="reviews"),
    path("projects/reviews/<int:review_id>/", views.review_detail_page, name="review_detail"),
    path("projects/reviews/<int:review_id>/export/", views.review_export, name="review_export"),
]
