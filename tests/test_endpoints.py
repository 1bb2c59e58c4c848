"""``sse_core.endpoints``: decoding events into typed chunks, and the stream rules."""

from __future__ import annotations

import asyncio
import json
import pickle
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

import pytest

from sse_core import ServerSentEvent, SSEError, encode, encode_comment, iter_events
from sse_core.endpoints import (
    ENDPOINTS,
    APIError,
    ApplicationChunk,
    ChatCompletionChunk,
    ChunkTypeError,
    CompletionChunk,
    InvalidJSONError,
    QuestionChunk,
    StreamError,
    WebSearchChunk,
    adecode_bytes,
    adecode_chunks,
    decode_bytes,
    decode_chunks,
)
from sse_core.endpoints._errors import json_error_reason

from .endpoint_streams import endpoint_of, read, stream_names


def chat_chunk(**fields: Any) -> bytes:
    body = {
        "id": "c1",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "palmyra-x5",
        "choices": [{"index": 0, "delta": {"content": "hi"}, "finish_reason": None}],
    }
    body.update(fields)
    return encode(json.dumps(body))


def chunks_of(endpoint: str, data: bytes) -> list[Any]:
    return list(decode_bytes(endpoint, [data]))


def values(data: bytes) -> list[str | None]:
    return [chunk.value for chunk in decode_bytes("completions", [data])]


# -- the recorded-style streams ---------------------------------------------------


@pytest.mark.parametrize("name", stream_names())
def test_every_stream_decodes_to_its_endpoints_chunk_class(name: str) -> None:
    endpoint = endpoint_of(name)
    chunks = chunks_of(endpoint, read(name))
    assert chunks
    expected = {
        "completions": CompletionChunk,
        "chat": ChatCompletionChunk,
        "applications": ApplicationChunk,
        "graphs.question": QuestionChunk,
        "web_search": WebSearchChunk,
    }[endpoint]
    assert all(type(chunk) is expected for chunk in chunks)


@pytest.mark.parametrize("name", stream_names())
def test_every_chunk_is_a_data_event_of_the_stream_before_done(name: str) -> None:
    # Independent of the decoder: the JSON objects of the data events that
    # are unnamed, before the first [DONE].
    expected = []
    for event in iter_events([read(name)]):
        if event.data.startswith("[DONE]"):
            break
        if event.event == "message":
            expected.append(json.loads(event.data))
    assert [chunk.raw for chunk in chunks_of(endpoint_of(name), read(name))] == expected


def test_completions_stream() -> None:
    chunks = chunks_of("completions", read("completions.sse"))
    assert chunks[0].value == ""
    text = "".join(chunk.value for chunk in chunks)
    assert text.startswith("Dear Ana,\n\nWe\u2019re sorry your order #4821 is late.")
    assert "📦" in text and text.endswith("配送が遅れて申し訳ありません。")


def test_chat_writer_dialect_stream() -> None:
    chunks = chunks_of("chat", read("chat_writer.sse"))
    assert len({chunk.id for chunk in chunks}) == len(chunks)  # a new id per chunk
    assert {chunk.choices[0].delta.role for chunk in chunks} == {"assistant"}
    assert {chunk.system_fingerprint for chunk in chunks} == {"v1"}
    assert all(chunk.service_tier is None for chunk in chunks)
    first = chunks[0].choices[0]
    assert first.delta.content == "" and first.delta.tool_calls is None
    assert first.delta.graph_data is not None
    assert (
        first.delta.graph_data.status is None and first.delta.graph_data.sources is None
    )
    assert first.logprobs is None and first.finish_reason is None
    assert [chunk.usage for chunk in chunks[:-1]] == [None] * (len(chunks) - 1)
    last = chunks[-1]
    assert last.choices[0].finish_reason == "stop"
    assert last.usage is not None and last.usage.total_tokens == 68
    assert last.usage.prompt_token_details is None
    text = "".join(chunk.choices[0].delta.content or "" for chunk in chunks)
    assert (
        "\u2028next line\u2029" in text
        and "中文\uff1a逐字输出。" in text
        and "🚀" in text
    )


def test_chat_sparse_dialect_stream_with_crlf() -> None:
    data = read("chat_sparse.sse")
    assert b"\r\n\r\n" in data
    chunks = chunks_of("chat", data)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "Bonjour ! Voici la réponse — courte et claire ✅."
    finish = chunks[-2].choices[0]
    assert finish.finish_reason == "stop" and finish.delta.raw == {}
    assert finish.delta.content is None and finish.delta.role is None
    usage_only = chunks[-1]
    assert usage_only.choices == ()
    assert usage_only.usage is not None
    assert usage_only.usage.completion_tokens_details is not None
    assert usage_only.usage.completion_tokens_details.reasoning_tokens == 0
    assert usage_only.usage.prompt_token_details is not None
    assert usage_only.usage.prompt_token_details.cached_tokens == 0


def test_chat_tool_call_fragments_read_in_the_sdk_shape() -> None:
    chunks = chunks_of("chat", read("chat_writer_tool_calls.sse"))
    opening = chunks[1].choices[0].delta.tool_calls
    assert opening is not None
    call = opening[0]
    assert (call.index, call.type) == (0, "function")
    assert call.id == "chatcmpl-tool-5b0d2f6c1e8a4b7f9c3d2e1f0a9b8c7d"
    assert call.function is not None
    assert call.function.name == "get_weather" and call.function.arguments is None
    continuation = chunks[2].choices[0].delta.tool_calls
    assert continuation is not None
    assert continuation[0].id is None and continuation[0].type is None
    assert continuation[0].function is not None
    assert continuation[0].function.arguments == '{"'


def test_graph_data_in_a_chat_delta() -> None:
    chunks = chunks_of("chat", read("chat_graph_data.sse"))
    first = chunks[0].choices[0].delta.graph_data
    assert first is not None and first.status == "processing"
    graph = chunks[-2].choices[0].delta.graph_data
    assert graph is not None and graph.status == "finished"
    assert graph.sources is not None
    assert [source.file_id for source in graph.sources if source] == [
        "f-2a9c1d7e",
        "f-7b3e0c4a",
    ]
    assert graph.subqueries is not None and graph.subqueries[0] is not None
    subquery = graph.subqueries[0]
    assert subquery.query == "What is the refund window?"
    assert subquery.sources is not None and subquery.sources[0] is not None
    assert subquery.sources[0].snippet is not None


def test_logprobs_in_a_chat_choice() -> None:
    chunks = chunks_of("chat", read("chat_logprobs.sse"))
    logprobs = chunks[4].choices[0].logprobs
    assert logprobs is not None and logprobs.content is not None
    token = logprobs.content[0]
    assert token.token == "🙂" and token.logprob == -0.7
    assert token.bytes == tuple("🙂".encode())
    assert [alt.token for alt in token.top_logprobs] == ["🙂", "!"]
    assert logprobs.refusal is None


def test_applications_stream_with_multiline_data() -> None:
    chunks = chunks_of("applications", read("applications.sse"))
    assert chunks[0].delta.title == "Solid-state batteries: 2024 outlook"
    stages = chunks[2].delta.stages
    assert stages is not None
    assert stages[0].id == "s1" and stages[0].content == " and cell chemistries…"
    assert stages[0].sources == (
        "https://example.org/ssb-pilots",
        "https://example.net/sulfide",
    )
    assert (
        chunks[4].delta.stages is not None and chunks[4].delta.stages[0].sources is None
    )
    assert chunks[-1].delta.content == "."


def test_graphs_question_stream_is_flat() -> None:
    chunks = chunks_of("graphs.question", read("graphs_question.sse"))
    assert all(not chunk.wrapped for chunk in chunks)
    assert "".join(chunk.answer or "" for chunk in chunks) == (
        "The warranty covers manufacturing defects for 24 months; batteries for 12 ⚡."
    )
    last = chunks[-1]
    assert last.question == "What does the warranty cover?"
    assert last.sources is not None and last.sources[1] is None
    assert last.sources[0] is not None and last.sources[0].file_id == "f-91d2"
    assert last.references is not None and last.references.files is not None
    reference = last.references.files[0]
    assert (reference.file_id, reference.score, reference.page) == ("f-91d2", 0.91, 3)
    assert last.references.files[1].cite is None
    assert last.references.web == ()


def test_graphs_question_wrapped_in_data_reads_the_same() -> None:
    chunks = chunks_of("graphs.question", read("graphs_question_wrapped.sse"))
    assert all(chunk.wrapped for chunk in chunks)
    assert "".join(chunk.answer or "" for chunk in chunks) == "Yes, twice a year."
    assert chunks[0].raw == {
        "data": {"answer": "Yes", "question": "Is the audit yearly?", "sources": []}
    }
    assert chunks[-1].sources is not None and chunks[-1].sources[0] is not None
    assert chunks[-1].sources[0].file_id == "f-91d2"


def test_web_search_stream() -> None:
    chunks = chunks_of("web_search", read("web_search.sse"))
    assert chunks[0].query == "sse retry field semantics"
    assert chunks[0].sources is None and chunks[0].answer is None
    assert chunks[1].sources is not None
    assert chunks[1].sources[0].url is not None
    assert chunks[1].sources[0].url.startswith("https://html.spec.whatwg.org/")
    assert chunks[1].sources[0].raw_content is None
    answer = "".join(chunk.answer or "" for chunk in chunks)
    assert answer == "The `retry` field sets the reconnection time in milliseconds ⏱."


# -- stream rules ----------------------------------------------------------------


def test_done_ends_the_stream_and_nothing_after_it_is_read() -> None:
    pulled: list[bytes] = []

    def body() -> Iterator[bytes]:
        for piece in (
            encode('{"value": "a"}'),
            encode("[DONE]") + encode("not json, never decoded"),
            b"this piece is never pulled",
        ):
            pulled.append(piece)
            yield piece

    assert [chunk.value for chunk in decode_bytes("completions", body())] == ["a"]
    assert len(pulled) == 2


@pytest.mark.parametrize("marker", ["[DONE]", "[DONE] ", "[DONE]\n", "[DONE]xyz"])
def test_done_is_a_prefix_test_like_the_sdks(marker: str) -> None:
    data = encode('{"value": "a"}') + encode(marker) + encode('{"value": "b"}')
    assert values(data) == ["a"]


def test_done_in_a_named_event_also_ends_the_stream() -> None:
    data = encode('{"value": "a"}') + encode("[DONE]", event="end") + encode("{}")
    assert values(data) == ["a"]


def test_event_message_is_a_chunk() -> None:
    # "message" is the HTML Standard's default type: the SDK drops it.
    data = b'event: message\ndata: {"value": "a"}\n\n' + encode('{"value": "b"}')
    assert values(data) == ["a", "b"]


def test_other_named_events_are_skipped_whatever_their_data() -> None:
    data = (
        encode("{}", event="ping")
        + encode("not JSON", event="status")
        + encode('{"value": "a"}')
        + encode("", event="heartbeat")
    )
    assert values(data) == ["a"]


@pytest.mark.parametrize(
    "noise",
    [
        encode_comment(" keep-alive"),
        b":\n\n",
        b"\n\n\n",
        b"retry: 3000\n\n",
        b"id: 42\n\n",
        b"id: 42\n\n: ping\n\n\n\n",
        b"data:\n\n",
        b"data: \n\n",
        b"data:  \t\n\n",
        b"data\n\n",
    ],
)
def test_keep_alives_and_empty_blocks_never_produce_a_chunk(noise: bytes) -> None:
    data = noise + encode('{"value": "a"}', id="7") + noise + noise + encode("[DONE]")
    assert values(data) == ["a"]


def test_a_leading_bom_does_not_lose_the_first_chunk() -> None:
    data = b"\xef\xbb\xbf" + encode('{"value": "first"}') + encode('{"value": "x"}')
    assert values(data) == ["first", "x"]


def test_invalid_utf8_becomes_a_replacement_character() -> None:
    assert values(b'data: {"value": "caf\xe9"}\n\n') == ["caf\ufffd"]


def test_multiline_data_is_joined_before_json_decoding() -> None:
    assert values(b'data: {"value":\ndata: "a\\nb"}\n\n') == ["a\nb"]


def test_line_separators_inside_json_strings_are_not_line_endings() -> None:
    text = "a\u2028b\u2029c\x85d\x0be\x1cf"
    assert values(encode(json.dumps({"value": text}, ensure_ascii=False))) == [text]


def test_error_event_with_writer_body_raises_api_error_with_a_readable_message() -> (
    None
):
    body = {
        "errors": [{"description": "Rate limit exceeded", "key": "fail.rate_limit"}],
        "tpe": "fail.rate_limit",
        "extras": None,
    }
    data = encode('{"value": "a"}') + encode(json.dumps(body), event="error")
    seen = []
    with pytest.raises(APIError) as info:
        for chunk in decode_bytes("completions", [data]):
            seen.append(chunk.value)
    assert seen == ["a"]  # the chunk before the error was yielded
    error = info.value
    assert error.message == str(error) == "Rate limit exceeded (fail.rate_limit)"
    assert error.body == body
    assert error.event.event == "error"
    assert isinstance(error, StreamError) and isinstance(error, SSEError)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"error": {"message": "model overloaded", "type": "server_error"}},
            "model overloaded",
        ),
        ({"error": "quota exhausted"}, "quota exhausted"),
        ({"message": "boom"}, "boom"),
        ({"detail": "Not authenticated"}, "Not authenticated"),
        (
            {"errors": [{"description": "Bad input", "key": "a"}, {"key": "b.c"}]},
            "Bad input (a); b.c",
        ),
        ({"errors": [{"description": "No key"}]}, "No key"),
        ({"code": 7}, '{"code":7}'),
        ([1, "é"], '[1,"é"]'),
        ("plain words", "plain words"),
    ],
)
def test_error_event_messages_are_drawn_from_the_body(
    body: object, message: str
) -> None:
    data = encode(json.dumps(body, ensure_ascii=False), event="error")
    with pytest.raises(APIError) as info:
        values(data)
    assert info.value.message == message
    assert info.value.body == body


def test_error_event_with_text_data() -> None:
    with pytest.raises(APIError) as info:
        values(encode("upstream timed out", event="error"))
    assert info.value.message == "upstream timed out"
    assert info.value.body == "upstream timed out"


def test_error_event_without_data() -> None:
    with pytest.raises(APIError) as info:
        values(b"event: error\ndata:\n\n")
    assert info.value.message == "the server sent an error event with no data"


@pytest.mark.parametrize(
    "body",
    [
        {"error": {"message": "context too long", "code": "context_length_exceeded"}},
        {"errors": [{"description": "Invalid model", "key": "fail.validation"}]},
    ],
)
def test_an_unnamed_error_object_raises(body: dict[str, Any]) -> None:
    data = chat_chunk() + encode(json.dumps(body))
    with pytest.raises(APIError) as info:
        chunks_of("chat", data)
    assert info.value.body == body
    assert info.value.event.event == "message"
    assert info.value.message in ("context too long", "Invalid model (fail.validation)")


def test_null_or_empty_error_keys_are_not_errors() -> None:
    data = chat_chunk(error=None) + chat_chunk(errors=[])
    assert len(chunks_of("chat", data)) == 2


@pytest.mark.parametrize("data", ["not json", "{'value': 1}", '{"value": ', "nul"])
def test_data_that_is_not_json_raises_invalid_json_error(data: str) -> None:
    with pytest.raises(InvalidJSONError) as info:
        values(encode('{"value": "a"}', id="9") + encode(data))
    error = info.value
    assert error.data == data
    assert error.event == ServerSentEvent(data=data, id="9")
    assert not isinstance(error, json.JSONDecodeError)
    assert isinstance(error, StreamError) and isinstance(error, ValueError)
    assert repr(data) in str(error)


# json.loads("\ufffd") on PyPy 7.3.11 gives a JSONDecodeError whose message
# holds a broken str (formatting it raised SystemError, not InvalidJSONError);
# \x00 and \x1b are PyPy's quoted control characters.
@pytest.mark.parametrize(
    "data", ["\ufffd", "[1,\ufffd]", "\xe9", "\ud800", "\x00", "\x1b[2J"]
)
def test_invalid_json_error_reason_is_printable_ascii_with_the_position(
    data: str,
) -> None:
    with pytest.raises(InvalidJSONError) as info:
        list(decode_chunks("chat", [ServerSentEvent(data=data)]))
    error = info.value
    assert error.data == data
    position = (0, 1) if data[0] != "[" else (3, 4)
    assert error.reason.endswith(f": line 1 column {position[1]} (char {position[0]})")
    assert error.reason.isascii() and error.reason.isprintable()
    assert str(error) == f"event data is not JSON ({error.reason}): {data!r}"


class _BrokenText(str):
    """Stands in for PyPy's broken message: using it as text fails."""

    def __str__(self) -> str:
        raise SystemError("broken str")


def test_an_unusable_decoder_message_keeps_only_the_position() -> None:
    broken = json.JSONDecodeError("Unexpected", "x\ny", 2)
    broken.msg = _BrokenText("Unexpected")
    assert json_error_reason(broken) == "invalid JSON: line 2 column 1 (char 2)"
    assert json_error_reason(RecursionError(_BrokenText())) == "RecursionError"
    error = InvalidJSONError(ServerSentEvent(data="x"), _BrokenText("oops"))
    assert (error.reason, str(error)) == (
        "invalid JSON",
        "event data is not JSON (invalid JSON): 'x'",
    )


def test_a_long_decoder_message_is_shortened() -> None:
    reason = json_error_reason(ValueError("x" * 500))
    assert len(reason) == 200 and reason.endswith("...")


def test_json_nested_too_deeply_for_the_decoder_is_invalid_json() -> None:
    with pytest.raises(InvalidJSONError):
        values(encode("[" * 100_000))


@pytest.mark.parametrize("data", ["null", "[1]", '"s"', "5", "true"])
def test_json_that_is_not_an_object_raises_chunk_type_error(data: str) -> None:
    with pytest.raises(ChunkTypeError) as info:
        values(encode(data))
    assert info.value.path == ""
    assert info.value.expected == "a JSON object"


def test_unknown_endpoint_is_a_value_error_at_call_time() -> None:
    with pytest.raises(ValueError, match=r"'chat\.stream'"):
        decode_chunks("chat.stream", [])
    with pytest.raises(ValueError, match="unknown endpoint"):
        decode_bytes("graphs", [])
    assert ENDPOINTS == (
        "completions",
        "chat",
        "applications",
        "graphs.question",
        "web_search",
    )


def test_decode_chunks_takes_any_iterable_of_events() -> None:
    events = [
        ServerSentEvent(data='{"value": "a"}'),
        ServerSentEvent(event="ping"),
        ServerSentEvent(data='{"value": "b"}', id="2"),
    ]
    assert [chunk.value for chunk in decode_chunks("completions", events)] == ["a", "b"]


def test_decode_bytes_uses_the_given_parser() -> None:
    from sse_core import EventStreamParser

    parser = EventStreamParser()
    data = encode('{"value": "a"}', id="41") + encode('{"value": "b"}', id="42")
    assert [chunk.value for chunk in decode_bytes("completions", [data], parser)] == [
        "a",
        "b",
    ]
    assert parser.last_event_id == "42"


# -- async -------------------------------------------------------------------------


async def _agen(items: Iterable[Any]) -> AsyncIterator[Any]:
    for item in items:
        await asyncio.sleep(0)
        yield item


def test_async_forms_give_the_same_chunks() -> None:
    data = read("chat_writer_tool_calls.sse")
    expected = chunks_of("chat", data)
    pieces = [data[i : i + 7] for i in range(0, len(data), 7)]

    async def main() -> tuple[list[Any], list[Any]]:
        from_bytes = [chunk async for chunk in adecode_bytes("chat", _agen(pieces))]
        events = _agen(iter_events([data]))
        from_events = [chunk async for chunk in adecode_chunks("chat", events)]
        return from_bytes, from_events

    from_bytes, from_events = asyncio.run(main())
    assert from_bytes == expected and from_events == expected


def test_async_done_stops_reading_and_errors_propagate() -> None:
    pulled: list[bytes] = []

    async def body() -> AsyncIterator[bytes]:
        for piece in (encode('{"value": "a"}'), encode("[DONE]"), b"never pulled"):
            pulled.append(piece)
            yield piece

    async def main() -> list[Any]:
        return [chunk.value async for chunk in adecode_bytes("completions", body())]

    assert asyncio.run(main()) == ["a"]
    assert len(pulled) == 2

    async def failing() -> list[Any]:
        data = encode('{"value": "a"}') + encode('{"errors": [{"key": "k"}]}')
        return [chunk async for chunk in adecode_bytes("completions", _agen([data]))]

    with pytest.raises(APIError, match=r"^k$"):
        asyncio.run(failing())


# -- the chunk classes --------------------------------------------------------------


def one_chat_chunk(body: dict[str, Any]) -> ChatCompletionChunk:
    return ChatCompletionChunk(body)


def test_chunks_are_immutable() -> None:
    chunk = chunks_of("chat", chat_chunk())[0]
    with pytest.raises(AttributeError):
        chunk.id = "other"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        chunk._obj = {}
    with pytest.raises(AttributeError):
        del chunk.model
    with pytest.raises(AttributeError):
        chunk.choices[0].delta.content = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        hash(chunk)


def test_raw_keeps_every_key_and_to_dict_is_a_copy() -> None:
    body = {
        "id": "c",
        "choices": [
            {"index": 0, "delta": {"content": "x", "web_search_data": {"q": "sse"}}}
        ],
        "brand_new_field": [1, 2],
    }
    chunk = one_chat_chunk(body)
    assert chunk.raw is body
    assert chunk.extras == {"brand_new_field": [1, 2]}
    delta = chunk.choices[0].delta
    assert delta.extras == {"web_search_data": {"q": "sse"}}
    assert delta.raw["web_search_data"] == {"q": "sse"}
    copy = chunk.to_dict()
    copy["choices"][0]["delta"]["content"] = "changed"
    assert chunk.choices[0].delta.content == "x"


def test_missing_fields_read_none_and_containers_read_empty() -> None:
    chunk = one_chat_chunk({})
    assert chunk.id is None and chunk.model is None and chunk.created is None
    assert chunk.usage is None and chunk.choices == ()
    choice = one_chat_chunk({"choices": [{"index": 3}]}).choices[0]
    assert (
        choice.index == 3 and choice.finish_reason is None and choice.logprobs is None
    )
    assert choice.delta.raw == {} and choice.delta.content is None
    assert choice.delta.tool_calls is None and choice.delta.graph_data is None
    assert ApplicationChunk({}).delta.content is None
    assert QuestionChunk({}).answer is None and WebSearchChunk({}).sources is None


def test_views_compare_by_value_pickle_and_repr() -> None:
    a = chunks_of("chat", chat_chunk())[0]
    b = chunks_of("chat", chat_chunk())[0]
    assert a == b and a is not b
    assert a != chunks_of("chat", chat_chunk(id="c2"))[0]
    assert a != a.raw
    assert pickle.loads(pickle.dumps(a)) == a
    wrapped = QuestionChunk({"data": {"answer": "x"}})
    restored = pickle.loads(pickle.dumps(wrapped))
    assert restored.wrapped and restored.answer == "x"
    assert repr(a).startswith(
        "ChatCompletionChunk(id='c1', object='chat.completion.chunk'"
    )
    assert "delta=ChoiceDelta(content='hi')" in repr(a)
    assert repr(one_chat_chunk({"id": 5})) == "ChatCompletionChunk(id=5)"


@pytest.mark.parametrize(
    ("body", "read", "path", "expected"),
    [
        ({"id": 5}, lambda c: c.id, "id", "a string"),
        ({"created": True}, lambda c: c.created, "created", "an integer"),
        ({"created": 1.5}, lambda c: c.created, "created", "an integer"),
        ({"choices": {}}, lambda c: c.choices, "choices", "an array"),
        ({"choices": [None]}, lambda c: c.choices, "choices[0]", "an object"),
        (
            {"choices": [{"delta": {}}]},
            lambda c: c.choices[0].index,
            "choices[0].index",
            "an integer",
        ),
        (
            {"choices": [{"index": 0, "delta": {"content": 5}}]},
            lambda c: c.choices[0].delta.content,
            "choices[0].delta.content",
            "a string",
        ),
        (
            {"choices": [{"index": 0, "delta": []}]},
            lambda c: c.choices[0].delta,
            "choices[0].delta",
            "an object",
        ),
        (
            {"choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0}, "x"]}}]},
            lambda c: c.choices[0].delta.tool_calls,
            "choices[0].delta.tool_calls[1]",
            "an object",
        ),
        (
            {"choices": [{"index": 0, "delta": {"tool_calls": [{"id": "a"}]}}]},
            lambda c: c.choices[0].delta.tool_calls[0].index,
            "choices[0].delta.tool_calls[0].index",
            "an integer",
        ),
        (
            {"choices": [{"index": 0, "delta": {"graph_data": {"sources": [1]}}}]},
            lambda c: c.choices[0].delta.graph_data.sources,
            "choices[0].delta.graph_data.sources[0]",
            "an object or null",
        ),
        (
            {"choices": [{"index": 0, "logprobs": {"content": [{"bytes": [1, "2"]}]}}]},
            lambda c: c.choices[0].logprobs.content[0].bytes,
            "choices[0].logprobs.content[0].bytes[1]",
            "an integer",
        ),
        (
            {"usage": {"total_tokens": "12"}},
            lambda c: c.usage.total_tokens,
            "usage.total_tokens",
            "an integer",
        ),
    ],
)
def test_a_wrong_json_type_is_a_chunk_type_error_naming_the_path(
    body: dict[str, Any], read: Any, path: str, expected: str
) -> None:
    chunk = one_chat_chunk(body)
    with pytest.raises(ChunkTypeError) as info:
        read(chunk)
    assert info.value.path == path
    assert info.value.expected == expected
    assert str(info.value).startswith(f"{path}: expected {expected}, ")
    assert isinstance(info.value, StreamError)


def test_numbers_accept_integers_but_not_booleans() -> None:
    token = (
        one_chat_chunk(
            {"choices": [{"index": 0, "logprobs": {"content": [{"logprob": -1}]}}]}
        )
        .choices[0]
        .logprobs
    )
    assert token is not None and token.content is not None
    assert token.content[0].logprob == -1
    bad = (
        one_chat_chunk(
            {"choices": [{"index": 0, "logprobs": {"content": [{"logprob": False}]}}]}
        )
        .choices[0]
        .logprobs
    )
    assert bad is not None and bad.content is not None
    with pytest.raises(ChunkTypeError, match="expected a number, got false"):
        bad.content[0].logprob  # noqa: B018


def test_unknown_enumeration_values_are_kept() -> None:
    chunk = one_chat_chunk(
        {
            "choices": [
                {"index": 0, "finish_reason": "tool_use", "delta": {"role": "tool"}}
            ]
        }
    )
    assert chunk.choices[0].finish_reason == "tool_use"
    assert chunk.choices[0].delta.role == "tool"


def test_a_type_error_in_one_field_does_not_stop_decoding() -> None:
    # Fields are checked when read: other fields and chunks stay readable.
    data = encode('{"value": 5}') + encode('{"value": "ok"}')
    chunks = chunks_of("completions", data)
    with pytest.raises(ChunkTypeError):
        chunks[0].value  # noqa: B018
    assert chunks[1].value == "ok"


def test_deeply_nested_json_copies_and_reprs_without_recursion_error() -> None:
    # Found by fuzzing: json.loads accepts nesting deeper than copy.deepcopy,
    # repr() and json.dumps recurse (tests/fuzz/regressions/endpoints).
    import sys

    from sse_core import ServerSentEvent
    from sse_core.endpoints import ChunkTypeError, InvalidJSONError, decode_chunks

    # As deep as json.loads accepts here: deeper than repr/deepcopy manage.
    depth = sys.getrecursionlimit()
    while True:
        nested = "[" * depth + "]" * depth
        try:
            [chunk] = decode_chunks(
                "completions", [ServerSentEvent(data=f'{{"value": {nested}}}')]
            )
            break
        except InvalidJSONError:
            depth -= 50
    assert depth > 500
    copied = chunk.to_dict()
    assert copied == chunk.raw and copied is not chunk.raw
    inner = copied["value"]
    for _ in range(depth - 1):
        inner = inner[0]
    assert inner == []
    assert repr(chunk).startswith("CompletionChunk(")  # no RecursionError
    with pytest.raises(ChunkTypeError):
        _ = chunk.value
