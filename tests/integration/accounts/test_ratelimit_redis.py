"""Rate limits counted in Redis (REDIS_URL set): the same limits as in the database, counted where every app
server sees them, with no rows written; and a Redis that stops answering costs no request and no limit, the
attempts being counted in the database meanwhile."""

from datetime import timedelta

from sqlalchemy import func, select

from shop import create_app
from shop.accounts import ratelimit
from shop.accounts.models import AuthAttempt
from shop.core.timeutil import utcnow
from shop.extensions import db
from shop.payments.local_server import free_port
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.support.forms import log_in

WRONG = "wrong password here"


def _attempt_rows(kind="login-email"):
    return db.session.scalar(select(func.count(AuthAttempt.id)).where(AuthAttempt.kind == kind))


def test_failed_logins_are_counted_in_redis_and_the_sixth_try_is_refused(app, client, redis_limits):
    server, prefix = redis_limits
    UserFactory(email="pat@example.com")
    for _ in range(5):
        assert log_in(client, "pat@example.com", WRONG).status_code == 422
    assert server.zcard(f"{prefix}attempts:login-email:pat@example.com") == 5
    assert 0 < server.ttl(f"{prefix}attempts:login-email:pat@example.com") <= 86400  # it expires by itself
    assert _attempt_rows() == 0  # nothing written to the database
    refused = log_in(client, "pat@example.com", DEFAULT_PASSWORD)
    assert refused.status_code == 429 and "Too many failed attempts" in refused.get_data(as_text=True)


def test_another_app_server_sees_the_same_counts(app, client, redis_limits):
    UserFactory(email="pat@example.com")
    for _ in range(5):
        log_in(client, "pat@example.com", WRONG)
    other_server = create_app("test", {key: app.config[key] for key in (
        "SQLALCHEMY_DATABASE_URI", "MEDIA_ROOT", "REDIS_URL", "REDIS_PREFIX")})
    assert log_in(other_server.test_client(), "pat@example.com", DEFAULT_PASSWORD).status_code == 429


def test_a_successful_login_clears_the_failures_in_redis(app, client, redis_limits):
    server, prefix = redis_limits
    UserFactory(email="pat@example.com")
    for _ in range(4):
        log_in(client, "pat@example.com", WRONG)
    assert log_in(client, "pat@example.com", DEFAULT_PASSWORD).status_code == 302
    assert not server.exists(f"{prefix}attempts:login-email:pat@example.com")


def test_only_attempts_inside_the_window_count(app, redis_limits):
    now = utcnow()
    for minutes_ago in (20, 16, 14, 1):
        ratelimit.record("login-email", "Pat@Example.com", now - timedelta(minutes=minutes_ago))
    assert ratelimit.count("login-email", "pat@example.com", timedelta(minutes=15), now) == 2
    assert ratelimit.count("login-email", "pat@example.com", timedelta(minutes=30), now) == 4
    assert not ratelimit.too_many("login-email", "pat@example.com", 3, timedelta(minutes=15), now)
    ratelimit.record("login-email", "pat@example.com", now - timedelta(days=2))  # trims what is over a day old
    assert ratelimit.count("login-email", "pat@example.com", timedelta(days=3), now) == 4


def test_a_redis_that_does_not_answer_counts_the_attempts_in_the_database_meanwhile(app, client, redis_limits,
                                                                                     caplog):
    app.config["REDIS_URL"] = f"redis://127.0.0.1:{free_port()}/0"
    UserFactory(email="pat@example.com")
    for _ in range(5):
        assert log_in(client, "pat@example.com", WRONG).status_code == 422
    assert _attempt_rows() == 5
    assert log_in(client, "pat@example.com", DEFAULT_PASSWORD).status_code == 429  # the limit still holds
    assert "Redis unavailable" in caplog.text
