"""Rebuild the seed corpus of every fuzz target from the repository's test streams.

Run from the repository's root: ``python -m tests.fuzz.make_corpus``. It
replaces the files in ``tests/fuzz/corpus/<target>/`` (one file per seed,
named by the SHA-1 of its content, as libFuzzer names the inputs it keeps).

The streams come from ``tests/data/**/*.sse``, the cases of
``tests/test_conformance.py`` (each connection's bytes) and the bytes
literals of ``tests/test_conformance.py`` and ``tests/test_parser.py``. Each
seed is laid out as its target reads it (see :mod:`tests.fuzz.targets`).
"""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from sse_core import EventStreamParser, ServerSentEvent
from sse_core.endpoints import ENDPOINTS

from ..endpoint_streams import endpoint_of
from ..test_conformance import CASES

TESTS = Path(__file__).resolve().parent.parent
CORPUS = TESTS / "fuzz" / "corpus"
LITERAL_SOURCES = ("test_conformance.py", "test_parser.py")
MAX_SEED = 16 * 1024
# Streams whose interesting part only shows when cut into reads, with the cuts.
SPLIT_STREAMS = (
    (b"data: a\ndata: b\ndata: c\n\n", (8, 16)),
    (b"data: a\r\ndata: b\r\n\r\n", (8, 9, 17)),
    (b"retry: " + b"9" * 25 + b"\ndata: x\n\n", (10,)),
    (b"\xef\xbb\xbfdata: \xe2\x82\xac\n\n", (1, 2, 8)),
)

# Bodies a misconfigured server or proxy sends where a stream was expected,
# and the payloads that stress the endpoint layer's JSON handling.
HOSTILE_BODIES = (
    b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n"
    b"<body><h1>502 Bad Gateway</h1><hr><center>nginx</center></body>\n</html>\n",
    b'{"error": {"message": "Invalid API key", "type": "invalid_request_error"}}',
    b'data: {"errors": [{"description": "Rate limited", "key": "rate"}]}\n\n',
    b'event: error\ndata: {"error": {"message": "overloaded"}}\n\n',
    b"data: " + b"[" * 2000 + b"]" * 2000 + b"\n\n",
    b'data: {"choices": [{"index": 0, "delta": {"content": '
    + b"[" * 500
    + b"]" * 500
    + b"}}]}\n\n",
    b"data: " + b"9" * 5000 + b"\n\n",
    b'data: {"value": NaN, "answer": Infinity}\n\n',
    b'data: {"choices": [{"index": true}]}\n\n',
    b"data: [DONE]\n\ndata: not json\n\n",
)


def streams() -> Iterator[bytes]:
    """Every test stream, in a stable order, duplicates included."""
    for path in sorted(TESTS.glob("data/**/*.sse")):
        yield path.read_bytes()
    for case in CASES:
        for connection in case.connections:
            yield connection.stream
    for name in LITERAL_SOURCES:
        tree = ast.parse((TESTS / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, bytes):
                yield node.value


def _text(value: str) -> bytes:
    raw = value.encode("utf-8", "surrogateescape")[:255]
    return bytes([len(raw)]) + raw


def _retry(value: int | None) -> bytes:
    return b"" if value is None else b"\x01" + value.to_bytes(8, "big")


def parser_seed(stream: bytes, cuts: tuple[int, ...] = ()) -> bytes:
    """A parser input: default options, bytes pieces, cut at ``cuts``."""
    header = bytes([len(cuts) << 4, 0, 0])
    return header + b"".join(cut.to_bytes(3, "big") for cut in cuts) + stream


def encoder_seed(events: list[ServerSentEvent]) -> bytes:
    """An encoder input: the first event through ``encode``, or all of them in turn."""
    if len(events) == 1:
        event = events[0]
        flags = 1 | 4 | (2 if event.event != "message" else 0)
        flags |= 8 if event.retry is not None else 0
        kind = event.event if event.event != "message" else ""
        return (
            bytes([0, flags])
            + _text(event.data)
            + (_text(kind) if kind else b"")
            + _text(event.id)
            + _retry(event.retry)
        )
    seed = bytes([2, len(events[:8]) - 1])
    previous_id = ""
    for event in events[:8]:
        flags = 1 if event.event != "message" else 0
        flags |= 2 if event.id != previous_id else 0
        flags |= 4 if event.retry is not None else 0
        seed += bytes([flags]) + _text(event.data)
        seed += _text(event.event) if flags & 1 else b""
        seed += _text(event.id) if flags & 2 else b""
        seed += _retry(event.retry)
        previous_id = event.id
    return seed


def _events(stream: bytes) -> list[ServerSentEvent]:
    parser = EventStreamParser()
    return parser.feed(stream) + parser.close()


def seeds() -> dict[str, list[bytes]]:
    """The seeds of each target."""
    corpus: dict[str, list[bytes]] = {"parser": [], "encoder": [], "endpoints": []}
    for stream in streams():
        if not stream or len(stream) > MAX_SEED:
            continue
        corpus["parser"].append(parser_seed(stream))
        events = [e for e in _events(stream) if len(e.data.encode()) < 256]
        if events:
            corpus["encoder"].append(encoder_seed(events[:1]))
            corpus["encoder"].append(encoder_seed(events))
    for stream, cuts in SPLIT_STREAMS:
        corpus["parser"].append(parser_seed(stream, cuts))
    for path in sorted(TESTS.glob("data/streams/*.sse")):
        selector = ENDPOINTS.index(endpoint_of(path.name))
        corpus["endpoints"].append(bytes([selector]) + path.read_bytes())
    for body in HOSTILE_BODIES:
        corpus["parser"].append(parser_seed(body))
        for selector in range(len(ENDPOINTS)):
            corpus["endpoints"].append(bytes([selector]) + body)
    return corpus


def write(directory: Path, inputs: Iterable[bytes]) -> int:
    """Replace the files of ``directory`` with ``inputs``; return how many."""
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.iterdir():
        old.unlink()
    names = set()
    for data in inputs:
        name = hashlib.sha1(data).hexdigest()
        if name not in names:
            names.add(name)
            (directory / name).write_bytes(data)
    return len(names)


def main() -> None:
    for target, inputs in seeds().items():
        count = write(CORPUS / target, inputs)
        print(
            f"{target}: {count} seeds in {(CORPUS / target).relative_to(TESTS.parent)}"
        )


if __name__ == "__main__":
    main()
