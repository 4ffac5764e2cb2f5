from django.urls import path

from loa.articles import views

app_name = "articles"
urlpatterns = [
    path("", views.article_list_view, name="list"),
    path("<int:pk>/", views.article_detail_view, name="detail"),
    path("search/", views.search_view, name="search"),
]
