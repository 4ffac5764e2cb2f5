from django.urls import path

from loa.sources import views

app_name = "sources"
urlpatterns = [
    path("", views.source_list_view, name="list"),
    path("new/", views.source_create_view, name="create"),
    path("<int:pk>/", views.source_detail_view, name="detail"),
    path("<int:pk>/edit/", views.source_edit_view, name="edit"),
]
