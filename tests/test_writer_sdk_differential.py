"""sse_core.endpoints against the real writer-sdk 3.0.0, on the same bytes, offline.

Each stream goes through the SDK's own resource methods (``client.chat.chat(...,
stream=True)``, ``client.chat.stream(...)``, ...) with an ``httpx.MockTransport``
that answers with the bytes, and through sse_core. Where the SDK is right the
values must be equal. Where it is wrong, the test is named after the SDK
behaviour, asserts that the SDK really does misbehave (so the test documents
it, and notices if a later SDK fixes it) and asserts sse_core's correct result.
The SDK behaviours are described, with file paths, in ``writer-streams.md``.
"""

from __future__ import annotations

import asyncio
import json
import warnings
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import writerai
from pydantic import BaseModel
from writerai.lib.streaming.chat import ChatCompletionStream

from sse_core import encode
from sse_core.endpoints import (
    APIError,
    ChatCompletion,
    ChunkTypeError,
    ContentDeltaEvent,
    InvalidJSONError,
    LengthFinishReasonError,
    View,
    adecode_bytes,
    decode_bytes,
    stream_events,
)

from .endpoint_streams import endpoint_of, read, stream_names

MESSAGES = [{"role": "user", "content": "Hi"}]


def handler_for(body: bytes, status: int = 200) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        # The SDK sends Accept: application/json even when streaming and
        # never looks at the response's Content-Type (writerai/_response.py).
        return httpx.Response(
            status, headers={"content-type": "text/event-stream"}, content=body
        )

    return handler


def client_for(body: bytes) -> writerai.Writer:
    transport = httpx.MockTransport(handler_for(body))
    return writerai.Writer(
        api_key="test",
        base_url="http://writer.test/v1",
        http_client=httpx.Client(transport=transport),
        max_retries=0,
    )


def sdk_stream(endpoint: str, body: bytes) -> Any:
    """The SDK's ``Stream`` of chunks for an endpoint, reading ``body``."""
    client = client_for(body)
    if endpoint == "completions":
        return client.completions.create(model="palmyra-x5", prompt="p", stream=True)
    if endpoint == "chat":
        return client.chat.chat(messages=MESSAGES, model="palmyra-x5", stream=True)  # type: ignore[arg-type]
    if endpoint == "applications":
        return client.applications.generate_content(
            application_id="app-1",
            inputs=[{"id": "topic", "value": ["x"]}],
            stream=True,
        )
    if endpoint == "graphs.question":
        return client.graphs.question(graph_ids=["g-1"], question="q", stream=True)
    raise AssertionError(endpoint)


def sdk_helper(body: bytes) -> Any:
    """``client.chat.stream(...)``: the SDK's chat streaming helper."""
    return client_for(body).chat.stream(messages=MESSAGES, model="palmyra-x5")  # type: ignore[arg-type]


def ours(endpoint: str, body: bytes) -> list[Any]:
    return list(decode_bytes(endpoint, [body]))


def assert_same(mine: object, theirs: object, path: str = "chunk") -> None:
    """Every field sse_core declares reads the same value from the SDK's object."""
    if isinstance(mine, View):
        if isinstance(theirs, dict):  # an untyped SDK extra
            assert mine.raw == theirs, path
            return
        assert isinstance(theirs, BaseModel), path
        for field in type(mine)._fields:
            # A declared SDK field that is missing reads None; so does an
            # absent extra here.
            assert_same(
                getattr(mine, field.name),
                getattr(theirs, field.name, None),
                f"{path}.{field.name}",
            )
    elif isinstance(mine, tuple):
        assert isinstance(theirs, list) and len(mine) == len(theirs), path
        for index, (a, b) in enumerate(zip(mine, theirs)):
            assert_same(a, b, f"{path}[{index}]")
    else:
        assert mine == theirs, path


# -- the raw stream: equal values wherever the SDK is right -----------------------------

# Files the SDK's raw Stream cannot read, and why (tested below).
SDK_STREAM_FAILS = {"graphs_question.sse": "retry-only block"}
SDK_STREAMABLE = [
    name
    for name in stream_names()
    if endpoint_of(name) != "web_search" and name not in SDK_STREAM_FAILS
]


@pytest.mark.parametrize("name", SDK_STREAMABLE)
def test_chunks_equal_the_sdk_streams_chunks(name: str) -> None:
    endpoint = endpoint_of(name)
    body = read(name)
    theirs = list(sdk_stream(endpoint, body))
    mine = ours(endpoint, body)
    assert len(mine) == len(theirs)
    for a, b in zip(mine, theirs):
        assert a.raw == b.to_dict()
        # A graph chunk wrapped in {"data": ...} is what the SDK declares.
        assert_same(a, b.data if getattr(a, "wrapped", False) else b)


def test_graphs_question_chunks_equal_the_sdks_without_the_retry_block() -> None:
    body = read("graphs_question.sse").replace(b"retry: 3000\n\n", b"")
    theirs = list(sdk_stream("graphs.question", body))
    mine = ours("graphs.question", body)
    assert [a.raw for a in mine] == [b.to_dict() for b in theirs]
    # The SDK reads the flat fields only as untyped extras, e.g. a source is
    # a dict; sse_core's are typed and read the same values.
    for a, b in zip(mine, theirs):
        assert_same(a, b)
    last_source = theirs[-1].sources[0]
    assert isinstance(last_source, dict)
    with pytest.raises(AttributeError):
        last_source.file_id  # noqa: B018
    assert mine[-1].sources[0].file_id == last_source["file_id"]


def test_sdk_declares_graph_chunks_under_data_so_flat_chunks_read_data_none() -> None:
    body = read("graphs_question.sse").replace(b"retry: 3000\n\n", b"")
    first = next(iter(sdk_stream("graphs.question", body)))
    assert first.data is None  # QuestionResponseChunk.data: the wire is flat
    assert ours("graphs.question", body)[0].question == "What does the warranty cover?"


def test_sdk_reads_wrapped_graph_chunks_only_under_data() -> None:
    body = read("graphs_question_wrapped.sse")
    theirs = list(sdk_stream("graphs.question", body))
    with pytest.raises(AttributeError):
        theirs[0].answer  # noqa: B018
    mine = ours("graphs.question", body)
    assert [a.answer for a in mine] == [b.data.answer for b in theirs]
    assert_same(mine[-1].sources, theirs[-1].data.sources)


def test_async_sdk_stream_gives_the_same_chunks() -> None:
    body = read("chat_writer_tool_calls.sse")

    async def main() -> tuple[list[Any], list[Any]]:
        transport = httpx.MockTransport(handler_for(body))
        client = writerai.AsyncWriter(
            api_key="test",
            base_url="http://writer.test/v1",
            http_client=httpx.AsyncClient(transport=transport),
            max_retries=0,
        )
        stream = await client.chat.chat(
            messages=MESSAGES, model="palmyra-x5", stream=True
        )  # type: ignore[arg-type]
        theirs = [chunk async for chunk in stream]

        async def pieces() -> Any:
            for i in range(0, len(body), 100):
                yield body[i : i + 100]

        mine = [chunk async for chunk in adecode_bytes("chat", pieces())]
        return mine, theirs

    mine, theirs = asyncio.run(main())
    assert [a.raw for a in mine] == [b.to_dict() for b in theirs]


# -- the raw stream: where the SDK is wrong ----------------------------------------------


def test_sdk_crashes_on_a_retry_only_block_we_skip_it() -> None:
    body = read("graphs_question.sse")
    with pytest.raises(json.JSONDecodeError):
        list(sdk_stream("graphs.question", body))
    assert len(ours("graphs.question", body)) == 16


def test_sdk_loses_the_first_event_after_a_bom() -> None:
    body = b"\xef\xbb\xbf" + read("completions.sse")
    theirs = [chunk.value for chunk in sdk_stream("completions", body)]
    mine = [chunk.value for chunk in ours("completions", body)]
    assert mine == [
        chunk.value for chunk in ours("completions", read("completions.sse"))
    ]
    # The SDK reads the first field name as "\ufeffdata" and drops the event.
    assert theirs == mine[1:]


def test_sdk_drops_event_message_we_keep_it() -> None:
    body = b'event: message\ndata: {"value": "Hello"}\n\n' + encode('{"value": "!"}')
    assert [c.value for c in sdk_stream("completions", body)] == ["!"]
    assert [c.value for c in ours("completions", body)] == ["Hello", "!"]


@pytest.mark.parametrize(
    "noise",
    [b": keep-alive\n\n", b"\n", b"retry: 5000\n\n", b"data:\n\n"],
    ids=["comment", "blank-line", "retry-only", "empty-data"],
)
def test_sdk_crashes_on_keep_alives_after_an_id_we_skip_them(noise: bytes) -> None:
    # SSEDecoder never resets last_event_id: after an id, every blank line
    # dispatches an empty event, and json.loads("") raises.
    body = encode('{"value": "a"}', id="1") + noise + encode('{"value": "b"}', id="2")
    with pytest.raises(json.JSONDecodeError):
        list(sdk_stream("completions", body))
    assert [c.value for c in ours("completions", body)] == ["a", "b"]


def test_sdk_raises_unicode_decode_error_on_invalid_utf8_we_replace_it() -> None:
    body = b'data: {"value": "caf\xe9"}\n\n'
    with pytest.raises(UnicodeDecodeError):
        list(sdk_stream("completions", body))
    assert [c.value for c in ours("completions", body)] == ["caf\ufffd"]


def test_sdk_error_event_message_is_a_python_repr_ours_is_readable() -> None:
    body_json = {
        "errors": [{"description": "Rate limit exceeded", "key": "fail.rate_limit"}],
        "tpe": "fail.rate_limit",
    }
    body = encode('{"value": "a"}') + encode(json.dumps(body_json), event="error")
    with pytest.raises(writerai.APIStatusError) as sdk_error:
        list(sdk_stream("completions", body))
    assert sdk_error.value.message == str(body_json)  # "{'errors': [{'desc..."
    assert sdk_error.value.status_code == 200
    with pytest.raises(APIError) as our_error:
        ours("completions", body)
    assert our_error.value.message == "Rate limit exceeded (fail.rate_limit)"
    assert our_error.value.body == sdk_error.value.body == body_json


def test_sdk_error_event_with_text_data_gives_the_same_message() -> None:
    body = encode("upstream timed out", event="error")
    with pytest.raises(writerai.APIStatusError) as sdk_error:
        list(sdk_stream("completions", body))
    with pytest.raises(APIError) as our_error:
        ours("completions", body)
    assert our_error.value.message == sdk_error.value.message == "upstream timed out"


@pytest.mark.parametrize(
    "error",
    [
        {"error": {"message": "context too long", "type": "invalid_request_error"}},
        {"errors": [{"description": "Invalid model", "key": "fail.validation"}]},
    ],
)
def test_sdk_yields_unnamed_error_objects_as_chunks_we_raise(
    error: dict[str, Any],
) -> None:
    body = encode(json.dumps(error))
    (chunk,) = list(sdk_stream("chat", body))
    assert chunk.choices is None and chunk.id is None  # an "empty" chunk
    with pytest.raises(APIError) as info:
        ours("chat", body)
    assert info.value.body == error
    assert info.value.message in ("context too long", "Invalid model (fail.validation)")


def test_sdk_raises_a_bare_json_decode_error_on_non_json_data() -> None:
    body = encode('{"value": "a"}') + encode("Internal Server Error")
    with pytest.raises(json.JSONDecodeError) as sdk_error:
        list(sdk_stream("completions", body))
    assert not isinstance(sdk_error.value, writerai.WriterError)
    with pytest.raises(InvalidJSONError) as our_error:
        ours("completions", body)
    assert our_error.value.data == "Internal Server Error"


def test_sdk_yields_json_null_as_none_we_raise_a_type_error() -> None:
    body = encode("null")
    assert list(sdk_stream("completions", body)) == [None]
    with pytest.raises(ChunkTypeError):
        ours("completions", body)


@pytest.mark.parametrize("marker", ["[DONE]", "[DONE]xyz"])
def test_done_stops_both_at_the_same_place(marker: str) -> None:
    body = encode('{"value": "a"}') + encode(marker) + encode("never decoded")
    assert [c.value for c in sdk_stream("completions", body)] == ["a"]
    assert [c.value for c in ours("completions", body)] == ["a"]


def test_sdk_does_not_stream_web_search_it_returns_the_body_as_text() -> None:
    body = read("web_search.sse")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        result = client_for(body).tools.web_search(query="q", stream=True)
    assert result == body.decode()
    with stream_events("web_search", [body]) as stream:
        assert stream.final().query == "sse retry field semantics"


# -- the chat helper: final completion and events --------------------------------------


def project_sdk(completion: Any) -> dict[str, Any]:
    """The SDK's final completion, reduced to what both sides define."""
    return {
        "id": completion.id,
        "model": completion.model,
        "created": completion.created,
        "usage": completion.usage.to_dict() if completion.usage else None,
        "choices": [
            {
                "index": c.index,
                "finish_reason": c.finish_reason,
                "role": c.message.role,
                "content": c.message.content,
                "refusal": c.message.refusal,
                "tool_calls": [
                    (t.id, t.type, t.function.name, t.function.arguments)
                    for t in c.message.tool_calls or ()
                ],
                "logprobs": [t.to_dict() for t in c.logprobs.content or ()]
                if c.logprobs
                else None,
            }
            for c in completion.choices
        ],
    }


def project_ours(completion: ChatCompletion) -> dict[str, Any]:
    return {
        "id": completion.id,
        "model": completion.model,
        "created": completion.created,
        "usage": completion.usage.raw if completion.usage else None,
        "choices": [
            {
                "index": c.index,
                "finish_reason": c.finish_reason,
                "role": c.message.role,
                "content": c.message.content,
                "refusal": c.message.refusal,
                "tool_calls": [
                    (t.id, t.type, t.function.name, t.function.arguments)
                    for t in c.message.tool_calls or ()
                ],
                "logprobs": [t.raw for t in c.logprobs.content or ()]
                if c.logprobs
                else None,
            }
            for c in completion.choices
        ],
    }


def our_chat(body: bytes) -> tuple[list[Any], ChatCompletion]:
    with stream_events("chat", [body]) as stream:
        return list(stream), stream.final()


def comparable_events(events: list[Any]) -> dict[str, list[Any]]:
    """Events by type, with their payloads; empty deltas dropped.

    The SDK emits a delta event for an empty fragment after the first one
    and for a tool call's opening fragment (``arguments_delta == ""``);
    sse_core emits delta events for non-empty pieces only. The SDK also
    emits a tool call's done event after the next call's first delta,
    sse_core before it, so tool events are compared per type.
    """
    by_type: dict[str, list[Any]] = {}
    for event in events:
        if event.type == "chunk":
            continue
        if event.type in ("content.delta", "refusal.delta"):
            if not event.delta:
                continue
            payload: Any = event.delta
        elif event.type == "content.done":
            payload = event.content
        elif event.type == "refusal.done":
            payload = event.refusal
        elif event.type == "tool_calls.function.arguments.delta":
            if not event.arguments_delta:
                continue
            payload = (event.name, event.arguments_delta, event.arguments)
        elif event.type == "tool_calls.function.arguments.done":
            payload = (event.name, event.arguments)
        elif event.type == "logprobs.content.delta":
            payload = [token.to_dict() for token in event.content]
        elif event.type == "logprobs.content.done":
            payload = len(event.content)
        else:
            raise AssertionError(event.type)
        by_type.setdefault(event.type, []).append(payload)
    return by_type


SDK_HELPER_WORKS = [
    "chat_writer.sse",
    "chat_sparse.sse",
    "chat_sparse_tool_calls.sse",
    "chat_refusal.sse",
    "chat_logprobs.sse",
]


@pytest.mark.parametrize("name", SDK_HELPER_WORKS)
def test_final_completion_equals_the_sdk_helpers(name: str) -> None:
    body = read(name)
    with sdk_helper(body) as stream:
        sdk_events = list(stream)
        sdk_final = stream.get_final_completion()
    events, completion = our_chat(body)
    assert project_ours(completion) == project_sdk(sdk_final)
    assert comparable_events(events) == comparable_events(sdk_events)


def test_sdk_helper_raises_on_any_length_finish_we_report_it() -> None:
    body = read("chat_n2.sse")
    with sdk_helper(body) as stream:
        sdk_events = list(stream)
        snapshot = stream.current_completion_snapshot
        with pytest.raises(writerai.LengthFinishReasonError):
            stream.get_final_completion()
    events, completion = our_chat(body)
    # Apart from the raise, the accumulated values agree.
    assert [c.message.content for c in completion.choices] == [
        c.message.content for c in snapshot.choices
    ]
    assert [c.finish_reason for c in completion.choices] == ["stop", "length"]
    with pytest.raises(LengthFinishReasonError):
        completion.raise_for_finish_reason()
    # The SDK's content events carry no choice index: with n=2 the deltas of
    # the two choices cannot be told apart. Ours can.
    sdk_deltas = [e for e in sdk_events if e.type == "content.delta"]
    assert not any(
        hasattr(e, "index") or hasattr(e, "choice_index") for e in sdk_deltas
    )
    mine = [e for e in events if isinstance(e, ContentDeltaEvent)]
    assert [e.delta for e in mine] == [e.delta for e in sdk_deltas]
    assert {e.choice_index for e in mine} == {0, 1}


def test_sdk_helper_asserts_on_writer_tool_call_continuations() -> None:
    # Writer sends "type": null on continuation fragments; the SDK's merge
    # replaces "type" with None and then asserts it is "function".
    body = read("chat_writer_tool_calls.sse")
    with sdk_helper(body) as stream, pytest.raises(AssertionError):
        list(stream)
    # The raw SDK stream reads the same fragments fine...
    fragments = [
        call.function.arguments
        for chunk in sdk_stream("chat", body)
        for call in chunk.choices[0].delta.tool_calls or ()
        if call.index == 0 and call.function and call.function.arguments
    ]
    _, completion = our_chat(body)
    calls = completion.choices[0].message.tool_calls
    assert calls is not None
    # ...and sse_core merges them.
    assert calls[0].function.arguments == "".join(fragments)
    assert [c.type for c in calls] == ["function", "function"]


def test_sdk_helper_fails_when_the_first_chunk_is_not_choice_0() -> None:
    body = read("chat_n2_first_index_1.sse")
    with sdk_helper(body) as stream, pytest.raises(IndexError):
        list(stream)
    _, completion = our_chat(body)
    assert [c.message.content for c in completion.choices] == [
        "Roses are red.",
        "Violets are blue, too.",
    ]


def test_sdk_helper_concatenates_graph_data_status() -> None:
    body = read("chat_graph_data.sse")
    with sdk_helper(body) as stream:
        sdk_final = stream.get_final_completion()
    sdk_graph = sdk_final.choices[0].message.graph_data
    assert sdk_graph.status == "processingfinished"
    _, completion = our_chat(body)
    graph = completion.choices[0].message.graph_data
    assert graph is not None and graph.status == "finished"
    # Everything else agrees.
    assert project_ours(completion) == project_sdk(sdk_final)
    assert_same(graph.sources, sdk_graph.sources)
    assert_same(graph.subqueries, sdk_graph.subqueries)


def test_sdk_helper_fails_on_graph_sources_in_two_chunks() -> None:
    def chunk(sources: list[dict[str, str]]) -> bytes:
        delta = {"content": "x", "graph_data": {"sources": sources, "status": None}}
        body = {"id": "c", "choices": [{"index": 0, "delta": delta}], "model": "m"}
        return encode(json.dumps(body))

    a, b = {"file_id": "a", "snippet": "x"}, {"file_id": "b", "snippet": "y"}
    body = chunk([a]) + chunk([a, b])
    with sdk_helper(body) as stream, pytest.raises(RuntimeError, match="index"):
        list(stream)
    _, completion = our_chat(body)
    graph = completion.choices[0].message.graph_data
    assert graph is not None and graph.raw["sources"] == [a, b]


def test_sdk_helper_loses_usage_followed_by_a_null_usage() -> None:
    body = read("chat_writer_usage_then_null.sse")
    with sdk_helper(body) as stream:
        sdk_final = stream.get_final_completion()
    assert sdk_final.usage is None  # overwritten by the last chunk's null
    _, completion = our_chat(body)
    assert completion.usage is not None
    assert (
        completion.usage.raw
        == next(
            c.usage for c in sdk_stream("chat", body) if c.usage is not None
        ).to_dict()
    )
    sdk_final_without_usage = project_sdk(sdk_final)
    mine = project_ours(completion)
    mine["usage"] = None
    assert mine == sdk_final_without_usage


def test_helper_streams_are_typed_as_the_sdks() -> None:
    # The helper class the SDK returns, so that the tests above exercise it.
    with sdk_helper(read("chat_sparse.sse")) as stream:
        assert isinstance(stream, ChatCompletionStream)
        chunks: Iterator[Any] = iter(stream)
        assert next(chunks).type == "chunk"
