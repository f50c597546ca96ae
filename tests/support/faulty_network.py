"""A TCP proxy on loopback in front of a real server, that can fail the way networks do.

`FaultyProxy(upstream_port)` listens on a free port and passes bytes both ways. Set `mode`:
- "pass": a plain proxy;
- "swallow": each request still reaches the server, which carries it out, but its answer is thrown away
  and the connection is held open, so the client waits until its own timeout (an answer lost on the way);
- "refuse": new connections are closed at once (nothing reaches the server).
`closed_port()` is a port nothing listens on (connection refused).
"""

import contextlib
import socket
import threading

from shop.payments.local_server import free_port


def closed_port() -> int:
    return free_port()


class FaultyProxy:
    def __init__(self, upstream_port: int) -> None:
        self.upstream = ("127.0.0.1", upstream_port)
        self.mode = "pass"
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._open: list[socket.socket] = []
        self._stopped = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self.mode == "refuse":
                client.close()
                continue
            upstream = socket.create_connection(self.upstream)
            self._open += [client, upstream]
            swallow = self.mode == "swallow"
            threading.Thread(target=self._pump, args=(client, upstream, False), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, swallow), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket, swallow: bool) -> None:
        try:
            while chunk := source.recv(65536):
                if not swallow:
                    target.sendall(chunk)
        except OSError:
            pass
        finally:
            if not swallow:  # a swallowed answer leaves the client waiting, as a lost packet would
                for end in (source, target):
                    with contextlib.suppress(OSError):
                        end.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self._stopped.set()
        self._listener.close()
        for end in self._open:
            with contextlib.suppress(OSError):
                end.close()
