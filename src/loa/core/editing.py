"""Create and edit pages: one scaffold for every form whose valid submission goes to a service.

GET shows the form; a valid POST calls the service, a ValidationError it raises lands on the form,
and success says so and redirects. The views keep only what differs: the form, the service call,
where to go after, and the words."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.forms.formsets import BaseFormSet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

T = TypeVar("T")
M = TypeVar("M", bound=models.Model)

FORM_TEMPLATE = "core/form_page.html"


def working_copy(instance: M | None) -> M | None:
    """What a ModelForm is given to edit. Validating a ModelForm writes the submitted values into
    its instance; on a copy, the object the view loaded stays as stored, so the service that
    receives it checks the user's rights on the old unit and applies the cleaned data itself."""
    return copy.copy(instance) if instance is not None else None


def set_queryset(field: forms.Field, queryset: QuerySet[Any]) -> None:
    """The objects a model choice may take, computed per request (what the user may see)."""
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    save: Callable[[], T],
    done: str | Callable[[T], HttpResponse],
    title: str = "",
    message: str | Callable[[T], str] = "",
    template: str = FORM_TEMPLATE,
    context: Mapping[str, object] | Callable[[], Mapping[str, object]] | None = None,
    formsets: Sequence[BaseFormSet[Any]] = (),
    error_field: str | None = None,
) -> HttpResponse:
    """The page of `form`: on a valid POST (with its `formsets`), `save()`; its ValidationError
    goes on the form (on `error_field` if given), success adds `message` and redirects to `done`
    (a URL or view name, or a function of what `save` returned). A `context` that is a function
    is called only when the page is shown, not when a successful POST redirects."""
    if request.method == "POST" and form.is_valid() and all(formset.is_valid() for formset in formsets):
        try:
            saved = save()
        except ValidationError as error:
            form.add_error(error_field, error)
        else:
            text = message(saved) if callable(message) else message
            if text:
                messages.success(request, text)
            return redirect(done) if isinstance(done, str) else done(saved)
    extra = context() if callable(context) else context
    return render(request, template, {"form": form, "title": title, **(extra or {})})


def create_and_edit_views(
    page: Callable[[HttpRequest, M | None], HttpResponse],
    *,
    load: Callable[[HttpRequest, int], M],
    may_create: Callable[[HttpRequest], bool] | None = None,
) -> tuple[Callable[[HttpRequest], HttpResponse], Callable[[HttpRequest, int], HttpResponse]]:
    """The two views of one form page, both behind the log-in: "new" refused (403) unless
    `may_create`, "edit" showing the object `load` finds for the user and lets them change
    (`load` raises Http404 or PermissionDenied otherwise)."""

    @login_required
    def create_view(request: HttpRequest) -> HttpResponse:
        if may_create is not None and not may_create(request):
            raise PermissionDenied
        return page(request, None)

    @login_required
    def edit_view(request: HttpRequest, pk: int) -> HttpResponse:
        return page(request, load(request, pk))

    return create_view, edit_view
