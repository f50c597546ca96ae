"""What the browser tests share that is not a fixture: viewport sizes and a shopper's steps in the demo shop
(the fixtures themselves are in tests/e2e/conftest.py)."""

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# ---- a shopper's steps, shared by the purchase and accessibility tests ---------------------------

BOOK_TITLE = "Soft Tissue Release"
COURSE_SLUG = "trigger-point-therapy-neck-shoulders"
COURSE_TITLE = "Trigger Point Therapy for the Neck and Shoulders"


def fill_cart(page, base_url):
    """From the home page: the Soft Tissue Release book, then an online course; ends on the cart page."""
    page.goto(base_url + "/")
    page.get_by_role("link", name="See the book").click()
    page.get_by_role("button", name="Add to cart").click()
    page.wait_for_url("**/cart")
    page.goto(f"{base_url}/products/{COURSE_SLUG}")
    page.get_by_role("button", name="Add to cart").click()
    page.wait_for_url("**/cart")


def fill_checkout(page, email, name="Pat Example", password=None):
    """Contact and a US address on the checkout page; the shipping method stays as offered."""
    page.get_by_label("Email").fill(email)
    page.get_by_label("Full name").fill(name)
    if password:
        page.get_by_label("Password").fill(password)
    page.get_by_label("Address", exact=True).fill("12 Harbor Street")
    page.get_by_label("City").fill("Portland")
    page.get_by_label("State / province").fill("ME")
    page.get_by_label("ZIP / postal code").fill("04101")


def fill_card(page, number):
    """The stand-in Payment Element's fields (stripe-standin.js), as a customer types them."""
    card = page.get_by_label("Card number")
    card.fill("")
    card.press_sequentially(number)
    page.get_by_label("Expiration (MM / YY)").fill("12 / 34")
    page.get_by_label("CVC").fill("123")
    page.get_by_label("ZIP", exact=True).fill("04101")
