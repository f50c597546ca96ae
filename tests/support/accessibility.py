"""axe-core in the browser tests: a page's WCAG 2.2 A/AA violations, a readable report of them, and `Audit`, which
checks each page of a walk (axe, sideways scrolling) and saves its screenshot."""

from axe_playwright_python.sync_playwright import Axe

from tests.support.browser import DESKTOP, PHONE

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


VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}
# The page scrolls sideways, or a table or form sticks out of the box it sits in.
OVERFLOW_JS = """() => {
    const problems = [];
    const page = document.documentElement.scrollWidth - document.documentElement.clientWidth;
    if (page > 0) problems.push(`the page scrolls sideways by ${page}px`);
    for (const el of document.querySelectorAll('main table, main form, main fieldset')) {
        const box = el.parentElement.getBoundingClientRect(), style = getComputedStyle(el.parentElement);
        const right = box.right - parseFloat(style.paddingRight) - parseFloat(style.borderRightWidth);
        const out = Math.round(el.getBoundingClientRect().right - right);
        const what = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className ? '.' + el.className : '');
        if (out > 1) problems.push(`${what} sticks out of its box by ${out}px`);
    }
    return problems.join('; ');
}"""


class Audit:
    """Runs axe on each page of a walk, saves a full-page screenshot, and reports all violations at the end."""

    def __init__(self, page, directory, width):
        self.page, self.directory, self.width = page, directory, width
        self.reports = {}

    def check(self, name):
        self.page.wait_for_load_state("load")
        self.page.screenshot(path=str(self.directory / f"{name}-{self.width}.png"), full_page=True)
        violations = wcag_violations(self.page)
        if violations:
            self.reports[name] = describe(violations)
        overflow = self.page.evaluate(OVERFLOW_JS)
        if overflow:
            self.reports[f"{name} (layout)"] = overflow

    def assert_clean(self):
        report = "\n".join(f"{name}:\n{text}" for name, text in self.reports.items())
        assert not self.reports, f"problems on {len(self.reports)} page(s) at {self.width}px:\n{report}"
