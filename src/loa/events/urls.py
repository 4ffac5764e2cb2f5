from django.urls import path

from loa.events import views

app_name = "events"
urlpatterns = [
    path("", views.month_view, name="month"),
    path("agenda/", views.agenda_view, name="agenda"),
    path("lich.ics", views.ical_view, name="ical"),
    path("subscription/", views.subscription_view, name="subscription"),
    path("feed/<str:token>.ics", views.feed_view, name="feed"),
    path("new/", views.event_create_view, name="create"),
    path("<int:pk>/", views.event_edit_view, name="edit"),
]
