"""No card number is ever kept: one typed into free text where it does not belong (a caller reading theirs out
into a note, an address, a name) is replaced before it is saved, one typed into a structured field (a phone
number, a city, a postal code) is refused with a message, and the scan every test ends with
(tests.support.leaks) finds one that reached a table or a log line by any other way, and a password not hashed
with Argon2id."""

import logging

from sqlalchemy import update

from shop.accounts.models import Address, User
from shop.core.text import CARD_REDACTED
from shop.extensions import db
from shop.orders.models import OrderEvent
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.support import leaks
from tests.support.desk_helpers import DESK, logged_in, page, post_page_form, quick_order
from tests.support.forms import log_in, post_form

CARD = "4242 4242 4242 4242"


def test_a_card_number_typed_into_an_order_note_is_replaced_before_it_is_saved(app):
    client, _ = logged_in(app)
    order = quick_order()
    url = f"{DESK}/{order.number}"
    response = post_page_form(client, f"{url}/notes", {"note": f"Caller read out {CARD} by mistake."}, page_url=url)
    assert response.status_code == 303
    notes = [event.message for event in db.session.execute(db.select(OrderEvent)).scalars()]
    assert any(CARD_REDACTED in note for note in notes) and not any("4242" in note for note in notes)
    assert CARD_REDACTED in page(client, url)


def test_a_card_number_typed_as_a_name_on_registering_is_not_kept(app, client):
    response = post_form(client, "/account/register", {"full_name": f"Pat {CARD}", "email": "pat@example.com",
                                                       "password": "a long enough passphrase"})
    assert response.status_code in (200, 302, 303)
    names = [user.full_name for user in db.session.execute(db.select(User)).scalars()]
    assert names and all("4242" not in name for name in names)


def test_the_scan_finds_a_card_number_in_any_table_and_a_password_not_hashed_with_argon2id(app):
    order = quick_order()
    user = UserFactory()
    assert leaks.findings() == []
    db.session.execute(OrderEvent.__table__.insert().values(order_id=order.id, kind="note", message=f"pan {CARD}"))
    db.session.execute(update(User).where(User.id == user.id).values(password_hash="plaintext-password"))
    db.session.commit()
    found = leaks.findings()
    assert any("order_events.message" in f and "4242" in f for f in found)
    assert any("Argon2id" in f and "users" in f for f in found)
    db.session.execute(OrderEvent.__table__.delete())  # leave nothing for this test's own scan at teardown
    db.session.execute(update(User).where(User.id == user.id).values(password_hash=None))
    db.session.commit()


def test_the_scan_finds_a_card_number_in_a_log_line(app):
    logging.getLogger("shop.anything").warning("payment failed for card 4000 0566 5566 5556")
    found = leaks.findings()
    assert found == ["card number in a log line: payment failed for card 4000 0566 5566 5556"]


def test_a_card_number_typed_as_a_phone_number_or_a_city_is_refused_with_a_message_and_nothing_saved(app):
    user = UserFactory()
    client = app.test_client()
    log_in(client, user.email, DEFAULT_PASSWORD)
    address = {"name": "Pat Doe", "line1": "1 Main St", "city": "Portland", "postal_code": "04101",
               "country": "US"}
    for field in ("phone", "city", "region", "postal_code"):
        response = post_page_form(client, "/account/addresses", {**address, field: CARD},
                                  page_url="/account/addresses/new")
        assert response.status_code == 422, field
        assert "secure card box" in response.get_data(as_text=True)
    assert db.session.execute(db.select(db.func.count()).select_from(Address)).scalar() == 0
