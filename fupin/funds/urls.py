from django.urls import path

from fupin.funds import views

app_name = "funds"

urlpatterns = [
    path("funds/", views.balances_page, name="balances"),
    path("funds/sources/", views.source_list_page, name="source_list"),
    path("funds/sources/<int:source_id>/", views.source_detail_page, name="source_detail"),
    path("funds/allocations/", views.allocation_list_page, name="allocation_list"),
    path(
        "funds/allocations/<int:allocation_id>/",
        views.allocation_detail_page,
        name="allocation_detail",
    ),
    path("funds/loans/", views.loan_list_page, name="loan_list"),
    path("funds/loans/<int:loan_id>/", views.loan_detail_page, name="loan_detail"),
]
