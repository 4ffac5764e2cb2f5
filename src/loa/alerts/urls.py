from django.urls import path

from loa.alerts import views

app_name = "alerts"
urlpatterns = [
    path("", views.alert_list_view, name="list"),
    path("<int:pk>/", views.alert_detail_view, name="detail"),
    path("<int:pk>/acknowledge/", views.alert_acknowledge_view, name="acknowledge"),
    path("rules/", views.rule_list_view, name="rules"),
    path("rules/new/", views.rule_create_view, name="rule_create"),
    path("rules/<int:pk>/edit/", views.rule_edit_view, name="rule_edit"),
]
