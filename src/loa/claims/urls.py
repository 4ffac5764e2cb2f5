from django.urls import path

from loa.claims import views, views_rebuttals

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
]
