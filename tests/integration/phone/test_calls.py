"""The call log: calls without an order logged by staff, searchable, newest first, a page at a time."""

from datetime import datetime, timedelta

import pytest

from shop.core.timeutil import utcnow
from shop.extensions import db
from shop.orders.models import Order
from shop.phone.models import CallLogEntry
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.support.forms import log_in, post_form
from tests.support.phone_helpers import staff_client

CALLS = "/backoffice/phone/calls"


@pytest.fixture
def desk(app):
    client, staff = staff_client(app)
    return client, staff


def _log(client, **fields):
    data = {"outcome": "question", "caller_name": "", "caller_phone": "", "caller_email": "", "notes": "",
            "callback_due": "", "order_number": "", **fields}
    return post_form(client, CALLS, data)


def test_calls_are_logged_with_their_kind_and_callbacks_need_a_time(desk):
    client, staff = desk
    assert _log(client, caller_name="Ann Asker", caller_phone="(503) 555-0111", notes="Is the CE accepted in Oregon?"
                ).status_code == 303
    no_time = _log(client, outcome="callback", caller_name="Bo Back", notes="Call me about the kit")
    assert no_time.status_code == 422 and "when the caller wants to be called back" in no_time.get_data(as_text=True)
    assert _log(client, outcome="callback", caller_name="Bo Back", caller_email="BO@example.com",
                notes="Call me about the kit", callback_due="2030-03-04T15:30").status_code == 303
    assert _log(client, outcome="complaint", notes="Parcel arrived damaged").status_code == 422  # nobody named
    assert _log(client, outcome="sales", caller_name="X", notes="y").status_code == 422
    assert _log(client, caller_name="X", notes="y", callback_due="next tuesday", outcome="callback").status_code == 422
    assert _log(client, caller_name="X", notes="", outcome="other").status_code == 422
    assert _log(client, caller_name="X", notes="y", order_number="STR-1").status_code == 404
    entries = db.session.execute(db.select(CallLogEntry).order_by(CallLogEntry.id)).scalars().all()
    assert [(e.outcome, e.caller_name, e.staff_id) for e in entries] == [
        ("question", "Ann Asker", staff.id), ("callback", "Bo Back", staff.id)]
    assert entries[1].caller_email == "bo@example.com"
    assert entries[1].callback_due_at == datetime(2030, 3, 4, 20, 30)  # 3:30 pm in New York, stored in UTC
    page = client.get(CALLS).get_data(as_text=True)
    assert "Callbacks coming up" in page and "Mar 4, 3:30 PM" in page


def test_search_by_name_phone_email_or_notes_newest_first_and_paged(app, desk):
    client, staff = desk
    now = utcnow()
    order = Order(email="kim@example.com", number="STR-900002", channel="phone", status="paid")
    db.session.add(order)
    db.session.flush()
    for n in range(30):
        db.session.add(CallLogEntry(staff_id=staff.id, caller_name=f"Caller {n:02d}", caller_phone=f"555 01{n:02d}",
                                    caller_email=f"c{n}@example.com", notes="asked about shipping" if n % 2 else
                                    "asked about CE hours", outcome="question", created_at=now - timedelta(minutes=n)))
    db.session.add(CallLogEntry(staff_id=staff.id, caller_name="Kim Buyer", caller_email="kim@example.com",
                                outcome="order", notes="", order_id=order.id, created_at=now + timedelta(minutes=1)))
    db.session.commit()

    first = client.get(CALLS).get_data(as_text=True)
    assert "31 calls" in first and "page 1 of 2" in first
    assert first.index("Kim Buyer") < first.index("Caller 00") < first.index("Caller 01")  # newest first
    assert 'href="/backoffice/phone/orders/STR-900002"' in first
    assert "Caller 24" not in first and "Caller 24" in client.get(CALLS + "?page=2").get_data(as_text=True)
    assert "1 call matching" in client.get(CALLS + "?q=caller 07").get_data(as_text=True)
    assert "Caller 07" in client.get(CALLS + "?q=5550107").get_data(as_text=True)
    assert "1 call matching" in client.get(CALLS + "?q=C12@EXAMPLE.COM").get_data(as_text=True)
    assert "15 calls matching" in client.get(CALLS + "?q=ce hours").get_data(as_text=True)
    assert "1 call" in client.get(CALLS + "?outcome=order").get_data(as_text=True)
    for odd in ("?page=0", "?page=-3", "?page=99999999", "?page=x", "?outcome=%00", "?q=" + "%25" * 300):
        assert client.get(CALLS + odd).status_code == 200


def test_only_staff_see_or_write_the_call_log(app, desk):
    customer = UserFactory()
    other = app.test_client()
    log_in(other, customer.email, DEFAULT_PASSWORD)
    assert other.get(CALLS).status_code == 403
    assert post_form(other, CALLS, {"outcome": "question", "caller_name": "x", "notes": "y"},
                     page="/account").status_code == 403
    assert app.test_client().get(CALLS).status_code == 302
    assert db.session.execute(db.select(CallLogEntry)).scalars().all() == []
