"""Settings and shipping rates in the back office (admins only): typed defaults, changes with an audit entry."""

from sqlalchemy import select

from shop.core import audit
from shop.core.settings import get_setting
from shop.extensions import db
from shop.shipping import services as shipping_services
from shop.shipping.models import ShippingMethod
from tests.support import forms
from tests.support.forms import post_form, text


def _audit(entity_type, entity_id):
    return audit.entries_for(entity_type, entity_id)[::-1]  # oldest first


def test_settings_have_typed_defaults_and_are_changed_with_an_audit_entry(app, client, admin):
    assert get_setting("STAFF_REFUND_LIMIT_CENTS") == 10000
    assert get_setting("LOW_STOCK_THRESHOLD") == app.config["LOW_STOCK_THRESHOLD"]
    page = text(client.get("/backoffice/settings"))
    assert forms.input_value(page, "staff_refund_limit") == "100.00"
    response = post_form(client, "/backoffice/settings", {"staff_refund_limit": "$250", "low_stock_threshold": "8"})
    assert response.status_code == 302
    assert (get_setting("STAFF_REFUND_LIMIT_CENTS"), get_setting("LOW_STOCK_THRESHOLD")) == (25000, 8)
    summaries = [e.summary for e in _audit("setting", "STAFF_REFUND_LIMIT_CENTS")]
    assert summaries == ["Largest refund staff may give: $100.00 → $250.00"]
    assert len(_audit("setting", "LOW_STOCK_THRESHOLD")) == 1
    bad = post_form(client, "/backoffice/settings", {"staff_refund_limit": "lots", "low_stock_threshold": "-1"})
    assert bad.status_code == 422 and "Enter an amount in dollars and cents" in text(bad)
    assert get_setting("STAFF_REFUND_LIMIT_CENTS") == 25000


def test_shipping_methods_are_edited_and_added_with_an_audit_entry(client, admin):
    shipping_services.seed_defaults()
    media = db.session.scalar(select(ShippingMethod).filter_by(code="us-media-mail"))
    url = f"/backoffice/settings/shipping/{media.id}"
    assert forms.input_value(text(client.get(url)), "price") == "5.95"
    response = post_form(client, url, {"name": "USPS Media Mail", "region": "domestic", "price": "6.50",
                                       "free_over": "", "delivery_estimate": "5–9 business days", "position": "0"})
    assert response.status_code == 302
    db.session.expire_all()
    media = db.session.get(ShippingMethod, media.id)
    assert (media.price_cents, media.free_over_cents, media.is_active) == (650, None, False)
    [entry] = _audit("shipping_method", media.id)
    assert "price $5.95 → $6.50" in entry.summary and "free over $75.00 → —" in entry.summary
    added = post_form(client, "/backoffice/settings/shipping/new", {
        "code": "us-express", "name": "Express", "region": "domestic", "price": "24.00", "free_over": "300",
        "position": "2", "is_active": "y"})
    assert added.status_code == 302
    express = db.session.scalar(select(ShippingMethod).filter_by(code="us-express"))
    assert (express.price_cents, express.free_over_cents, express.is_active) == (2400, 30000, True)
    assert "Express" in text(client.get("/backoffice/settings"))
    for bad in ({"code": "Bad Code!"}, {"code": "us-express"}, {"code": "x", "price": "free"}):
        refused = post_form(client, "/backoffice/settings/shipping/new", {
            "name": "Another", "region": "domestic", "price": "1.00", **bad})
        assert refused.status_code == 422, bad


def test_a_price_of_only_spaces_is_asked_for_again_not_a_server_error(client, admin):
    """Found by the fuzzing of every form at 500 inputs: "price= " reached the database as NULL (a 500)."""
    shipping_services.seed_defaults()
    media = db.session.scalar(select(ShippingMethod).filter_by(code="us-media-mail"))
    url = f"/backoffice/settings/shipping/{media.id}"
    refused = post_form(client, url, {"name": "USPS Media Mail", "region": "domestic", "price": "   ",
                                      "free_over": "", "position": "0"})
    assert refused.status_code == 422 and "Enter the price, like 5.95." in text(refused)
    db.session.expire_all()
    assert db.session.get(ShippingMethod, media.id).price_cents == 595
    limit = post_form(client, "/backoffice/settings", {"staff_refund_limit": " ", "low_stock_threshold": "8"})
    assert limit.status_code == 422 and "Enter an amount, like 100.00." in text(limit)
    assert get_setting("STAFF_REFUND_LIMIT_CENTS") == 10000
