from django.urls import path

from loa.directives import views

app_name = "directives"
urlpatterns = [
    path("", views.directive_list_view, name="list"),
    path("import/", views.directive_import_view, name="import"),
    path("graph/", views.citation_graph_view, name="graph"),
    path("tasks/", views.assignment_list_view, name="tasks"),
    path("rollup/", views.rollup_view, name="rollup"),
    path("<int:pk>/", views.directive_detail_view, name="detail"),
    path("<int:pk>/correct/", views.directive_correct_view, name="correct"),
    path("<int:pk>/link/", views.directive_link_view, name="link"),
    path("<int:pk>/items/<int:item_pk>/assign/", views.task_assign_view, name="assign"),
    path("assignments/<int:pk>/", views.assignment_detail_view, name="assignment"),
    path("assignments/<int:pk>/report/", views.progress_report_view, name="report"),
    path("evidence/<int:pk>/", views.evidence_view, name="evidence"),
]
