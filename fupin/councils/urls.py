from django.urls import path

from fupin.councils import views

app_name = "councils"

urlpatterns = [
    path("councils/", views.council_list_page, name="list"),
    path("councils/<int:council_id>/", views.council_detail_page, name="detail"),
    path("councils/<int:council_id>/members/", views.member_add_view, name="member_add"),
    path(
        "councils/<int:council_id>/members/<int:member_id>/end/",
        views.member_end_view,
        name="member_end",
    ),
    path("councils/<int:council_id>/meetings/", views.meeting_record_view, name="meeting_record"),
]
