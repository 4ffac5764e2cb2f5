from django.urls import path

from loa.claims import views, views_requests

app_name = "claims"
urlpatterns = [
    path("", views.claim_list_view, name="list"),
    path("requests/", views_requests.request_list_view, name="requests"),
    path("requests/new/", views_requests.request_create_view, name="request_new"),
    path("requests/<int:pk>/", views_requests.request_detail_view, name="request_detail"),
    path("requests/<int:pk>/close/", views_requests.request_close_view, name="request_close"),
    path("requests/<int:pk>/evidence.<str:fmt>", views_requests.request_evidence_view, name="request_evidence"),
]
