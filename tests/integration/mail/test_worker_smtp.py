"""The mail worker against a real SMTP server (aiosmtpd): delivery, retries, SMTP down and up, races."""

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from shop.core.timeutil import utcnow
from shop.extensions import db
from shop.mail import worker
from shop.mail.models import MAIL_FAILED, MAIL_PENDING, MAIL_SENDING, MAIL_SENT, OutboxMessage
from shop.mail.outbox import enqueue

pytest_plugins = ("tests.support.smtp",)  # the smtp_server and hung_smtp_server fixtures


def _queue(count=1, **options):
    ids = []
    for n in range(count):
        message = enqueue(f"buyer{n}@example.com", f"Message {n}", f"Text {n}", f"<p>HTML {n}</p>", **options)
        db.session.flush()
        ids.append(message.id)
    db.session.commit()
    return ids


def _row(message_id):
    db.session.expire_all()
    return db.session.get(OutboxMessage, message_id)


def _parts(message):
    return {part.get_content_type(): part.get_payload(decode=True).decode()
            for part in message.walk() if not part.is_multipart()}


def test_worker_sends_html_and_text(app, smtp_server):
    # Flask-Mail captured MAIL_PORT when the app was created; the worker must use today's settings
    assert app.extensions["mail"].port != smtp_server.port
    [message_id] = _queue()

    assert worker.send_due() == (1, 0)

    [received] = smtp_server.wait_for(1)
    assert received["Subject"] == "Message 0"
    assert received["To"] == "buyer0@example.com"
    assert received["From"] == app.config["MAIL_DEFAULT_SENDER"]
    assert received["Message-ID"].startswith(f"<outbox.{message_id}.")
    parts = _parts(received)
    assert parts["text/plain"].strip() == "Text 0"
    assert parts["text/html"].strip() == "<p>HTML 0</p>"
    assert smtp_server.received[0].rcpt_tos == ["buyer0@example.com"]
    row = _row(message_id)
    assert (row.status, row.attempts, row.last_error, row.claimed_until) == (MAIL_SENT, 1, "", None)
    assert row.sent_at is not None
    assert worker.send_due() == (0, 0)


def test_dedupe_key_delivers_one_email(app, smtp_server):
    _queue(dedupe_key="order-confirmation:7")
    assert enqueue("buyer0@example.com", "Again", "x", dedupe_key="order-confirmation:7") is None
    db.session.commit()
    assert worker.send_all_due() == (1, 0)
    time.sleep(0.2)
    assert len(smtp_server.wait_for(1)) == 1


def test_smtp_down_then_up_delivers_exactly_once(app, smtp_server):
    smtp_server.stop()  # the port is closed: connection refused
    [message_id] = _queue()
    start = utcnow()

    assert worker.send_due(now=start) == (0, 1)
    row = _row(message_id)
    assert (row.status, row.attempts) == (MAIL_PENDING, 1)
    assert row.next_attempt_at > start
    assert "Connection" in row.last_error and "refused" in row.last_error.lower()
    assert worker.send_due(now=start) == (0, 0)  # not due yet: nothing is hammered

    smtp_server.start()  # the same port again
    later = row.next_attempt_at + timedelta(seconds=1)
    assert worker.send_due(now=later) == (1, 0)
    assert len(smtp_server.wait_for(1)) == 1
    row = _row(message_id)
    assert (row.status, row.attempts) == (MAIL_SENT, 2)

    assert worker.send_due(now=later + timedelta(days=1)) == (0, 0)
    time.sleep(0.2)
    assert len(smtp_server.messages) == 1


def test_backoff_grows_and_is_capped():
    assert [worker.backoff_seconds(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert worker.backoff_seconds(30) == 3600


def test_message_that_keeps_failing_ends_failed(app, smtp_server, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 3)
    smtp_server.stop()
    [message_id] = _queue()
    now = utcnow()
    for attempt in (1, 2, 3):
        assert worker.send_due(now=now) == (0, 1)
        row = _row(message_id)
        assert row.attempts == attempt
        now += timedelta(hours=2)
    row = _row(message_id)
    assert row.status == MAIL_FAILED and row.last_error
    smtp_server.start()
    assert worker.send_due(now=now + timedelta(days=1)) == (0, 0)
    assert smtp_server.messages == []


def test_hung_smtp_server_times_out(app, hung_smtp_server, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT_SECONDS", 1)
    [message_id] = _queue()
    began = time.monotonic()
    assert worker.send_due() == (0, 1)
    assert time.monotonic() - began < 5
    row = _row(message_id)
    assert row.status == MAIL_PENDING and "timed out" in row.last_error.lower()


def test_message_claimed_by_a_crashed_worker_is_sent_after_the_claim_expires(app, smtp_server):
    [message_id] = _queue()
    now = utcnow()
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id)
                       .values(status=MAIL_SENDING, claimed_until=now + timedelta(minutes=5)))
    db.session.commit()
    assert worker.send_due(now=now) == (0, 0)  # another worker holds it
    assert worker.send_due(now=now + timedelta(minutes=6)) == (1, 0)
    assert len(smtp_server.wait_for(1)) == 1
    assert _row(message_id).status == MAIL_SENT


def test_suppressed_sending_marks_sent_without_smtp(app, smtp_server, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SUPPRESS_SEND", True)
    [message_id] = _queue()
    assert worker.send_due() == (1, 0)
    assert _row(message_id).status == MAIL_SENT
    time.sleep(0.1)
    assert smtp_server.messages == []


def test_cli_once_sends_what_is_due(app, smtp_server):
    _queue(3)
    result = app.test_cli_runner().invoke(args=["mail-worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "Mail sent: 3, failed attempts: 0." in result.output
    assert len(smtp_server.wait_for(3)) == 3


def test_run_forever_stops_on_its_event(app, smtp_server):
    _queue(2)
    stop = threading.Event()

    def run():
        with app.app_context():
            worker.run_forever(interval=0.05, stop_event=stop)

    thread = threading.Thread(target=run)
    thread.start()
    try:
        assert len(smtp_server.wait_for(2)) == 2
    finally:
        stop.set()
        thread.join(5)
    assert not thread.is_alive()


def test_two_workers_racing_deliver_each_message_once(app, backend, smtp_server):
    if backend != "postgresql":
        pytest.skip("concurrency is proved on PostgreSQL (SQLite has a single writer)")
    ids = _queue(30)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def work():
        try:
            with app.app_context():
                barrier.wait(5)
                results.append(worker.send_all_due(batch=30))
                db.session.remove()
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    assert sum(sent for sent, _ in results) == 30 and all(failed == 0 for _, failed in results)
    received = smtp_server.wait_for(30)
    time.sleep(0.2)
    subjects = sorted(m["Subject"] for m in smtp_server.messages)
    assert subjects == sorted(f"Message {n}" for n in range(30))
    db.session.expire_all()
    statuses = db.session.scalars(select(OutboxMessage.status).where(OutboxMessage.id.in_(ids))).all()
    assert statuses == [MAIL_SENT] * 30 and len(received) == 30
