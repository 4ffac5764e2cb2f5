"""Correction, reply and removal requests: recording one with its archived original, checking
what became of the item on a schedule, and closing it.

Outcome rules (see `_apply`):
- a check that could not read the page (`unreachable`) changes nothing but the schedule; the
  request shows `unreachable` only while nothing else is known;
- `removed` and `corrected` are what a request asks for, but a page can come back (a server
  error page, a restored article) and a notice can be taken down: the first time either is seen
  the next check comes 24 hours later, and the request closes by itself when that check sees the
  same outcome again;
- `edited` and `unchanged` keep the request open: whether an edit answers the request is for
  staff to judge, and they close it by hand;
- checks run at sent + 1 h, 6 h, 24 h, 72 h, then daily until the request is closed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loa.accounts import roles
from loa.accounts.scoping import Actor, acting_user, require
from loa.articles.models import Article
from loa.articles.runtime import archive, fetch_policy
from loa.claims.models import Claim, ContentRequest, Outcome, RequestCheck
from loa.incidents.models import Incident
from loa.incidents.services import incident_log_request
from loa.pipeline.extract import extract_article
from loa.pipeline.fetch import Fetcher
from loa.pipeline.outcomes import StageError
from loa.pipeline.verify import Verdict, verify
from loa.pipeline.warc import ArchivedRecord, WarcArchive
from loa.units.models import Unit

logger = logging.getLogger(__name__)

SENT_AHEAD = dt.timedelta(minutes=5)
SCHEDULE = (dt.timedelta(hours=1), dt.timedelta(hours=6), dt.timedelta(hours=24), dt.timedelta(hours=72))
DAILY = dt.timedelta(days=1)
# A removal or correction is confirmed by a second check this much later.
CONFIRM_AFTER = dt.timedelta(days=1)
# A due request is taken by one run: its next check is pushed this far while it is fetched.
LEASE = dt.timedelta(minutes=30)
# Checks per run of the periodic job; each fetch is bounded by the fetch policy's deadline.
CHECKS_PER_RUN = 20
# Statuses read as answers rather than raised by the fetcher: they are the verdict.
KEEP_STATUSES = (401, 403, 404, 410, 451)
ACCEPT_HTML = "text/html,application/xhtml+xml"

LEGAL_BASES: dict[str, str] = {
    "press_law_42": (
        "Điều 42 Luật Báo chí số 103/2016/QH13 ngày 05/4/2016: cơ quan báo chí có trách nhiệm cải chính, "
        "xin lỗi và đăng, phát ý kiến phản hồi của tổ chức khi thông tin đăng, phát sai sự thật, xuyên tạc, "
        "vu khống, xúc phạm uy tín của tổ chức."
    ),
    "decree_147": (
        "Nghị định số 147/2024/NĐ-CP ngày 09/11/2024 của Chính phủ về quản lý, cung cấp, sử dụng dịch vụ "
        "Internet và thông tin trên mạng: doanh nghiệp cung cấp dịch vụ, nền tảng có trách nhiệm ngăn chặn, "
        "gỡ bỏ thông tin vi phạm pháp luật khi có yêu cầu của cơ quan có thẩm quyền."
    ),
}


def next_check_at(*, sent_at: dt.datetime, after: dt.datetime) -> dt.datetime:
    """The first scheduled check later than `after`: sent + 1 h, 6 h, 24 h, 72 h, then daily."""
    for offset in SCHEDULE:
        if sent_at + offset > after:
            return sent_at + offset
    last = sent_at + SCHEDULE[-1]
    days = int((after - last) / DAILY) + 1
    return last + days * DAILY


@dataclass(frozen=True)
class RequestData:
    unit: Unit
    article: Article
    kind: str
    addressee_kind: str
    addressee: str
    legal_basis: str
    text_sent: str
    sent_at: dt.datetime
    deadline: dt.date
    claim: Claim | None = None
    incident: Incident | None = None


@dataclass(frozen=True)
class Original:
    text: str
    captured_at: dt.datetime | None
    sha256: str


def _stored_text(article: Article) -> str:
    return f"{article.title}\n{article.body}"


def _from_archive(article: Article, store: WarcArchive) -> Original | None:
    if not article.warc_path or article.warc_offset is None:
        return None
    record = ArchivedRecord(article.warc_path, article.warc_offset, article.warc_length or 0)
    try:
        _url, _headers, body = store.read(record)
        captured = store.captured_at(record)
    except (OSError, LookupError, ValueError) as exc:
        logger.warning("request: archived page of article %s unreadable: %s", article.pk, exc)
        return None
    return Original(_stored_text(article), captured or article.fetched_at, hashlib.sha256(body).hexdigest())


def _from_fetch(article: Article, fetch: Fetcher, store: WarcArchive, now: dt.datetime) -> Original:
    """No archived copy (an imported article): fetch the page now and archive it. The original
    is then the text extracted from that capture, so that checks compare like with like."""
    try:
        response = fetch.get(article.url, accept=ACCEPT_HTML, keep=KEEP_STATUSES)
    except StageError as error:
        raise ValidationError(
            _("The page could not be fetched to keep a copy of it (%(reason)s). Try again later.")
            % {"reason": error.reason}
        ) from error
    store.write(response)
    text = _stored_text(article)
    if response.status == 200:
        try:
            extracted = extract_article(
                response.text(), response.final_url, now=now, hint_title=article.title, deduplicate=False
            )
            text = f"{extracted.title}\n{extracted.body}"
        except StageError:
            pass
    return Original(text, response.fetched_at, hashlib.sha256(response.body).hexdigest())


def original_capture(
    *, article: Article, fetch: Fetcher | None = None, store: WarcArchive | None = None, now: dt.datetime
) -> Original:
    store = store or archive()
    found = _from_archive(article, store)
    if found is not None:
        return found
    if fetch is not None:
        return _from_fetch(article, fetch, store, now)
    with Fetcher(fetch_policy()) as own:
        return _from_fetch(article, own, store, now)


def _check_links(user: Actor, data: RequestData, now: dt.datetime) -> None:
    require(user, roles.WRITE, data.unit)
    for linked in (data.claim, data.incident):
        if linked is not None:
            require(user, roles.WRITE, linked.unit)
    if not data.addressee.strip() or not data.text_sent.strip() or not data.legal_basis.strip():
        raise ValidationError(_("Say to whom the request went, on what legal basis, and what it said."))
    if data.deadline < timezone.localtime(data.sent_at).date():
        raise ValidationError(_("The deadline cannot be before the request was sent."))
    # Loa records requests already sent; a time ahead of now (beyond a clock's drift) is a typo
    # that would put every check off.
    if data.sent_at > now + SENT_AHEAD:
        raise ValidationError(_("A request is recorded once sent: its time cannot be in the future."))


def request_create(
    *,
    user: Actor,
    data: RequestData,
    now: dt.datetime | None = None,
    fetch: Fetcher | None = None,
    store: WarcArchive | None = None,
) -> ContentRequest:
    """Record a request that was sent, with the archived original of the item it is about."""
    now = now or timezone.now()
    _check_links(user, data, now)
    # Fetching (for an item without an archived copy) happens before the transaction opens.
    original = original_capture(article=data.article, fetch=fetch, store=store, now=now)
    with transaction.atomic():
        request = ContentRequest.objects.create(
            unit=data.unit,
            claim=data.claim,
            incident=data.incident,
            article=data.article,
            url=data.article.url,
            kind=data.kind,
            addressee_kind=data.addressee_kind,
            addressee=data.addressee.strip()[:300],
            legal_basis=data.legal_basis.strip(),
            text_sent=data.text_sent.strip(),
            sent_at=data.sent_at,
            deadline=data.deadline,
            original_text=original.text,
            original_captured_at=original.captured_at,
            original_sha256=original.sha256,
            next_check_at=next_check_at(sent_at=data.sent_at, after=data.sent_at),
            created_by=acting_user(user),
        )
        if data.incident is not None:
            incident_log_request(
                incident=data.incident,
                at=data.sent_at,
                article=data.article,
                text=_("Request sent to %(addressee)s (%(kind)s) about “%(title)s”.")
                % {
                    "kind": str(request.get_kind_display()).lower(),
                    "addressee": request.addressee,
                    "title": data.article.title,
                },
            )
    return request


def _confirmed(request: ContentRequest, outcome: str, now: dt.datetime) -> bool:
    """The same removal or correction seen by an earlier check at least a day before, with no
    other readable outcome since."""
    earlier = request.checks.exclude(outcome=Outcome.UNREACHABLE).filter(at__lt=now).order_by("-at", "-id").first()
    if earlier is None or earlier.outcome != outcome:
        return False
    first = earlier
    for check in request.checks.exclude(outcome=Outcome.UNREACHABLE).filter(at__lt=now).order_by("-at", "-id"):
        if check.outcome != outcome:
            break
        first = check
    return now - first.at >= CONFIRM_AFTER - dt.timedelta(minutes=5)


def _apply(request: ContentRequest, check: RequestCheck, now: dt.datetime) -> list[str]:
    fields = ["outcome", "next_check_at"]
    if check.outcome == Outcome.UNREACHABLE:
        if request.outcome == Outcome.PENDING:
            request.outcome = Outcome.UNREACHABLE
        request.next_check_at = next_check_at(sent_at=request.sent_at, after=now)
        return fields
    if check.outcome in (Outcome.REMOVED, Outcome.CORRECTED):
        if _confirmed(request, check.outcome, now):
            request.outcome = check.outcome
            request.closed_at = now
            request.next_check_at = None
            return [*fields, "closed_at"]
        request.outcome = check.outcome
        request.next_check_at = now + CONFIRM_AFTER
        return fields
    request.outcome = check.outcome
    request.next_check_at = next_check_at(sent_at=request.sent_at, after=now)
    return fields


def _timeline_text(request: ContentRequest, check: RequestCheck) -> str:
    text = _("Check of the request to %(addressee)s: %(outcome)s.") % {
        "addressee": request.addressee,
        "outcome": check.get_outcome_display(),
    }
    changes = [run[1] for run in check.diff if run[0] in ("-", "+")]
    if changes:
        text += " " + _("Changed: %(words)s") % {"words": " / ".join(changes)[:300]}
    if request.closed_at is not None:
        text += " " + _("The request is closed.")
    return text


def _detail(verdict: Verdict) -> str:
    """What the check found, in the user's words (the core's own detail is technical)."""
    if verdict.outcome == Outcome.REMOVED and verdict.http_status == 200 and verdict.kept is not None:
        return _("Only %(share)s%% of the original text is still on the page.") % {"share": round(verdict.kept * 100)}
    if verdict.outcome == Outcome.CORRECTED:
        return _("Correction notice: %(phrases)s") % {"phrases": verdict.detail}
    if verdict.outcome == Outcome.UNREACHABLE:
        return verdict.detail
    return ""


def request_check(*, request: ContentRequest, now: dt.datetime, fetch: Fetcher) -> RequestCheck:
    """Fetch the item again, compare it with the archived original, record the check."""
    status: int | None = None
    html, error = "", ""
    try:
        response = fetch.get(request.url, accept=ACCEPT_HTML, keep=KEEP_STATUSES)
        status = response.status
        if status == 200:
            html = response.text()
    except StageError as failure:
        error = f"{failure.reason}: {failure}"[:500]
    verdict = verify(original=request.original_text, status=status, html=html, url=request.url, now=now, error=error)
    with transaction.atomic():
        check = RequestCheck.objects.create(
            request=request,
            at=now,
            http_status=verdict.http_status,
            outcome=verdict.outcome,
            diff=verdict.diff,
            text_sha256=verdict.text_sha256,
            detail=_detail(verdict)[:2000],
        )
        fields = _apply(request, check, now)
        request.save(update_fields=fields)
        if request.incident is not None:
            incident_log_request(
                incident=request.incident, at=now, article=request.article, text=_timeline_text(request, check)
            )
    return check


def requests_check_due(
    *, now: dt.datetime | None = None, limit: int = CHECKS_PER_RUN, fetch: Fetcher | None = None
) -> dict[str, int]:
    """Run the checks that are due, at most `limit`; counts by outcome, and `failed`."""
    now = now or timezone.now()
    due = list(
        ContentRequest.objects.filter(closed_at__isnull=True, next_check_at__lte=now)
        .select_related("incident", "article")
        .order_by("next_check_at", "id")[:limit]
    )
    counts: dict[str, int] = {}
    if not due:
        return counts
    own = fetch is None
    fetcher = fetch or Fetcher(fetch_policy())
    try:
        for request in due:
            # Take the request: another run that read it as due finds it moved and skips it.
            taken = ContentRequest.objects.filter(pk=request.pk, next_check_at=request.next_check_at).update(
                next_check_at=now + LEASE
            )
            if not taken:
                continue
            request.next_check_at = now + LEASE
            try:
                check = request_check(request=request, now=now, fetch=fetcher)
            except Exception:
                # One broken request must not stop the others; it is tried again after the lease.
                logger.exception("request %s: check failed", request.pk)
                counts["failed"] = counts.get("failed", 0) + 1
                continue
            counts[check.outcome] = counts.get(check.outcome, 0) + 1
    finally:
        if own:
            fetcher.close()
    return counts


def request_close(*, user: Actor, request: ContentRequest, now: dt.datetime | None = None) -> ContentRequest:
    """Staff close a request: the outcome stands (or the request was answered otherwise)."""
    require(user, roles.WRITE, request.unit)
    if request.closed_at is not None:
        raise ValidationError(_("The request is already closed."))
    now = now or timezone.now()
    with transaction.atomic():
        request.closed_at = now
        request.next_check_at = None
        request.save(update_fields=["closed_at", "next_check_at"])
        if request.incident is not None:
            incident_log_request(
                incident=request.incident,
                at=now,
                article=request.article,
                text=_("The request to %(addressee)s was closed (%(outcome)s).")
                % {"addressee": request.addressee, "outcome": request.get_outcome_display()},
            )
    return request
