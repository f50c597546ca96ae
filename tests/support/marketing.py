"""The marketing room's pages in tests: a logged-in marketer, the promotion form as a browser posts it."""

import re

from shop.extensions import db
from shop.promotions.models import Promotion
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.support.forms import log_in, post_form

NEW = "/marketing/promotions/new"


def page_text(response):
    return response.get_data(as_text=True)


def log_in_marketer(client, role="marketing"):
    user = UserFactory(role=role)
    assert log_in(client, user.email, DEFAULT_PASSWORD).status_code == 302
    return user


def promo_form(**overrides):
    """The promotion form as a browser posts it: a 15 % automatic promotion on everything by default."""
    data = {
        "name": "Spring Sale", "public_description": "15% off everything", "starts_local": "", "ends_local": "",
        "channels": "both", "unlock": "automatic", "code": "", "is_public": "y", "stacking": "combinable",
        "priority": "0", "benefit_kind": "percent", "percent": "15", "amount_off": "", "fixed_price": "",
        "buy_quantity": "", "get_quantity": "", "get_discount": "100", "applies_to": "everything",
        "min_subtotal": "", "min_quantity": "", "email_domains": "", "customer_emails": "",
        "max_redemptions": "", "max_per_customer": "", "budget": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def create_promotion(client, **overrides):
    """Create a promotion through the form (as the logged-in client); the saved row."""
    response = post_form(client, NEW, promo_form(**overrides))
    assert response.status_code == 302, page_text(response)
    promotion_id = int(re.search(r"/promotions/(\d+)$", response.headers["Location"]).group(1))
    return db.session.get(Promotion, promotion_id)
