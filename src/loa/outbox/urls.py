from django.urls import path

from loa.outbox import views

app_name = "outbox"
urlpatterns = [
    path("", views.message_list_view, name="list"),
    path("<int:pk>/retry/", views.message_retry_view, name="retry"),
]
