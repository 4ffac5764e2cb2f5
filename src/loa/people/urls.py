from django.urls import path

from loa.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list_view, name="list"),
    path("new/", views.person_create_view, name="create"),
    path("<int:pk>/", views.person_detail_view, name="detail"),
    path("<int:pk>/edit/", views.person_edit_view, name="edit"),
    path("<int:pk>/sheet.json", views.person_sheet_view, name="sheet"),
    path("<int:pk>/erase/", views.person_erase_view, name="erase"),
    path("courses/", views.course_list_view, name="courses"),
    path("courses/new/", views.course_create_view, name="course_create"),
    path("courses/<int:pk>/", views.course_detail_view, name="course"),
    path("courses/<int:pk>/edit/", views.course_edit_view, name="course_edit"),
    path("courses/<int:pk>/enrol/", views.enrol_view, name="enrol"),
    path("courses/<int:pk>/attendance/", views.attendance_view, name="attendance"),
    path("courses/<int:pk>/certificates/", views.certificates_view, name="certificates"),
]
