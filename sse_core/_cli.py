"""Command line: ``python -m sse_core [FILE|-]`` prints one JSON object per event.

With ``--endpoint NAME`` it prints the text a Writer endpoint's stream carries
instead, as it arrives (see :mod:`sse_core.endpoints._render`). The endpoint
layer is imported only then: the core never depends on it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from typing import BinaryIO, TextIO

from ._errors import SSEError
from ._events import ServerSentEvent
from ._iterate import iter_events
from ._parser import DEFAULT_MAX_EVENT_SIZE, DEFAULT_MAX_LINE_SIZE, EventStreamParser

__all__ = ["main"]

_READ_SIZE = 64 * 1024

# sse_core.endpoints.ENDPOINTS, repeated so that building the argument parser
# does not import the endpoint layer (tests/test_endpoint_cli.py checks it).
_ENDPOINTS = ("completions", "chat", "applications", "graphs.question", "web_search")


def _read_chunks(stream: BinaryIO) -> Iterator[bytes]:
    # read1 returns what is available now, so events print as they arrive
    # when reading from a pipe.
    read = getattr(stream, "read1", stream.read)
    while True:
        chunk = read(_READ_SIZE)
        if not chunk:
            return
        yield chunk


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


def build_argument_parser() -> argparse.ArgumentParser:
    """The CLI's argument parser (exposed for the docs and the tests)."""
    parser = argparse.ArgumentParser(
        prog="python -m sse_core",
        description=(
            "Parse a Server-Sent Events stream and print one JSON object per event "
            "(event, data, id, retry). With no SOURCE, parse the sample stream "
            "shipped with sse_core."
        ),
    )
    parser.add_argument(
        "source",
        nargs="?",
        metavar="FILE|-",
        help="a file holding an event stream, or - for standard input",
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
        "--endpoint",
        choices=_ENDPOINTS,
        metavar="NAME",
        help=(
            "print the text of a Writer endpoint's stream as it arrives instead of "
            "the events: " + ", ".join(_ENDPOINTS) + " (stream errors exit with 1)"
        ),
    )
    parser.add_argument("--max-line-size", type=int, default=DEFAULT_MAX_LINE_SIZE)
    parser.add_argument("--max-event-size", type=int, default=DEFAULT_MAX_EVENT_SIZE)
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


def _print_endpoint_text(
    endpoint: str, chunks: Iterable[bytes], parser: EventStreamParser, out: TextIO
) -> int:
    from .endpoints import APIError, StreamError, decode_bytes
    from .endpoints._render import render_text

    output = _TextOutput(out, sys.stderr)
    try:
        for piece in render_text(endpoint, decode_bytes(endpoint, chunks, parser)):
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
    out = sys.stdout

    def print_comment(text: str) -> None:
        _print(out, json.dumps({"comment": text}, ensure_ascii=False))

    parser = EventStreamParser(
        max_line_size=args.max_line_size,
        max_event_size=args.max_event_size,
        on_comment=print_comment if args.comments else None,
        raise_on_incomplete=args.strict,
    )
    source: BinaryIO | None = None
    try:
        if args.source is None:
            chunks = _sample_chunks()
        elif args.source == "-":
            chunks = _read_chunks(sys.stdin.buffer)
        else:
            try:
                source = open(args.source, "rb")  # noqa: SIM115 - closed below
            except OSError as exc:
                print(
                    f"sse_core: cannot read {args.source}: {exc.strerror}",
                    file=sys.stderr,
                )
                return 2
            chunks = _read_chunks(source)
        if args.endpoint is not None:
            return _print_endpoint_text(args.endpoint, chunks, parser, out)
        for event in iter_events(chunks, parser):
            _print(out, _event_json(event))
    except SSEError as exc:
        print(f"sse_core: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): not an error of ours.
        sys.stderr.close()
        return 0
    finally:
        if source is not None:
            source.close()
    return 0
