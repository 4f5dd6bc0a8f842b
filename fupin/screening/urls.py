from django.urls import path

from fupin.screening import views

app_name = "screening"

urlpatterns = [
    path("screening/feeds/", views.feed_list, name="feed_list"),
    path("screening/", views.run_list_page, name="run_list"),
    path("screening/runs/<int:run_id>/", views.run_detail, name="run_detail"),
    path("screening/runs/<int:run_id>/files/<str:name>", views.run_file, name="run_file"),
    path(
        "screening/runs/<int:run_id>/households/<str:household_no>/",
        views.flag_detail,
        name="flag_detail",
    ),
]
