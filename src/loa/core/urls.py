from django.urls import path

from loa.core import views

app_name = "core"
urlpatterns = [
    path("audit/", views.audit_log, name="audit"),
    path("screen/", views.screen, name="screen"),
]
