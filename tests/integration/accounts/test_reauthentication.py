"""The password asked again: an admin's refund over the staff limit and any role change need a password given in
the last five minutes (a login counts); wrong or missing, nothing changes (403, with a message), too many wrong
ones are rate-limited, and every check is audited."""

import time

from sqlalchemy import func, select

from shop.accounts import reauth
from shop.accounts.models import User
from shop.core.models import AuditEntry, ShopSetting
from shop.extensions import db
from shop.orders.models import Refund
from tests.factories import UserFactory
from tests.support.desk_helpers import DESK, logged_in, page, post_page_form, quick_order
from tests.support.forms import has_field, text

FIELD = "reauth_password"
PASSWORD = "correct horse battery"


def stale(client, seconds=reauth.FRESH_SECONDS + 1):
    """The password was last given `seconds` ago."""
    with client.session_transaction() as session:
        session[reauth.KEY] = {**session[reauth.KEY], "at": int(time.time()) - seconds}


def check_order(copies=2):
    return quick_order(payment_method="check", lines=[("book", 4995, copies, True)])


def limit(cents):
    db.session.add(ShopSetting(key="STAFF_REFUND_LIMIT_CENTS", value=str(cents)))
    db.session.commit()


def refunds_of(order):
    return db.session.scalar(select(func.count(Refund.id)).where(Refund.order_id == order.id))


def audited(action, user):
    return db.session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.action == action, AuditEntry.entity_type == "user", AuditEntry.entity_id == str(user.id)))


def test_an_admin_refund_over_the_staff_limit_asks_for_the_password_when_it_is_not_fresh(app):
    order = check_order()  # $99.90
    limit(5000)
    admin, user = logged_in(app, role="admin")
    stale(admin)
    url = f"{DESK}/{order.number}/refund"
    assert has_field(page(admin, url), FIELD)

    missing = post_page_form(admin, url, {"amount": "60.00", "reason": "Damaged"})
    assert missing.status_code == 403 and "Enter your password to confirm this refund" in text(missing)
    wrong = post_page_form(admin, url, {"amount": "60.00", "reason": "Damaged", FIELD: "not my password"})
    assert wrong.status_code == 403 and "That is not your password, so nothing was changed." in text(wrong)
    assert refunds_of(order) == 0 and audited("password check failed", user) == 1

    right = post_page_form(admin, url, {"amount": "60.00", "reason": "Damaged", FIELD: PASSWORD})
    assert right.status_code == 303 and refunds_of(order) == 1
    assert audited("password confirmed", user) == 1
    again = post_page_form(admin, url, {"amount": "20.00", "reason": "More"})  # given a moment ago
    assert again.status_code == 303 and refunds_of(order) == 2
    assert not has_field(page(admin, url), FIELD)


def test_a_refund_by_items_over_the_limit_asks_too(app):
    order = check_order()
    limit(5000)
    admin, _ = logged_in(app, role="admin")
    stale(admin)
    url = f"{DESK}/{order.number}/refund"
    line_id = order.lines[0].id
    refused = post_page_form(admin, url, {"mode": "lines", f"refund-qty-{line_id}": "2", "reason": "Both"})
    assert refused.status_code == 403 and refunds_of(order) == 0
    assert post_page_form(admin, url, {"mode": "lines", f"refund-qty-{line_id}": "2", "reason": "Both",
                                       FIELD: PASSWORD}).status_code == 303


def test_refunds_within_the_limit_and_staff_bound_by_it_are_not_asked(app):
    order = check_order(copies=3)
    limit(5000)
    admin, _ = logged_in(app, role="admin")
    stale(admin)
    url = f"{DESK}/{order.number}/refund"
    assert post_page_form(admin, url, {"amount": "10.00", "reason": "Small"}).status_code == 303

    staff, _ = logged_in(app, role="staff")
    stale(staff)
    assert not has_field(page(staff, url), FIELD)
    assert post_page_form(staff, url, {"amount": "10.00", "reason": "Small"}).status_code == 303
    over = post_page_form(staff, url, {"amount": "40.00", "reason": "Over", FIELD: PASSWORD})
    assert over.status_code == 403 and "Ask an admin to make this refund" in text(over)  # the limit, not the password
    assert refunds_of(order) == 2


def test_a_role_change_asks_for_the_password_when_it_is_not_fresh(app):
    admin, user = logged_in(app, role="admin")
    target = UserFactory(email="pat@example.com")
    url = f"/backoffice/users/{target.id}/role"
    assert post_page_form(admin, url, {"role": "marketing"}, page_url=f"/backoffice/users/{target.id}"
                          ).status_code == 302  # the login was a moment ago
    stale(admin)
    assert has_field(page(admin, f"/backoffice/users/{target.id}"), FIELD)
    missing = post_page_form(admin, url, {"role": "staff"}, page_url=f"/backoffice/users/{target.id}")
    assert missing.status_code == 403 and "Enter your password to confirm this role change" in text(missing)
    wrong = post_page_form(admin, url, {"role": "staff", FIELD: "guessing wrongly"},
                           page_url=f"/backoffice/users/{target.id}")
    assert wrong.status_code == 403 and "That is not your password" in text(wrong)
    db.session.expire_all()
    assert db.session.get(User, target.id).role == "marketing"
    right = post_page_form(admin, url, {"role": "staff", FIELD: PASSWORD}, page_url=f"/backoffice/users/{target.id}")
    assert right.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, target.id).role == "staff"
    assert audited("password check failed", user) == 1 and audited("password confirmed", user) == 1


def test_bad_role_input_is_refused_before_the_password_is_asked(app):
    admin, _ = logged_in(app, role="admin")
    target = UserFactory()
    stale(admin)
    bad = post_page_form(admin, f"/backoffice/users/{target.id}/role", {"role": "wizard", FIELD: "x" * 1001},
                         page_url=f"/backoffice/users/{target.id}")
    assert bad.status_code == 422


def test_wrong_passwords_are_rate_limited(app):
    admin, _ = logged_in(app, role="admin")
    target = UserFactory()
    stale(admin)
    url, at = f"/backoffice/users/{target.id}/role", f"/backoffice/users/{target.id}"
    for _ in range(5):
        assert post_page_form(admin, url, {"role": "staff", FIELD: "wrong again"}, page_url=at).status_code == 403
    locked = post_page_form(admin, url, {"role": "staff", FIELD: PASSWORD}, page_url=at)
    assert locked.status_code == 429 and "Too many wrong passwords" in text(locked)
    db.session.expire_all()
    assert db.session.get(User, target.id).role == "customer"


def test_the_mark_lasts_five_minutes_and_belongs_to_one_account_and_session_version(app):
    user, other = UserFactory(role="admin"), UserFactory(role="admin")
    with app.test_request_context():
        assert not reauth.is_fresh(user)
        reauth.mark(user, now=1_000_000)
        assert reauth.is_fresh(user, now=1_000_000 + reauth.FRESH_SECONDS)
        assert not reauth.is_fresh(user, now=1_000_000 + reauth.FRESH_SECONDS + 1)
        assert not reauth.is_fresh(other, now=1_000_000)
        user.end_sessions()
        assert not reauth.is_fresh(user, now=1_000_000)
