"""Admin for accounts: role and unit changes go through the service that keeps flags consistent."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from loa.accounts import services
from loa.accounts.models import Role, User
from loa.accounts.selectors import is_last_administrator


class AccountCreationForm(UserCreationForm[User]):
    class Meta:
        model = User
        fields = ("username", "full_name", "email", "role", "unit")


class AccountChangeForm(UserChangeForm[User]):
    """The expert's form keeps the rule of Loa's own pages: the last active administrator stays one."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        stays = data.get("role") == Role.ADMIN and data.get("is_active", True)
        if not stays and is_last_administrator(User.objects.get(pk=self.instance.pk)):
            raise ValidationError(_("Loa must keep one active administrator."))
        return data


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    add_form = AccountCreationForm
    form = AccountChangeForm
    list_display = ("username", "full_name", "role", "unit", "is_active", "last_login")
    list_filter = ("role", "is_active")
    search_fields = ("username", "full_name", "email")
    ordering = ("username",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "email")}),
        (_("Role and unit"), {"fields": ("role", "unit", "is_active")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "full_name",
                    "email",
                    "role",
                    "unit",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        services.user_change_role(user=obj, role=obj.role, unit=obj.unit)
