"""The press review pages: archive, editing actions, preview, exports; the query counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from loa.accounts.models import User
from loa.digests import services
from loa.digests.models import Digest, DigestProfile
from tests.conftest import login
from tests.digests.fixtures import DAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def digest(profile: DigestProfile, day_coverage: dict[str, Any]) -> Digest:
    return services.digest_build(profile=profile, day=DAY)


def test_editor_path_through_the_pages(
    digest: Digest,
    users: dict[str, User],
    day_coverage: dict[str, Any],
    smtp: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = login(users["bloc_staff"])
    page = client.get(reverse("digests:detail", args=[digest.pk]))
    assert page.status_code == 200
    assert "EVN tăng giá điện từ hôm nay" in page.content.decode()
    first, second = list(digest.items.order_by("position"))
    client.post(reverse("digests:item", args=[digest.pk, second.pk, "up"]))
    assert list(digest.items.order_by("position").values_list("pk", flat=True)) == [second.pk, first.pk]
    client.post(reverse("digests:item", args=[digest.pk, first.pk, "comment"]), {"comment": "Theo dõi tiếp"})
    client.post(reverse("digests:item", args=[digest.pk, second.pk, "remove"]))
    client.post(reverse("digests:add", args=[digest.pk]), {"article": day_coverage["after"].url, "section": ""})
    client.post(reverse("digests:add", args=[digest.pk]), {"article": "https://khong-co.vn/x", "section": ""})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.comment == "Theo dõi tiếp"
    assert second.removed
    assert digest.items.filter(article=day_coverage["after"]).exists()
    missing = client.get(reverse("digests:detail", args=[digest.pk])).content.decode()
    assert "Không có bài đã lưu nào có địa chỉ hoặc số đó." in missing
    assert client.post(reverse("digests:item", args=[digest.pk, first.pk, "explode"])).status_code == 404
    recipients = services.recipients_of(digest.profile)
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            reverse("digests:send", args=[digest.pk]), {"confirm": "yes", "recipient": recipients}, follow=True
        ).content.decode()
    assert "Điểm báo đang được gửi tới 2 nơi nhận" in sent
    digest.refresh_from_db()
    assert digest.status == "sent"
    after = client.get(reverse("digests:detail", args=[digest.pk])).content.decode()
    assert 'data-testid="send-form"' not in after
    assert smtp.wait_for(lambda box: len(box.mails) == 1)
    assert 'data-testid="digest-message">Đã gửi' in after


def test_sending_lists_the_recipients_and_asks_first(
    digest: Digest, users: dict[str, User], mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    client = login(users["bloc_staff"])
    url = reverse("digests:send", args=[digest.pk])
    recipients = services.recipients_of(digest.profile)
    assert len(recipients) == 2
    assert client.get(url).status_code == 405
    asked = client.post(url)  # the "Send" button of the review's page
    page = asked.content.decode()
    assert asked.status_code == 200
    for address in recipients:
        assert f"<li>{address}</li>" in page
    assert f"Điểm báo ngày 20/11/2026 – {digest.profile.name}" in page
    assert "2 tin, bài" in page
    assert client.post(url, {"recipient": recipients}).status_code == 200  # not confirmed: asks again
    digest.refresh_from_db()
    assert digest.status == "draft"
    assert mailoutbox == []

    # The list changed after the editor saw it: nothing goes out, the page shows the new list.
    DigestProfile.objects.filter(pk=digest.profile_id).update(recipients="\n".join([*recipients, "moi@duk.vn"]))
    changed = client.post(url, {"confirm": "yes", "recipient": recipients}).content.decode()
    assert 'data-testid="recipients-changed"' in changed
    assert "<li>moi@duk.vn</li>" in changed
    digest.refresh_from_db()
    assert digest.status == "draft"
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"confirm": "yes", "recipient": [*recipients, "moi@duk.vn"]})
    assert done["Location"] == reverse("digests:detail", args=[digest.pk])
    digest.refresh_from_db()
    assert digest.status == "sent"
    assert mailoutbox[0].to == [*recipients, "moi@duk.vn"]


def test_preview_and_exports(digest: Digest, users: dict[str, User]) -> None:
    client = login(users["bloc_staff"])
    preview = client.get(reverse("digests:preview", args=[digest.pk]))
    assert preview.status_code == 200
    assert "sandbox" in preview["Content-Security-Policy"]
    assert "ĐIỂM BÁO" in preview.content.decode()
    docx = client.get(reverse("digests:export", args=[digest.pk, "docx"]))
    assert docx.content.startswith(b"PK")
    assert 'filename="diem-bao-2026-11-20.docx"' in docx["Content-Disposition"]
    html = client.get(reverse("digests:export", args=[digest.pk, "html"]))
    assert html.content.startswith(b"<!doctype html>")
    assert client.get(reverse("digests:export", args=[digest.pk, "exe"])).status_code == 404


def test_build_form_opens_the_review_and_refuses_the_future(profile: DigestProfile, users: dict[str, User]) -> None:
    client = login(users["bloc_staff"])
    response = client.post(reverse("digests:build"), {"profile": profile.pk, "day": "20/11/2026"})
    digest = Digest.objects.get()
    assert response["Location"] == reverse("digests:detail", args=[digest.pk])
    next_week = f"{timezone.localdate() + dt.timedelta(days=7):%d/%m/%Y}"
    future = client.post(reverse("digests:build"), {"profile": profile.pk, "day": next_week}, follow=True)
    assert "hãy chọn hôm nay hoặc một ngày trước đó" in future.content.decode()


def test_archive_page_searches_and_counts_queries(digest: Digest, users: dict[str, User]) -> None:
    client = login(users["bloc_staff"])
    found = client.get(reverse("digests:list"), {"q": "gia dien"}).content.decode()
    assert "20/11/2026" in found
    assert "20/11/2026" not in client.get(reverse("digests:list"), {"q": "xang dau"}).content.decode()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("digests:list")).status_code == 200
    baseline = len(queries)
    for day in range(1, 6):
        Digest.objects.create(
            profile=digest.profile,
            day=DAY.replace(day=day),
            period_start=digest.period_start,
            period_end=digest.period_end,
            built_at=digest.built_at,
        )
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("digests:list"))
    assert len(queries) == baseline


def test_detail_page_query_count_does_not_grow_with_items(digest: Digest, users: dict[str, User]) -> None:
    client = login(users["bloc_staff"])
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("digests:detail", args=[digest.pk]))
    baseline = len(queries)
    section = digest.sections.first()
    assert section is not None
    for number in range(5):
        digest.items.create(
            section=section,
            title=f"Tin {number}",
            url="https://a.vn/",
            outlets="a.vn",
            sentiment="neutral",
            position=10 + number,
        )
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("digests:detail", args=[digest.pk]))
    assert len(queries) == baseline
