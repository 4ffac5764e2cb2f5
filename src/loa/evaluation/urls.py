from django.urls import path

from loa.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("", views.round_list_view, name="list"),
    path("new/", views.round_create_view, name="create"),
    path("rounds/<int:pk>/", views.round_detail_view, name="round"),
    path("rounds/<int:pk>/decide/", views.round_decide_view, name="decide"),
    path("<int:pk>/", views.evaluation_detail_view, name="detail"),
    path("<int:pk>/self/", views.self_assess_view, name="self"),
    path("<int:pk>/appraise/", views.appraise_view, name="appraise"),
    path("<int:pk>/refresh/", views.refresh_view, name="refresh"),
    path("<int:pk>/grade/", views.grade_change_view, name="grade"),
]
