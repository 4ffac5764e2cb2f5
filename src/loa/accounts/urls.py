"""Account pages, and each person's own password pages (Django's views, Loa's templates, named
apart from the Django admin's registration/ templates, which would otherwise be found first).

The password reset pages are reached without logging in: "forgot password" on the log-in page,
and the link an administrator sends to a new account."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from loa.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.account_list_view, name="list"),
    path("new/", views.account_create_view, name="create"),
    path("<int:pk>/", views.account_detail_view, name="detail"),
    path("<int:pk>/edit/", views.account_edit_view, name="edit"),
    path("<int:pk>/deactivate/", views.account_deactivate_view, name="deactivate"),
    path("<int:pk>/reactivate/", views.account_reactivate_view, name="reactivate"),
    path("<int:pk>/password-mail/", views.account_password_mail_view, name="password_mail"),
    # One's own keys to the read API (/api/v1/).
    path("api-keys/", views.api_tokens_view, name="api_tokens"),
    # Past a log-in lock: reached before logging in, like "forgot password".
    path("unlock/", views.unlock_request_view, name="unlock_request"),
    path("unlock/sent/", views.unlock_sent_view, name="unlock_sent"),
    path("unlock/<str:token>/", views.unlock_view, name="unlock"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name="registration/password_change.html",
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/password_changed.html"),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="registration/password_forgot_sent.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="registration/password_set.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(template_name="registration/password_set_done.html"),
        name="password_reset_complete",
    ),
]
