"""A real SMTP server for tests (aiosmtpd), on a fixed free port that can be stopped and started again.

    def test_something(app, smtp_server):      # MAIL_SERVER / MAIL_PORT already point at it
        ...
        smtp_server.stop()                       # the port is closed: connections are refused
        smtp_server.start()                      # same port, up again
        smtp_server.messages                     # [email.message.Message, ...] as received
        smtp_server.hold = "data"                # keep clients waiting in DATA (or "quit": after taking it)

Use the fixtures from a test module with `pytest_plugins = ("tests.support.smtp",)` (an import would trip ruff's F811).
"""

import asyncio
import email
import socket
import threading
import time

import pytest
from aiosmtpd.controller import Controller

HOST = "127.0.0.1"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Received:
    """One message as the server saw it: the envelope and the parsed message."""

    def __init__(self, envelope):
        self.mail_from = envelope.mail_from
        self.rcpt_tos = list(envelope.rcpt_tos)
        self.message = email.message_from_bytes(envelope.original_content or envelope.content)


class _Handler:
    def __init__(self, server):
        self.server = server

    async def handle_DATA(self, server, session, envelope):
        if self.server.hold == "data":  # the client has sent the message; it is neither taken nor refused
            return await self.server._held("451 4.3.0 Try again later")
        self.server._receive(Received(envelope))
        return "250 Message accepted for delivery"

    async def handle_QUIT(self, server, session, envelope):
        if self.server.hold == "quit":  # the message was taken; the client waits for the goodbye
            return await self.server._held("221 Bye")
        return "221 Bye"


class SMTPServer:
    def __init__(self, port=None):
        self.port = port or free_port()
        self.received = []
        self._lock = threading.Lock()
        self._controller = None
        self.hold = None  # "data" or "quit": keep the client waiting there until hold is set back to None
        self.holding = threading.Event()  # set once a client is being kept waiting

    async def _held(self, answer):
        self.holding.set()
        while self.hold is not None:
            await asyncio.sleep(0.05)
        return answer

    @property
    def messages(self):
        with self._lock:
            return [r.message for r in self.received]

    @property
    def running(self):
        return self._controller is not None

    def _receive(self, received):
        with self._lock:
            self.received.append(received)

    def start(self):
        if self._controller is None:
            controller = Controller(_Handler(self), hostname=HOST, port=self.port, ready_timeout=5)
            controller.start()
            self._controller = controller

    def stop(self):
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def clear(self):
        with self._lock:
            self.received.clear()

    def wait_for(self, count, timeout=5.0):
        """Wait until at least `count` messages arrived; returns the messages."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.received) >= count:
                break
            time.sleep(0.02)
        return self.messages


class HungSMTPServer:
    """Accepts connections and never says a word: a server that would block a client without a timeout."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind((HOST, 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]

    def close(self):
        self.sock.close()


def point_mail_at(app, monkeypatch, port):
    """Send the shared test app's mail to 127.0.0.1:port for one test (restored afterwards)."""
    monkeypatch.setitem(app.config, "MAIL_SERVER", HOST)
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    monkeypatch.setitem(app.config, "MAIL_USE_SSL", False)
    monkeypatch.setitem(app.config, "MAIL_USERNAME", None)
    monkeypatch.setitem(app.config, "MAIL_PASSWORD", None)
    monkeypatch.setitem(app.config, "MAIL_SUPPRESS_SEND", False)


@pytest.fixture
def smtp_server(app, monkeypatch):
    """A running SMTP server; the app's MAIL_SERVER / MAIL_PORT point at it for this test."""
    server = SMTPServer()
    server.start()
    point_mail_at(app, monkeypatch, server.port)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def hung_smtp_server(app, monkeypatch):
    server = HungSMTPServer()
    point_mail_at(app, monkeypatch, server.port)
    try:
        yield server
    finally:
        server.close()
