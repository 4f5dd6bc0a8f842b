from django.urls import path

from fupin.assets import views

app_name = "assets"

urlpatterns = [
    path("assets/", views.asset_list_page, name="asset_list"),
    path("assets/<int:asset_id>/", views.asset_detail_page, name="asset_detail"),
    path("assets/income/", views.income_list_page, name="income_list"),
    path("assets/ledger/", views.ledger_page, name="ledger"),
]
