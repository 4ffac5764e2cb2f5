from django.urls import path

from loa.claims import views

app_name = "claims"
urlpatterns = [
    path("", views.claim_list_view, name="list"),
    path("new/", views.claim_create_view, name="create"),
    path("<int:pk>/", views.claim_detail_view, name="detail"),
    path("<int:pk>/edit/", views.claim_edit_view, name="edit"),
    path("<int:pk>/examples/", views.claim_example_view, name="example_add"),
    path("<int:pk>/matches/<int:match_pk>/", views.claim_match_decide_view, name="match_decide"),
]
