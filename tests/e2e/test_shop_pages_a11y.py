"""axe-core finds no WCAG 2.2 A/AA violations on the buying and account pages, at desktop and phone widths.

One walk per width: cart with items, checkout with the Payment Element mounted, the confirmation page
of an order placed with "create an account", My account (before and after the address is verified),
the address form. Full-page screenshots of each go to test-artifacts/screenshots/.
"""

import re
import uuid

import pytest
from playwright.sync_api import expect

from shop.accounts import services as accounts
from shop.accounts import tokens
from shop.extensions import db
from tests.support.accessibility import describe, wcag_violations
from tests.support.browser import DESKTOP, PHONE, fill_card, fill_cart, fill_checkout

pytestmark = pytest.mark.e2e

VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}
ACCOUNT_FORMS = {"login": "/account/login", "register": "/account/register",
                 "forgot-password": "/account/forgot-password"}
PASSWORD = "correct horse battery"
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


@pytest.fixture(scope="session")
def screenshots(artifacts_dir):
    directory = artifacts_dir / "screenshots"
    directory.mkdir(exist_ok=True)
    return directory


def verify(app, email):
    """Follow the e-mail verification link's effect, through the accounts service."""
    with app.app_context():
        user = accounts.user_by_email(email)
        accounts.verify_email(tokens.make_verify_token(user), user)
        db.session.remove()


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
def test_buying_and_account_pages(live_app, live_shop, new_page, screenshots, viewport):
    page = new_page(**viewport)
    audit = Audit(page, screenshots, viewport["width"])
    email = f"a11y-{uuid.uuid4().hex[:10]}@example.com"

    fill_cart(page, live_shop)
    audit.check("cart")

    page.get_by_role("link", name="Checkout").click()
    page.wait_for_selector(".stripe-standin")
    audit.check("checkout")

    # the card is fine but the contact details are missing: the server's answer marks the fields
    fill_card(page, "4242 4242 4242 4242")
    page.get_by_role("button", name="Place order").click()
    page.locator("#form-error").wait_for(state="visible")
    email_input = page.get_by_label("Email")
    expect(email_input).to_have_attribute("aria-invalid", "true")
    expect(email_input).to_have_accessible_description("Enter your email address.")
    audit.check("checkout-errors")

    fill_checkout(page, email, password=PASSWORD)
    page.get_by_role("button", name="Place order").click()
    page.wait_for_url(re.compile(r"/orders/[^/]+/thanks$"))
    assert "is confirmed" in page.get_by_role("heading", level=1).inner_text()
    audit.check("confirmation")

    # "create an account" at checkout logs nobody in (that would tell a taken address from a new one)
    page.goto(live_shop + "/account/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("#main button[type=submit]").click()
    page.wait_for_url(re.compile(r"/account$"))
    page.goto(live_shop + "/account")
    audit.check("account-unverified")

    page.goto(live_shop + "/account/addresses/new")
    audit.check("address-form")
    page.get_by_label("Street address").fill("12 Harbor Street")
    page.get_by_label("City").fill("Portland")
    page.get_by_label("Full name").fill("Pat Example")
    page.get_by_role("button", name="Save address").click()

    verify(live_app, email)
    page.goto(live_shop + "/account")
    assert page.locator("#orders tbody tr").count() == 1
    audit.check("account")
    audit.assert_clean()


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
@pytest.mark.parametrize("path", ACCOUNT_FORMS.values(), ids=ACCOUNT_FORMS.keys())
def test_account_forms(live_server, new_page, screenshots, path, viewport):
    page = new_page(**viewport)
    response = page.goto(live_server + path)
    assert response is not None and response.status == 200
    audit = Audit(page, screenshots, viewport["width"])
    audit.check(path.rsplit("/", 1)[-1])
    # the same form after the server refused an empty submit: errors shown next to the fields
    form = page.locator("main form").first
    form.evaluate("form => { form.noValidate = true; }")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    audit.check(path.rsplit("/", 1)[-1] + "-errors")
    audit.assert_clean()
