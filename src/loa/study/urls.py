from django.urls import path

from loa.study import views

app_name = "study"
urlpatterns = [
    path("", views.plan_list_view, name="list"),
    path("new/", views.plan_create_view, name="create"),
    path("<int:pk>/", views.plan_detail_view, name="detail"),
    path("<int:pk>/edit/", views.plan_edit_view, name="edit"),
    path("<int:pk>/generate/", views.plan_generate_view, name="generate"),
    path("sessions/<int:pk>/", views.session_detail_view, name="session"),
    path("sessions/<int:pk>/schedule/", views.session_schedule_view, name="schedule"),
    path("sessions/<int:pk>/attendance/", views.attendance_view, name="attendance"),
    path("sessions/<int:pk>/makeup/", views.makeup_view, name="makeup"),
    path("audiences/", views.audience_list_view, name="audiences"),
    path("audiences/<int:pk>/", views.audience_edit_view, name="audience_edit"),
]
