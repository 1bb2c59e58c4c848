"""A real HTTP/1.1 server on 127.0.0.1 for transport and SDK tests.

Each test describes responses as a list of steps; the server writes them on a
real socket, so clients see real network reads: varied write sizes, pauses,
and connections dropped mid-event.

    def handler(request: Request) -> Response:
        return Response(steps=[b"data: a\\n\\n", Pause(0.01), b"data: b\\n\\n"])

    with SSEServer(handler) as server:
        httpx.get(server.url("/stream"))

Body steps:
  * ``bytes``: written as one HTTP chunk (one ``sendall``);
  * ``Pause(seconds)``: sleep between writes (a slow trickle);
  * ``Abort()``: close the connection at once, without ending the chunked
    body: the client sees the stream cut, as when a server dies.
"""

from __future__ import annotations

import socket
import socketserver
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Callable, Union

__all__ = ["Abort", "Pause", "Request", "Response", "SSEServer", "Step"]


@dataclass(frozen=True)
class Pause:
    """Sleep this many seconds before the next step."""

    seconds: float


@dataclass(frozen=True)
class Abort:
    """Drop the connection here (no chunked terminator)."""


Step = Union[bytes, Pause, Abort]


@dataclass
class Request:
    """What the client sent."""

    method: str
    path: str
    headers: dict[str, str]  # lower-cased names
    body: bytes


@dataclass
class Response:
    """What to answer. ``steps`` is the body, written as described above."""

    status: int = 200
    headers: dict[str, str] = field(
        default_factory=lambda: {"Content-Type": "text/event-stream"}
    )
    steps: Iterable[Step] = field(default_factory=list)
    chunked: bool = True


Handler = Callable[[Request], Response]

_REASONS = {
    200: "OK",
    204: "No Content",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def _read_request(sock: socket.socket) -> Request | None:
    buf = b""
    while b"\r\n\r\n" not in buf:
        piece = sock.recv(65536)
        if not piece:
            return None
        buf += piece
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        piece = sock.recv(65536)
        if not piece:
            break
        rest += piece
    return Request(method, path, headers, rest[:length])


class _TCPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class SSEServer:
    """Serve ``handler`` on 127.0.0.1 in a background thread (a context manager)."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        outer = self

        class _Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                outer._serve(self.request)

        self._server = _TCPServer(("127.0.0.1", 0), _Handler)
        self.port: int = self._server.server_address[1]
        # A short poll interval makes shutdown() (each test's teardown) fast.
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
        )

    def url(self, path: str = "/") -> str:
        """The absolute URL of ``path`` on this server."""
        return f"http://127.0.0.1:{self.port}{path}"

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> SSEServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _serve(self, sock: socket.socket) -> None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        request = _read_request(sock)
        if request is None:
            return
        with self._lock:
            self.requests.append(request)
        response = self.handler(request)
        reason = _REASONS.get(response.status, "Status")
        head = [f"HTTP/1.1 {response.status} {reason}"]
        head += [f"{name}: {value}" for name, value in response.headers.items()]
        if response.chunked and response.status not in (204, 304):
            head.append("Transfer-Encoding: chunked")
        head.append("Connection: close")
        try:
            sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
            for step in response.steps:
                if isinstance(step, Pause):
                    time.sleep(step.seconds)
                elif isinstance(step, Abort):
                    sock.shutdown(socket.SHUT_RDWR)
                    return
                elif response.chunked:
                    if step:
                        sock.sendall(b"%x\r\n%s\r\n" % (len(step), step))
                else:
                    sock.sendall(step)
            if response.chunked and response.status not in (204, 304):
                sock.sendall(b"0\r\n\r\n")
        except OSError:
            # The client went away first: nothing to do.
            return
