"""A visitor joins the membership in Chromium with the test card, opens a course it gives, cancels at
period end from the account page; axe finds no WCAG 2.2 A/AA violation on the membership, join and
account pages."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.support.accessibility import describe, wcag_violations
from tests.support.browser import COURSE_TITLE, fill_card

pytestmark = pytest.mark.e2e

MEMBERSHIP_SLUG = "all-access-membership"


def _no_violations(page, what):
    violations = wcag_violations(page)
    assert not violations, f"{what}:\n{describe(violations)}"


def test_a_visitor_joins_opens_a_course_and_cancels_at_period_end(live_app, live_shop, page, artifacts_dir):
    base = live_shop
    page.goto(f"{base}/products/{MEMBERSHIP_SLUG}")
    _no_violations(page, "the membership's page")
    page.get_by_role("link", name=re.compile(r"Join for \$19\.95 a month")).first.click()
    page.wait_for_url("**/membership")
    page.wait_for_selector(".stripe-standin")
    expect(page.locator("#charge-statement")).to_contain_text("$19.95 today, then $19.95 on the")
    _no_violations(page, "the join page")
    page.screenshot(path=str(artifacts_dir / "membership-join.png"), full_page=True)

    page.get_by_label("Email").fill(f"member-{uuid.uuid4().hex[:8]}@example.com")
    page.get_by_label("Full name").fill("Sam Okafor")
    page.get_by_label("Choose a password").fill("a long enough password 42")
    fill_card(page, "4242 4242 4242 4242")
    page.get_by_role("button", name=re.compile("Join for")).click()
    page.wait_for_url("**/my/courses")
    expect(page.get_by_text("Every course is open to you now")).to_be_visible()
    page.get_by_role("link", name=COURSE_TITLE).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(COURSE_TITLE)

    page.goto(f"{base}/account")
    _no_violations(page, "My account")
    page.get_by_role("link", name="Manage your membership").click()
    expect(page.locator("#membership-state")).to_have_text("Active")
    page.wait_for_selector(".stripe-standin")
    _no_violations(page, "the membership's account page")
    page.get_by_role("button", name="Cancel my membership").click()
    expect(page.get_by_text("you keep access until then").first).to_be_visible()
    expect(page.locator("#membership-state")).to_have_text("Cancelling")
    page.screenshot(path=str(artifacts_dir / "membership-cancelling.png"), full_page=True)
    _no_violations(page, "the membership's account page, cancelling")
