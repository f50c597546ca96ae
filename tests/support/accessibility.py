"""axe-core in the browser tests: a page's WCAG 2.2 A/AA violations, and a readable report of them."""

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

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
