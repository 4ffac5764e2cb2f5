"""`loa import-social`: a vendor's export (CSV or JSON lines) read through a column mapping, each
row a post of its page; a row that cannot be read is reported by its line and loses nothing else."""

from __future__ import annotations

import codecs
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from loa import cli
from loa.articles import social_import
from loa.articles.models import Article, Engagement
from loa.articles.social_import import (
    ImportRefused,
    columns_from_pairs,
    export_open,
    generic_mapping,
    mapping_get,
    mapping_save,
    rows_read,
)
from loa.sources.models import Channel, ImportMapping, Outlet
from tests.text.test_encoding import windows_1258

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 3, 6, 3, 0, tzinfo=dt.UTC)

GENERIC_HEADER = "platform;page;url;published;text;reactions;comments;shares;author;author_id;username\n"
GENERIC_ROWS = [
    "TikTok;evn.official;https://www.tiktok.com/@evn.official/video/7301;05/03/2025 09:15;"
    '"Mẹo tiết kiệm điện mùa nóng; tắt thiết bị chờ.";1,2K;35;12;Phạm Thị Hoa;6991234;hoa.pham99\n',
    "Facebook Group;Hội cư dân Linh Đàm;https://www.facebook.com/groups/linhdam/posts/8801;2025-03-05T10:00:00+07:00;"
    '"Khu Linh Đàm mất điện từ 9 giờ sáng,\nchưa thấy thông báo.";210;88;14;Lê Văn Bình;100004567;binh.le\n',
]


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def run_import(path: Path, mapping: str | None = None, **kwargs: Any) -> social_import.SocialImportStats:
    export = export_open(path=path, mapping=mapping_get(mapping))
    return social_import.social_import(export=export, now=NOW, **kwargs)


def test_generic_export_becomes_posts_of_their_pages(tmp_path: Path) -> None:
    path = write(tmp_path / "export.csv", "\ufeff" + GENERIC_HEADER + "".join(GENERIC_ROWS))
    export = export_open(path=path, mapping=generic_mapping())
    assert (export.format, export.delimiter, export.rows) == ("csv", ";", 2)
    stats = social_import.social_import(export=export, now=NOW)
    assert (stats.read, stats.new, stats.rejected, stats.pages) == (2, 2, 0, 2)
    tiktok = Outlet.objects.get(domain="tiktok.com/evn.official")
    group = Outlet.objects.get(domain="facebook.com/hội cư dân linh đàm")
    assert (tiktok.channel, group.channel, group.name) == (Channel.VIDEO, Channel.SOCIAL, "Hội cư dân Linh Đàm")
    video = Article.objects.get(outlet=tiktok)
    assert video.title == "Mẹo tiết kiệm điện mùa nóng; tắt thiết bị chờ."
    assert video.published_at == dt.datetime(2025, 3, 5, 2, 15, tzinfo=dt.UTC)
    snapshot = Engagement.objects.get(article=video)
    assert (snapshot.reactions, snapshot.comments, snapshot.shares, snapshot.observed_at) == (1200, 35, 12, NOW)
    assert "chưa thấy thông báo" in Article.objects.get(outlet=group).body


def test_the_reader_hands_over_only_the_mapped_columns(tmp_path: Path) -> None:
    path = write(tmp_path / "export.csv", GENERIC_HEADER + "".join(GENERIC_ROWS))
    rows = list(rows_read(export_open(path=path, mapping=generic_mapping())))
    assert [line for line, _values in rows] == [2, 3]
    for _line, values in rows:
        assert isinstance(values, dict)
        assert set(values) <= set(social_import.FIELDS)
        assert not {"Phạm Thị Hoa", "6991234", "hoa.pham99", "Lê Văn Bình"} & {str(v) for v in values.values()}


def test_bad_rows_are_reported_by_line_and_the_others_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(social_import, "MAX_ROW_CHARS", 2_000)
    lines = [
        "platform,page,url,published,text,reactions\n",
        "tiktok,evn.official,https://www.tiktok.com/@evn.official/video/1,2025-03-05,Bài một về giá điện.,10\n",  # 2
        "tiktok,evn.official,,2025-03-05,Không có địa chỉ.,1\n",  # 3: no url
        'tiktok,evn.official,https://www.tiktok.com/@evn.official/video/3,"ngày\nmai nữa",Ngày lạ.,1\n',  # 4-5
        "tiktok,evn.official,https://www.tiktok.com/@evn.official/video/4,,@hoa.pham99 0912345678,1\n",  # 6: empty
        f"tiktok,evn.official,https://www.tiktok.com/@evn.official/video/5,,{'x' * 3000},1\n",  # 7: too long
        "tiktok,,https://www.tiktok.com/@evn.official/video/6,,Không có trang.,1\n",  # 8: no page
        "tiktok,evn.official,ftp://example.com/7,,Địa chỉ lạ.,1\n",  # 9
        "\n",
        "tiktok,evn.official,https://www.tiktok.com/@evn.official/video/8,2025-03-05 08:00,Bài tám về lịch cắt điện.,x\n",
    ]
    stats = run_import(write(tmp_path / "export.csv", "".join(lines)))
    assert stats.new == 2
    assert [line for line, _reason in stats.problems] == [3, 4, 6, 7, 8, 9]
    reasons = dict(stats.problems)
    assert "missing url" in reasons[3]
    assert "unreadable date" in reasons[4]
    assert "empty text" in reasons[6]
    assert "2000" in reasons[7]
    assert "missing page" in reasons[8]
    assert "invalid url" in reasons[9]
    assert not Engagement.objects.filter(article__url__endswith="/video/8").exists()  # "x" is no count


def test_json_lines_with_nested_counts_and_bad_lines(tmp_path: Path) -> None:
    mapping, created = mapping_save(
        name="vendor-json",
        columns=columns_from_pairs(
            [
                "platform=network",
                "page=source.name",
                "url=link",
                "text=content",
                "views=stats.views",
                "reactions=stats.likes",
            ]
        ),
    )
    assert created
    good = {
        "network": "tiktok",
        "source": {"name": "evn.official", "id": "123"},
        "link": "https://www.tiktok.com/@evn.official/video/9",
        "content": "Video hướng dẫn đọc chỉ số công tơ.",
        "stats": {"views": "3,4 triệu", "likes": 5000},
        "author": {"name": "Đỗ Minh Khang", "id": "556677"},
    }
    lines = [json.dumps(good, ensure_ascii=False), "{broken", "[1, 2]", json.dumps({**good, "link": "x"})]
    path = write(tmp_path / "export.jsonl", "\n".join(lines) + "\n")
    stats = run_import(path, mapping.name)
    assert stats.new == 1
    assert [line for line, _reason in stats.problems] == [2, 3, 4]
    snapshot = Engagement.objects.get()
    assert (snapshot.views, snapshot.reactions) == (3_400_000, 5000)


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-16", "\t"), ("utf-8-sig", ","), ("cp1258", "|"), ("utf-8", ";")],
)
def test_encodings_and_delimiters(tmp_path: Path, encoding: str, delimiter: str) -> None:
    rows = [
        ["platform", "page", "url", "text"],
        [
            "facebook",
            "EVN Hà Nội",
            "https://www.facebook.com/evnhanoi/posts/1",
            "Lịch tạm ngừng cấp điện quận Đống Đa.",
        ],
    ]
    text = "\r\n".join(delimiter.join(cells) for cells in rows) + "\r\n"
    path = tmp_path / "export.txt"
    path.write_bytes(windows_1258(text) if encoding == "cp1258" else codecs.encode(text, encoding))
    stats = run_import(path)
    assert (stats.new, stats.problems) == (1, [])
    assert Article.objects.get().body == "Lịch tạm ngừng cấp điện quận Đống Đa."
    assert Outlet.objects.filter(domain="facebook.com/evn hà nội").exists()


def test_a_page_given_by_its_address(tmp_path: Path) -> None:
    path = write(
        tmp_path / "export.csv",
        "page,url,text\nhttps://www.facebook.com/groups/linhdam/,https://www.facebook.com/groups/linhdam/posts/2,Mất điện.\n",
    )
    assert run_import(path).new == 1
    assert Outlet.objects.get(domain="facebook.com/groups/linhdam").name == "linhdam"


def test_mappings_refuse_what_would_read_a_person() -> None:
    base = {"url": "Link", "page": "Trang", "text": "Nội dung"}
    for columns, message in (
        ({**base, "author": "Tác giả"}, "unknown fields"),
        ({"url": "Link", "text": "Nội dung"}, "required fields"),
        ({**base, "page": "Tác giả"}, "person"),
        ({**base, "title": "User name"}, "person"),
    ):
        with pytest.raises(ImportRefused, match=message):
            mapping_save(name="vendor", columns=columns)
    with pytest.raises(ImportRefused, match="built-in"):
        mapping_save(name="generic", columns=base)
    with pytest.raises(ImportRefused, match="field=column"):
        columns_from_pairs(["text"])
    assert not ImportMapping.objects.exists()


def test_limits_refuse_the_whole_file_before_storing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "export.csv", GENERIC_HEADER + "".join(GENERIC_ROWS))
    monkeypatch.setattr(social_import, "MAX_ROWS", 1)
    with pytest.raises(ImportRefused, match="too many rows"):
        export_open(path=path, mapping=generic_mapping())
    monkeypatch.setattr(social_import, "MAX_FILE_BYTES", 100)
    with pytest.raises(ImportRefused, match="file too large"):
        export_open(path=path, mapping=generic_mapping())
    monkeypatch.setattr(social_import, "MAX_FILE_BYTES", 10_000)
    with pytest.raises(ImportRefused, match="mapped columns missing"):
        export_open(path=write(tmp_path / "other.csv", "url,content\nhttps://a.vn/1,x\n"), mapping=generic_mapping())
    assert not Article.objects.exists()


def test_the_command_saves_lists_and_uses_a_vendor_mapping(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    export = tmp_path / "buzz.csv"
    export.write_text(
        "Kênh,Nguồn,Link,Thời gian,Nội dung,Lượt xem,Thích,Tác giả,ID người dùng\n"
        "TikTok,evn.official,https://www.tiktok.com/@evn.official/video/77,06/03/2025 08:00,"
        "Giải đáp hóa đơn tiền điện tháng 2.,15000,900,Vũ Thị Lan,8812345\n"
        "TikTok,evn.official,https://www.tiktok.com/@evn.official/video/78,không rõ,Không đọc được ngày.,1,1,Vũ Thị Lan,8812345\n",
        encoding="utf-8",
    )
    pairs = [
        "platform=Kênh",
        "page=Nguồn",
        "url=Link",
        "published=Thời gian",
        "text=Nội dung",
        "views=Lượt xem",
        "reactions=Thích",
    ]
    assert cli.main(["import-social", "--save-mapping", "buzz", *(f"--column={p}" for p in pairs)]) == 0
    assert cli.main(["import-social", "--list-mappings"]) == 0
    listed = capsys.readouterr().out
    assert "generic" in listed
    assert "buzz" in listed
    assert "text=Nội dung" in listed
    rejects = tmp_path / "rejects.jsonl"
    status = cli.main(["import-social", str(export), "--mapping", "buzz", "--quiet", "--rejects", str(rejects)])
    captured = capsys.readouterr()
    assert status == 3
    assert "lưu 1 bài mới trên 1 trang" in captured.out
    assert "dòng 3: ngày đăng không đọc được" in captured.err
    assert [json.loads(line)["line"] for line in rejects.read_text(encoding="utf-8").splitlines()] == [3]
    assert "Vũ Thị Lan" not in captured.out + captured.err
    assert cli.main(["import-social", str(export), "--mapping", "buzz", "--quiet"]) == 3
    assert "đã có" in capsys.readouterr().out
    assert Engagement.objects.filter(article__url__endswith="/video/77").count() == 2
    assert cli.main(["import-social", str(export), "--mapping", "khong-co", "--quiet"]) == 1
    assert "no such mapping" in capsys.readouterr().err


def test_the_platform_of_rows_that_name_none(tmp_path: Path) -> None:
    path = write(
        tmp_path / "export.tsv",
        "page\turl\ttext\n"
        "evn.official\thttps://www.tiktok.com/@evn.official/video/1\tVideo một về giá điện.\n"
        "evn.official\thttps://www.tiktok.com/@evn.official/video/2\tVideo một về giá điện.\n",
    )
    stats = run_import(path, platform="TikTok")
    assert (stats.new, stats.reasons["duplicate_content"], stats.problems) == (1, 1, [])
    assert Outlet.objects.get().channel == Channel.VIDEO
    other = write(tmp_path / "other.csv", "page,url,text\nChợ tốt,https://forum.example.vn/t/9,Hỏi về hoá đơn.\n")
    assert run_import(other).new == 1
    assert Outlet.objects.filter(domain="forum.example.vn/chợ tốt", channel=Channel.SOCIAL).exists()
