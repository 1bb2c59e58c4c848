"""Command line: ``python -m sse_core [FILE|-|URL]`` prints one JSON object per event.

With ``--endpoint NAME`` it prints the text a Writer endpoint's stream carries
instead, as it arrives (see :mod:`sse_core.endpoints._render`). The endpoint
layer (past its light records, which name the endpoints), and the HTTP client
for a URL, are imported only when used: the core never depends on them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
from collections.abc import Iterable, Iterator
from typing import BinaryIO, TextIO

from ._errors import SSEError
from ._events import ServerSentEvent
from ._iterate import iter_events
from ._parser import DEFAULT_MAX_EVENT_SIZE, DEFAULT_MAX_LINE_SIZE, EventStreamParser
from .transports._common import read_chunks

__all__ = ["build_argument_parser", "main"]

# The endpoint records load nothing heavy (tests/test_endpoint_cli.py checks it).
from .endpoints._records import ENDPOINTS as _ENDPOINTS


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


def build_argument_parser() -> argparse.ArgumentParser:
    """The CLI's argument parser (exposed for the docs and the tests)."""
    parser = argparse.ArgumentParser(
        prog="python -m sse_core",
        description=(
            "Parse a Server-Sent Events stream and print one JSON object per event "
            "(event, data, id, retry). SOURCE is a file, - for standard input, or "
            "an http(s) URL to stream from (with httpx when it is installed, else "
            "the standard library). With no SOURCE, parse the sample stream "
            "shipped with sse_core."
        ),
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
    parser.add_argument("--max-line-size", type=int, default=DEFAULT_MAX_LINE_SIZE)
    parser.add_argument("--max-event-size", type=int, default=DEFAULT_MAX_EVENT_SIZE)
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
    progress = http.add_mutually_exclusive_group()
    progress.add_argument(
        "--progress",
        action="store_true",
        default=None,
        help="show progress on stderr (default: when stderr is a terminal)",
    )
    progress.add_argument("--no-progress", dest="progress", action="store_false")
    return parser


def _print(out: TextIO, line: str) -> None:
    out.write(line + "\n")
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
            stream.write(text)
            stream.flush()
            self._mid_line[which] = not text.endswith("\n")

    def end_lines(self) -> None:
        for which, stream in enumerate(self._streams):
            if self._mid_line[which]:
                stream.write("\n")
                stream.flush()
                self._mid_line[which] = False


class _Progress:
    """Counts the bytes read and shows them on stderr, at most twice a second."""

    def __init__(self, err: TextIO) -> None:
        self._err = err
        self._start = time.monotonic()
        self._shown = self._start
        self._bytes = 0
        self._reads = 0
        self._drawn = False

    def count(self, chunks: Iterable[bytes]) -> Iterator[bytes]:
        for chunk in chunks:
            self._bytes += len(chunk)
            self._reads += 1
            now = time.monotonic()
            if now - self._shown >= 0.5:
                self._shown = now
                self._draw(now)
            yield chunk

    def _draw(self, now: float) -> None:
        self._err.write(
            f"\r[sse_core] {self._bytes:,} bytes in {self._reads:,} reads, "
            f"{now - self._start:.1f} s"
        )
        self._err.flush()
        self._drawn = True

    def finish(self) -> None:
        if self._drawn:
            self._draw(time.monotonic())
            self._err.write("\n")
            self._err.flush()


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
    # What a dead or unreachable server raises, from whichever client runs.
    import http.client

    errors: list[type[Exception]] = [OSError, http.client.HTTPException]
    with contextlib.suppress(ImportError):
        import httpx

        errors.append(httpx.TransportError)
    return tuple(errors)


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
        print(f"sse_core: {what}: {exc}", file=sys.stderr)
        return 1
    finally:
        output.end_lines()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the process exit status."""
    argument_parser = build_argument_parser()
    args = argument_parser.parse_args(argv)
    if args.endpoint is not None and args.comments:
        argument_parser.error("--comments cannot be combined with --endpoint")
    if not _is_url(args.source) and (args.method or args.header or args.data):
        argument_parser.error("-X, -H and -d need a URL to send a request to")
    out = sys.stdout

    def print_comment(text: str) -> None:
        _print(out, json.dumps({"comment": text}, ensure_ascii=False))

    parser = EventStreamParser(
        max_line_size=args.max_line_size,
        max_event_size=args.max_event_size,
        on_comment=print_comment if args.comments else None,
        raise_on_incomplete=args.strict,
    )
    show_progress = args.progress
    if show_progress is None:
        show_progress = _is_url(args.source) and sys.stderr.isatty()
    progress = _Progress(sys.stderr) if show_progress else None
    network_errors: tuple[type[Exception], ...] = ()
    with contextlib.ExitStack() as stack:
        try:
            chunks: Iterable[bytes]
            if args.source is None:
                chunks = _sample_chunks()
            elif args.source == "-":
                chunks = _read_chunks(sys.stdin.buffer)
            elif _is_url(args.source):
                network_errors = _network_errors()
                chunks = _open_url(args, stack)
            else:
                try:
                    source = stack.enter_context(open(args.source, "rb"))
                except OSError as exc:
                    print(
                        f"sse_core: cannot read {args.source}: {exc.strerror}",
                        file=sys.stderr,
                    )
                    return 2
                chunks = _read_chunks(source)
            if progress is not None:
                chunks = progress.count(chunks)
                stack.callback(progress.finish)
            if args.endpoint is not None:
                return _print_endpoint_output(args, chunks, parser, out)
            for event in iter_events(chunks, parser):
                _print(out, _event_json(event))
        except SSEError as exc:
            # Includes BadResponseError: an HTTP error or not an event stream.
            print(f"sse_core: {exc}", file=sys.stderr)
            return 1
        except BrokenPipeError:
            # The reader went away (e.g. `| head`): not an error of ours.
            sys.stderr.close()
            return 0
        except network_errors as exc:
            print(
                f"sse_core: {args.source}: {exc or type(exc).__name__}", file=sys.stderr
            )
            return 1
        except (ValueError, OSError) as exc:
            # A malformed -H, an unreadable -d @FILE.
            print(f"sse_core: {exc}", file=sys.stderr)
            return 2
    return 0
