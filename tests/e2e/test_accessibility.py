"""axe-core finds no WCAG 2.2 A/AA violations on the storefront's pages, on desktop and phone widths."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
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

_axe = Axe()


def wcag_violations(page):
    """axe-core's WCAG 2.2 A/AA violations on the page as it is now."""
    results = _axe.run(page, options={
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "resultTypes": ["violations"],
    })
    return results.response["violations"]


def describe(violations):
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            summary = " ".join(line.strip() for line in node.get("failureSummary", "").splitlines()[1:])
            lines.append(f"    at {' > '.join(map(str, node['target']))}: {summary}")
    return "\n".join(lines)


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
