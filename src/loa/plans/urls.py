from django.urls import path

from loa.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list_view, name="list"),
    path("new/", views.plan_create_view, name="create"),
    path("<int:pk>/", views.plan_detail_view, name="detail"),
    path("<int:pk>/edit/", views.plan_edit_view, name="edit"),
    path("<int:pk>/campaigns/new/", views.campaign_create_view, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail_view, name="campaign"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit_view, name="campaign_edit"),
    path("campaigns/<int:pk>/outputs/", views.output_view, name="output"),
    path("awards/", views.award_list_view, name="awards"),
    path("awards/new/", views.award_create_view, name="award_create"),
    path("awards/<int:pk>/", views.award_edit_view, name="award_edit"),
    path("awards/<int:pk>/review/", views.award_review_view, name="award_review"),
]
