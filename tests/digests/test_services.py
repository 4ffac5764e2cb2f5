"""Building, editing, sending and exporting the daily press review."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from docx import Document

from loa.accounts.models import User
from loa.accounts.scoping import SYSTEM
from loa.analysis.models import ArticleAnalysis
from loa.digests import documents, selectors, services
from loa.digests.models import Digest, DigestItem, DigestProfile, DigestStatus
from loa.digests.services import ProfileData
from loa.outbox.models import Message, MessageStatus
from loa.outbox.services import messages_send
from loa.reports.documents import document_bytes
from tests.digests.fixtures import DAY, at, covered
from tests.documents import need, pdf_text

pytestmark = pytest.mark.django_db


def items_of(digest: Digest, *, removed: bool = False) -> list[DigestItem]:
    return [item for view in selectors.digest_sections(digest, include_removed=removed) for item in view.items]


def test_window_is_the_day_before_the_profile_hour(profile: DigestProfile) -> None:
    start, end = services.digest_window(profile, DAY)
    assert end == at(6, 30)
    assert start == at(6, 30, day=DAY - dt.timedelta(days=1))


def test_build_groups_copies_puts_negative_first_and_keeps_to_the_window(
    profile: DigestProfile, day_coverage: dict[str, Any]
) -> None:
    same_story = (
        ArticleAnalysis.objects.get(article=day_coverage["first"]).story_id
        == ArticleAnalysis.objects.get(article=day_coverage["copy"]).story_id
    )
    digest = services.digest_build(profile=profile, day=DAY)
    items = items_of(digest)
    titles = [item.title for item in items]
    assert "EVN họp báo tuần trước" not in titles
    assert "EVN ký hợp đồng mới" not in titles
    assert titles[-1] == "EVN hoàn thành đường dây 500 kV mạch 3"
    assert items[0].sentiment == "negative"
    assert [section.section.title for section in selectors.digest_sections(digest)] == ["EVN"]
    if same_story:
        # One item for the story, naming both outlets, the first to publish standing for it.
        assert len(items) == 2
        assert items[0].title == "EVN tăng giá điện từ hôm nay"
        assert items[0].outlets == "vnexpress.net, tuoitre.vn"
    else:  # pragma: no cover - the clustering keeps these two together; this says so if it stops
        pytest.fail("the two copies of the price story were not clustered together")
    assert items[0].lead.startswith("Tập đoàn Điện lực Việt Nam (EVN)")
    assert digest.status == DigestStatus.DRAFT


def test_building_again_adds_what_arrived_and_keeps_the_editors_work(
    profile: DigestProfile, day_coverage: dict[str, Any]
) -> None:
    digest = services.digest_build(profile=profile, day=DAY)
    good = digest.items.get(title__startswith="EVN hoàn thành")
    services.item_set_removed(user=SYSTEM, item=good, removed=True)
    price = digest.items.get(title__startswith="EVN tăng giá")
    services.item_comment(user=SYSTEM, item=price, comment="Đề nghị EVN có thông tin phản hồi.")
    covered(
        "EVN đề xuất cơ chế mua bán điện trực tiếp",
        when=at(6, 0),
        domain="thanhnien.vn",
        body="Tập đoàn Điện lực Việt Nam (EVN) đề xuất cơ chế mua bán điện trực tiếp cho khách hàng lớn.",
    )
    again = services.digest_build(profile=profile, day=DAY)
    assert again.pk == digest.pk
    assert Digest.objects.count() == 1
    good.refresh_from_db()
    price.refresh_from_db()
    assert good.removed
    assert price.comment == "Đề nghị EVN có thông tin phản hồi."
    titles = [item.title for item in items_of(again)]
    assert titles[-1] == "EVN đề xuất cơ chế mua bán điện trực tiếp"
    assert titles.count("EVN tăng giá điện từ hôm nay") == 1


def test_editing_moves_removes_restores_comments_and_adds(profile: DigestProfile, day_coverage: dict[str, Any]) -> None:
    digest = services.digest_build(profile=profile, day=DAY)
    first, second = items_of(digest)
    services.item_move(user=SYSTEM, item=second, offset=-1)
    assert [item.pk for item in items_of(digest)] == [second.pk, first.pk]
    services.item_move(user=SYSTEM, item=second, offset=-1)  # already first: stays
    assert [item.pk for item in items_of(digest)] == [second.pk, first.pk]
    services.item_set_removed(user=SYSTEM, item=first, removed=True)
    assert [item.pk for item in items_of(digest)] == [second.pk]
    assert len(items_of(digest, removed=True)) == 2
    services.item_set_removed(user=SYSTEM, item=first, removed=False)
    added = services.item_add(user=SYSTEM, digest=digest, article=day_coverage["after"])
    assert added.section.title == "Tin bổ sung"
    with pytest.raises(ValidationError, match="đã có trong điểm báo"):
        services.item_add(user=SYSTEM, digest=digest, article=day_coverage["after"])
    with pytest.raises(ValidationError):
        services.item_add(user=SYSTEM, digest=digest, article=day_coverage["copy"])  # its story is in already
    with pytest.raises(ValidationError, match="2000"):
        services.item_comment(user=SYSTEM, item=first, comment="x" * 2001)
    services.digest_set_introduction(user=SYSTEM, digest=digest, text="  Tin nổi bật: giá điện.  ")
    digest.refresh_from_db()
    assert digest.introduction == "Tin nổi bật: giá điện."


def test_only_writers_of_the_profile_unit_edit(
    profile: DigestProfile, day_coverage: dict[str, Any], users: dict[str, User]
) -> None:
    digest = services.digest_build(profile=profile, day=DAY)
    item = items_of(digest)[0]
    for who in ("evn_staff", "evn_viewer", "pvn_staff"):
        with pytest.raises(PermissionDenied):
            services.item_set_removed(user=users[who], item=item, removed=True)
    services.item_set_removed(user=users["bloc_staff"], item=item, removed=True)
    assert selectors.digest_get(user=users["evn_staff"], pk=digest.pk) is None
    assert selectors.digest_get(user=users["bloc_staff"], pk=digest.pk) is not None


def test_send_mails_html_once_and_freezes_the_review(
    profile: DigestProfile,
    day_coverage: dict[str, Any],
    users: dict[str, User],
    django_capture_on_commit_callbacks: Any,
) -> None:
    digest = services.digest_build(profile=profile, day=DAY)
    removed = digest.items.get(title__startswith="EVN hoàn thành")
    services.item_set_removed(user=SYSTEM, item=removed, removed=True)
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.digest_send(user=users["bloc_staff"], digest=digest)
    assert sent.status == DigestStatus.SENT
    assert sent.sent_by == users["bloc_staff"]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lanh-dao@duk.example.vn", "ban-tuyen-giao@duk.example.vn"]
    assert message.subject == "Điểm báo ngày 20/11/2026 – Điểm báo thử"
    html = message.alternatives[0][0]  # type: ignore[attr-defined]
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in html
    assert "EVN tăng giá điện từ hôm nay" in html
    assert "EVN hoàn thành" not in html
    assert "EVN tăng giá điện từ hôm nay" in message.body
    with pytest.raises(ValidationError, match="đã gửi"):
        services.digest_send(user=users["bloc_staff"], digest=sent)
    with pytest.raises(ValidationError, match="đã gửi"):
        services.item_comment(user=SYSTEM, item=digest.items.first(), comment="muộn")  # type: ignore[arg-type]
    assert services.digest_build(profile=profile, day=DAY).items.count() == digest.items.count()
    assert len(mail.outbox) == 1


def test_send_refuses_bad_recipients_and_a_refusing_server_loses_nothing(
    profile: DigestProfile,
    day_coverage: dict[str, Any],
    settings: Any,
    inbox: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    digest = services.digest_build(profile=profile, day=DAY)
    DigestProfile.objects.filter(pk=profile.pk).update(recipients="")
    digest.refresh_from_db()
    with pytest.raises(ValidationError, match="chưa có nơi nhận"):
        services.digest_send(user=SYSTEM, digest=digest)
    DigestProfile.objects.filter(pk=profile.pk).update(recipients="không-phải-thư")
    with pytest.raises(ValidationError, match="không phải là địa chỉ"):
        services.digest_send(user=SYSTEM, digest=digest)
    DigestProfile.objects.filter(pk=profile.pk).update(recipients="a@example.vn")
    from loa.devtools.inbox import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    # The review is filed as sent; its message waits in the outbox for the server to come back.
    with django_capture_on_commit_callbacks(execute=True):
        services.digest_send(user=SYSTEM, digest=digest)
    digest.refresh_from_db()
    assert digest.status == DigestStatus.SENT
    message = Message.objects.get(idempotency_key=services.digest_message_key(digest))
    assert (message.status, message.attempts) == (MessageStatus.QUEUED, 1)
    assert "Connection refused" in message.last_error
    with pytest.raises(ValidationError, match="đã gửi"):
        services.digest_send(user=SYSTEM, digest=digest)
    settings.EMAIL_HOST, settings.EMAIL_PORT = inbox.host, inbox.smtp_port  # the server is back
    later = timezone.now() + dt.timedelta(minutes=1)
    assert messages_send(now=later) == 1
    assert messages_send(now=later + dt.timedelta(hours=2)) == 0  # sent: never again
    assert inbox.wait_for(lambda box: len(box.mails) == 1)
    assert inbox.mails[0]["message_id"] == f"<loa-digest-{digest.pk}@localhost>"
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (MessageStatus.SENT, 2, "")


def test_send_through_a_real_smtp_server(
    smtp: Any, profile: DigestProfile, day_coverage: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    digest = services.digest_build(profile=profile, day=DAY)
    with django_capture_on_commit_callbacks(execute=True):
        services.digest_send(user=SYSTEM, digest=digest)
    assert smtp.wait_for(lambda box: len(box.mails) == 1)
    received = smtp.mails[0]
    assert received["to"] == ["lanh-dao@duk.example.vn", "ban-tuyen-giao@duk.example.vn"]
    assert received["message_id"] == f"<loa-digest-{digest.pk}@localhost>"
    assert "EVN tăng giá điện từ hôm nay" in received["html"]


def test_hostile_titles_are_escaped_in_the_html(profile: DigestProfile, evn: Any) -> None:
    covered(
        "EVN <script>alert(1)</script> & <b>giá điện</b>",
        when=at(5, 0),
        domain="xau.vn",
        body="Tập đoàn Điện lực Việt Nam (EVN) <img src=x onerror=alert(1)> thông báo.",
    )
    html = documents.digest_html(services.digest_build(profile=profile, day=DAY))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_archive_search_ignores_diacritics_and_scope(
    profile: DigestProfile, day_coverage: dict[str, Any], users: dict[str, User]
) -> None:
    digest = services.digest_build(profile=profile, day=DAY)
    services.item_comment(user=SYSTEM, item=items_of(digest)[0], comment="Cần theo dõi phản ứng dư luận")
    staff = users["bloc_staff"]
    assert list(selectors.digest_list(user=staff, query="gia dien")) == [digest]
    assert list(selectors.digest_list(user=staff, query="DƯ LUẬN")) == [digest]
    assert list(selectors.digest_list(user=staff, query="xăng dầu")) == []
    assert list(selectors.digest_list(user=users["evn_staff"], query="gia dien")) == []


def test_due_reviews_are_built_at_their_hour_and_topped_up_until_sent(
    profile: DigestProfile, day_coverage: dict[str, Any]
) -> None:
    assert services.digests_build_due(now=at(6, 0)) == []
    built = services.digests_build_due(now=at(6, 45))
    assert [digest.day for digest in built] == [DAY]
    assert built[0].items.count() == 2
    # Published before the hour, stored after it: the next sweep adds it to the same review.
    covered(
        "EVN công bố kết quả kinh doanh",
        when=at(6, 10),
        domain="cafef.vn",
        body="Tập đoàn Điện lực Việt Nam (EVN) công bố kết quả sản xuất kinh doanh mười tháng.",
    )
    again = services.digests_build_due(now=at(7, 0))
    assert [digest.pk for digest in again] == [built[0].pk]
    assert again[0].items.count() == 3
    assert Digest.objects.count() == 1
    services.digest_send(user=SYSTEM, digest=again[0])
    assert services.digests_build_due(now=at(7, 30)) == []
    DigestProfile.objects.update(enabled=False)
    assert services.digests_build_due(now=at(6, 45, day=DAY + dt.timedelta(days=1))) == []


def test_profile_refuses_bad_addresses_and_foreign_units(users: dict[str, User], tree: Any) -> None:
    with pytest.raises(ValidationError, match="không phải là địa chỉ"):
        services.profile_save(user=SYSTEM, profile=None, data=ProfileData(name="X", unit=tree.evn, recipients="abc"))
    with pytest.raises(PermissionDenied):
        services.profile_save(user=users["evn_staff"], profile=None, data=ProfileData(name="X", unit=tree.pvn))
    mine = services.profile_save(
        user=users["evn_staff"], profile=None, data=ProfileData(name="EVN sáng", unit=tree.evn)
    )
    assert mine.unit == tree.evn


def test_docx_and_pdf_carry_the_party_format_and_the_items(
    profile: DigestProfile, day_coverage: dict[str, Any], tmp_path: Any
) -> None:
    digest = services.digest_build(profile=profile, day=DAY)
    services.item_comment(user=SYSTEM, item=items_of(digest)[0], comment="Cần phản hồi trong ngày.")
    document = documents.digest_document(digest)
    doc = Document(io.BytesIO(document_bytes(document, "docx")))
    texts = [paragraph.text for paragraph in doc.paragraphs]
    assert "ĐIỂM BÁO" in texts
    assert "ngày 20/11/2026" in texts
    assert "1. EVN" in texts
    assert any("EVN tăng giá điện từ hôm nay" in text for text in texts)
    assert any("Cần phản hồi trong ngày." in text for text in texts)
    assert "Hà Nội, ngày 20 tháng 11 năm 2026" in doc.tables[0].rows[0].cells[1].text
    need("soffice", "pdftotext")
    pdf = tmp_path / "diem-bao.pdf"
    pdf.write_bytes(document_bytes(document, "pdf"))
    text = pdf_text(pdf)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "EVN tăng giá điện từ hôm nay" in text


def _closing(document: Any) -> tuple[list[str], list[str]]:
    doc = Document(io.BytesIO(document_bytes(document, "docx")))
    left, right = doc.tables[-1].rows[0].cells
    return left.text.splitlines(), [line for line in right.text.splitlines() if line]


def test_the_document_ends_with_the_letterheads_distribution_and_signer(
    profile: DigestProfile, day_coverage: dict[str, Any], tree: Any
) -> None:
    from tests.factories.reports import make_board_letterhead

    board = make_board_letterhead(
        tree.board,
        signature_mode="",
        recipients="Thường trực Đảng ủy Khối (để b/c)\nCác đảng ủy trực thuộc",
    )
    profile.letterhead = board
    profile.save(update_fields=["letterhead"])
    digest = services.digest_build(profile=profile, day=DAY)
    recipients, signer = _closing(documents.digest_document(digest))
    # The letterhead's list, closed by where the board files its copy.
    assert recipients == [
        "Nơi nhận:",
        "- Thường trực Đảng ủy Khối (để b/c),",
        "- Các đảng ủy trực thuộc,",
        "- Lưu VT, BTGDV.",
    ]
    assert signer == ["TRƯỞNG BAN", "Nguyễn Thị Minh"]
    html = documents.digest_html(digest)
    assert "Nơi nhận:" in html
    assert "<div>- Lưu VT, BTGDV.</div>" in html
    assert "Nguyễn Thị Minh" in html


def test_a_profile_may_sign_and_distribute_the_review_itself(
    profile: DigestProfile, day_coverage: dict[str, Any]
) -> None:
    services.profile_save(
        user=SYSTEM,
        profile=profile,
        data=replace(
            ProfileData.of(profile),
            distribution="- Thường trực Đảng ủy Khối (để b/c);\nLãnh đạo Ban\nLưu VP",
            signature_mode="K/T",
            signature_body="Trưởng ban",
            signer_position="Phó Trưởng ban",
            signer_name="Trần Văn Bình",
        ),
    )
    digest = services.digest_build(profile=profile, day=DAY)
    recipients, signer = _closing(documents.digest_document(digest))
    assert recipients == ["Nơi nhận:", "- Thường trực Đảng ủy Khối (để b/c),", "- Lãnh đạo Ban,", "- Lưu VP."]
    assert signer == ["K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Trần Văn Bình"]
    text = documents.render_official("digests/digest_email.txt", documents.digest_context(digest))
    assert "K/T TRƯỞNG BAN\nPHÓ TRƯỞNG BAN\nTrần Văn Bình" in text
    assert "Nơi nhận:\n- Thường trực Đảng ủy Khối (để b/c),\n- Lãnh đạo Ban,\n- Lưu VP." in text


def test_a_top_up_keeps_negative_first_without_undoing_the_editors_order(
    profile: DigestProfile, day_coverage: dict[str, Any]
) -> None:
    digest = services.digest_build(profile=profile, day=DAY)
    assert [item.sentiment for item in items_of(digest)] == ["negative", "positive"]
    covered(
        "EVN đề xuất cơ chế mua bán điện trực tiếp",
        when=at(6, 0),
        domain="thanhnien.vn",
        body="Tập đoàn Điện lực Việt Nam (EVN) đề xuất cơ chế mua bán điện trực tiếp cho khách hàng lớn.",
    )
    covered(
        "EVN bị xử phạt vì chậm tiến độ dự án",
        when=at(6, 5),
        domain="dantri.com.vn",
        tone="negative",
        body="Tập đoàn Điện lực Việt Nam (EVN) bị xử phạt do chậm tiến độ dự án nhiệt điện, gây thất thoát.",
    )
    titles = [item.title for item in items_of(services.digest_build(profile=profile, day=DAY))]
    assert titles == [
        "EVN tăng giá điện từ hôm nay",
        "EVN bị xử phạt vì chậm tiến độ dự án",
        "EVN hoàn thành đường dây 500 kV mạch 3",
        "EVN đề xuất cơ chế mua bán điện trực tiếp",
    ]


def test_the_section_limit_lets_negative_items_in_before_the_others(
    profile: DigestProfile, day_coverage: dict[str, Any]
) -> None:
    DigestProfile.objects.filter(pk=profile.pk).update(max_items=1)
    profile.refresh_from_db()
    digest = services.digest_build(profile=profile, day=DAY)
    assert [item.title for item in items_of(digest)] == ["EVN tăng giá điện từ hôm nay"]
    # Removing the item makes room for the next build's best remaining story.
    services.item_set_removed(user=SYSTEM, item=items_of(digest)[0], removed=True)
    again = services.digest_build(profile=profile, day=DAY)
    assert [item.title for item in items_of(again)] == ["EVN hoàn thành đường dây 500 kV mạch 3"]
    covered(
        "EVN bị xử phạt vì chậm tiến độ dự án",
        when=at(6, 5),
        domain="dantri.com.vn",
        tone="negative",
        body="Tập đoàn Điện lực Việt Nam (EVN) bị xử phạt do chậm tiến độ dự án nhiệt điện, gây thất thoát.",
    )
    full = services.digest_build(profile=profile, day=DAY)
    assert [item.title for item in items_of(full)] == [
        "EVN bị xử phạt vì chậm tiến độ dự án",
        "EVN hoàn thành đường dây 500 kV mạch 3",
    ]
