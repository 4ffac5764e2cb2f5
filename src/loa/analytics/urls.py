from django.urls import path

from loa.analytics import views

app_name = "analytics"

urlpatterns = [
    path("", views.coverage_view, name="coverage"),
]
