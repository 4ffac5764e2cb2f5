"""Press review pages: the archive with its search, an edition being edited (remove, restore,
reorder, comment, add, introduction), its preview, sending and exports; the profiles."""

from __future__ import annotations

import datetime as dt

from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from loa.accounts import roles
from loa.accounts.scoping import user_can
from loa.analysis.selectors import organisation_list, topic_list
from loa.articles.models import Article
from loa.articles.selectors import article_list
from loa.core.editing import create_and_edit_views, form_page, set_queryset, working_copy
from loa.core.web import fail, set_choices
from loa.digests import documents, selectors, services
from loa.digests.forms import AddForm, BuildForm, CommentForm, IntroductionForm, ProfileForm
from loa.digests.models import Digest, DigestProfile, DigestStatus
from loa.docformat.convert import ConversionError
from loa.outbox.selectors import message_of
from loa.reports.documents import document_bytes
from loa.reports.selectors import letterhead_list
from loa.units.selectors import unit_list

PAGE_SIZE = 30
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
}


def _digest(request: HttpRequest, pk: int, *, write: bool = False) -> Digest:
    """The review if the user may see it; with `write`, only for writers of its unit (403 for
    readers, who may see it but not change it)."""
    digest = selectors.digest_get(user=request.user, pk=pk)
    if digest is None:
        raise Http404
    if write and not user_can(request.user, roles.WRITE, digest.profile.unit):
        raise PermissionDenied
    return digest


@login_required
def digest_list_view(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    status = request.GET.get("status", "")
    digests = selectors.digest_list(user=request.user, query=query, status=status)
    page = Paginator(digests, PAGE_SIZE).get_page(request.GET.get("page"))
    profiles = list(selectors.profile_list(user=request.user).filter(enabled=True))
    writable = [profile for profile in profiles if user_can(request.user, roles.WRITE, profile.unit)]
    build_form = BuildForm(initial={"day": timezone.localdate()})
    set_choices(build_form.fields["profile"], [(profile.pk, profile.name) for profile in writable])
    return render(
        request,
        "digests/digest_list.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "statuses": DigestStatus.choices,
            "extra_query": f"q={query}&status={status}",
            "build_form": build_form if writable else None,
        },
    )


@login_required
@require_POST
def digest_build_view(request: HttpRequest) -> HttpResponse:
    if not user_can(request.user, roles.WRITE):
        raise PermissionDenied
    profiles = {profile.pk: profile for profile in selectors.profile_list(user=request.user)}
    form = BuildForm(request.POST)
    set_choices(form.fields["profile"], [(pk, profile.name) for pk, profile in profiles.items()])
    if not form.is_valid():
        messages.error(request, _("Choose a profile and a date."))
        return redirect("digests:list")
    profile = profiles[form.cleaned_data["profile"]]
    if not user_can(request.user, roles.WRITE, profile.unit):
        raise PermissionDenied
    day: dt.date = form.cleaned_data["day"]
    if day > timezone.localdate():
        messages.error(request, _("A press review covers the past; choose today or an earlier day."))
        return redirect("digests:list")
    digest = services.digest_build(profile=profile, day=day)
    return redirect("digests:detail", pk=digest.pk)


@login_required
def digest_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    digest = _digest(request, pk)
    writable = selectors.digest_writable(user=request.user, digest=digest)
    sections = selectors.digest_sections(digest, include_removed=writable)
    total, negative = selectors.digest_counts(digest)
    add_form = AddForm()
    set_choices(
        add_form.fields["section"],
        [
            ("", _("Additional items")),
            *((v.section.pk, v.section.title) for v in sections),
        ],
    )
    # How the outbox got on with sending it, once it was sent.
    sent = digest.status == DigestStatus.SENT
    sent_message = message_of(key=services.digest_message_key(digest)) if sent else None
    return render(
        request,
        "digests/digest_detail.html",
        {
            "digest": digest,
            "sections": sections,
            "writable": writable,
            "total": total,
            "negative": negative,
            "intro_form": IntroductionForm(initial={"introduction": digest.introduction}),
            "add_form": add_form,
            "recipients": services.recipients_of(digest.profile),
            "message": sent_message,
        },
    )


@login_required
@require_POST
def digest_introduction_view(request: HttpRequest, pk: int) -> HttpResponse:
    digest = _digest(request, pk, write=True)
    form = IntroductionForm(request.POST)
    if form.is_valid():
        try:
            services.digest_set_introduction(user=request.user, digest=digest, text=form.cleaned_data["introduction"])
        except (ValidationError, PermissionDenied) as error:
            fail(request, error)
        else:
            messages.success(request, _("Introduction saved."))
    return redirect("digests:detail", pk=digest.pk)


@login_required
@require_POST
def item_action_view(request: HttpRequest, pk: int, item_pk: int, action: str) -> HttpResponse:
    digest = _digest(request, pk, write=True)
    item = get_object_or_404(digest.items.select_related("digest__profile__unit"), pk=item_pk)
    try:
        if action == "remove":
            services.item_set_removed(user=request.user, item=item, removed=True)
        elif action == "restore":
            services.item_set_removed(user=request.user, item=item, removed=False)
        elif action in ("up", "down"):
            services.item_move(user=request.user, item=item, offset=-1 if action == "up" else 1)
        elif action == "comment":
            form = CommentForm(request.POST)
            if not form.is_valid():
                raise ValidationError(list(form.errors["comment"]))
            services.item_comment(user=request.user, item=item, comment=form.cleaned_data["comment"])
            messages.success(request, _("Comment saved."))
        else:
            raise Http404
    except (ValidationError, PermissionDenied) as error:
        fail(request, error)
    return redirect(f"{digest_url(digest)}#item-{item.pk}")


def digest_url(digest: Digest) -> str:
    from django.urls import reverse

    return reverse("digests:detail", args=[digest.pk])


def _find_article(request: HttpRequest, text: str) -> Article | None:
    articles = article_list(user=request.user)
    text = text.strip()
    if text.isdigit():
        return articles.filter(pk=int(text)).first()
    return articles.filter(url=text).first()


@login_required
@require_POST
def item_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    digest = _digest(request, pk, write=True)
    form = AddForm(request.POST)
    set_choices(form.fields["section"], [("", ""), *((s.pk, s.title) for s in digest.sections.all())])
    if not form.is_valid():
        messages.error(request, _("Give the article's address or number."))
        return redirect("digests:detail", pk=digest.pk)
    article = _find_article(request, form.cleaned_data["article"])
    if article is None:
        messages.error(request, _("No stored article has that address or number."))
        return redirect("digests:detail", pk=digest.pk)
    section = digest.sections.filter(pk=form.cleaned_data["section"]).first() if form.cleaned_data["section"] else None
    try:
        item = services.item_add(user=request.user, digest=digest, article=article, section=section)
    except (ValidationError, PermissionDenied) as error:
        fail(request, error)
        return redirect("digests:detail", pk=digest.pk)
    messages.success(request, _("Article added."))
    return redirect(f"{digest_url(digest)}#item-{item.pk}")


@login_required
@require_POST
def digest_refresh_view(request: HttpRequest, pk: int) -> HttpResponse:
    digest = _digest(request, pk, write=True)
    before = digest.items.count()
    digest = services.digest_build(profile=digest.profile, day=digest.day)
    messages.success(request, _("%(count)s new items added.") % {"count": digest.items.count() - before})
    return redirect("digests:detail", pk=digest.pk)


@login_required
@require_POST
def digest_send_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Mail cannot be called back, so sending is asked first: the button posts without
    `confirm` and gets the page listing the recipients, the subject and the items; only that
    page's form (`confirm` and the recipients shown) sends."""
    digest = _digest(request, pk, write=True)
    changed = None
    if request.POST.get("confirm") == "yes":
        try:
            digest = services.digest_send(
                user=request.user, digest=digest, confirmed_recipients=request.POST.getlist("recipient")
            )
        except services.RecipientsChanged as error:
            changed = error
        except (ValidationError, PermissionDenied) as error:
            fail(request, error)
            return redirect("digests:detail", pk=digest.pk)
        else:
            messages.success(
                request,
                _("The press review is on its way to %(count)s recipients; this page shows when it has gone.")
                % {"count": len(digest.sent_to.splitlines())},
            )
            return redirect("digests:detail", pk=digest.pk)
    try:
        preview = services.digest_send_preview(user=request.user, digest=digest)
    except (ValidationError, PermissionDenied) as error:
        fail(request, error)
        return redirect("digests:detail", pk=digest.pk)
    return render(
        request, "digests/digest_send_confirm.html", {"digest": digest, "preview": preview, "changed": changed}
    )


@login_required
@csp_update({"style-src": ["'unsafe-inline'"], "sandbox": [""]})  # type: ignore[arg-type]  # stubs omit URL arguments
def digest_preview_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The e-mail exactly as the recipients will read it. Mail clients only honour inline styles,
    so this one page allows them, sandboxed (no script, no form, its own origin)."""
    return HttpResponse(documents.digest_html(_digest(request, pk)))


@login_required
def digest_export_view(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    digest = _digest(request, pk)
    if fmt not in CONTENT_TYPES:
        raise Http404
    if fmt == "html":
        content: bytes = documents.digest_html(digest).encode("utf-8")
    else:
        try:
            content = document_bytes(documents.digest_document(digest), fmt)
        except ConversionError as error:
            messages.error(request, _("The PDF could not be made: %(error)s") % {"error": error})
            return redirect("digests:detail", pk=digest.pk)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="diem-bao-{digest.day:%Y-%m-%d}.{fmt}"'
    return response


# --- profiles -----------------------------------------------------------------------------------


@login_required
def profile_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "digests/profile_list.html",
        {"profiles": selectors.profile_list(user=request.user), "can_add": user_can(request.user, roles.WRITE)},
    )


def _profile_form(request: HttpRequest, profile: DigestProfile | None) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=working_copy(profile))
    set_queryset(form.fields["unit"], unit_list(user=request.user))
    set_queryset(form.fields["letterhead"], letterhead_list(user=request.user))
    set_queryset(form.fields["organisations"], organisation_list(user=request.user).filter(enabled=True))
    set_queryset(form.fields["topics"], topic_list(user=request.user))
    return form_page(
        request,
        form,
        save=lambda: services.profile_save(user=request.user, profile=profile, data=form.profile_data()),
        done="digests:profiles",
        message=_("Profile saved."),
        title=_("New press review profile") if profile is None else profile.name,
        context={"cancel": reverse("digests:profiles")},
    )


def _profile_editable(request: HttpRequest, pk: int) -> DigestProfile:
    profile = get_object_or_404(selectors.profile_list(user=request.user), pk=pk)
    if not user_can(request.user, roles.WRITE, profile.unit):
        raise PermissionDenied
    return profile


profile_create_view, profile_edit_view = create_and_edit_views(
    _profile_form, load=_profile_editable, may_create=lambda request: user_can(request.user, roles.WRITE)
)
