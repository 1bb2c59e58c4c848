"""Every failure of the command line: one line on stderr, a documented status.

Each case runs ``python -m sse_core`` against a real server on 127.0.0.1,
twice: on pipes, and on a pseudo-terminal that is both stdout and stderr (what
the user sees). The statuses are those of ``sse_core._cli.EXIT_STATUSES``, the
table that ``--help`` and docs/cli.md show.
"""

from __future__ import annotations

import json
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

from sse_core import encode

from .cli_terminal import Run, run_cli
from .sse_server import Request, Response, SSEServer


def _chat_event(content: str) -> bytes:
    # json.dumps escapes a lone surrogate as \ud800, as a server's JSON would.
    chunk = {"object": "chat.completion.chunk", "created": 1, "model": "m",
             "id": "c", "choices": [{"index": 0, "delta": {"content": content}}]}  # fmt: skip
    return encode(json.dumps(chunk))


def handler(request: Request) -> Response:
    path = request.path
    if path == "/loop":
        return Response(302, {"Location": "/loop", "Content-Length": "0"}, [], False)
    if path == "/gzip":
        headers = {"Content-Type": "text/event-stream", "Content-Encoding": "gzip"}
        return Response(200, headers, [b"data: not gzip\n\n"])
    if path == "/surrogate":
        return Response(steps=[_chat_event("a\ud800b"), encode("[DONE]")])
    if path == "/umlaut":
        return Response(steps=[_chat_event("grüß"), encode("[DONE]")])
    if path == "/missing":
        page = b"<!doctype html>\n<title>Not Found</title>\n<h1>\x1b[31mNot Found</h1>"
        return Response(404, {"Content-Type": "text/html"}, [page])
    if path == "/long":
        return Response(steps=[b"data: " + b"x" * 100 + b"\n\n"])
    if path == "/cut":
        return Response(steps=[b"data: a\n\ndata: b"])
    if path == "/mid-event":
        return Response(steps=[b"data: b"])
    if path == "/api-error":
        body = {"errors": [{"description": "Rate limit exceeded", "key": "k"}]}
        return Response(steps=[encode(json.dumps(body), event="error")])
    if path == "/api-error-lines":
        text = "Rate limit\nexceeded \x1b[31mnow"
        body = {"errors": [{"description": text, "key": "k"}]}
        return Response(steps=[encode(json.dumps(body), event="error")])
    raise AssertionError(path)


@pytest.fixture(scope="module")
def server() -> Iterator[SSEServer]:
    with SSEServer(handler) as running:
        yield running


def _unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port  # closed again: nothing listens there


# The standard-library client: make `import httpx` fail in the child.
STDLIB = [
    sys.executable,
    "-c",
    "import sys; sys.modules['httpx'] = None; sys.argv[0] = 'python -m sse_core'\n"
    "from sse_core._cli import main; sys.exit(main())",
]


class Case(NamedTuple):
    args: list[str]  # "{url}" is the server's base URL
    status: int
    says: str  # a piece of the one line on stderr
    stdlib: bool = False
    env: dict[str, str] | None = None


CASES = {
    # Issue 12: these two printed tracebacks.
    "redirect-loop": Case(["{url}/loop"], 1, "redirects"),
    "redirect-loop-stdlib": Case(["{url}/loop"], 1, "HTTP 302", stdlib=True),
    "bad-content-encoding": Case(["{url}/gzip"], 1, "decompressing"),
    # Issue 12: exited 2 ("usage error") with a bare codec message.
    "lone-surrogate-text": Case(
        ["{url}/surrogate", "--endpoint", "chat"], 1, "cannot write U+D800"
    ),
    "ascii-stdout-text": Case(
        ["{url}/umlaut", "--endpoint", "chat"],
        1,
        "cannot write U+00FC to standard output (encoding ascii)",
        env={"PYTHONIOENCODING": "ascii"},
    ),
    "http-404": Case(["{url}/missing"], 1, "HTTP 404"),
    "http-404-stdlib": Case(["{url}/missing"], 1, "HTTP 404", stdlib=True),
    "unreachable": Case(["http://127.0.0.1:{port}/"], 1, "127.0.0.1"),
    "unreachable-stdlib": Case(
        ["http://127.0.0.1:{port}/"], 1, "127.0.0.1", stdlib=True
    ),
    "line-too-long": Case(["{url}/long", "--max-line-size", "16"], 1, "16"),
    "cut-with-strict": Case(["{url}/mid-event", "--strict"], 1, "mid-event"),
    "api-error": Case(
        ["{url}/api-error", "--endpoint", "completions"], 1, "Rate limit exceeded"
    ),
    "bad-url": Case(["http://[::1/"], 2, ""),
    "bad-url-stdlib": Case(["http://[::1/"], 2, "", stdlib=True),
    "bad-option": Case(["--max-line-size", "0"], 2, "positive integer"),
    "unknown-option": Case(["--frobnicate"], 2, "--frobnicate"),
    "missing-file": Case(["/nonexistent/stream.sse"], 2, "cannot read"),
    "malformed-header": Case(["{url}/cut", "-H", "no colon"], 2, "NAME: VALUE"),
    "request-without-url": Case(["-", "-d", "{{}}"], 2, "need a URL"),
}


def _run(case: Case, server: SSEServer, tty: bool) -> Run:
    args = [arg.format(url=server.base_url, port=_unused_port()) for arg in case.args]
    return run_cli(
        args,
        stdout_tty=tty,
        stderr_tty=tty,
        env=case.env,
        command=STDLIB if case.stdlib else None,
    )


def _check_line(line: str, case: Case) -> None:
    assert line.startswith("sse_core: "), line
    assert case.says in line
    assert "Traceback" not in line
    assert "\x1b" not in line  # a server cannot drive the terminal


@pytest.mark.parametrize("name", CASES)
def test_one_line_on_stderr_and_the_status(server: SSEServer, name: str) -> None:
    case = CASES[name]
    run = _run(case, server, tty=False)
    assert run.returncode == case.status, run.stderr
    assert run.stdout == b""
    assert run.stderr.endswith(b"\n") and run.stderr.count(b"\n") == 1, run.stderr
    _check_line(run.stderr.decode(), case)


@pytest.mark.parametrize("name", CASES)
def test_one_line_on_a_terminal(server: SSEServer, name: str) -> None:
    case = CASES[name]
    run = _run(case, server, tty=True)
    assert run.returncode == case.status, run.terminal
    [line] = run.screen
    _check_line(line, case)


def test_every_status_is_documented() -> None:
    from sse_core._cli import EXIT_STATUSES

    documented = {status for status, _ in EXIT_STATUSES}
    assert {case.status for case in CASES.values()} | {0, 130} == documented


def test_output_after_events_then_the_error_line(server: SSEServer) -> None:
    run = run_cli([f"{server.base_url}/cut", "--strict"], stdout_tty=True,
                  stderr_tty=True)  # fmt: skip
    assert run.returncode == 1
    first, error = run.screen
    assert json.loads(first)["data"] == "a"
    assert error.startswith("sse_core: ") and "mid-event" in error


@pytest.mark.parametrize("tty", [False, True], ids=["pipes", "terminal"])
def test_a_lone_surrogate_in_json_output_is_escaped(
    server: SSEServer, tty: bool
) -> None:
    # JSON can carry it: outside its strings JSON is ASCII, so a character
    # stdout cannot encode is written as a \u escape, the same JSON value.
    run = run_cli(
        [f"{server.base_url}/surrogate", "--endpoint", "chat", "--json"],
        stdout_tty=tty,
        stderr_tty=tty,
    )
    assert run.returncode == 0
    [line] = run.screen if tty else run.stdout.decode().splitlines()
    assert "\\ud800" in line
    assert json.loads(line)["choices"][0]["delta"]["content"] == "a\ud800b"


def test_an_ascii_stdout_gets_escaped_json(tmp_path: Path) -> None:
    path = tmp_path / "stream.sse"
    path.write_bytes("data: grüß 🌍\n\n".encode())
    run = run_cli([str(path)], env={"PYTHONIOENCODING": "ascii"})
    assert run.returncode == 0, run.stderr
    assert run.stderr == b""
    assert json.loads(run.stdout)["data"] == "grüß 🌍"
    assert run.stdout.isascii()


def test_an_api_error_quoting_line_breaks_is_still_one_line(
    server: SSEServer,
) -> None:
    run = run_cli([f"{server.base_url}/api-error-lines", "--endpoint", "completions"])
    assert run.returncode == 1
    [line] = run.stderr.decode().splitlines()
    assert "\x1b" not in line


def test_the_table_knows_the_stdlib_decoding_errors() -> None:
    # A standard-library client that decodes Content-Encoding itself raises
    # these for a body that does not match: each exits 1, naming the URL.
    import zlib

    from sse_core._cli import _failure

    url = "http://127.0.0.1:1/"
    for error in (zlib.error("incorrect header check"), EOFError("cut short")):
        assert _failure(error, True, url) == (1, f"{url}: {error}")
    assert _failure(RuntimeError("a bug"), True, url) is None  # a traceback
