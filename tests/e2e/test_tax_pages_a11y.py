"""The sales-tax pages in Chromium, reached from the back office's menu by an admin: axe finds no WCAG 2.2 A/AA
violation on the list of states and provinces, a rate's form refusing a bad rate, the list collecting it, and
the form with its history and the button that stops collecting (pressed at the end, so no other test's order
is taxed)."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.support.accessibility import VIEWPORTS, Audit

pytestmark = pytest.mark.e2e


def _admin(live_app):
    with live_app.app_context():
        return UserFactory(role="admin", email=f"tax-{uuid.uuid4().hex[:8]}@example.com", full_name="Ada Admin").email


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
def test_the_sales_tax_pages_are_accessible_and_a_rate_is_set_and_removed(live_app, live_server, new_page,
                                                                         screenshots, viewport):
    page = new_page(**viewport)
    audit = Audit(page, screenshots, viewport["width"])
    page.goto(live_server + "/account/login")
    page.get_by_label("Email").fill(_admin(live_app))
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.locator("#main button[type=submit]").click()
    page.wait_for_url(re.compile(r"/account$|/backoffice|/$"))

    page.goto(live_server + "/backoffice")
    page.get_by_role("navigation", name="Back office").get_by_role("link", name="Sales tax", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sales tax")
    audit.check("tax-rates")

    page.get_by_role("link", name="Set a rate for Yukon").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sales tax: Yukon")
    page.get_by_label("Rate (%)").fill("five")
    page.get_by_role("button", name="Save rate").click()
    expect(page.get_by_label("Rate (%)")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("Enter the rate as a percentage, like 7.25.")).to_be_visible()
    audit.check("tax-rate-refused")

    page.get_by_label("Rate (%)").fill("5")
    page.get_by_label("Online courses and the membership are taxed").check()
    page.get_by_role("button", name="Save rate").click()
    expect(page.get_by_text("Yukon: sales tax saved")).to_be_visible()
    expect(page.locator("#CA-YT")).to_contain_text("5%")
    audit.check("tax-rates-collecting")

    page.get_by_role("link", name="Change for Yukon").click()
    audit.check("tax-rate-form")
    page.get_by_role("button", name="Stop collecting tax here").click()
    expect(page.get_by_text("Yukon: no sales tax is collected any more")).to_be_visible()
    expect(page.locator("#CA-YT")).to_contain_text("No tax")
    audit.assert_clean()
