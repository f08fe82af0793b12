from django.urls import path, re_path

from . import views, views_addons, views_authoring, views_continuity, views_evidence, views_microdata

app_name = "surveys"

urlpatterns = [
    path("", views.survey_home, name="home"),
    path("call-list/", views.call_list, name="call_list"),
    path("rounds/<str:code>/", views.round_detail, name="round"),
    path("rounds/<str:code>/remind/", views.round_remind, name="remind"),
    path("rounds/<str:code>/reminders/", views.round_reminded, name="reminded"),
    path("rounds/<str:code>/evidence/", views_evidence.round_evidence, name="evidence"),
    path("rounds/<str:code>/addons/", views_addons.addon_list, name="addons"),
    path("rounds/<str:code>/addons/<int:pk>/", views_addons.addon_edit, name="addon_edit"),
    path("rounds/<str:code>/addons/<int:pk>/delete/", views_addons.addon_delete, name="addon_delete"),
    path("rounds/<str:code>/addons/<int:pk>/move/", views_addons.addon_move, name="addon_move"),
    path("rounds/<str:code>/template.xlsx", views.round_template, name="template"),
    path("rounds/<str:code>/responses.xlsx", views_microdata.round_microdata, name="microdata"),
    re_path(r"^rounds/(?P<code>[^/]+)/export\.(?P<fmt>csv|xlsx)$", views.round_export, name="export"),
    path("rounds/<str:code>/start/<int:cooperative_id>/", views.response_start, name="start"),
    path("responses/<int:pk>/", views.response_result, name="result"),
    path("responses/<int:pk>/result.pdf", views.response_result_pdf, name="result_pdf"),
    path("cooperatives/<int:pk>/progress/", views.cooperative_progress, name="progress"),
    path("responses/<int:pk>/page/<int:page>/", views.response_fill, name="fill"),
    path("responses/<int:pk>/submit/", views.response_submit, name="submit"),
    path("responses/<int:pk>/review/", views.response_review, name="review"),
    path("flags/<int:pk>/confirm/", views.flag_confirm, name="flag_confirm"),
    path("questionnaires/", views_authoring.questionnaire_list, name="questionnaire_list"),
    path("questionnaires/new/", views_authoring.questionnaire_upload, name="questionnaire_upload"),
    path("questionnaires/<int:pk>/xlsform.xlsx", views_authoring.questionnaire_xlsform, name="questionnaire_xlsform"),
    path("questionnaires/<int:pk>/preview/", views_authoring.questionnaire_preview, name="questionnaire_preview"),
    path("questionnaires/<int:pk>/compare/", views_authoring.questionnaire_compare, name="questionnaire_compare"),
    path("questionnaires/<int:pk>/publish/", views_authoring.questionnaire_publish, name="questionnaire_publish"),
    path(
        "questionnaires/<int:pk>/indicators/",
        views_continuity.questionnaire_indicators,
        name="questionnaire_indicators",
    ),
]
