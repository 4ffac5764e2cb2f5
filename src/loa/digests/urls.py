from django.urls import path

from loa.digests import views

app_name = "digests"
urlpatterns = [
    path("", views.digest_list_view, name="list"),
    path("build/", views.digest_build_view, name="build"),
    path("<int:pk>/", views.digest_detail_view, name="detail"),
    path("<int:pk>/introduction/", views.digest_introduction_view, name="introduction"),
    path("<int:pk>/add/", views.item_add_view, name="add"),
    path("<int:pk>/refresh/", views.digest_refresh_view, name="refresh"),
    path("<int:pk>/send/", views.digest_send_view, name="send"),
    path("<int:pk>/preview/", views.digest_preview_view, name="preview"),
    path("<int:pk>/export.<str:fmt>", views.digest_export_view, name="export"),
    path("<int:pk>/items/<int:item_pk>/<slug:action>/", views.item_action_view, name="item"),
    path("profiles/", views.profile_list_view, name="profiles"),
    path("profiles/new/", views.profile_create_view, name="profile_create"),
    path("profiles/<int:pk>/", views.profile_edit_view, name="profile_edit"),
]
