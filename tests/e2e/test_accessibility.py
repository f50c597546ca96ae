"""axe-core finds no WCAG 2.2 A/AA violations on the storefront's pages, on desktop and phone widths."""

import pytest

from tests.support.accessibility import describe, wcag_violations
from tests.support.browser import DESKTOP, PHONE

pytestmark = pytest.mark.e2e

PAGES = {
    "home": "/",
    "catalogue": "/catalogue",
    "search": "/search?q=myofascial",
    "book": "/products/soft-tissue-release-book",
    "course": "/products/trigger-point-therapy-neck-shoulders",
    "combo": "/products/str-starter-combo",
    "offers": "/offers",
    "policy": "/pages/shipping",
    "not-found": "/products/no-such-product",
}
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}

@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_page_has_no_wcag_violations(live_server, new_page, path, viewport):
    page = new_page(**viewport)
    response = page.goto(live_server + path)
    assert response is not None and response.status == (404 if "no-such" in path else 200)
    violations = wcag_violations(page)
    report = describe(violations)
    if violations:
        print(report)
    assert not violations, f"{len(violations)} axe violation(s) on {path}:\n{report}"


def test_axe_does_report_a_broken_page(new_page):
    """Guard against a silently green run: axe must flag an image without alt text and an unlabelled field."""
    page = new_page()
    page.set_content('<!doctype html><html lang="en"><head><title>Broken</title></head><body><main>'
                     '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="20" height="20">'
                     '<input type="text"></main></body></html>')
    found = {violation["id"] for violation in wcag_violations(page)}
    assert {"image-alt", "label"} <= found, found
