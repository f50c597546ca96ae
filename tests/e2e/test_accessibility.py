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
}
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}

_axe = Axe()


def describe(violations):
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            lines.append(f"    {node['target']}: {node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_page_has_no_wcag_violations(live_server, new_page, path, viewport):
    page = new_page(**viewport)
    response = page.goto(live_server + path)
    assert response is not None and response.status == 200
    results = _axe.run(page, options={
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "resultTypes": ["violations"],
    })
    violations = results.response["violations"]
    report = describe(violations)
    if violations:
        print(report)
    assert not violations, f"{len(violations)} axe violation(s) on {path}:\n{report}"
