"""The mail worker as it runs in production, a process of its own (`flask mail-worker`), killed with SIGKILL at
the worst moments, and the SMTP server down for an hour: nothing is lost, and a message sent twice is the same
message (one Message-ID)."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from shop.core.timeutil import utcnow
from shop.extensions import db
from shop.mail import worker
from shop.mail.models import MAIL_SENDING, MAIL_SENT, OutboxMessage
from shop.mail.outbox import enqueue

pytest_plugins = ("tests.support.smtp",)

ROOT = Path(__file__).resolve().parents[3]
CLAIM_SECONDS = 3


def _queue(count=1):
    for n in range(count):
        enqueue(f"buyer{n}@example.com", f"Message {n}", f"Text {n}", f"<p>HTML {n}</p>")
    db.session.commit()


def _rows():
    db.session.expire_all()
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def _start_worker(app, smtp_server):
    env = {**os.environ, "SHOP_CONFIG": "test", "TEST_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp_server.port), "MAIL_CLAIM_SECONDS": str(CLAIM_SECONDS),
           "MAIL_TIMEOUT_SECONDS": "30"}
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "mail-worker", "--interval", "0.2"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _wait(condition, timeout=30.0, what="it"):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def _kill(process):
    process.send_signal(signal.SIGKILL)
    process.wait(10)


def _stop(process):
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        _kill(process)


def test_a_worker_killed_after_claiming_and_before_sending_loses_nothing(app, smtp_server):
    _queue()
    smtp_server.hold = "data"  # the worker has claimed the message and is in the middle of handing it over
    first = _start_worker(app, smtp_server)
    try:
        assert smtp_server.holding.wait(30), first.stderr.read1().decode() if first.poll() is not None else ""
        [row] = _rows()
        assert row.status == MAIL_SENDING
    finally:
        _kill(first)
    smtp_server.hold = None
    assert smtp_server.messages == []  # killed before the server took it

    second = _start_worker(app, smtp_server)  # the claim of the dead worker runs out, and this one sends it
    try:
        _wait(lambda: _rows()[0].status == MAIL_SENT, what="the message to be sent")
    finally:
        _stop(second)
    assert [m["Subject"] for m in smtp_server.messages] == ["Message 0"]


def test_a_worker_killed_after_sending_and_before_recording_sends_it_again_with_the_same_message_id(
        app, smtp_server):
    _queue()
    smtp_server.hold = "quit"  # the server has the message; the worker has not written down that it was sent
    first = _start_worker(app, smtp_server)
    try:
        assert smtp_server.holding.wait(30)
        assert len(smtp_server.messages) == 1 and _rows()[0].status == MAIL_SENDING
    finally:
        _kill(first)
    smtp_server.hold = None

    second = _start_worker(app, smtp_server)
    try:
        _wait(lambda: _rows()[0].status == MAIL_SENT, what="the message to be recorded as sent")
    finally:
        _stop(second)
    copies = smtp_server.messages
    assert len(copies) == 2  # at least once: the copy is the same message, and a mail client shows it once
    assert copies[0]["Message-ID"] == copies[1]["Message-ID"] and copies[0]["Message-ID"].startswith("<outbox.")


def test_smtp_down_for_an_hour_of_retries_then_back_delivers_every_message_once(app, smtp_server):
    smtp_server.stop()
    _queue(5)
    start = utcnow()
    for minute in range(0, 61):  # the worker keeps trying every minute for an hour; backoff spaces the attempts
        worker.send_all_due(now=start + timedelta(minutes=minute))
    rows = _rows()
    assert {row.status for row in rows} == {"pending"}  # not given up on
    assert all(5 <= row.attempts <= 8 for row in rows), [row.attempts for row in rows]  # backed off, not hammered

    smtp_server.start()
    later = max(row.next_attempt_at for row in rows) + timedelta(seconds=1)
    assert worker.send_all_due(now=later) == (5, 0)
    assert worker.send_all_due(now=later + timedelta(hours=2)) == (0, 0)
    received = smtp_server.wait_for(5)
    time.sleep(0.2)
    assert sorted(m["Subject"] for m in smtp_server.messages) == [f"Message {n}" for n in range(5)]
    assert len(received) == 5 and {row.status for row in _rows()} == {MAIL_SENT}
