from django.urls import path

from loa.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.account_list_view, name="list"),
    path("<int:pk>/", views.account_detail_view, name="detail"),
]
