"""Account pages: who works in Loa within the reader's scope, and, for administrators, creating,
editing and deactivating accounts. Each person's own password pages are Django's views with
Loa's templates (see urls.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from loa.accounts import roles, services, throttle
from loa.accounts.decorators import capability_required
from loa.accounts.forms import (
    AccountCreateForm,
    AccountFilterForm,
    AccountForm,
    PasswordChoice,
    PasswordForgotForm,
    UnlockRequestForm,
)
from loa.accounts.models import User
from loa.accounts.scoping import user_can
from loa.accounts.selectors import api_token_list, user_list
from loa.core.editing import form_page
from loa.core.web import fail

PAGE_SIZE = 50


@login_required
def account_list_view(request: HttpRequest) -> HttpResponse:
    form = AccountFilterForm(request.GET or None, user=request.user)
    filters: dict[str, object] = {}
    if form.is_valid():
        data = form.cleaned_data
        active = {"yes": True, "no": False}.get(data["active"])
        filters = {"query": data["q"], "within": data["unit"], "role": data["role"], "active": active}
    accounts = user_list(user=request.user, **filters).order_by("username")  # type: ignore[arg-type]
    page = Paginator(accounts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/account_list.html",
        {"page": page, "form": form, "can_administer": user_can(request.user, roles.ADMINISTER)},
    )


@login_required
def account_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(user_list(user=request.user), pk=pk)
    return render(
        request,
        "accounts/account_detail.html",
        {"account": account, "can_administer": user_can(request.user, roles.ADMINISTER)},
    )


def _account(request: HttpRequest, pk: int) -> User:
    return get_object_or_404(user_list(user=request.user), pk=pk)


@capability_required(roles.ADMINISTER)
def account_create_view(request: HttpRequest) -> HttpResponse:
    form = AccountCreateForm(request.POST or None, user=request.user)

    def save() -> User:
        data = form.account_data()
        by_mail = form.cleaned_data["password_by"] == PasswordChoice.MAIL
        return services.user_create(
            actor=request.user,
            username=data.username,
            full_name=data.full_name,
            email=data.email,
            role=data.role,
            unit=data.unit,
            password=None if by_mail else form.cleaned_data["password1"],
        )

    def done(account: User) -> HttpResponse:
        if form.cleaned_data["password_by"] == PasswordChoice.MAIL:
            _send_link(request, account, welcome=True)
        return redirect("accounts:detail", pk=account.pk)

    return form_page(
        request,
        form,
        save=save,
        done=done,
        message=lambda account: _("Account %(username)s created.") % {"username": account.username},
        title=_("New account"),
        context={"testid": "account-form"},
    )


@capability_required(roles.ADMINISTER)
def account_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account(request, pk)
    form = AccountForm(request.POST or None, user=request.user, account=account)
    return form_page(
        request,
        form,
        save=lambda: services.user_update(actor=request.user, user=account, data=form.account_data()),
        done=lambda _saved: redirect("accounts:detail", pk=account.pk),
        message=_("Saved."),
        title=account.username,
        context={"testid": "account-form", "account": account, "cancel": reverse("accounts:detail", args=[account.pk])},
    )


def _send_link(request: HttpRequest, account: User, *, welcome: bool) -> None:
    try:
        services.user_password_mail_send(actor=request.user, user=account, welcome=welcome)
    except (ValidationError, PermissionDenied) as error:
        fail(request, error)
    else:
        messages.success(
            request,
            _("A link to set the password is on its way to %(email)s; the outbox page shows when it has gone.")
            % {"email": account.email},
        )


@login_required
@require_POST
def account_deactivate_view(request: HttpRequest, pk: int) -> HttpResponse:
    if not user_can(request.user, roles.ADMINISTER):
        raise PermissionDenied
    account = _account(request, pk)
    try:
        services.user_deactivate(actor=request.user, user=account)
    except (ValidationError, PermissionDenied) as error:
        fail(request, error)
    else:
        messages.success(request, _("Account %(username)s deactivated.") % {"username": account.username})
    return redirect("accounts:detail", pk=account.pk)


@login_required
@require_POST
def account_reactivate_view(request: HttpRequest, pk: int) -> HttpResponse:
    if not user_can(request.user, roles.ADMINISTER):
        raise PermissionDenied
    account = _account(request, pk)
    services.user_reactivate(actor=request.user, user=account)
    messages.success(request, _("Account %(username)s reactivated.") % {"username": account.username})
    return redirect("accounts:detail", pk=account.pk)


@login_required
@require_POST
def account_password_mail_view(request: HttpRequest, pk: int) -> HttpResponse:
    if not user_can(request.user, roles.ADMINISTER):
        raise PermissionDenied
    _send_link(request, _account(request, pk), welcome=False)
    return redirect("accounts:detail", pk=pk)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's "forgot password" view; its e-mail says how long the link lasts."""

    template_name = "registration/password_forgot.html"
    email_template_name = "registration/password_forgot_email.txt"
    subject_template_name = "registration/password_forgot_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    form_class = PasswordForgotForm

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        self.extra_email_context = {"hours": services.link_hours()}
        return super().form_valid(form)


def unlock_request_view(request: HttpRequest) -> HttpResponse:
    """Ask for a link past a log-in lock; the answer is the same whether the account exists."""
    form = UnlockRequestForm(request.POST or None, initial={"username": request.GET.get("username", "")[:150]})
    if request.method == "POST" and form.is_valid():
        services.login_unlock_send(username=form.cleaned_data["username"])
        return redirect("accounts:unlock_sent")
    return render(request, "registration/unlock_request.html", {"form": form})


def unlock_sent_view(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/unlock_sent.html")


def unlock_view(request: HttpRequest, token: str) -> HttpResponse:
    """Opening the link only shows a button: mail scanners that fetch links must not spend it."""
    if request.method == "POST":
        user = services.login_unlock_redeem(token=token)
        if user is not None:
            throttle.unlock_pass_grant(request=request, username=user.get_username())
            messages.success(request, _("Unlocked in this browser: log in with your password."))
            return redirect("login")
        valid = False
    else:
        valid = services.login_unlock_valid(token=token)
    return render(request, "registration/unlock.html", {"valid": valid}, status=200 if valid else 410)


@login_required
def api_tokens_view(request: HttpRequest) -> HttpResponse:
    """One's own keys to the read API: make one (shown once), list them, revoke one."""
    assert isinstance(request.user, User)  # login_required
    issued = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            issued = services.api_token_create(user=request.user, name=request.POST.get("name", ""))
        elif action == "revoke":
            try:
                pk = int(request.POST.get("token", ""))
            except ValueError:
                return HttpResponseBadRequest()
            if services.api_token_revoke(user=request.user, pk=pk):
                messages.success(request, _("The API key was revoked; programs using it are refused from now on."))
            return redirect("accounts:api_tokens")
        else:
            return HttpResponseBadRequest()
    return render(
        request,
        "accounts/api_tokens.html",
        {"tokens": api_token_list(user=request.user), "issued": issued},
    )
