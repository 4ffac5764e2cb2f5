"""Canonical URLs: one article reached by many links has one key."""

from __future__ import annotations

import pytest

from loa.pipeline.urls import canonical_url, host_of, url_key

ARTICLE = "https://vnexpress.net/bai-viet-123.html"


@pytest.mark.parametrize(
    "variant",
    [
        "https://vnexpress.net/bai-viet-123.html",
        "https://www.vnexpress.net/bai-viet-123.html",
        "https://VNEXPRESS.net/bai-viet-123.html#binh-luan",
        "https://vnexpress.net/bai-viet-123.html?utm_source=facebook&utm_medium=social&fbclid=abc",
        "https://vnexpress.net/bai-viet-123.html?zarsrc=30&gidzl=xyz",
        "https://m.vnexpress.net/bai-viet-123.html",
        "https://amp.vnexpress.net/bai-viet-123.html",
        "https://vnexpress.net/amp/bai-viet-123.html",
        "https://vnexpress.net/bai-viet-123.html/amp",
        "https://vnexpress.net:443/bai-viet-123.html",
        "http://vnexpress.net/bai-viet-123.html",
        "https://vnexpress.net//bai-viet-123.html/",
    ],
)
def test_variants_share_one_key(variant: str) -> None:
    assert url_key(variant) == url_key(ARTICLE)


def test_meaningful_query_parameters_stay_and_are_sorted() -> None:
    assert canonical_url("https://baothu.vn/news?id=7&cat=2&utm_campaign=x") == "https://baothu.vn/news?cat=2&id=7"
    assert url_key("https://baothu.vn/news?id=7") != url_key("https://baothu.vn/news?id=8")


def test_percent_encoding_is_canonical() -> None:
    assert canonical_url("https://baothu.vn/tin/đảng.html") == canonical_url(
        "https://baothu.vn/tin/%C4%91%E1%BA%A3ng.html"
    )


def test_non_default_ports_and_hosts() -> None:
    assert canonical_url("http://127.0.0.1:8801/bai-viet/x.html") == "http://127.0.0.1:8801/bai-viet/x.html"
    assert host_of("http://127.0.0.1:8801/a") == "127.0.0.1:8801"
    assert host_of("https://www.Tuoitre.vn/a") == "www.tuoitre.vn"
