"""Run ``python -m sse_core`` as a user does: on a pseudo-terminal, or on pipes.

A pseudo-terminal (``os.openpty``) is what a terminal emulator gives a shell:
``isatty()`` is true, and when stdout and stderr are both the terminal their
writes land on the same screen lines. :func:`screen` replays what the program
wrote the way a terminal does (``\\r`` returns to the start of the line, a
character overwrites the one under the cursor), so a test can assert what the
user sees, not just which bytes were sent.

Every run is bounded: the child is killed after ``timeout`` seconds.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from typing import IO, Callable

__all__ = ["Run", "run_cli", "screen"]

TIMEOUT = 60.0


@dataclass
class Run:
    """What a run left: its status and what each stream received."""

    returncode: int
    stdout: bytes  # the pipe's bytes; b"" when stdout was the terminal
    stderr: bytes  # the pipe's bytes; b"" when stderr was the terminal
    terminal: bytes  # what the terminal received (b"" without one)

    @property
    def screen(self) -> list[str]:
        return screen(self.terminal)


def screen(raw: bytes) -> list[str]:
    """The lines a terminal shows after receiving ``raw``, trailing blanks cut.

    Line feed moves down a line (the terminal's ONLCR setting sends a carriage
    return first), carriage return moves to the start of the line, and any
    other character is written over what the cursor is on.
    """
    rows: list[list[str]] = [[]]
    row = column = 0
    for char in raw.decode("utf-8", "replace"):
        if char == "\n":
            row += 1
            if row == len(rows):
                rows.append([])
        elif char == "\r":
            column = 0
        else:
            line = rows[row]
            if column < len(line):
                line[column] = char
            else:
                line.extend(" " * (column - len(line)))
                line.append(char)
            column += 1
    lines = ["".join(line).rstrip() for line in rows]
    while lines and not lines[-1]:
        lines.pop()
    return lines


@contextlib.contextmanager
def _sigint_not_ignored() -> Generator[None, None, None]:
    # An ignored SIGINT is inherited across exec (a job started with `&` by a
    # non-interactive shell has one), and then Python leaves it ignored. A
    # handler is not inherited: the child starts with the default, as in a
    # terminal, and Python installs its KeyboardInterrupt handler.
    if signal.getsignal(signal.SIGINT) != signal.SIG_IGN:
        yield
        return
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def run_cli(
    args: Sequence[str],
    *,
    stdout_tty: bool = False,
    stderr_tty: bool = False,
    stdin: bytes | Callable[[IO[bytes]], None] = b"",
    env: dict[str, str] | None = None,
    command: Sequence[str] | None = None,
    on_output: Callable[[subprocess.Popen[bytes], bytes], bool] | None = None,
    timeout: float = TIMEOUT,
) -> Run:
    """Run the CLI with the chosen streams on one pseudo-terminal.

    ``stdin`` is bytes to send, or a function given the child's stdin pipe
    (to trickle input; it must close it). ``on_output(process, seen)`` is
    called with all output so far (the terminal's and both pipes', in order
    of arrival) until it returns true: e.g. to send SIGINT once an event is
    out. ``command`` replaces ``python -m sse_core``.
    """
    master = slave = -1
    if stdout_tty or stderr_tty:
        master, slave = os.openpty()
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    with _sigint_not_ignored():
        process = subprocess.Popen(
            [*(command or [sys.executable, "-m", "sse_core"]), *args],
            stdin=subprocess.PIPE,
            stdout=slave if stdout_tty else subprocess.PIPE,
            stderr=slave if stderr_tty else subprocess.PIPE,
            env=full_env,
        )
    if slave != -1:
        os.close(slave)  # the child holds it; the master sees EOF when it exits
    out_fd = process.stdout.fileno() if process.stdout is not None else -1
    err_fd = process.stderr.fileno() if process.stderr is not None else -1
    received = {fd: bytearray() for fd in (master, out_fd, err_fd) if fd != -1}
    seen = bytearray()
    watching = on_output is not None
    deadline = time.monotonic() + timeout
    assert process.stdin is not None
    feeder = None
    if callable(stdin):
        feeder = threading.Thread(target=stdin, args=(process.stdin,), daemon=True)
        feeder.start()
    else:
        process.stdin.write(stdin)
        process.stdin.close()
    try:
        with selectors.DefaultSelector() as selector:
            for fd in received:
                selector.register(fd, selectors.EVENT_READ)
            while selector.get_map():
                left = deadline - time.monotonic()
                assert left > 0, f"the CLI ran for over {timeout} s: {bytes(seen)!r}"
                for key, _ in selector.select(timeout=left):
                    try:
                        piece = os.read(key.fd, 65536)
                    except OSError:  # EIO: the terminal's last writer closed it
                        piece = b""
                    if not piece:
                        selector.unregister(key.fd)
                        continue
                    received[key.fd] += piece
                    seen += piece
                    if watching and on_output is not None:
                        watching = not on_output(process, bytes(seen))
        returncode = process.wait(timeout=max(deadline - time.monotonic(), 1))
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
        if master != -1:
            os.close(master)
        if feeder is not None:
            feeder.join(timeout)
    return Run(
        returncode,
        bytes(received.get(out_fd, b"")),
        bytes(received.get(err_fd, b"")),
        bytes(received.get(master, b"")),
    )
