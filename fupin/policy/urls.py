from django.urls import path

from fupin.policy import views

app_name = "policy"

urlpatterns = [
    path("policy/", views.policy_list, name="policy_list"),
]
