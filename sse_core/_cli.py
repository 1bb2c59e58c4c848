"""Command line: ``sse-core [FILE|-|URL]`` prints one JSON object per event.

The installed ``sse-core`` command and ``python -m sse_core`` are the same
program; docs/cli.md is its page (progress, notes, exit statuses).

With ``--endpoint NAME`` it prints the text a Writer endpoint's stream carries
instead, as it arrives (see :mod:`sse_core.endpoints._render`). The endpoint
layer (past its light records, which name the endpoints), and the HTTP client
for a URL, are imported only when used: the core never depends on them.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import shutil
import sys
import textwrap
import time
from collections.abc import Iterable, Iterator
from typing import BinaryIO, NoReturn, TextIO, cast

from ._errors import SSEError, SSEUsageError
from ._events import ServerSentEvent
from ._http import read_chunks
from ._iterate import iter_events
from ._parser import DEFAULT_MAX_EVENT_SIZE, DEFAULT_MAX_LINE_SIZE, EventStreamParser

__all__ = ["EXIT_STATUSES", "build_argument_parser", "main"]

# The endpoint records load nothing heavy (tests/test_endpoint_cli.py checks it).
from .endpoints._records import ENDPOINTS as _ENDPOINTS

EXIT_STATUSES = (
    (0, "success, including when the reader of the output stops early (as head does)"),
    (
        1,
        "the stream or the server failed: an HTTP error or a response that is "
        "not an event stream, a network error or timeout, a redirect loop, a "
        "body that does not match its Content-Encoding, a line or event over "
        "--max-line-size or --max-event-size, a stream cut mid-event with "
        "--strict, an error event or a bad chunk with --endpoint, or text that "
        "standard output cannot encode",
    ),
    (
        2,
        "usage error: a bad option or URL, an unreadable FILE or -d @FILE, or a "
        "malformed -H header",
    ),
    (130, "interrupted by Ctrl-C (SIGINT)"),
)
"""The exit statuses, as ``--help`` and docs/cli.md list them."""

_INTERRUPTED = 130

_PROGRESS_INTERVAL = 0.5
"""Seconds between two draws of the progress line."""


def _read_chunks(stream: BinaryIO) -> Iterator[bytes]:
    # read1 (buffered files, stdin) returns what has arrived, so events print
    # as they arrive when reading from a pipe.
    return read_chunks(getattr(stream, "read1", stream.read))


def _sample_chunks() -> Iterator[bytes]:
    from importlib.resources import files

    yield files("sse_core").joinpath("sample.sse").read_bytes()


def _event_json(event: ServerSentEvent) -> str:
    return json.dumps(
        {
            "event": event.event,
            "data": event.data,
            "id": event.id,
            "retry": event.retry,
        },
        ensure_ascii=False,
    )


def _is_url(source: str | None) -> bool:
    return source is not None and source.startswith(("http://", "https://"))


def _prog_name(argv0: str) -> str:
    # The console script pip installs runs with argv[0] ending in `sse-core`
    # (pip strips `.exe` and `-script.py` on Windows); `python -m sse_core`
    # runs __main__.py.
    if os.path.basename(argv0).startswith("sse-core"):
        return "sse-core"
    return "python -m sse_core"


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def _epilog() -> str:
    rows = [
        textwrap.fill(
            meaning,
            width=78,
            initial_indent=f"  {status:<5}",
            subsequent_indent=" " * 7,
            break_on_hyphens=False,
        )
        for status, meaning in EXIT_STATUSES
    ]
    return (
        "Progress (bytes read, reads, seconds) is shown on stderr by default "
        "when\nstderr is a terminal and stdout is not that same terminal. "
        "Every failure\nprints one line on stderr.\n\nexit status:\n" + "\n".join(rows)
    )


def build_argument_parser(prog: str = "python -m sse_core") -> argparse.ArgumentParser:
    """The CLI's argument parser (exposed for the docs and the tests).

    ``prog`` is the name ``--help`` shows: ``sse-core`` when run as the
    installed command.
    """
    parser = _ArgumentParser(
        prog=prog,
        description=(
            "Parse a Server-Sent Events stream and print one JSON object per event "
            "(event, data, id, retry). SOURCE is a file, - for standard input, or "
            "an http(s) URL to stream from (with httpx when it is installed, else "
            "the standard library). With no SOURCE, parse the sample stream "
            "shipped with sse_core."
        ),
        epilog=_epilog(),
        formatter_class=_HelpFormatter,
    )
    parser.add_argument(
        "source",
        nargs="?",
        metavar="FILE|-|URL",
        help="a file holding an event stream, - for standard input, or a URL",
    )
    parser.add_argument(
        "--endpoint",
        choices=_ENDPOINTS,
        metavar="NAME",
        help=(
            "print the text of a Writer endpoint's stream as it arrives instead of "
            "the events: " + ", ".join(_ENDPOINTS) + " (stream errors exit with 1)"
        ),
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help=(
            "print JSON, one object per line: the events (the default), or with "
            "--endpoint the decoded chunks"
        ),
    )
    parser.add_argument(
        "--comments",
        action="store_true",
        help='also print comment lines, as {"comment": TEXT}',
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="exit with status 1 if the stream ends in the middle of an event",
    )
    parser.add_argument(
        "--max-line-size",
        type=_positive_int,
        default=DEFAULT_MAX_LINE_SIZE,
        metavar="BYTES",
        help=(
            "the longest line accepted, in bytes; a longer one exits with status 1 "
            f"(default {DEFAULT_MAX_LINE_SIZE:,})"
        ),
    )
    parser.add_argument(
        "--max-event-size",
        type=_positive_int,
        default=DEFAULT_MAX_EVENT_SIZE,
        metavar="BYTES",
        help=(
            "the most data one event may hold, in bytes; a larger one exits with "
            f"status 1 (default {DEFAULT_MAX_EVENT_SIZE:,})"
        ),
    )
    http = parser.add_argument_group("URL options")
    http.add_argument(
        "-X", "--method", help="HTTP method (default GET, or POST with --data)"
    )
    http.add_argument(
        "-H",
        "--header",
        action="append",
        default=[],
        metavar="'NAME: VALUE'",
        help="a request header (repeatable), e.g. 'Authorization: Bearer KEY'",
    )
    http.add_argument(
        "-d",
        "--data",
        metavar="BODY",
        help=(
            "request body; @FILE reads it from a file. A JSON body is sent with "
            "Content-Type: application/json unless -H sets one"
        ),
    )
    http.add_argument(
        "--timeout",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="connect and idle-read timeout (default 60; 0 waits forever)",
    )
    display = parser.add_argument_group("progress")
    progress = display.add_mutually_exclusive_group()
    progress.add_argument(
        "--progress",
        action="store_true",
        default=None,
        help=(
            "show progress on stderr for any input, and a summary line at the end "
            "(default: on when stderr is a terminal and stdout is not that same "
            "terminal)"
        ),
    )
    progress.add_argument(
        "--no-progress",
        dest="progress",
        action="store_false",
        help="never show progress",
    )
    return parser


class _ArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, as for every other failure; --help has the rest.
        self.exit(2, f"sse_core: {message} (see {self.prog} --help)\n")


class _HelpFormatter(argparse.HelpFormatter):
    """Fills the description and the options' help; keeps the epilog's table."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if "\n" in text:
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code > 0xFFFF:  # as a UTF-16 surrogate pair, as JSON spells it
        code -= 0x10000
        high, low = 0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF)
        return f"\\u{high:04x}\\u{low:04x}"
    return f"\\u{code:04x}"


def _print(out: TextIO, line: str) -> None:
    # `line` is JSON. If the output cannot encode it (a lone surrogate that a
    # \ud800 escape in the stream decoded to, or any non-ASCII character on an
    # ASCII-only stdout), write non-ASCII as \u escapes: outside its strings
    # JSON is ASCII, so this is the same JSON value, and nothing is lost.
    try:
        out.write(line + "\n")
    except _UnwritableTextError:
        out.write(_NON_ASCII.sub(_json_escape, line) + "\n")
    out.flush()


class _TextOutput:
    """Writes text pieces to stdout and stderr, flushing each, minding line starts."""

    def __init__(self, out: TextIO, err: TextIO) -> None:
        self._streams = (out, err)
        self._mid_line = [False, False]

    def write(self, text: str, to_stderr: bool = False, new_line: bool = False) -> None:
        which = int(to_stderr)
        stream = self._streams[which]
        if new_line and self._mid_line[which]:
            text = "\n" + text
        if text:
            # Set first: a Ctrl-C just after the write still sees it.
            was, self._mid_line[which] = self._mid_line[which], not text.endswith("\n")
            try:
                stream.write(text)
            except _UnwritableTextError:
                self._mid_line[which] = was  # nothing was written
                raise
            stream.flush()

    def end_lines(self) -> None:
        for which, stream in enumerate(self._streams):
            if self._mid_line[which]:
                stream.write("\n")
                stream.flush()
                self._mid_line[which] = False


class _UnwritableTextError(Exception):
    """Text an output stream's encoding cannot carry; :func:`main` reports it.

    Raised by :class:`_ConsoleStream` instead of the ``UnicodeEncodeError``, so
    that it is told apart from one raised while building the request (a
    non-ASCII header value is a usage error). It never leaves :func:`main`.
    """

    def __init__(self, stream: str, error: UnicodeEncodeError) -> None:
        char = error.object[error.start : error.start + 1]
        super().__init__(
            f"cannot write U+{ord(char):04X} to {stream} "
            f"(encoding {error.encoding}): {error.reason}"
        )


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except ValueError:  # closed
        return False


def _same_terminal(out: TextIO, err: TextIO) -> bool:
    """Whether ``out`` and ``err`` are one terminal, so they share its lines."""
    try:
        fds = out.fileno(), err.fileno()
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation
        return False
    if not (os.isatty(fds[0]) and os.isatty(fds[1])):
        return False
    # One device has one st_rdev however it was opened; where fstat cannot
    # tell (Windows consoles report 0 for both), assume the same terminal.
    devices = [getattr(os.fstat(fd), "st_rdev", 0) for fd in fds]
    return devices[0] == devices[1]


# Control characters a terminal would act on, but tab and line feed: a stream
# could otherwise move the cursor, retitle the window or set the clipboard
# (OSC 52). On a terminal they are shown as \u escapes, which are also valid
# in JSON (where only DEL and C1 controls can appear raw, inside strings).
_TERMINAL_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _escape_control(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


class _ConsoleStream(io.TextIOBase):
    """stdout or stderr as the CLI writes it: through its :class:`_Console`."""

    def __init__(self, console: _Console, stream: TextIO, name: str) -> None:
        super().__init__()
        self._console = console
        self._stream = stream
        self._name = name
        self._terminal = _isatty(stream)
        self.mid_line = False
        self.chars = 0
        """How many characters were written."""

    def write(self, text: str, /) -> int:
        if text:
            if self._terminal:
                text = _TERMINAL_CONTROL.sub(_escape_control, text)
            self._console.erase_progress()
            # Set first: a Ctrl-C just after the write still sees it.
            was = self.mid_line, self._console.line_busy
            self.mid_line = not text.endswith("\n")
            self._console.wrote(self, text)
            try:
                self._stream.write(text)
            except UnicodeEncodeError as exc:
                self.mid_line, self._console.line_busy = was  # nothing was written
                raise _UnwritableTextError(self._name, exc) from None
            self.chars += len(text)
        return len(text)

    def end_line(self) -> None:
        if self.mid_line:
            self.write("\n")
            self.flush()

    def flush(self) -> None:
        self._stream.flush()

    def close(self) -> None:
        # Not ours to close (nor to flush when garbage-collected).
        pass

    def isatty(self) -> bool:
        return _isatty(self._stream)

    def fileno(self) -> int:
        return self._stream.fileno()


class _Console:
    """Standard output and standard error, and the progress line on stderr.

    The progress line is drawn only when stderr is a terminal and its line
    there is empty (stdout counts too when it is the same terminal), and it is
    erased before anything else is written, so it never overwrites nor
    interleaves with the output.
    """

    def __init__(self, out: TextIO, err: TextIO) -> None:
        self._err = err
        self.err_is_terminal = _isatty(err)
        self.same_terminal = _same_terminal(out, err)
        self.out = _ConsoleStream(self, out, "standard output")
        self.err = _ConsoleStream(self, err, "standard error")
        # Whether the terminal line the progress line would take holds text.
        self.line_busy = False
        self._shown = 0  # the width of the progress line on screen; 0: none

    def wrote(self, stream: _ConsoleStream, text: str) -> None:
        if stream is self.err or self.same_terminal:
            self.line_busy = not text.endswith("\n")

    def draw_progress(self, text: str) -> None:
        if not self.err_is_terminal or self.line_busy:
            return
        # A line no wider than the terminal, so that "\r" returns to its start.
        text = text[: shutil.get_terminal_size().columns - 1]
        self._err.write("\r" + text.ljust(self._shown))
        self._err.flush()
        self._shown = max(len(text), self._shown)

    def erase_progress(self) -> None:
        if self._shown:
            self._err.write("\r" + " " * self._shown + "\r")
            self._err.flush()
            self._shown = 0

    def end_lines(self) -> None:
        """End the output's last line, if it is unfinished (after a Ctrl-C)."""
        self.erase_progress()
        if self.same_terminal:
            if self.line_busy:
                self.out.write("\n")
                self.out.flush()
        else:
            self.out.end_line()
            self.err.end_line()

    def note(self, text: str, prefix: str = "sse_core: ") -> None:
        """Write ``sse_core: TEXT`` on stderr, on a line of its own."""
        start = "\n" if self.line_busy else ""
        self.err.write(f"{start}{prefix}{_one_line(text)}\n")
        self.err.flush()


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _one_line(text: str) -> str:
    # Messages can quote what a server sent: line breaks become spaces and
    # other control characters are escaped, so a message is one line and
    # cannot drive the terminal.
    return _CONTROL.sub(
        lambda m: " " if m.group() in "\r\n\t" else f"\\x{ord(m.group()):02x}", text
    )


class _Meter:
    """Counts the bytes read; draws them as the progress line, if asked."""

    def __init__(self, console: _Console, progress: bool) -> None:
        self._console = console
        self._progress = progress
        self._start = self._drawn_at = time.monotonic()
        self.drawn = False
        self.bytes = 0
        self.reads = 0

    def count(self, chunks: Iterable[bytes]) -> Iterator[bytes]:
        for chunk in chunks:
            self.bytes += len(chunk)
            self.reads += 1
            yield chunk
            # Back here the chunk's output is written, and the next read may
            # wait: the moment to show the line, which stays until output.
            if self._progress:
                now = time.monotonic()
                if now - self._drawn_at >= _PROGRESS_INTERVAL:
                    self._drawn_at = now
                    self._console.draw_progress(self.summary())
                    self.drawn = True

    def summary(self) -> str:
        return (
            f"[sse_core] {self.bytes:,} bytes in {self.reads:,} "
            f"read{'s' if self.reads != 1 else ''}, "
            f"{time.monotonic() - self._start:.1f} s"
        )


class _CountingParser(EventStreamParser):
    """An :class:`EventStreamParser` that counts the events it returns."""

    events = 0

    def feed(self, data: bytes | bytearray | memoryview) -> list[ServerSentEvent]:
        events = super().feed(data)
        self.events += len(events)
        return events


def _request_body(data: str | None) -> tuple[bytes | None, str | None]:
    # The body, and the content type to send unless the caller set one.
    if data is None:
        return None, None
    if data.startswith("@"):
        with open(data[1:], "rb") as file:
            body = file.read()
    else:
        body = data.encode()
    try:
        json.loads(body)
    except ValueError:
        return body, None
    return body, "application/json"


def _network_errors() -> tuple[type[Exception], ...]:
    # What a dead or unreachable server, or a bad response body, raises, from
    # whichever client runs: connection and read errors, timeouts, redirect
    # loops, a body that does not match its Content-Encoding (zlib.error, and
    # EOFError for a gzip body cut short).
    import http.client
    import zlib

    errors: list[type[Exception]] = [
        OSError,
        EOFError,
        http.client.HTTPException,
        zlib.error,
    ]
    with contextlib.suppress(ImportError):
        import httpx

        # HTTPError: TransportError, DecodingError, TooManyRedirects, ...
        errors.append(httpx.HTTPError)
    return tuple(errors)


def _bad_url_errors() -> tuple[type[Exception], ...]:
    with contextlib.suppress(ImportError):
        import httpx

        return (httpx.InvalidURL,)
    return ()


def _open_url(args: argparse.Namespace, stack: contextlib.ExitStack) -> Iterator[bytes]:
    from .transports import open_stream

    headers: dict[str, str] = {}
    for header in args.header:
        name, colon, value = header.partition(":")
        if not colon or not name.strip():
            raise ValueError(f"a header is 'NAME: VALUE', got {header!r}")
        headers[name.strip()] = value.strip()
    body, content_type = _request_body(args.data)
    if content_type and not any(k.lower() == "content-type" for k in headers):
        headers["Content-Type"] = content_type
    method = args.method or ("POST" if body is not None else "GET")
    timeout = args.timeout or None
    return stack.enter_context(
        open_stream(
            args.source, headers=headers, timeout=timeout, method=method, body=body
        )
    )


def _print_endpoint_output(
    args: argparse.Namespace,
    chunks: Iterable[bytes],
    parser: EventStreamParser,
    out: TextIO,
) -> int:
    from .endpoints import APIError, StreamError, decode_bytes, stream_events
    from .endpoints._render import render_events

    endpoint: str = args.endpoint
    output = _TextOutput(out, sys.stderr)
    try:
        if args.json:
            for chunk in decode_bytes(endpoint, chunks, parser):
                _print(out, json.dumps(chunk.raw, ensure_ascii=False))
        else:
            events = stream_events(endpoint, chunks, parser)
            for piece in render_events(events):
                output.write(piece.text, piece.stderr, piece.new_line)
    except StreamError as exc:
        output.end_lines()
        what = "the API sent an error" if isinstance(exc, APIError) else endpoint
        print(f"sse_core: {what}: {_one_line(str(exc))}", file=sys.stderr)
        return 1
    finally:
        output.end_lines()
    return 0


_Failure = tuple[tuple[type[BaseException], ...], int, str]


def _failure_table(url: bool) -> tuple[_Failure, ...]:
    """Which exception exits with which status, and its message, first match wins.

    In a message, ``{source}`` is the input and ``{exc}`` the exception's
    text. Only these are caught: anything else is a bug, and its traceback is
    what to report.
    """
    network = (_network_errors(), 1, "{source}: {exc}")
    bad_url = (_bad_url_errors(), 2, "{source}: {exc}")
    return (
        ((_UnwritableTextError,), 1, "{exc}"),
        ((SSEUsageError,), 2, "{exc}"),
        # Includes BadResponseError: an HTTP error or not an event stream.
        ((SSEError,), 1, "{exc}"),
        *((bad_url, network) if url else ()),
        # A malformed -H or URL, an unreadable FILE or -d @FILE.
        ((ValueError, OSError), 2, "{exc}"),
    )


def _failure(exc: Exception, url: bool, source: str | None) -> tuple[int, str] | None:
    for types, status, message in _failure_table(url):
        if isinstance(exc, types):
            text = str(exc) or type(exc).__name__
            return status, message.format(source=source, exc=text)
    return None


def _chunks(args: argparse.Namespace, stack: contextlib.ExitStack) -> Iterable[bytes]:
    if args.source is None:
        return _sample_chunks()
    if args.source == "-":
        return _read_chunks(sys.stdin.buffer)
    if _is_url(args.source):
        return _open_url(args, stack)
    try:
        return _read_chunks(stack.enter_context(open(args.source, "rb")))
    except OSError as exc:
        raise OSError(f"cannot read {args.source}: {exc.strerror}") from None


def _discard_stdout() -> None:
    # What is still buffered for stdout would fail again when Python flushes
    # it at exit, with an "Exception ignored" message: send it to devnull
    # instead (the recipe in the signal module's documentation).
    with contextlib.suppress(OSError, ValueError):  # no file descriptor
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _note(meter: _Meter, parser: _CountingParser, console: _Console) -> str | None:
    # After a run that succeeded: what the input held that did not show.
    if meter.bytes and not parser.events and not console.out.chars:
        return f"no events in {meter.bytes:,} bytes of input: is it an event stream?"
    if parser.truncated:
        return (
            "the input ended in the middle of an event, which was discarded "
            "(--strict makes this an error)"
        )
    return None


def _run(args: argparse.Namespace, console: _Console) -> int:
    out = cast(TextIO, console.out)

    def print_comment(text: str) -> None:
        _print(out, json.dumps({"comment": text}, ensure_ascii=False))

    parser = _CountingParser(
        max_line_size=args.max_line_size,
        max_event_size=args.max_event_size,
        on_comment=print_comment if args.comments else None,
        raise_on_incomplete=args.strict,
    )
    show_progress = args.progress
    if show_progress is None:
        show_progress = console.err_is_terminal and not console.same_terminal
    meter = _Meter(console, show_progress)
    url = _is_url(args.source)
    try:
        # Closing the response is inside too: it can fail like a read.
        with contextlib.ExitStack() as stack:
            chunks = meter.count(_chunks(args, stack))
            if args.endpoint is not None:
                status = _print_endpoint_output(args, chunks, parser, out)
            else:
                status = 0
                for event in iter_events(chunks, parser):
                    _print(out, _event_json(event))
    except KeyboardInterrupt:
        console.end_lines()
        raise
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): not an error of ours.
        _discard_stdout()
        return 0
    except Exception as exc:
        failure = _failure(exc, url, args.source)
        if failure is None:
            raise
        status, message = failure
        console.note(message)
        return status
    finally:
        console.erase_progress()
    if status == 0:
        if args.progress or meter.drawn:
            console.note(meter.summary(), prefix="")
        note = _note(meter, parser, console)
        if note is not None:
            console.note(note)
    return status


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the process exit status (:data:`EXIT_STATUSES`)."""
    try:
        argument_parser = build_argument_parser(_prog_name(sys.argv[0]))
        args = argument_parser.parse_args(argv)
        if args.endpoint is not None and args.comments:
            argument_parser.error("--comments cannot be combined with --endpoint")
        if not _is_url(args.source) and (args.method or args.header or args.data):
            argument_parser.error("-X, -H and -d need a URL to send a request to")
        console = _Console(sys.stdout, sys.stderr)
        # The endpoint printer writes to sys.stderr: through the console too.
        with contextlib.redirect_stderr(cast(TextIO, console.err)):
            return _run(args, console)
    except KeyboardInterrupt:
        # Ctrl-C: the status shells give a process SIGINT ended, no traceback.
        return _INTERRUPTED
