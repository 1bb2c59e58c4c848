"""One record per endpoint, one helper protocol, and a tidy, acyclic package."""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sse_core.endpoints
import sse_core.stainless
from sse_core import SSEUsageError, encode
from sse_core.endpoints import (
    APPLICATIONS,
    CHAT,
    COMPLETIONS,
    ENDPOINTS,
    GRAPHS_QUESTION,
    WEB_SEARCH,
    ChatAccumulator,
    Chunk,
    ContentDeltaEvent,
    Endpoint,
    EndpointName,
    UnknownEndpointError,
    decode_bytes,
    stream_events,
)
from sse_core.endpoints._decode import DONE, decode_event
from sse_core.endpoints._events import ChunkEvent
from sse_core.endpoints._records import lookup

from .endpoint_streams import endpoint_of, read, stream_names

PACKAGE = Path(sse_core.endpoints.__file__).parent
RECORDS = (COMPLETIONS, CHAT, APPLICATIONS, GRAPHS_QUESTION, WEB_SEARCH)


# -- the records --------------------------------------------------------------------


def test_every_table_is_derived_from_the_records() -> None:
    assert tuple(record.name for record in RECORDS) == ENDPOINTS
    assert typing.get_args(EndpointName) == ENDPOINTS
    assert {record.chunk_class for record in RECORDS} == set(typing.get_args(Chunk))
    for record in RECORDS:
        assert lookup(record.name) is record and lookup(record) is record
        accumulator = record.accumulator()
        for method in ("add", "end", "result"):
            assert callable(getattr(accumulator, method))


@pytest.mark.parametrize("name", ["chat.completions", "", "CHAT", None, 1])
def test_an_unknown_endpoint_is_a_usage_error_and_a_value_error(name: Any) -> None:
    for call in (
        lambda: decode_bytes(name, []),
        lambda: stream_events(name, []),
        lambda: lookup(name),
    ):
        with pytest.raises(UnknownEndpointError) as caught:
            call()
        assert isinstance(caught.value, SSEUsageError)
        assert isinstance(caught.value, ValueError)
        assert caught.value.known == ENDPOINTS
        assert "unknown endpoint" in str(caught.value)


def test_a_record_is_a_typed_token_usable_wherever_a_name_is() -> None:
    data = read("chat_writer.sse")
    assert list(decode_bytes(CHAT, [data])) == list(decode_bytes("chat", [data]))
    assert repr(CHAT) == "<Endpoint chat>"
    assert isinstance(CHAT, Endpoint)
    assert CHAT.route == "POST /v1/chat"


# -- one helper protocol: the same loop prints any endpoint's text ---------------------


def result_texts(endpoint: str, result: Any) -> dict[int, str]:
    if endpoint == "chat":
        return {c.index: c.message.content or "" for c in result.choices}
    text = {
        "completions": lambda r: r,
        "applications": lambda r: r.content,
        "graphs.question": lambda r: r.answer,
        "web_search": lambda r: r.answer or "",
    }[endpoint](result)
    return {0: text}


@pytest.mark.parametrize("name", stream_names())
def test_one_loop_prints_the_text_of_every_endpoint(name: str) -> None:
    endpoint = endpoint_of(name)
    printed: dict[int, str] = {}
    done: dict[int, str] = {}
    chunks = []
    with stream_events(endpoint, [read(name)]) as stream:
        for event in stream:
            if event.type == "content.delta":
                printed[event.choice_index] = printed.get(event.choice_index, "") + (
                    event.delta
                )
                assert event.snapshot == printed[event.choice_index]
            elif event.type == "content.done":
                assert event.choice_index not in done  # once
                done[event.choice_index] = event.content
            elif event.type == "chunk":
                chunks.append(event.chunk)
        result = stream.final()
    expected = {i: t for i, t in result_texts(endpoint, result).items() if t}
    assert printed == expected
    assert done == expected
    assert chunks == list(decode_bytes(endpoint, [read(name)]))


def tool_fragment(index: int, arguments: str, **first: Any) -> dict[str, Any]:
    return {"index": index, "function": {"arguments": arguments, **first}}


def test_interleaved_tool_calls_are_each_done_once_with_their_full_arguments() -> None:
    # Fragments of two calls interleave: 0, 1, 0, 1. The SDK reports call 0
    # done with '{"x"' as soon as index 1 appears, and never again.
    fragments = [
        tool_fragment(0, '{"x"', name="f"),
        tool_fragment(1, '{"y"', name="g"),
        tool_fragment(0, ": 1}"),
        tool_fragment(1, ": 2}"),
    ]
    pieces = [
        encode(json.dumps({"choices": [{"index": 0, "delta": {"tool_calls": [f]}}]}))
        for f in fragments
    ]
    pieces.append(
        encode(json.dumps({"choices": [{"index": 0, "finish_reason": "tool_calls"}]}))
    )
    with stream_events(CHAT, pieces) as stream:
        events = list(stream)
    done = [e for e in events if e.type == "tool_calls.function.arguments.done"]
    assert [(e.tool_index, e.name, e.arguments, e.parsed_arguments) for e in done] == [
        (0, "f", '{"x": 1}', {"x": 1}),
        (1, "g", '{"y": 2}', {"y": 2}),
    ]
    assert events.index(done[0]) > max(
        i
        for i, e in enumerate(events)
        if e.type == "tool_calls.function.arguments.delta"
    )


def test_interleaved_stages_are_each_done_once_at_the_end() -> None:
    stages = [("a", "1"), ("b", "2"), ("a", "3"), ("b", "4")]
    pieces = [
        encode(
            json.dumps({"delta": {"stages": [{"id": i, "content": c, "sources": [c]}]}})
        )
        for i, c in stages
    ]
    with stream_events(APPLICATIONS, pieces) as stream:
        events = list(stream)
    done = [e for e in events if e.type == "stage.done"]
    assert [(e.stage_id, e.content, e.sources) for e in done] == [
        ("a", "13", ("1", "3")),
        ("b", "24", ("2", "4")),
    ]
    assert events[-len(done) :] == done
    assert [e.url for e in events if e.type == "stage.source"] == ["1", "2", "3", "4"]


def test_end_returns_its_events_once() -> None:
    for record in RECORDS:
        accumulator = record.accumulator()
        data = read(next(n for n in stream_names() if endpoint_of(n) == record.name))
        for chunk in decode_bytes(record, [data]):
            accumulator.add(chunk)
        first = accumulator.end()
        # Chat's done events came at the finish_reason already.
        assert bool(first) is (record is not CHAT)
        assert accumulator.end() == []


def test_the_hot_event_constructors_equal_the_generated_ones() -> None:
    # ChunkEvent and ContentDeltaEvent replace the frozen dataclass __init__.
    event = ContentDeltaEvent(2, "x", sse_core.endpoints._events.Prefix(["x"]))
    assert (event.choice_index, event.delta, event.snapshot) == (2, "x", "x")
    assert repr(event) == "ContentDeltaEvent(choice_index=2, delta='x')"
    assert ChunkEvent(1) == ChunkEvent(1) and ChunkEvent(1) != ChunkEvent(2)
    with pytest.raises(AttributeError):
        event.delta = "y"  # type: ignore[misc]


# -- fast paths equal the plain paths ------------------------------------------------


def plain_events(chunks: list[Any]) -> tuple[list[Any], Any]:
    accumulator = ChatAccumulator()
    events = [e for c in chunks for e in accumulator._add_views(c)]
    return events + accumulator.end(), accumulator.result()


def fast_events(chunks: list[Any]) -> tuple[list[Any], Any]:
    accumulator = ChatAccumulator()
    events = [e for c in chunks for e in accumulator.add(c)]
    return events + accumulator.end(), accumulator.result()


@pytest.mark.parametrize("name", [n for n in stream_names() if n.startswith("chat")])
def test_the_chat_fast_path_equals_the_view_path_on_every_stream(name: str) -> None:
    chunks = list(decode_bytes(CHAT, [read(name)]))
    assert fast_events(chunks) == plain_events(chunks)


_text = st.one_of(st.none(), st.sampled_from(["", "a", "bc"]), st.integers(0, 2))
_graph = st.one_of(
    st.none(),
    st.just({"sources": None, "status": None, "subqueries": None}),
    st.just({"status": "processing"}),
    st.just({}),
    st.just([]),
)
_delta = st.one_of(
    st.none(),
    st.just(1),
    st.fixed_dictionaries(
        {},
        optional={
            "content": _text,
            "role": _text,
            "refusal": st.one_of(st.none(), st.just("no")),
            "tool_calls": st.none(),
            "graph_data": _graph,
            "llm_data": st.none(),
            "extra": st.one_of(st.none(), st.just(1)),
        },
    ),
)
_choice = st.fixed_dictionaries(
    {"index": st.one_of(st.integers(0, 2), st.just(True))},
    optional={
        "delta": _delta,
        "finish_reason": st.one_of(st.none(), st.just("stop"), st.just(1)),
        "logprobs": st.one_of(st.none(), st.just({"content": []})),
    },
)
_chunk = st.fixed_dictionaries(
    {},
    optional={
        "id": _text,
        "created": st.one_of(st.none(), st.integers(0, 2), st.just(1.5)),
        "model": _text,
        "usage": st.one_of(st.none(), st.just({"total_tokens": 1})),
        "system_fingerprint": _text,
        "choices": st.one_of(st.none(), st.just(2), st.lists(_choice, max_size=3)),
    },
)


def outcome(run: Any, chunks: Any) -> Any:
    try:
        return run(chunks)
    except sse_core.SSEError as exc:
        return type(exc), str(exc)


@settings(max_examples=300, deadline=None)
@given(st.lists(_chunk, max_size=5))
def test_the_chat_fast_path_equals_the_view_path(raw: list[dict[str, Any]]) -> None:
    chunks = [CHAT.chunk_class(obj) for obj in raw]
    assert outcome(fast_events, chunks) == outcome(plain_events, chunks)


@pytest.mark.parametrize(
    "data",
    [
        "{}",
        '{"value": "a"}',
        '{"error": 1}',
        '{"errors": []}',
        '{"errors": [1]}',
        "{x",
        "[DONE]",
        "",
        " ",
        "[1]",
        '"s"',
        "{" + "[" * 5000 + "]" * 5000 + "}",
    ],
)
@pytest.mark.parametrize("name", ["message", "error", "ping"])
def test_decoding_equals_decode_event_applied_to_each_event(
    data: str, name: str
) -> None:
    event_bytes = (
        encode(data, event=name) if data else f"event: {name}\ndata\n\n".encode()
    )
    expected = outcome(lambda _: _reference(event_bytes), [])
    assert (
        outcome(lambda _: list(decode_bytes(COMPLETIONS, [event_bytes])), [])
        == expected
    )


def _reference(data: bytes) -> list[Any]:
    chunks = []
    for event in sse_core.iter_events([data]):
        chunk = decode_event(COMPLETIONS.chunk_class, event)
        if chunk is DONE:
            break
        if chunk is not None:
            chunks.append(chunk)
    return chunks


# -- a tidy, acyclic package -----------------------------------------------------------


def submodules() -> list[str]:
    return sorted(
        path.stem for path in PACKAGE.glob("_*.py") if path.stem != "__init__"
    )


def test_dir_shows_all_and_the_submodules_only() -> None:
    assert dir(sse_core.endpoints) == sorted(
        {*sse_core.endpoints.__all__, *submodules()}
    )
    assert dir(sse_core.stainless) == sorted(sse_core.stainless.__all__)


def test_every_public_name_resolves_to_its_module_object() -> None:
    for name in sse_core.endpoints.__all__:
        value = getattr(sse_core.endpoints, name)
        assert value is not None
    with pytest.raises(AttributeError):
        sse_core.endpoints.no_such_name  # noqa: B018


def intra_package_imports(module: str) -> set[str]:
    tree = ast.parse((PACKAGE / f"{module}.py").read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_the_package_has_no_import_cycles_even_for_type_checkers() -> None:
    graph = {module: intra_package_imports(module) for module in submodules()}
    assert graph["_errors"] == set()  # a leaf
    assert graph["_limits"] == set()
    visiting: list[str] = []
    done: set[str] = set()

    def visit(module: str) -> None:
        assert module not in visiting, f"cycle: {' -> '.join([*visiting, module])}"
        if module in done:
            return
        visiting.append(module)
        for target in graph[module]:
            visit(target)
        visiting.pop()
        done.add(module)

    for module in graph:
        visit(module)


def test_each_module_imports_alone() -> None:
    code = "; ".join(
        f"import subprocess, sys; assert not subprocess.run([sys.executable, '-c', "
        f"'import sse_core.endpoints.{module}']).returncode"
        for module in submodules()
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_records_module_loads_nothing_heavy() -> None:
    code = (
        "import sys, sse_core.endpoints._records as r\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('sse_core.endpoints'))\n"
        "print(loaded)\n"
        "r.CHAT.chunk_class\n"
        "assert 'sse_core.endpoints._chunks' in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == str(
        [f"sse_core.endpoints{m}" for m in ("", "._errors", "._limits", "._records")]
    )
    assert importlib.import_module("sse_core.endpoints._records").ENDPOINTS == ENDPOINTS


_json_values = st.recursive(
    st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text()
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(_json_values)
def test_the_fast_field_reads_equal_the_plain_ones(value: Any) -> None:
    # Scalar, ObjectOrEmpty and ItemsOrEmpty read in one frame; the plain path
    # is Field.__get__ (then read()).
    from sse_core.endpoints import ChatCompletionChunk, Choice, LogprobsToken
    from sse_core.endpoints._view import Field

    for cls, name in [
        (ChatCompletionChunk, "id"),
        (ChatCompletionChunk, "created"),
        (ChatCompletionChunk, "choices"),
        (Choice, "delta"),
        (LogprobsToken, "logprob"),
        (LogprobsToken, "top_logprobs"),
    ]:
        view = cls({name: value}, ("x", 0))
        field = vars(cls)[name]
        args = (field, view, cls)
        fast = outcome(lambda a: a[0].__get__(a[1], a[2]), args)
        plain = outcome(lambda a: Field.__get__(*a), args)
        assert fast == plain
