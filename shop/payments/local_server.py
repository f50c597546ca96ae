"""A local Stripe-compatible server (localstripe) for development and tests: start it, wait, hook it up."""

import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

DEV_SECRET_KEY = "sk_test_local_development"  # noqa: S105 (a key for the local fake processor only)
DEV_PUBLISHABLE_KEY = "pk_test_local_development"
DEV_WEBHOOK_SECRET = "whsec_local_development"  # noqa: S105


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"the local Stripe server did not start on port {port}")


def start(port: int, log_path: str | None = None) -> subprocess.Popen[bytes]:
    """Start localstripe on 127.0.0.1:port (from scratch) and return the process once it answers."""
    executable = shutil.which("localstripe", path=str(Path(sys.executable).parent))
    command = [executable] if executable else [sys.executable, "-m", "localstripe"]
    log = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115 (lives as long as the process)
    process = subprocess.Popen([*command, "--port", str(port), "--from-scratch"], stdout=log, stderr=log)
    try:
        wait_for_port(port)
    except RuntimeError:
        process.kill()
        raise
    return process


def register_webhook(api_base: str, url: str, secret: str, name: str = "shop") -> None:
    """Ask localstripe to send signed events to `url` (it keeps this in memory only)."""
    data = urllib.parse.urlencode({"url": url, "secret": secret}).encode()
    if not api_base.startswith("http://127.0.0.1:"):
        raise ValueError("the local Stripe server lives on 127.0.0.1")
    request = urllib.request.Request(f"{api_base}/_config/webhooks/{name}", data=data, method="POST")  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        response.read()
