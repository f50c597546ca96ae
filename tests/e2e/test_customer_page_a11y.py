"""The back office's customer search, customer page and merge step in Chromium: no WCAG 2.2 A/AA violation at
desktop and phone widths, and "New phone order for this customer" opens the phone desk with the caller."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from shop.extensions import db
from shop.phone.models import CallLogEntry
from tests.factories import DEFAULT_PASSWORD, AddressFactory, UserFactory
from tests.support.accessibility import VIEWPORTS, Audit
from tests.support.desk_helpers import quick_order, unique_number

pytestmark = pytest.mark.e2e


def _people(live_app):
    tag = uuid.uuid4().hex[:8]
    with live_app.app_context():
        staff = UserFactory(role="staff", email=f"desk-{tag}@example.com").email
        pat = UserFactory(email=f"pat-{tag}@example.com", full_name=f"Pat {tag}", phone="207 555 0142")
        AddressFactory(user=pat, line1="12 Harbor Street", city="Portland", region="ME", postal_code="04101")
        quick_order(email=pat.email, user_id=pat.id, channel="phone", number=unique_number())
        db.session.add(CallLogEntry(customer_id=pat.id, caller_email=pat.email, notes="Asked about seminars"))
        other = UserFactory(email=f"pat-work-{tag}@example.com").email
        db.session.commit()
        names = (staff, pat.email, other, tag)
        db.session.remove()
    return names


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
def test_customer_pages_are_accessible(live_app, live_server, new_page, screenshots, viewport):
    staff, pat, other, tag = _people(live_app)
    page = new_page(**viewport)
    audit = Audit(page, screenshots, viewport["width"])
    page.goto(live_server + "/account/login")
    page.get_by_label("Email").fill(staff)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.locator("#main button[type=submit]").click()
    page.wait_for_url(re.compile(r"/account$|/backoffice|/$"))

    page.goto(live_server + "/backoffice/customers")
    page.get_by_label("Name, e-mail, phone or order number").fill(tag)
    page.get_by_role("button", name="Find").click()
    audit.check("customers-search")
    page.get_by_role("link", name=f"Pat {tag}").click()
    expect(page.get_by_text("Asked about seminars")).to_be_visible()
    page.get_by_label("Add a note about this customer").fill("Prefers calls after 3 pm")
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_text("Prefers calls after 3 pm")).to_be_visible()
    audit.check("customer-page")

    page.get_by_label("E-mail of the record to keep").fill(other)
    page.get_by_role("button", name="Merge", exact=True).click()
    expect(page.get_by_role("button", name="Merge them")).to_be_visible()
    audit.check("customer-merge-confirm")
    page.go_back()
    page.get_by_role("button", name="New phone order for this customer").click()
    page.wait_for_url(re.compile(r"/backoffice/phone/new\?draft="))
    expect(page.locator("#caller-card")).to_contain_text(pat)
    audit.assert_clean()
