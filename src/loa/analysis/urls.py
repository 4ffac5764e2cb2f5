from django.urls import path

from loa.analysis import views

app_name = "analysis"
urlpatterns = [
    path("organisations/", views.organisation_list_view, name="organisations"),
    path("organisations/new/", views.organisation_create_view, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail_view, name="organisation"),
    path("organisations/<int:pk>/edit/", views.organisation_edit_view, name="organisation_edit"),
    path("queries/", views.saved_query_list_view, name="queries"),
    path("queries/new/", views.saved_query_create_view, name="query_create"),
    path("queries/<int:pk>/", views.saved_query_detail_view, name="query"),
    path("queries/<int:pk>/edit/", views.saved_query_edit_view, name="query_edit"),
    path("topics/", views.topic_list_view, name="topics"),
    path("topics/new/", views.topic_create_view, name="topic_create"),
    path("topics/<int:pk>/edit/", views.topic_edit_view, name="topic_edit"),
    path("stories/", views.story_list_view, name="stories"),
    path("stories/<int:pk>/", views.story_detail_view, name="story"),
    path("articles/<int:pk>/correct/", views.correction_view, name="correct"),
    path("articles/<int:pk>/suggest/", views.suggestion_view, name="suggest"),
    path("suggestions/<int:pk>/decide/", views.suggestion_decide_view, name="suggestion_decide"),
]
