from django.urls import path

from fupin.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("cases/", views.case_list_page, name="case_list"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<int:case_id>/", views.case_detail, name="case_detail"),
    path("cases/<int:case_id>/notice/", views.notice_sheet, name="notice_sheet"),
    path("cases/<int:case_id>/objections/", views.objection_record, name="objection_record"),
    path(
        "cases/<int:case_id>/objections/<int:objection_id>/answer/",
        views.objection_answer_page,
        name="objection_answer",
    ),
    path("cases/<int:case_id>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("households/<str:household_no>/exit-case/", views.exit_case_new, name="exit_case_new"),
    path("declare/", views.declare, name="declare"),
    path("declare/manifest.webmanifest", views.manifest, name="manifest"),
    path("declare/sw.js", views.service_worker, name="service_worker"),
    path("track/", views.track, name="track"),
    path("notice/<int:case_id>/<str:token>/", views.notice_public, name="notice_public"),
]
