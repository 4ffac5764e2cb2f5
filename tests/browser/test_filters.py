"""The status filters of the alert, incident and task lists apply as soon as the list is
changed, under the real Content-Security-Policy (no inline handler), with no violation."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from loa.accounts.models import User
from tests.browser.test_scope import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A refused script or handler is reported to the page as a securitypolicyviolation event and
# to the console; both end up in `problems`.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error("CSP violation: " + event.violatedDirective + " " + event.blockedURI);
});
"""


def test_status_filters_submit_on_change_under_the_csp(chromium: Any, live_server: Any, users: dict[str, User]) -> None:
    context = chromium.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    context.add_init_script(REPORT_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(15000)
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    base = live_server.url
    log_in(page, base, "evn.staff")
    for name in ("alerts:list", "incidents:list", "directives:tasks"):
        response = page.goto(base + reverse(name))
        assert response is not None
        assert "script-src" in (response.headers.get("content-security-policy") or ""), name
        select = page.locator("select[name=status][data-autosubmit]")
        current = select.input_value()
        values = [value for value in select.locator("option").evaluate_all("os => os.map(o => o.value)")]
        chosen = next(value for value in values if value and value != current)
        select.select_option(chosen)
        page.wait_for_url(f"**status={chosen}*")
        assert page.locator("select[name=status]").input_value() == chosen, name
    context.close()
    assert not problems, problems
