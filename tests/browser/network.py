"""The tablet's network in the browser tests: a small TCP proxy between the browser and the server.

``set_offline`` alone is not a network cut: Chromium's offline emulation (and request routing) belongs to the
page, and a keepalive request still in flight when the page moves on can reach the server anyway (seen here).
Behind this proxy a cut is real (every connection is closed), and the JSON intake can be made to answer like a
failing server (503, 500) or to refuse (422) while the pages are still served.
"""

import socket
import threading
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext

FORWARD, CUT, ANSWER = "forward", "cut", "answer"
INTAKE = b"POST /api/submissions "
FAILING_SERVER = (
    (503, "Service Unavailable", "text/html", "<h1>Service Unavailable</h1>"),
    (500, "Internal Server Error", "text/html", "<h1>Internal Server Error</h1>"),
)
REFUSING_SERVER = (
    (
        422,
        "Unprocessable Entity",
        "application/json",
        '{"error": "invalid_answers", "message": "refused for the test"}',
    ),
)
CHUNK = 65536


class TabletNetwork:
    """Forwards to the server, or is cut (``cut``: the browser context goes offline too, so the page sees
    ``offline``/``online`` events), or answers the JSON intake itself (``fail``: 503 and 500 in turn; ``refuse``:
    422) while forwarding the other requests one per connection. Switching closes every open connection, so
    that nothing goes on through a connection opened before."""

    def __init__(self, server_url: str):
        self._upstream = ("127.0.0.1", urlsplit(server_url).port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._mode = FORWARD
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._answers = FAILING_SERVER
        self.answered: list[int] = []
        """The status of each intake request answered by the proxy itself."""
        self.context: BrowserContext | None = None
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    # ---- Switching ----------------------------------------------------------------------------------------

    def cut(self) -> None:
        self._switch(CUT)
        if self.context:
            self.context.set_offline(True)

    def restore(self) -> None:
        self._switch(FORWARD)
        if self.context:
            self.context.set_offline(False)

    def fail(self) -> None:
        self._answers = FAILING_SERVER
        self._switch(ANSWER)

    def refuse(self) -> None:
        self._answers = REFUSING_SERVER
        self._switch(ANSWER)

    def recover(self) -> None:
        self._switch(FORWARD)

    def close(self) -> None:
        _close(self._listener)  # shutdown wakes the thread waiting in accept()
        self._switch(CUT)
        self._thread.join(timeout=10)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def _switch(self, mode: str) -> None:
        with self._lock:
            self._mode = mode
            connections, self._open = self._open, set()
        for connection in connections:
            _close(connection)

    # ---- Serving ------------------------------------------------------------------------------------------

    def _accept(self) -> None:
        while True:
            try:
                client, _address = self._listener.accept()
            except OSError:
                return  # closed
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        with self._lock:
            mode = self._mode
            if mode != CUT:
                self._open.add(client)
        if mode == CUT:
            _close(client)
        elif mode == ANSWER:
            self._answer_intake(client)
        else:
            self._forward(client)

    def _forward(self, client: socket.socket, first_bytes: bytes = b"") -> None:
        try:
            upstream = socket.create_connection(self._upstream, timeout=10)
        except OSError:
            _close(client)
            return
        upstream.settimeout(None)
        with self._lock:
            if client not in self._open:  # switched meanwhile
                _close(client)
                _close(upstream)
                return
            self._open.add(upstream)
        try:
            upstream.sendall(first_bytes)
        except OSError:
            _close(client)
            _close(upstream)
            return
        threading.Thread(target=_pump, args=(upstream, client), daemon=True).start()
        _pump(client, upstream)

    def _answer_intake(self, client: socket.socket) -> None:
        """Reads one request: the intake's is answered here, any other is forwarded alone (Connection: close, so
        that the browser's next request comes on a new connection and is looked at again)."""
        try:
            client.settimeout(10)
            request = _read_request(client)
            if not request.startswith(INTAKE):
                client.settimeout(None)
                self._forward(client, _closing_connection(request))
                return
            with self._lock:
                status, reason, content_type, body = self._answers[len(self.answered) % len(self._answers)]
                self.answered.append(status)
            data = body.encode()
            client.sendall(
                f"HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\n"
                f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n".encode()
                + data
            )
        except OSError:
            pass
        _close(client)


def _read_request(client: socket.socket) -> bytes:
    """The request's head and its whole body (Content-Length), so that closing after the answer sends no reset."""
    request = b""
    while b"\r\n\r\n" not in request:
        data = client.recv(CHUNK)
        if not data:
            raise ConnectionError("closed before a whole request")
        request += data
    head, _sep, body = request.partition(b"\r\n\r\n")
    length = next(
        (
            int(line.split(b":", 1)[1])
            for line in head.split(b"\r\n")[1:]
            if line.lower().startswith(b"content-length:")
        ),
        0,
    )
    while len(body) < length:
        data = client.recv(CHUNK)
        if not data:
            raise ConnectionError("closed before a whole request")
        body += data
    return head + b"\r\n\r\n" + body


def _closing_connection(request: bytes) -> bytes:
    head, _sep, body = request.partition(b"\r\n\r\n")
    lines = [line for line in head.split(b"\r\n") if not line.lower().startswith(b"connection:")]
    return b"\r\n".join([*lines, b"Connection: close"]) + b"\r\n\r\n" + body


def _pump(source: socket.socket, target: socket.socket) -> None:
    """Copies one direction until either side closes, then closes both."""
    try:
        while data := source.recv(CHUNK):
            target.sendall(data)
    except OSError:
        pass
    finally:
        _close(source)
        _close(target)


def _close(connection: socket.socket) -> None:
    try:
        connection.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    connection.close()
