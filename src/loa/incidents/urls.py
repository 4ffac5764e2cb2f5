from django.urls import path

from loa.incidents import views

app_name = "incidents"
urlpatterns = [
    path("", views.incident_list_view, name="list"),
    path("new/", views.incident_create_view, name="create"),
    path("from-alert/<int:alert_pk>/", views.incident_from_alert_view, name="from_alert"),
    path("<int:pk>/", views.incident_detail_view, name="detail"),
    path("<int:pk>/note/", views.incident_note_view, name="note"),
    path("<int:pk>/status/", views.incident_status_view, name="status"),
    path("<int:pk>/story/", views.incident_story_view, name="story"),
    path("<int:pk>/steps/<int:step_pk>/", views.step_done_view, name="step"),
    path("<int:pk>/steps/<int:step_pk>/owner/", views.step_owner_view, name="step_owner"),
    path("<int:pk>/statements/new/", views.statement_create_view, name="statement"),
    path("<int:pk>/statements/<int:statement_pk>/<slug:action>/", views.statement_action_view, name="statement_action"),
    path("<int:pk>/close/", views.incident_close_view, name="close"),
    path("playbooks/", views.playbook_list_view, name="playbooks"),
    path("playbooks/new/", views.playbook_create_view, name="playbook_create"),
    path("playbooks/<int:pk>/", views.playbook_detail_view, name="playbook"),
    path("playbooks/<int:pk>/edit/", views.playbook_edit_view, name="playbook_edit"),
    path("spokespersons/", views.spokesperson_list_view, name="spokespersons"),
    path("spokespersons/new/", views.spokesperson_create_view, name="spokesperson_create"),
    path("spokespersons/<int:pk>/edit/", views.spokesperson_edit_view, name="spokesperson_edit"),
]
