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
from tests.support.accessibility import VIEWPORTS, Audit
from tests.support.browser import fill_card, fill_cart, fill_checkout

pytestmark = pytest.mark.e2e

ACCOUNT_FORMS = {"login": "/account/login", "register": "/account/register",
                 "forgot-password": "/account/forgot-password"}
PASSWORD = "correct horse battery"
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
