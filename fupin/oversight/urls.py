from django.urls import path

from fupin.oversight import views

app_name = "oversight"

urlpatterns = [
    path("oversight/", views.scorecard_page, name="scorecard"),
    path("oversight/close/", views.close, name="close"),
    path("oversight/export.xlsx", views.export, name="export"),
    path("oversight/closed/", views.closed_list, name="closed"),
    path("oversight/records/", views.records, name="records"),
]
