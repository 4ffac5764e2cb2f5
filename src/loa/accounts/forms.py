"""Forms of the account pages: the administrator's account form and the list's filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.password_validation import validate_password
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from loa.accounts.models import Role, User
from loa.accounts.scoping import Actor
from loa.accounts.services import AccountData, password_forgot_queue
from loa.units.forms import unit_select_choices
from loa.units.models import Unit


class AccountFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, username or e-mail"), required=False, max_length=100)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("All roles")), *Role.choices], required=False)
    active = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All")), ("yes", _("Active")), ("no", _("Deactivated"))],
        required=False,
    )

    def __init__(self, *args: Any, user: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_select_choices(self.fields["unit"], user=user, empty=_("All units"))


class PasswordChoice:
    MAIL = "mail"
    SET = "set"


class AccountForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Every account except an administrator belongs to a unit; it sees that unit and the units below."),
    )

    def __init__(self, *args: Any, user: Actor, account: User | None = None, **kwargs: Any) -> None:
        if account is not None:
            kwargs.setdefault(
                "initial",
                {
                    "username": account.username,
                    "full_name": account.full_name,
                    "email": account.email,
                    "role": account.role,
                    "unit": account.unit_id,
                },
            )
        super().__init__(*args, **kwargs)
        self.account = account
        unit_select_choices(self.fields["unit"], user=user, empty="—")

    def clean_username(self) -> str:
        username = str(self.cleaned_data["username"]).strip()
        taken = User.objects.filter(username__iexact=username)
        if self.account is not None:
            taken = taken.exclude(pk=self.account.pk)
        if taken.exists():
            raise forms.ValidationError(_("This username is taken."))
        return username

    def account_data(self) -> AccountData:
        data = self.cleaned_data
        return AccountData(
            username=data["username"],
            full_name=data["full_name"],
            email=data["email"],
            role=data["role"],
            unit=data["unit"],
        )


class AccountCreateForm(AccountForm):
    """A new account, with how the person gets a password: a link by e-mail, or one set now
    and handed over by the administrator."""

    password_by = forms.ChoiceField(
        label=_("Password"),
        choices=[
            (PasswordChoice.MAIL, _("E-mail the person a link to set their own password")),
            (PasswordChoice.SET, _("Set a first password now and hand it over")),
        ],
        initial=PasswordChoice.MAIL,
        widget=forms.RadioSelect,
    )
    password1 = forms.CharField(
        label=_("First password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("First password again"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password_by") == PasswordChoice.MAIL:
            if "email" in data and not data["email"]:
                self.add_error("email", _("An e-mail address is needed to send the link."))
            return data
        first, second = data.get("password1") or "", data.get("password2") or ""
        if not first:
            self.add_error("password1", _("Type the first password."))
        elif first != second:
            self.add_error("password2", _("The two passwords differ."))
        else:
            probe = User(
                username=data.get("username", ""), full_name=data.get("full_name", ""), email=data.get("email", "")
            )
            try:
                validate_password(first, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class UnlockRequestForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)


class PasswordForgotForm(PasswordResetForm):
    """Django's "forgot password" form, its mail queued in the outbox (the link made when sent)."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        password_forgot_queue(
            user=context["user"],
            email=to_email,
            protocol=context["protocol"],
            domain=context["domain"],
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
