"""Canonical URLs: one article reached by many links has one key."""

from __future__ import annotations

import pytest

from loa.pipeline.urls import canonical_url, host_of, numeric_host_problem, url_key

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


def test_ipv6_literal_hosts_keep_their_brackets() -> None:
    assert canonical_url("http://[2001:db8::1]:8080/a") == "http://[2001:db8::1]:8080/a"
    assert canonical_url("https://[2001:DB8::1]:443/a") == "https://[2001:db8::1]/a"
    assert host_of("http://[2001:db8::1]:8080/a") == "[2001:db8::1]:8080"
    assert url_key("http://[2001:db8::1]:8080/a") != url_key("http://[2001:db8::1:8080]/a")


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("http://0177.0.0.1/", "in octal; resolvers may read it as 127.0.0.1"),
        ("http://017700000001/a", "in octal with 1 part(s) instead of 4; resolvers may read it as 127.0.0.1"),
        ("http://0x7f.1/", "in hexadecimal with 2 part(s) instead of 4"),
        ("http://2130706433/", "in decimal with 1 part(s) instead of 4; resolvers may read it as 127.0.0.1"),
        ("http://127.1/", "with 2 part(s) instead of 4"),
        ("http://0251.0376.0251.0376/", "resolvers may read it as 169.254.169.254"),
        ("http://999.1.1.1/", "out of range"),
        ("http://08.1.2.3/", "looks like an IPv4 address but is not one"),
    ],
)
def test_numeric_hosts_in_other_spellings_are_named(url: str, said: str) -> None:
    assert said in numeric_host_problem(url)


@pytest.mark.parametrize(
    "url", ["https://vnexpress.net/a", "http://1.2.3.4/", "http://123.vn/", "http://1e100.net/", "http://[::1]/"]
)
def test_ordinary_hosts_have_no_numeric_problem(url: str) -> None:
    assert numeric_host_problem(url) == ""
