from django.urls import path

from loa.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list_view, name="list"),
    path("new/", views.report_create_view, name="create"),
    path("<int:pk>/", views.report_detail_view, name="detail"),
    path("<int:pk>/text/", views.report_text_view, name="text"),
    path("<int:pk>/refresh/", views.report_refresh_view, name="refresh"),
    path("<int:pk>/issue/", views.report_issue_view, name="issue"),
    path("<int:pk>/charts/<int:section>/<int:chart>.png", views.report_chart_view, name="chart"),
    path("<int:pk>/export.<str:fmt>", views.report_export_view, name="export"),
    path("letterheads/", views.letterhead_list_view, name="letterheads"),
    path("letterheads/<int:pk>/", views.letterhead_edit_view, name="letterhead_edit"),
]
