from django.urls import path

from loa.opinion import views

app_name = "opinion"
urlpatterns = [
    path("", views.report_list_view, name="list"),
    path("new/", views.report_create_view, name="create"),
    path("<int:pk>/", views.report_detail_view, name="detail"),
    path("<int:pk>/submit/", views.report_submit_view, name="submit"),
    path("topics/", views.topic_list_view, name="topics"),
    path("synthesis/", views.synthesis_view, name="synthesis"),
    path("synthesis/chart.png", views.synthesis_chart_view, name="chart"),
    path("synthesis.csv", views.synthesis_csv_view, name="export_csv"),
    path("synthesis.docx", views.synthesis_docx_view, name="export_docx"),
]
