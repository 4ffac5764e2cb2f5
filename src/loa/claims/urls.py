from django.urls import path

from loa.claims import views, views_rebuttals, views_requests

app_name = "claims"
urlpatterns = [
    path("", views.claim_list_view, name="list"),
    # The rebuttal library (views_rebuttals).
    path("rebuttals/", views_rebuttals.rebuttal_library_view, name="rebuttals"),
    path("<int:pk>/rebuttals/new/", views_rebuttals.rebuttal_create_view, name="rebuttal_create"),
    path("rebuttals/<int:pk>/", views_rebuttals.rebuttal_detail_view, name="rebuttal"),
    path("rebuttals/<int:pk>/edit/", views_rebuttals.rebuttal_edit_view, name="rebuttal_edit"),
    path("rebuttals/<int:pk>/use/", views_rebuttals.rebuttal_use_view, name="rebuttal_use"),
    path(
        "rebuttals/<int:pk>/versions/<int:version_pk>/<slug:action>/",
        views_rebuttals.rebuttal_action_view,
        name="rebuttal_action",
    ),
    path("requests/", views_requests.request_list_view, name="requests"),
    path("requests/new/", views_requests.request_create_view, name="request_new"),
    path("requests/<int:pk>/", views_requests.request_detail_view, name="request_detail"),
    path("requests/<int:pk>/close/", views_requests.request_close_view, name="request_close"),
    path("requests/<int:pk>/evidence.<str:fmt>", views_requests.request_evidence_view, name="request_evidence"),
    path("new/", views.claim_create_view, name="create"),
    path("<int:pk>/", views.claim_detail_view, name="detail"),
    path("<int:pk>/edit/", views.claim_edit_view, name="edit"),
    path("<int:pk>/examples/", views.claim_example_view, name="example_add"),
    path("<int:pk>/matches/<int:match_pk>/", views.claim_match_decide_view, name="match_decide"),
]
