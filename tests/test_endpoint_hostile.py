"""Hostile streams against the endpoint layer: typed errors, linear time, bounded memory.

One test (or group) per row of issue 11's "Hostile streams". Time is measured
as a ratio (twice the input takes about twice the time; quadratic would take
four times), in CPU time of the process; memory with tracemalloc. No
absolute thresholds.
"""

from __future__ import annotations

import contextlib
import gc
import json
import subprocess
import sys
import time
import tracemalloc
from typing import Any, Callable

import pytest

from sse_core import encode
from sse_core.endpoints import (
    APIError,
    ApplicationAccumulator,
    EndpointLimitError,
    Limits,
    StreamError,
    decode_bytes,
    stream_events,
)
from sse_core.endpoints._errors import error_message

# Deep enough that building a message or a repr recursively would fail, and
# around the depth json.loads itself gives up (it depends on the stack).
DEPTHS = [500, 900, 985, 989, 1000, 1100, 3000]


def deep(depth: int) -> str:
    return "[" * depth + "]" * depth


def deep_object(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


def hostile_bodies(depth: int) -> list[tuple[str, bytes]]:
    nested = deep(depth)
    nested_object = deep_object(depth)
    return [
        ("error event", encode(nested, event="error")),
        ("error event, object", encode(nested_object, event="error")),
        ("error key", encode(f'{{"error": {nested}}}')),
        ("error object", encode(f'{{"error": {{"message": {nested}}}}}')),
        ("errors key", encode(f'{{"errors": [{nested}]}}')),
        ("errors entry", encode(f'{{"errors": [{{"description": {nested_object}}}]}}')),
        ("deep chunk", encode(f'{{"value": {nested}}}')),
    ]


def drain_every_way(endpoint: str, data: bytes) -> list[BaseException]:
    """Read ``data`` through every public path; return what each raised."""
    paths: list[Callable[[], object]] = [
        lambda: [repr(c) for c in decode_bytes(endpoint, [data])],
        lambda: [c.to_dict() for c in decode_bytes(endpoint, [data])],
        lambda: [getattr(c, "value", None) for c in decode_bytes(endpoint, [data])],
        lambda: stream_events(endpoint, [data]).final(),
    ]
    return [raised for raised in map(_raised, paths) if raised is not None]


def _raised(path: Callable[[], object]) -> BaseException | None:
    try:
        path()
    except Exception as exc:  # the assertion is on what it is
        # Every way of showing the error must work too.
        str(exc), repr(exc), getattr(exc, "message", "")
        return exc
    return None


@pytest.mark.parametrize("depth", DEPTHS)
def test_deep_json_in_error_bodies_raises_only_stream_errors(depth: int) -> None:
    for endpoint in ("completions", "chat"):
        for name, data in hostile_bodies(depth):
            for exc in drain_every_way(endpoint, data):
                assert isinstance(exc, StreamError), (name, depth, exc)


def deepest_loadable() -> int:
    """The deepest array nesting json.loads accepts here (it depends on the stack)."""
    low, high = 1, 100_000
    while low < high:
        middle = (low + high + 1) // 2
        try:
            json.loads(deep(middle))
        except RecursionError:
            high = middle - 1
        else:
            low = middle
    return low


def test_deep_json_error_message_is_readable() -> None:
    # As deep as the decoder accepts, minus the two wrapping objects: json
    # succeeds, and encoding it back for the message would recurse too deep.
    data = encode(f'{{"error": {{"message": {deep(deepest_loadable() - 20)}}}}}')
    with pytest.raises(APIError) as caught:
        list(decode_bytes("chat", [data]))
    assert len(caught.value.message) <= 1000


def test_error_messages_never_recurse() -> None:
    # Deeper than json.dumps can encode: built directly, not decoded.
    nested: Any = []
    for _ in range(100_000):
        nested = [nested]
    assert error_message(nested) == "<an array nested too deeply to show>"
    assert error_message({"error": {"message": nested}}).startswith("<an object")
    assert error_message({"errors": [nested, {"description": nested}]}).startswith("<")


def test_the_cli_reports_a_deep_error_body_without_a_traceback(tmp_path: Any) -> None:
    path = tmp_path / "deep.sse"
    path.write_bytes(encode(f'{{"errors": [{deep(985)}]}}'))  # a fresh stack
    result = subprocess.run(
        [sys.executable, "-m", "sse_core", "--endpoint", "chat", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("sse_core: ")


# -- time ratios ------------------------------------------------------------------


def cpu_seconds(run: Callable[[], object], repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        gc.collect()
        # The collector's passes walk every live object of the process, so
        # they add time that depends on the heap, not on the code measured.
        gc.disable()
        try:
            start = time.process_time()
            run()
            best = min(best, time.process_time() - start)
        finally:
            gc.enable()
    return best


def assert_linear(make: Callable[[int], Callable[[], object]], size: int) -> None:
    """Twice the input must not take four times as long (generous: < 3x).

    A busy neighbour can slow one measurement (caches, frequency), so the
    pair is measured up to three times; quadratic work fails every time.
    """
    small, large = make(size), make(2 * size)
    ratios = []
    for _ in range(3):
        ratios.append(cpu_seconds(large) / max(cpu_seconds(small), 1e-9))
        if ratios[-1] < 3.0:
            return
    raise AssertionError(f"2x input took {min(ratios):.1f}x the time: {ratios}")


def application_sources(count: int) -> bytes:
    urls = [f"https://example.com/{i}" for i in range(count)]
    # Half of them sent twice: the de-duplication is exercised.
    stages = [{"id": "s", "content": "x", "sources": urls}]
    stages.append({"id": "s", "content": "y", "sources": urls[: count // 2]})
    return encode(json.dumps({"delta": {"stages": stages}}))


def test_application_sources_merge_in_linear_time() -> None:
    def make(count: int) -> Callable[[], object]:
        data = application_sources(count)
        return lambda: stream_events("applications", [data]).final()

    assert_linear(make, 20_000)
    result = stream_events("applications", [application_sources(1000)]).final()
    assert len(result.stages[0].sources or ()) == 1000


def test_application_sources_spread_over_chunks_merge_in_linear_time() -> None:
    def make(count: int) -> Callable[[], object]:
        chunks = [
            {"delta": {"stages": [{"id": "s", "sources": [f"u{i}", f"u{i // 2}"]}]}}
            for i in range(count)
        ]

        def run() -> None:
            accumulator = ApplicationAccumulator()
            for chunk in decode_bytes(
                "applications", [encode(json.dumps(c)) for c in chunks]
            ):
                accumulator.add(chunk)

        return run

    assert_linear(make, 10_000)


def test_chat_choices_and_tool_calls_merge_in_linear_time() -> None:
    def make(count: int) -> Callable[[], object]:
        pieces = []
        for i in range(count):
            calls = [
                {"index": i % 100, "function": {"arguments": "x"}},
            ]
            choice = {"index": i % 100, "delta": {"content": "a", "tool_calls": calls}}
            pieces.append(encode(json.dumps({"choices": [choice]})))
        return lambda: stream_events("chat", pieces).final()

    assert_linear(make, 5_000)


# -- memory and the endpoint limits --------------------------------------------------


def peak_bytes(run: Callable[[], object]) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        with contextlib.suppress(StreamError):
            run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def empty_objects_event(size: int) -> bytes:
    count = (size - 20) // 3
    return encode('{"choices": [], "x": [' + ",".join(["{}"] * count) + "]}")


def test_an_8_mib_event_of_empty_objects_is_refused_before_json_decoding() -> None:
    data = empty_objects_event(8 * 1024 * 1024)
    with pytest.raises(EndpointLimitError) as caught:
        list(decode_bytes("chat", [data]))
    assert caught.value.limit == "max_payload_size"
    assert caught.value.max_size == Limits().max_payload_size
    # The parser holds the event's text; json.loads would have held 25x it.
    peak = peak_bytes(lambda: list(decode_bytes("chat", [data])))
    assert peak < 4 * len(data), peak


def test_the_amplification_of_an_accepted_event_is_bounded() -> None:
    # The worst case under the limit: empty objects, about 25x their text.
    data = empty_objects_event(Limits().max_payload_size // 4)
    peak = peak_bytes(lambda: list(decode_bytes("chat", [data])))
    assert peak < 32 * len(data), peak / len(data)


def many_choices(count: int) -> bytes:
    choices = ",".join(f'{{"index":{i},"delta":{{}}}}' for i in range(count))
    return encode('{"choices": [' + choices + "]}")


def test_a_chunk_with_200000_choice_indexes_ends_in_a_typed_error_at_once() -> None:
    data = many_choices(200_000)  # 5 MiB: past max_payload_size
    with pytest.raises(EndpointLimitError) as caught:
        stream_events("chat", [data]).final()
    assert caught.value.limit == "max_payload_size"
    # With the payload allowed, the choice limit stops it, in linear time.
    limits = Limits(max_payload_size=16 * 1024 * 1024)
    with pytest.raises(EndpointLimitError) as caught:
        stream_events("chat", [data], limits=limits).final()
    assert (caught.value.limit, caught.value.size) == ("max_choices", 129)

    def make(count: int) -> Callable[[], object]:
        chunk = many_choices(count)

        def run() -> None:
            with pytest.raises(EndpointLimitError):
                stream_events("chat", [chunk], limits=limits).final()

        return run

    assert_linear(make, 50_000)


def test_choice_indexes_past_the_limit_across_chunks() -> None:
    pieces = [encode(json.dumps({"choices": [{"index": i}]})) for i in range(10)]
    with pytest.raises(EndpointLimitError) as caught:
        stream_events("chat", pieces, limits=Limits(max_choices=4)).final()
    assert (caught.value.limit, caught.value.max_size, caught.value.size) == (
        "max_choices",
        4,
        5,
    )


def test_tool_call_indexes_past_the_limit() -> None:
    calls = [{"index": i, "function": {"arguments": "{}"}} for i in range(200)]
    data = encode(
        json.dumps({"choices": [{"index": 0, "delta": {"tool_calls": calls}}]})
    )
    with pytest.raises(EndpointLimitError) as caught:
        stream_events("chat", [data]).final()
    assert (caught.value.limit, caught.value.size) == ("max_tool_calls", 129)


def test_an_error_event_past_the_payload_limit_is_not_decoded() -> None:
    data = encode("x" * (Limits().max_payload_size + 1), event="error")
    with pytest.raises(APIError) as caught:
        list(decode_bytes("chat", [data]))
    assert caught.value.message.endswith("...") and len(caught.value.message) == 1000
