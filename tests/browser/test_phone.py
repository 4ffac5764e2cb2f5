"""Loa on a phone in Chromium (390 px wide): the navigation folds behind a menu button that opens
it (mouse and keyboard), and no page scrolls sideways — the home, an article, the task list, a
press review and every page the navigation links to; wide tables scroll inside their own box.
The same pages at 1280 px keep the sidebar. The calendar picker writes dd/mm/yyyy, day first,
in both languages, and the server reads what it wrote."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from loa.accounts.models import User
from loa.accounts.scoping import SYSTEM
from loa.analysis.models import Organisation
from loa.digests.models import Digest, DigestProfile
from loa.digests.services import digest_build
from loa.directives.models import TaskItem
from loa.directives.services import directive_import, task_assign
from tests.browser.test_scope import ARTIFACTS, log_in
from tests.digests.fixtures import DAY
from tests.factories import Tree
from tests.shared import shared_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 390
DESKTOP = 1280


def browse(chromium: Any, base: str, username: str, *, width: int) -> Any:
    context = chromium.new_context(locale="en-US", viewport={"width": width, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15000)
    # A script or style the Content-Security-Policy refused shows up as a console error.
    page.errors = []
    page.on(
        "console", lambda message: page.errors.append(f"{page.url} {message.text}") if message.type == "error" else None
    )
    log_in(page, base, username)
    return page


def sideways(page: Any) -> int:
    """How far the page itself scrolls sideways (0 when it fits)."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.fixture
def pages(tree: Tree, users: dict[str, User], profile: DigestProfile, day_coverage: dict[str, Any]) -> dict[str, str]:
    """The four pages the issue names, with real content: a long article, a directive's tasks
    assigned to units, and a press review with items."""
    seed = shared_path("seeds", "000_ffb0d65ba92b0dfc.txt")
    directive = directive_import(user=SYSTEM, data=seed.read_bytes(), filename=seed.name, unit=tree.board)
    for task in TaskItem.objects.filter(directive=directive):
        task_assign(user=SYSTEM, task=task, units=[tree.evn, tree.pvn], deadline=None)
    digest = digest_build(profile=profile, day=DAY)
    return {
        "home": reverse("home"),
        "article": reverse("articles:detail", args=[day_coverage["first"].pk]),
        "tasks": reverse("directives:tasks"),
        "review": reverse("digests:detail", args=[digest.pk]),
        "directive": reverse("directives:detail", args=[directive.pk]),
    }


def test_a_phone_gets_a_menu_button_and_no_page_scrolls_sideways(
    chromium: Any, live_server: Any, pages: dict[str, str], evn: Organisation
) -> None:
    base = live_server.url
    phone = browse(chromium, base, "btg", width=PHONE)
    menu = phone.get_by_role("button", name="Danh mục")
    nav = phone.get_by_role("navigation", name="Chức năng")
    assert menu.get_attribute("aria-expanded") == "false"
    assert not nav.is_visible()
    assert sideways(phone) <= 0
    shot(phone, "phone-home")
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true"
    assert nav.is_visible()
    shot(phone, "phone-menu")
    # The keyboard: Escape closes and leaves the focus on the button; Enter opens again.
    phone.keyboard.press("Escape")
    assert menu.get_attribute("aria-expanded") == "false"
    assert not nav.is_visible()
    assert phone.evaluate("document.activeElement.getAttribute('aria-controls')") == "sidebar"
    phone.keyboard.press("Enter")
    assert nav.is_visible()
    nav.get_by_role("link", name="Điểm báo hằng ngày").click()
    phone.wait_for_url(f"{base}/digests/")
    assert not phone.get_by_role("navigation", name="Chức năng").is_visible()

    too_wide = {}
    for name, path in pages.items():
        phone.goto(base + path)
        too_wide[name] = sideways(phone)
        shot(phone, f"phone-{name}")
    assert too_wide == dict.fromkeys(pages, 0)
    # Its tables are wider than a phone: they scroll inside their own box.
    phone.goto(base + pages["tasks"])
    box = phone.locator(".table-scroll").first
    assert box.evaluate("box => box.scrollWidth > box.clientWidth")
    assert box.get_attribute("tabindex") == "0"
    # Its status filter applies on change (by loa.js: the CSP refuses inline onchange handlers).
    phone.get_by_label("Tình trạng").select_option(label="Chưa thực hiện")
    phone.wait_for_url("**/directives/tasks/?status=*")

    # Every page the navigation links to.
    phone.goto(base + "/")
    links = phone.locator("nav#sidebar a")  # folded away, so not reachable by role
    paths = sorted({href.removeprefix(base) for href in links.evaluate_all("links => links.map(a => a.href)")})
    assert len(paths) > 15
    overflowing = {}
    for path in paths:
        phone.goto(base + path)
        if sideways(phone) > 0:
            overflowing[path] = sideways(phone)
            shot(phone, "phone-overflow" + path.replace("/", "-"))
    assert overflowing == {}
    assert phone.errors == []


def test_a_desktop_keeps_the_sidebar(chromium: Any, live_server: Any, pages: dict[str, str]) -> None:
    base = live_server.url
    desktop = browse(chromium, base, "btg", width=DESKTOP)
    assert desktop.get_by_role("navigation", name="Chức năng").is_visible()
    assert not desktop.get_by_role("button", name="Danh mục").is_visible()
    too_wide = {}
    for name, path in pages.items():
        desktop.goto(base + path)
        too_wide[name] = sideways(desktop)
        shot(desktop, f"desktop-{name}")
    assert too_wide == dict.fromkeys(pages, 0)


@pytest.mark.parametrize(
    ("language", "button", "build", "label"),
    [
        ("vi", "Chọn ngày trên lịch", "Lập hoặc mở", "Ngày"),
        ("en", "Choose a date on the calendar", "Build or open", "Date"),
    ],
)
def test_the_picker_writes_day_first(
    chromium: Any,
    live_server: Any,
    users: dict[str, User],
    profile: DigestProfile,
    language: str,
    button: str,
    build: str,
    label: str,
) -> None:
    base = live_server.url
    # An English browser (en-US reads 05/03 as May 3): the box and the picker still go day first.
    page = browse(chromium, base, "btg", width=PHONE)
    if language == "en":
        page.get_by_role("button", name="EN").click()
    page.goto(f"{base}/digests/")
    form = page.get_by_test_id("build-form")
    form.get_by_label("Profile" if language == "en" else "Hồ sơ").select_option(label=profile.name)
    day_box = form.get_by_label(label, exact=True)
    assert day_box.get_attribute("type") == "text"
    assert day_box.get_attribute("placeholder") == "dd/mm/yyyy"
    day_box.fill("05/03/2026")
    form.get_by_role("button", name=button).click()
    calendar = page.locator(".flatpickr-calendar.open")
    # It opens on the typed day, 5 March (not May), and the picked day is written day first.
    assert calendar.locator(".flatpickr-day.selected").get_attribute("aria-label").endswith("05/03/2026")
    month = calendar.locator(".flatpickr-monthDropdown-months").evaluate("s => s.options[s.selectedIndex].text")
    assert month == {"vi": "Tháng ba", "en": "March"}[language]
    shot(page, f"picker-{language}")
    calendar.get_by_label("04/03/2026").click()
    assert day_box.input_value() == "04/03/2026"
    assert not calendar.is_visible()
    # The keyboard: the calendar opens with the focus on the chosen day; arrows move, Enter picks.
    form.get_by_role("button", name=button).focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')").endswith("04/03/2026")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    assert day_box.input_value() == "05/03/2026"
    form.get_by_role("button", name=build).click()
    page.wait_for_url(f"{base}/digests/*/")
    assert Digest.objects.get().day == dt.date(2026, 3, 5)
    assert page.errors == []
