"""The command line on a terminal: progress, Ctrl-C, what the user sees.

Each test runs ``python -m sse_core`` on a pseudo-terminal against a real
server on 127.0.0.1 (tests/sse_server.py) and checks the screen as a terminal
would draw it (tests/cli_terminal.py).
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from typing import IO

import pytest

from sse_core import encode

from .cli_terminal import run_cli
from .sse_server import Pause, Request, Response, SSEServer, Step

# Longer than the CLI's progress interval (0.5 s), so that a progress line is
# due between two reads.
SLOW = 0.7


def _chat_event(text: str) -> bytes:
    chunk = {
        "id": "c",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "m",
        "choices": [{"index": 0, "delta": {"content": text}}],
    }
    return encode(json.dumps(chunk))


def handler(request: Request) -> Response:
    steps: list[Step] = []
    if request.path == "/chat":
        for piece in ["Hello, ", "wörld ", "🌍!"]:
            steps += [_chat_event(piece), Pause(SLOW)]
        steps.append(encode("[DONE]"))
    elif request.path == "/events":
        for n in range(3):
            steps += [encode(f"event {n}", id=str(n)), Pause(SLOW)]
    elif request.path == "/escapes":
        steps = [_chat_event("\x1b]0;owned\x07red: \x1b[31mX\r\x9b2J\tok\n"),
                 encode("[DONE]")]  # fmt: skip
    elif request.path == "/stall":
        # One event, then nothing for longer than any test waits.
        steps = [encode("first"), Pause(30), encode("never seen")]
    else:
        raise AssertionError(request.path)
    return Response(steps=steps)


@pytest.fixture(scope="module")
def server() -> Iterator[SSEServer]:
    with SSEServer(handler) as running:
        yield running


def event_line(data: str, id: str = "") -> str:
    return json.dumps(
        {"event": "message", "data": data, "id": id, "retry": None},
        ensure_ascii=False,
    )


def test_endpoint_text_on_a_terminal_is_not_scrambled_by_progress(
    server: SSEServer,
) -> None:
    # Issue 12: progress was on by default for a URL and wrote
    # "\r[sse_core] ..." over the streamed text. stdout and stderr are the
    # same terminal here, so the default is off.
    run = run_cli(
        [server.url("/chat"), "--endpoint", "chat"], stdout_tty=True, stderr_tty=True
    )
    assert run.returncode == 0
    assert run.screen == ["Hello, wörld 🌍!"]
    assert b"[sse_core]" not in run.terminal


def test_forced_progress_on_the_same_terminal_never_overwrites_the_output(
    server: SSEServer,
) -> None:
    # --progress draws between events and erases itself before each write:
    # the screen ends with every event line intact, then the summary.
    run = run_cli(
        [server.url("/events"), "--progress"], stdout_tty=True, stderr_tty=True
    )
    assert run.returncode == 0
    *lines, summary = run.screen
    assert lines == [event_line(f"event {n}", str(n)) for n in range(3)]
    assert re.fullmatch(r"\[sse_core\] [\d,]+ bytes in [123] reads?, [\d.]+ s", summary)
    # It was drawn mid-stream (then erased), not only at the end.
    first_draw = run.terminal.index(b"\r[sse_core]")
    assert first_draw < run.terminal.index(event_line("event 2", "2").encode())


def test_progress_is_on_by_default_for_slow_standard_input_too() -> None:
    # Issue 12: the README said progress is the default when stderr is a
    # terminal, but the code turned it on only for URLs. stdout is a pipe.
    def trickle(stdin: IO[bytes]) -> None:
        for n in range(3):
            stdin.write(encode(str(n)))
            stdin.flush()
            time.sleep(SLOW)
        stdin.close()

    run = run_cli(["-"], stderr_tty=True, stdin=trickle)
    assert run.returncode == 0
    assert run.stdout.decode().splitlines() == [event_line(str(n)) for n in range(3)]
    assert b"\r[sse_core] " in run.terminal
    [summary] = run.screen
    # (Three reads, unless a slow machine let two pieces meet.)
    assert re.fullmatch(r"\[sse_core\] 27 bytes in [123] reads?, [\d.]+ s", summary)


def test_no_progress_turns_it_off(server: SSEServer) -> None:
    run = run_cli([server.url("/events"), "--no-progress"], stderr_tty=True)
    assert run.returncode == 0
    assert run.terminal == b""


def _interrupt_after_first_event(process: subprocess.Popen[bytes], seen: bytes) -> bool:
    if b"first" not in seen:
        return False
    process.send_signal(signal.SIGINT)
    return True


@pytest.mark.parametrize("tty", [False, True], ids=["pipes", "terminal"])
def test_ctrl_c_mid_stream_exits_130_without_a_traceback(
    server: SSEServer, tty: bool
) -> None:
    # Issue 12: Ctrl-C printed ~20 lines of traceback and the status was -2.
    run = run_cli(
        [server.url("/stall")],
        stdout_tty=tty,
        stderr_tty=tty,
        on_output=_interrupt_after_first_event,
    )
    assert run.returncode == 130
    if tty:
        assert run.screen == [event_line("first")]
    else:
        assert run.stdout.decode() == event_line("first") + "\n"
        assert run.stderr == b""


@pytest.mark.parametrize("tty", [False, True], ids=["pipes", "terminal"])
def test_ctrl_c_mid_text_ends_the_line(server: SSEServer, tty: bool) -> None:
    def interrupt(process: subprocess.Popen[bytes], seen: bytes) -> bool:
        if b"Hello, " not in seen:
            return False
        process.send_signal(signal.SIGINT)
        return True

    run = run_cli(
        [server.url("/chat"), "--endpoint", "chat"],
        stdout_tty=tty,
        stderr_tty=tty,
        on_output=interrupt,
    )
    assert run.returncode == 130
    if tty:
        assert run.terminal.endswith(b"\r\n")  # the shell's prompt starts afresh
        assert b"Traceback" not in run.terminal
    else:
        assert run.stdout.endswith(b"\n")
        assert run.stderr == b""


def test_a_stream_cannot_drive_the_terminal(server: SSEServer) -> None:
    # Text from the server is shown, not obeyed: a terminal acts on control
    # characters (retitle the window, set the clipboard with OSC 52, clear
    # the screen), so on a terminal they are written as \u escapes.
    url = server.url("/escapes")
    run = run_cli([url, "--endpoint", "chat"], stdout_tty=True, stderr_tty=True)
    assert run.returncode == 0
    assert run.screen == ["\\u001b]0;owned\\u0007red: \\u001b[31mX\\u000d\\u009b2J\tok"]
    # Redirected, the bytes are the stream's, exactly.
    run = run_cli([url, "--endpoint", "chat"], stderr_tty=True)
    assert run.stdout == "\x1b]0;owned\x07red: \x1b[31mX\r\x9b2J\tok\n".encode()
