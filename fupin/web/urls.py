from django.contrib.auth import views as auth_views
from django.urls import path

from fupin.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("households/", views.household_list_page, name="household_list"),
    path("households/count/", views.household_count, name="household_count"),
    path("households/import/", views.household_import, name="household_import"),
    path("households/import/<str:token>/report.csv", views.import_report, name="import_report"),
    path("households/<str:household_no>/", views.household_detail, name="household_detail"),
    path(
        "households/<str:household_no>/members/<int:person_id>/reveal-id/",
        views.person_reveal,
        name="person_reveal",
    ),
]
