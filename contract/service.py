"""A test service for LaunchDarkly's SSE contract tests, over sse_core (stdlib only).

The harness (github.com/launchdarkly/sse-contract-tests) starts SSE clients
through this service's REST interface and checks what they receive: run
``python contract/service.py --port 8000`` from the repository root, then
point the harness at ``http://localhost:8000``. Each client is a
``sse_core.transports.urllib.EventSource`` in a thread, built with
``Reconnector(comments=True)`` so that comments come in stream order among
the events; what it receives (events, comments, errors) is posted back to the
harness's callback URL, in that order.

The protocol, in short:

* ``GET /``: the capabilities; ``DELETE /``: stop the service;
* ``POST /`` with the stream's parameters: start a client, answer its URL
  in ``Location``;
* ``POST <client URL>`` with ``{"command": "restart"}``: reconnect now;
* ``DELETE <client URL>``: close the client.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from sse_core import Comment, Reconnector, ReconnectPolicy
from sse_core.transports.urllib import EventSource

CAPABILITIES = [
    "204",
    "bom",
    "comments",
    "headers",
    "last-event-id",
    "payload-size-stress-testable",
    "post",
    "read-timeout",
    "report",
    "restart",
]


class Client:
    """One SSE client, started by the harness, reporting to its callback URL."""

    def __init__(self, params: dict[str, Any]) -> None:
        self.callback_url = str(params["callbackUrl"]).rstrip("/")
        self._counter = itertools.count(1)
        self._send_lock = threading.Lock()
        delay_ms = params.get("initialDelayMs")
        if delay_ms is None:
            policy = ReconnectPolicy(max_attempts=None)
        else:
            # The harness's "initial delay" is the base of the backoff too.
            delay = delay_ms / 1000
            policy = ReconnectPolicy(
                reconnection_time=delay, backoff=delay, jitter=0, max_attempts=None
            )
        timeout_ms = params.get("readTimeoutMs")
        body = params.get("body")
        self.source = EventSource(
            None,
            params.get("method") or "GET",
            params["streamUrl"],
            reconnector=Reconnector(
                policy, last_event_id=params.get("lastEventId") or "", comments=True
            ),
            on_retry=self._on_retry,
            headers=params.get("headers") or {},
            data=None if body is None else str(body).encode(),
            timeout=None if timeout_ms is None else timeout_ms / 1000,
        )
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            for item in self.source:
                if isinstance(item, Comment):
                    self._report({"kind": "comment", "comment": item.text})
                    continue
                self._report(
                    {
                        "kind": "event",
                        "event": {"type": item.event, "data": item.data, "id": item.id},
                    }
                )
        except Exception as exc:  # the source gave up: the harness is told
            self._report({"kind": "error", "error": f"{type(exc).__name__}: {exc}"})

    def _on_retry(self, error: BaseException | None, delay: float) -> None:
        message = (
            "the stream ended" if error is None else f"{type(error).__name__}: {error}"
        )
        self._report({"kind": "error", "error": message})

    def _report(self, message: dict[str, Any]) -> None:
        # Numbered in the order sent, as the protocol asks.
        with self._send_lock:
            url = f"{self.callback_url}/{next(self._counter)}"
            request = urllib.request.Request(
                url,
                data=json.dumps(message).encode(),
                headers={"Content-Type": "application/json"},
                method="POST",
            )
            # An error means the harness is gone, or done with this client.
            with contextlib.suppress(OSError):
                urllib.request.urlopen(request, timeout=5).close()

    def close(self) -> None:
        self.source.close()
        self._thread.join(timeout=5)


class Service(ThreadingHTTPServer):
    """The test service: clients by id."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int]) -> None:
        super().__init__(address, _Handler)
        self.clients: dict[str, Client] = {}
        self._ids = itertools.count(1)
        self.lock = threading.Lock()

    def add(self, client: Client) -> str:
        with self.lock:
            key = str(next(self._ids))
            self.clients[key] = client
        return key


class _Handler(BaseHTTPRequestHandler):
    server: Service

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: the harness logs

    def _answer(
        self, status: int, body: Any = None, headers: dict[str, str] | None = None
    ) -> None:
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if data:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _json(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        value = json.loads(self.rfile.read(length) or b"{}")
        if not isinstance(value, dict):
            raise ValueError("expected a JSON object")
        return value

    def do_GET(self) -> None:
        if self.path == "/":
            self._answer(200, {"capabilities": CAPABILITIES})
        else:
            self._answer(404)

    def do_POST(self) -> None:
        try:
            params = self._json()
        except ValueError:
            self._answer(400)
            return
        if self.path == "/":
            if not params.get("streamUrl") or not params.get("callbackUrl"):
                self._answer(400)
                return
            try:
                started = Client(params)
            except (TypeError, ValueError):  # e.g. a lastEventId holding LF
                self._answer(400)
                return
            key = self.server.add(started)
            self._answer(201, headers={"Location": f"/streams/{key}"})
            return
        client = self.server.clients.get(self.path.rpartition("/")[2])
        if client is None or not self.path.startswith("/streams/"):
            self._answer(404)
        elif params.get("command") == "restart":
            client.source.restart()
            self._answer(204)
        else:
            self._answer(400)

    def do_DELETE(self) -> None:
        if self.path == "/":
            self._answer(204)
            threading.Thread(target=self.server.shutdown, daemon=True).start()
            return
        with self.server.lock:
            client = self.server.clients.pop(self.path.rpartition("/")[2], None)
        if client is None:
            self._answer(404)
        else:
            client.close()
            self._answer(204)


def main(argv: list[str] | None = None) -> None:
    """Serve until the harness sends ``DELETE /`` (or Ctrl-C)."""
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--host", default="127.0.0.1")
    arguments.add_argument("--port", type=int, default=8000)
    args = arguments.parse_args(argv)
    with Service((args.host, args.port)) as service:
        print(
            f"SSE contract test service on http://{args.host}:{args.port}", flush=True
        )
        with contextlib.suppress(KeyboardInterrupt):
            service.serve_forever()


if __name__ == "__main__":
    main()
