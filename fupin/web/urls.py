from django.contrib.auth import views as auth_views
from django.urls import path

from fupin.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="registration/login.html",
                                                redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("households/", views.household_list, name="household_list"),
    path("households/import/", views.household_import, name="household_import"),
    path("households/<str:household_no>/", views.household_detail, name="household_detail"),
    path("policy/", views.policy_list, name="policy_list"),
]
