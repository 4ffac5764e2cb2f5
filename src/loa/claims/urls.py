from django.urls import path

from loa.claims import views

app_name = "claims"
urlpatterns = [
    path("", views.claim_list_view, name="list"),
]
