from django.urls import path

from . import views

urlpatterns = [
    path("questionnaires/", views.QuestionnaireList.as_view(), name="questionnaire-list"),
    path("questionnaires/<int:pk>/", views.QuestionnaireDetail.as_view(), name="questionnaire-detail"),
    path("indicator-definitions/", views.IndicatorDefinitionList.as_view(), name="indicator-definition-list"),
    path("rounds/", views.RoundList.as_view(), name="round-list"),
    path("rounds/<str:code>/", views.RoundDetail.as_view(), name="round-detail"),
    path("responses/", views.ResponseList.as_view(), name="response-list"),
    path("responses/<int:pk>/", views.ResponseDetail.as_view(), name="response-detail"),
    path("responses/<int:pk>/submit/", views.ResponseSubmit.as_view(), name="response-submit"),
    path("cooperatives/<int:pk>/responses/", views.CooperativeResponseStart.as_view(), name="response-start"),
]
