from django.urls import path

from loa.units import views

app_name = "units"
urlpatterns = [
    path("", views.unit_list_view, name="list"),
    path("<int:pk>/", views.unit_detail_view, name="detail"),
    path("<int:pk>/author-may-review/", views.author_may_review_view, name="author_may_review"),
]
