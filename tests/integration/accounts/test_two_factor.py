"""Two-factor sign-in: setting it up (QR code, secret, ten recovery codes shown once, kept hashed), the login's
second step (nobody logged in until the code, codes never accepted twice, recovery codes single use, wrong codes
rate-limited with the logins, "keep me logged in" kept, the pending step expiring), turning it off, and admins
requiring it for staff."""

import time

import pyotp
from sqlalchemy import select

from shop.accounts import ratelimit, two_factor
from shop.accounts.models import User
from shop.core.models import AuditEntry
from shop.extensions import db
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.support.forms import csrf_token, has_field, log_in, post_form, soup, text

SECOND_STEP = "/account/login/two-factor"
SETTINGS = "/backoffice/settings"


def enable(user):
    """Turn two-factor sign-in on for `user` through the service, confirmed a minute ago (so the code of the
    current time step is still unused). Returns (TOTP, recovery codes)."""
    secret = two_factor.begin_setup(user)
    totp = pyotp.TOTP(secret)
    earlier = time.time() - 60
    codes = two_factor.confirm_setup(user, totp.at(earlier), now=earlier)
    return totp, codes


def fresh(user):
    db.session.expire_all()
    return db.session.get(User, user.id)


def second_step(client, code):
    return post_form(client, SECOND_STEP, {"code": code})


def actions(user_id):
    return db.session.scalars(select(AuditEntry.action).where(AuditEntry.entity_type == "user",
                                                              AuditEntry.entity_id == str(user_id))).all()


def test_setting_up_shows_a_qr_code_and_the_secret_and_gives_ten_recovery_codes_once(app, client):
    staff = UserFactory(role="staff")
    log_in(client, staff.email, DEFAULT_PASSWORD)
    assert "Two-factor sign-in" in text(client.get("/account"))
    assert post_form(client, "/account/two-factor/start", page="/account/two-factor").status_code == 302
    page = client.get("/account/two-factor/setup")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    secret = fresh(staff).totp_secret
    image = soup(text(page)).find("img", alt="QR code for your authenticator app")
    assert image["src"].startswith("data:image/svg+xml") and secret in text(page)
    assert fresh(staff).totp_enabled_at is None  # not on until a code confirms it

    wrong = post_form(client, "/account/two-factor/setup", {"code": "000000" if pyotp.TOTP(secret).now() != "000000"
                                                            else "111111"})
    assert wrong.status_code == 422 and "That code is not right" in text(wrong)
    assert post_form(client, "/account/two-factor/setup", {"code": "x" * 41}).status_code == 422
    assert fresh(staff).totp_enabled_at is None

    done = post_form(client, "/account/two-factor/setup", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200 and done.headers["Cache-Control"] == "no-store"
    codes = [tag.get_text() for tag in soup(text(done)).select(".recovery-codes code")]
    assert len(codes) == 10 == len(set(codes)) and all(len(code) == 14 for code in codes)
    stored = fresh(staff).recovery_code_hashes
    assert fresh(staff).totp_enabled_at is not None and len(stored.split("\n")) == 10
    assert not any(code in stored or code.replace("-", "") in stored for code in codes)  # only hashes are kept
    assert "two-factor on" in actions(staff.id)
    again = client.get("/account/two-factor/setup")  # the codes and the secret are not shown again
    assert again.status_code == 302 and secret not in text(client.get("/account/two-factor"))


def test_after_the_password_nobody_is_logged_in_until_the_code_is_given(app, client):
    staff = UserFactory(role="staff")
    totp, _ = enable(staff)
    response = log_in(client, staff.email, DEFAULT_PASSWORD, next_url="/backoffice/orders")
    assert response.status_code == 302 and response.headers["Location"].endswith(SECOND_STEP)
    with client.session_transaction() as session:
        assert "_user_id" not in session and session[two_factor.PENDING_KEY]["user"] == staff.id
    assert client.get("/backoffice/orders").headers["Location"].startswith("/account/login")
    assert client.get("/account").status_code == 302
    page = client.get(SECOND_STEP)
    assert page.status_code == 200 and has_field(text(page), "code")

    done = second_step(client, totp.now())
    assert done.status_code == 302 and done.headers["Location"].endswith("/backoffice/orders")
    assert client.get("/backoffice/orders").status_code == 200
    with client.session_transaction() as session:
        assert two_factor.PENDING_KEY not in session


def test_a_code_is_never_accepted_twice(app, client):
    customer = UserFactory()
    totp, _ = enable(customer)
    code = totp.now()
    log_in(client, customer.email, DEFAULT_PASSWORD)
    assert second_step(client, code).status_code == 302
    post_form(client, "/account/logout", page="/account")
    log_in(client, customer.email, DEFAULT_PASSWORD)
    replay = second_step(client, code)
    assert replay.status_code == 422 and "That code is not right" in text(replay)
    assert client.get("/account").status_code == 302  # still nobody logged in


def test_codes_a_step_either_side_are_accepted_and_older_ones_not(app):
    user = UserFactory(role="admin")
    totp, _ = enable(user)
    now = time.time() + 300  # later than the step that confirmed the setup
    assert not two_factor.verify(user, totp.at(now - 60), now)  # two steps old
    assert two_factor.verify(user, totp.at(now - 30), now)
    assert not two_factor.verify(user, totp.at(now - 30), now)  # used
    assert two_factor.verify(user, totp.at(now + 30), now)  # a phone a little fast
    assert not two_factor.verify(user, totp.at(now), now)  # earlier than the last step accepted
    assert not two_factor.verify(user, "12345", now) and not two_factor.verify(user, "", now)


def test_a_recovery_code_logs_in_once(app, client):
    staff = UserFactory(role="staff")
    _, codes = enable(staff)
    log_in(client, staff.email, DEFAULT_PASSWORD)
    assert second_step(client, codes[3].upper().replace("-", " ")).status_code == 302  # typed loosely
    assert two_factor.recovery_codes_left(fresh(staff)) == 9 and "recovery code used" in actions(staff.id)
    post_form(client, "/account/logout", page="/account")
    log_in(client, staff.email, DEFAULT_PASSWORD)
    assert second_step(client, codes[3]).status_code == 422
    assert second_step(client, codes[4]).status_code == 302


def test_wrong_codes_count_per_account_and_a_right_password_does_not_reset_them(app, client):
    staff = UserFactory(role="staff")
    totp, _ = enable(staff)
    log_in(client, staff.email, DEFAULT_PASSWORD)
    wrong = "999999" if totp.now() != "999999" else "888888"
    for _ in range(4):
        assert second_step(client, wrong).status_code == 422
    log_in(client, staff.email, DEFAULT_PASSWORD)  # the right password again: the wrong codes still count
    assert second_step(client, wrong).status_code == 422
    locked = second_step(client, totp.now())
    assert locked.status_code == 429 and "Too many wrong codes" in text(locked)
    assert client.get("/account").status_code == 302
    assert actions(staff.id).count("two-factor code refused") == 5


def test_wrong_codes_count_against_the_login_limits_per_e_mail_and_per_address(app, client):
    staff = UserFactory(role="staff")
    totp, _ = enable(staff)
    log_in(client, staff.email, DEFAULT_PASSWORD)
    wrong = "999999" if totp.now() != "999999" else "888888"
    for _ in range(5):
        assert second_step(client, wrong).status_code == 422
    locked = log_in(client, staff.email, DEFAULT_PASSWORD)
    assert locked.status_code == 429 and "Too many failed attempts" in text(locked)
    assert ratelimit.count(ratelimit.LOGIN_PER_IP.kind, "127.0.0.1", ratelimit.LOGIN_PER_IP.window) == 5


def test_keep_me_logged_in_still_works_after_the_second_step(app, client):
    customer = UserFactory()
    totp, _ = enable(customer)
    log_in(client, customer.email, DEFAULT_PASSWORD, remember=True)
    assert client.get_cookie("remember_token") is None
    assert second_step(client, totp.now()).status_code == 302
    assert client.get_cookie("remember_token") is not None
    with client.session_transaction() as session:
        assert session.permanent


def test_the_pending_second_step_expires_and_ends_with_the_sessions(app, client):
    staff = UserFactory(role="staff")
    totp, _ = enable(staff)
    log_in(client, staff.email, DEFAULT_PASSWORD)
    token = csrf_token(text(client.get(SECOND_STEP)))
    with client.session_transaction() as session:
        session[two_factor.PENDING_KEY] = {**session[two_factor.PENDING_KEY], "until": int(time.time()) - 1}
    expired = client.post(SECOND_STEP, data={"csrf_token": token, "code": totp.now()})
    assert expired.status_code == 400 and "Your sign-in has expired" in text(expired)
    assert client.get("/account").status_code == 302

    log_in(client, staff.email, DEFAULT_PASSWORD)
    token = csrf_token(text(client.get(SECOND_STEP)))
    fresh(staff).end_sessions()  # a password reset, say, meanwhile
    db.session.commit()
    assert client.post(SECOND_STEP, data={"csrf_token": token, "code": totp.now()}).status_code == 400
    nothing = app.test_client().get(SECOND_STEP)  # nothing pending at all
    assert nothing.status_code == 400 and "Log in" in text(nothing)


def test_turning_it_off_needs_the_password_and_a_code(app, client):
    customer = UserFactory()
    totp, _ = enable(customer)
    log_in(client, customer.email, DEFAULT_PASSWORD)
    second_step(client, totp.at(time.time() - 30))
    page = "/account/two-factor"
    wrong_password = post_form(client, "/account/two-factor/disable", {"password": "not it at all", "code": "1"},
                               page=page)
    assert wrong_password.status_code == 403 and "not your current password" in text(wrong_password)
    wrong_code = post_form(client, "/account/two-factor/disable", {"password": DEFAULT_PASSWORD, "code": "000"},
                           page=page)
    assert wrong_code.status_code == 403 and two_factor.is_enabled(fresh(customer))
    assert post_form(client, "/account/two-factor/disable", {"password": DEFAULT_PASSWORD}, page=page
                     ).status_code == 422
    off = post_form(client, "/account/two-factor/disable", {"password": DEFAULT_PASSWORD, "code": totp.now()},
                    page=page)
    assert off.status_code == 302 and not two_factor.is_enabled(fresh(customer))
    assert fresh(customer).totp_secret is None and "two-factor off" in actions(customer.id)
    post_form(client, "/account/logout", page="/account")
    assert log_in(client, customer.email, DEFAULT_PASSWORD).headers["Location"].endswith("/account")


def test_new_recovery_codes_replace_the_old_ones(app, client):
    staff = UserFactory(role="staff")
    totp, old = enable(staff)
    log_in(client, staff.email, DEFAULT_PASSWORD)
    second_step(client, old[0])
    renewed = post_form(client, "/account/two-factor/recovery-codes", {"code": totp.now()}, page="/account/two-factor")
    assert renewed.status_code == 200
    new = [tag.get_text() for tag in soup(text(renewed)).select(".recovery-codes code")]
    assert len(new) == 10 and two_factor.recovery_codes_left(fresh(staff)) == 10
    assert not two_factor.verify(fresh(staff), old[1]) and two_factor.verify(fresh(staff), new[1])


def test_admins_can_require_it_and_staff_without_it_open_nothing_until_set_up(app, client):
    admin = UserFactory(role="admin")
    totp_admin, _ = enable(admin)
    log_in(client, admin.email, DEFAULT_PASSWORD)
    second_step(client, totp_admin.now())
    saved = post_form(client, SETTINGS, {"staff_refund_limit": "100.00", "low_stock_threshold": "5",
                                         "require_staff_two_factor": "y"})
    assert saved.status_code == 302
    assert "Two-factor sign-in required for staff: off → on" in text(client.get(SETTINGS))
    assert client.get("/backoffice/orders").status_code == 200  # the admin has it

    staff, staff_client = UserFactory(role="staff"), app.test_client()
    response = log_in(staff_client, staff.email, DEFAULT_PASSWORD, next_url="/backoffice/orders")
    assert response.headers["Location"].endswith("/account/two-factor")
    marketing, marketing_client = UserFactory(role="marketing"), app.test_client()
    log_in(marketing_client, marketing.email, DEFAULT_PASSWORD)
    for who, url in ((staff_client, "/backoffice/"), (staff_client, "/backoffice/orders"),
                     (marketing_client, "/marketing/promotions")):
        refused = who.get(url)
        assert refused.status_code == 302 and refused.headers["Location"].endswith("/account/two-factor"), url
    token = csrf_token(text(staff_client.get("/account/two-factor")))
    blocked = staff_client.post("/backoffice/phone/draft/customer",
                                data={"csrf_token": token, "email": "x@example.com", "full_name": "X"})
    assert blocked.status_code == 302 and blocked.headers["Location"].endswith("/account/two-factor")
    assert "requires two-factor sign-in" in text(staff_client.get("/account/two-factor"))

    customer, customer_client = UserFactory(), app.test_client()
    assert log_in(customer_client, customer.email, DEFAULT_PASSWORD).headers["Location"].endswith("/account")

    post_form(staff_client, "/account/two-factor/start", page="/account/two-factor")
    post_form(staff_client, "/account/two-factor/setup", {"code": pyotp.TOTP(fresh(staff).totp_secret).now()})
    assert staff_client.get("/backoffice/orders").status_code == 200


def test_the_requirement_is_off_until_an_admin_turns_it_on(app, client):
    staff = UserFactory(role="staff")
    assert not two_factor.required_for(staff) and not two_factor.setup_needed(staff)
    log_in(client, staff.email, DEFAULT_PASSWORD)
    assert client.get("/backoffice/orders").status_code == 200


def test_a_code_of_digits_other_than_0_to_9_is_a_wrong_code_not_a_server_error(app, client):
    user = UserFactory(role="staff")
    enable(user)
    log_in(client, user.email, DEFAULT_PASSWORD)
    for code in ("²²²²²²", "١٢٣٤٥٦", "１２３４５６"):
        response = second_step(client, code)
        assert response.status_code in (403, 422), (code, response.status_code)
        assert client.get("/backoffice/").status_code == 302  # still nobody logged in
