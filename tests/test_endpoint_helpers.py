"""The accumulators, their events, and the ``stream_events`` convenience."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sse_core import encode
from sse_core.endpoints import (
    APIError,
    ApplicationAccumulator,
    ChatAccumulator,
    ChatCompletion,
    ChatStreamEvent,
    ChunkEvent,
    CompletionAccumulator,
    ContentDeltaEvent,
    ContentDoneEvent,
    ContentFilterFinishReasonError,
    FunctionToolCallArgumentsDeltaEvent,
    FunctionToolCallArgumentsDoneEvent,
    LengthFinishReasonError,
    LogprobsContentDeltaEvent,
    LogprobsContentDoneEvent,
    QuestionAccumulator,
    RefusalDeltaEvent,
    RefusalDoneEvent,
    StreamError,
    WebSearchAccumulator,
    astream_events,
    decode_bytes,
    stream_events,
)

from .endpoint_streams import endpoint_of, read, stream_names


def chat(name: str) -> tuple[list[ChatStreamEvent], ChatCompletion]:
    with stream_events("chat", [read(name)]) as stream:
        events = list(stream)
        return events, stream.final()


def of_type(events: list[ChatStreamEvent], cls: type[Any]) -> list[Any]:
    return [event for event in events if isinstance(event, cls)]


# -- chat: final completions ---------------------------------------------------------


def test_chat_writer_dialect_completion() -> None:
    events, completion = chat("chat_writer.sse")
    first = next(decode_bytes("chat", [read("chat_writer.sse")]))
    assert completion.id == first.id  # the first of the per-chunk ids
    assert completion.object == "chat.completion"
    assert (completion.created, completion.model) == (1731919162, "palmyra-x-004")
    assert completion.system_fingerprint == "v1" and completion.service_tier is None
    (choice,) = completion.choices
    assert choice.index == 0 and choice.finish_reason == "stop"
    message = choice.message
    assert message.role == "assistant" and message.refusal is None
    assert message.tool_calls is None
    assert message.content is not None
    assert message.content.startswith("Server-Sent Events keep one HTTP response open;")
    assert message.content.endswith("next line\u2029 and é.")
    assert completion.usage is not None and completion.usage.total_tokens == 68
    deltas = of_type(events, ContentDeltaEvent)
    assert "".join(event.delta for event in deltas) == message.content
    assert all(event.delta for event in deltas)  # no empty deltas
    assert deltas[-1].snapshot == message.content
    assert deltas[2].snapshot == "Server-Sent Events"
    assert of_type(events, ContentDoneEvent) == [ContentDoneEvent(0, message.content)]
    assert len(of_type(events, ChunkEvent)) == 37


def test_chat_sparse_dialect_completion_keeps_usage_from_the_usage_only_chunk() -> None:
    _, completion = chat("chat_sparse.sse")
    (choice,) = completion.choices
    assert choice.message.content == "Bonjour ! Voici la réponse — courte et claire ✅."
    assert choice.finish_reason == "stop"
    assert completion.usage is not None
    assert completion.usage.raw == {
        "prompt_tokens": 12,
        "completion_tokens": 11,
        "total_tokens": 23,
        "completion_tokens_details": {"reasoning_tokens": 0},
        "prompt_token_details": {"cached_tokens": 0},
    }


def test_writer_tool_call_fragments_merge_by_index() -> None:
    events, completion = chat("chat_writer_tool_calls.sse")
    (choice,) = completion.choices
    assert choice.finish_reason == "tool_calls"
    assert choice.message.content == "\n"
    calls = choice.message.tool_calls
    assert calls is not None
    assert [(c.index, c.id, c.type, c.function.name) for c in calls] == [
        (
            0,
            "chatcmpl-tool-5b0d2f6c1e8a4b7f9c3d2e1f0a9b8c7d",
            "function",
            "get_weather",
        ),
        (1, "chatcmpl-tool-0c9e8d7f6a5b4c3d2e1f0a9b8c7d6e5f", "function", "get_time"),
    ]
    assert calls[0].function.arguments == '{"city": "Lisbon", "unit": "celsius"}'
    assert calls[0].function.parsed_arguments == {"city": "Lisbon", "unit": "celsius"}
    assert calls[1].function.parsed_arguments == {"tz": "Europe/Lisbon"}
    # The events: tool 0's deltas, tool 1's deltas (the last one on the
    # finish_reason chunk), then both done events, at the finish_reason.
    tool_events = [
        (type(e).__name__, e.tool_index)
        for e in events
        if isinstance(
            e, (FunctionToolCallArgumentsDeltaEvent, FunctionToolCallArgumentsDoneEvent)
        )
    ]
    delta, done = (
        "FunctionToolCallArgumentsDeltaEvent",
        "FunctionToolCallArgumentsDoneEvent",
    )
    assert tool_events == [(delta, 0)] * 13 + [(delta, 1)] * 6 + [
        (done, 0),
        (done, 1),
    ]
    first_delta = of_type(events, FunctionToolCallArgumentsDeltaEvent)[0]
    assert first_delta.choice_index == 0 and first_delta.name == "get_weather"
    assert first_delta.id == "chatcmpl-tool-5b0d2f6c1e8a4b7f9c3d2e1f0a9b8c7d"
    assert (first_delta.arguments_delta, first_delta.arguments) == ('{"', '{"')
    done_events = of_type(events, FunctionToolCallArgumentsDoneEvent)
    assert done_events[0] == FunctionToolCallArgumentsDoneEvent(
        0,
        0,
        "chatcmpl-tool-5b0d2f6c1e8a4b7f9c3d2e1f0a9b8c7d",
        "get_weather",
        '{"city": "Lisbon", "unit": "celsius"}',
        {"city": "Lisbon", "unit": "celsius"},
    )
    assert done_events[1].parsed_arguments == {"tz": "Europe/Lisbon"}


def test_sparse_tool_calls() -> None:
    _, completion = chat("chat_sparse_tool_calls.sse")
    calls = completion.choices[0].message.tool_calls
    assert calls is not None
    assert [(c.id, c.function.name, c.function.parsed_arguments) for c in calls] == [
        ("call_7Qm2", "search_docs", {"query": "SSE retry field", "limit": 3}),
        ("call_9Zx4", "get_time", {"tz": "UTC"}),
    ]
    assert completion.choices[0].message.content is None


def test_invalid_tool_arguments_are_kept_and_parse_to_none() -> None:
    accumulator = ChatAccumulator()
    for arguments in ('{"a": ', '1, "b"'):
        body = {
            "choices": [
                {
                    "index": 0,
                    "delta": {
                        "tool_calls": [
                            {"index": 0, "function": {"arguments": arguments}}
                        ]
                    },
                }
            ]
        }
        accumulator.add(next(decode_bytes("chat", [encode(json.dumps(body))])))
    (done,) = accumulator.end()
    assert isinstance(done, FunctionToolCallArgumentsDoneEvent)
    assert done.arguments == '{"a": 1, "b"' and done.parsed_arguments is None
    call = accumulator.result().choices[0].message.tool_calls
    assert call is not None and call[0].function.parsed_arguments is None
    assert call[0].id is None and call[0].type is None and call[0].function.name is None


def test_n2_interleaved_choices_are_told_apart() -> None:
    events, completion = chat("chat_n2.sse")
    assert [c.message.content for c in completion.choices] == [
        "Roses are red.",
        "Violets are blue, too.",
    ]
    assert [c.finish_reason for c in completion.choices] == ["stop", "length"]
    for index, choice in enumerate(completion.choices):
        deltas = [
            e.delta
            for e in of_type(events, ContentDeltaEvent)
            if e.choice_index == index
        ]
        assert "".join(deltas) == choice.message.content
    assert of_type(events, ContentDoneEvent) == [
        ContentDoneEvent(0, "Roses are red."),
        ContentDoneEvent(1, "Violets are blue, too."),
    ]
    assert completion.usage is not None and completion.usage.total_tokens == 19


def test_finish_reason_length_is_reported_and_raised_on_request() -> None:
    _, completion = chat("chat_n2.sse")
    with pytest.raises(LengthFinishReasonError) as info:
        completion.raise_for_finish_reason()
    error = info.value
    assert (error.index, error.finish_reason) == (1, "length")
    assert error.completion is completion
    assert "choice 1 stopped with finish_reason='length'" in str(error)
    assert isinstance(error, StreamError)
    ok = chat("chat_writer.sse")[1]
    assert ok.raise_for_finish_reason() is ok


def test_finish_reason_content_filter_is_raised_on_request() -> None:
    body = {
        "choices": [
            {"index": 0, "delta": {"content": "x"}, "finish_reason": "content_filter"}
        ]
    }
    with stream_events("chat", [encode(json.dumps(body))]) as stream:
        completion = stream.final()
    assert completion.choices[0].finish_reason == "content_filter"
    with pytest.raises(ContentFilterFinishReasonError) as info:
        completion.raise_for_finish_reason()
    assert info.value.index == 0


def test_a_first_chunk_for_choice_1_and_choices_in_any_order() -> None:
    events, completion = chat("chat_n2_first_index_1.sse")
    assert [c.index for c in completion.choices] == [0, 1]
    assert [c.message.content for c in completion.choices] == [
        "Roses are red.",
        "Violets are blue, too.",
    ]
    assert of_type(events, ContentDeltaEvent)[0].choice_index == 1
    # Both finish in one chunk (choice 1 listed first): done events follow it.
    assert [e.choice_index for e in of_type(events, ContentDoneEvent)] == [1, 0]


def test_refusal() -> None:
    events, completion = chat("chat_refusal.sse")
    message = completion.choices[0].message
    assert message.refusal == "I\u2019m sorry, I can\u2019t help with that."
    assert message.content is None
    deltas = of_type(events, RefusalDeltaEvent)
    assert deltas[0].delta == "I" and deltas[-1].snapshot == message.refusal
    assert of_type(events, RefusalDoneEvent) == [RefusalDoneEvent(0, message.refusal)]
    assert not of_type(events, ContentDoneEvent)


def test_logprobs_accumulate() -> None:
    events, completion = chat("chat_logprobs.sse")
    logprobs = completion.choices[0].logprobs
    assert logprobs is not None and logprobs.content is not None
    assert [t.token for t in logprobs.content] == ["Yes", ",", " é", "🙂"]
    assert logprobs.refusal is None
    deltas = of_type(events, LogprobsContentDeltaEvent)
    assert [len(e.snapshot) for e in deltas] == [1, 2, 3, 4]
    (done,) = of_type(events, LogprobsContentDoneEvent)
    assert done.content == logprobs.content


def test_graph_data_status_is_replaced_and_sources_kept() -> None:
    _, completion = chat("chat_graph_data.sse")
    graph = completion.choices[0].message.graph_data
    assert graph is not None
    assert graph.status == "finished"
    assert graph.sources is not None and len(graph.sources) == 2
    assert graph.subqueries is not None and len(graph.subqueries) == 1
    assert graph.references is None


def test_graph_data_keeps_the_last_non_empty_sources() -> None:
    def chunk(graph_data: dict[str, Any]) -> bytes:
        body = {"choices": [{"index": 0, "delta": {"graph_data": graph_data}}]}
        return encode(json.dumps(body))

    a, b = {"file_id": "a", "snippet": "x"}, {"file_id": "b", "snippet": "y"}
    data = (
        chunk({"status": "processing", "sources": [], "subqueries": None})
        + chunk({"status": None, "sources": [a], "subqueries": []})
        + chunk({"status": "finished", "sources": [a, b], "subqueries": None})
        + chunk({"status": None, "sources": [], "subqueries": None})
    )
    with stream_events("chat", [data]) as stream:
        graph = stream.final().choices[0].message.graph_data
    assert graph is not None
    assert graph.raw == {
        "status": "finished",
        "sources": [a, b],
        "subqueries": [],
        "references": None,
    }


def test_usage_is_the_last_non_null_one() -> None:
    _, completion = chat("chat_writer_usage_then_null.sse")
    assert completion.usage is not None and completion.usage.total_tokens == 25
    assert completion.choices[0].message.content == "All good."


def test_llm_data_translation_data_and_unknown_delta_keys_are_kept() -> None:
    def chunk(delta: dict[str, Any]) -> bytes:
        return encode(json.dumps({"choices": [{"index": 0, "delta": delta}]}))

    data = (
        chunk({"content": "", "llm_data": None, "web_search_data": None, "x": 1})
        + chunk(
            {"llm_data": {"model": "palmyra-med", "prompt": "p"}, "web_search_data": {}}
        )
        + chunk(
            {"translation_data": {"source_text": "Hola", "source_language_code": "es"}}
        )
        + chunk({"web_search_data": {"sources": [{"url": "u"}]}, "llm_data": None})
    )
    with stream_events("chat", [data]) as stream:
        message = stream.final().choices[0].message
    assert message.llm_data is not None and message.llm_data.model == "palmyra-med"
    assert message.translation_data is not None
    assert message.translation_data.source_text == "Hola"
    assert message.extras == {"x": 1, "web_search_data": {"sources": [{"url": "u"}]}}


def test_chat_accumulator_sans_io() -> None:
    accumulator = ChatAccumulator()
    assert accumulator.result().choices == ()
    chunks = list(decode_bytes("chat", [read("chat_sparse.sse")]))
    for chunk in chunks[:3]:
        assert isinstance(accumulator.add(chunk)[0], ChunkEvent)
    assert accumulator.result().choices[0].message.content == "Bonjour !"
    for chunk in chunks[3:]:
        accumulator.add(chunk)
    assert accumulator.end() == []  # finish_reason already sent the done events
    assert accumulator.end() == []


def test_done_events_at_the_end_for_a_choice_without_finish_reason() -> None:
    data = encode('{"choices": [{"index": 0, "delta": {"content": "cut"}}]}')
    with stream_events("chat", [data]) as stream:
        events = list(stream)
        completion = stream.final()
    assert events[-1] == ContentDoneEvent(0, "cut")
    assert completion.choices[0].finish_reason is None


# -- the other accumulators ----------------------------------------------------------


def final(endpoint: str, name: str) -> Any:
    with stream_events(endpoint, [read(name)]) as stream:
        return stream.final()


def test_completion_accumulator() -> None:
    text = final("completions", "completions.sse")
    assert isinstance(text, str)
    assert text.startswith("Dear Ana,") and text.endswith("申し訳ありません。")
    accumulator = CompletionAccumulator()
    assert accumulator.result() == ""


def test_application_accumulator_merges_stages_by_id() -> None:
    output = final("applications", "applications.sse")
    assert output.title == "Solid-state batteries: 2024 outlook"
    assert output.content == (
        "# Outlook\nPilot production is scaling in 2024; 全固态电池 remain costly."
    )
    assert [(s.id, s.content, s.sources) for s in output.stages] == [
        (
            "s1",
            "Searching for recent pilot lines and cell chemistries…",
            ("https://example.org/ssb-pilots", "https://example.net/sulfide"),
        ),
        (
            "s2",
            "Comparing energy density claims (Wh/kg)",
            ("https://example.com/density",),
        ),
        ("s3", "Drafting the summary 📝", ()),
    ]
    assert ApplicationAccumulator().result().raw == {
        "title": None,
        "content": "",
        "stages": [],
    }


def test_question_accumulator() -> None:
    flat = final("graphs.question", "graphs_question.sse")
    assert flat.answer == (
        "The warranty covers manufacturing defects for 24 months; batteries for 12 ⚡."
    )
    assert flat.question == "What does the warranty cover?"
    assert (
        flat.sources is not None and len(flat.sources) == 3 and flat.sources[1] is None
    )
    assert flat.subqueries is not None and flat.subqueries[0] is not None
    assert flat.subqueries[0].answer == "12 months."
    assert flat.references is not None and flat.references.files is not None
    wrapped = final("graphs.question", "graphs_question_wrapped.sse")
    assert wrapped.answer == "Yes, twice a year."
    assert wrapped.sources is not None and len(wrapped.sources) == 1
    assert wrapped.subqueries is None
    assert QuestionAccumulator().result().answer == ""


def test_web_search_accumulator_merges_sources_by_url() -> None:
    result = final("web_search", "web_search.sse")
    assert result.query == "sse retry field semantics"
    assert (
        result.answer
        == "The `retry` field sets the reconnection time in milliseconds ⏱."
    )
    assert [s.url for s in result.sources] == [
        "https://html.spec.whatwg.org/multipage/server-sent-events.html",
        "https://developer.mozilla.org/en-US/docs/Web/API/Server-sent_events/Using_server-sent_events",
    ]
    data = encode(
        '{"sources": [{"url": "u1", "raw_content": null}, {"raw_content": "anon"}]}'
    ) + encode('{"sources": [{"url": "u1", "raw_content": "text"}, {"url": "u2"}]}')
    with stream_events("web_search", [data]) as stream:
        merged = stream.final()
    assert [(s.url, s.raw_content) for s in merged.sources] == [
        ("u1", "text"),
        (None, "anon"),
        ("u2", None),
    ]
    assert merged.answer is None
    assert WebSearchAccumulator().result().sources == ()


# -- stream_events / astream_events -----------------------------------------------------


class Body:
    """A byte source that records how it was consumed and closed."""

    def __init__(self, data: bytes, size: int = 64) -> None:
        self.pieces = [data[i : i + size] for i in range(0, len(data), size)]
        self.pulled = 0
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        for piece in self.pieces:
            self.pulled += 1
            yield piece

    def close(self) -> None:
        self.closed = True


def test_stream_events_closes_its_source_on_exit() -> None:
    body = Body(read("chat_writer.sse"))
    with stream_events("chat", body) as stream:
        next(stream)
    assert body.closed
    assert body.pulled < len(body.pieces)


def test_final_reads_the_rest_after_a_break() -> None:
    with stream_events("chat", Body(read("chat_writer.sse"))) as stream:
        for event in stream:
            if isinstance(event, ContentDeltaEvent):
                break
        completion = stream.final()
    assert completion.choices[0].message.content is not None
    assert completion.choices[0].message.content.endswith("and é.")


def test_final_reraises_the_error_that_ended_the_stream() -> None:
    data = encode('{"choices": [{"index": 0, "delta": {"content": "a"}}]}') + encode(
        '{"errors": [{"description": "Server overloaded", "key": "fail.overloaded"}]}',
        event="error",
    )
    with stream_events("chat", [data]) as stream:
        with pytest.raises(APIError) as first:
            list(stream)
        with pytest.raises(APIError) as again:
            stream.final()
    assert again.value is first.value
    assert first.value.message == "Server overloaded (fail.overloaded)"


def test_other_endpoints_yield_a_chunk_event_per_chunk() -> None:
    with stream_events("graphs.question", [read("graphs_question.sse")]) as stream:
        events = list(stream)
        answer = stream.final().answer
    chunks = [event.chunk for event in events if isinstance(event, ChunkEvent)]
    assert chunks == list(
        decode_bytes("graphs.question", [read("graphs_question.sse")])
    )
    assert answer == "".join(chunk.answer or "" for chunk in chunks)


def test_stream_events_exposes_its_parser() -> None:
    data = encode('{"value": "a"}', id="e1", retry=1500)
    with stream_events("completions", [data]) as stream:
        assert stream.final() == "a"
    assert stream.parser.last_event_id == "e1" and stream.parser.retry == 1500


def test_stream_events_rejects_unknown_endpoints_at_once() -> None:
    with pytest.raises(ValueError, match="unknown endpoint"):
        stream_events("chat.completions", [])


def test_astream_events() -> None:
    data = read("chat_writer_tool_calls.sse")
    closed: list[bool] = []

    async def body() -> AsyncIterator[bytes]:
        try:
            for i in range(0, len(data), 50):
                await asyncio.sleep(0)
                yield data[i : i + 50]
        finally:
            closed.append(True)

    async def main() -> tuple[list[ChatStreamEvent], ChatCompletion]:
        async with astream_events("chat", body()) as stream:
            events = [event async for event in stream]
            return events, await stream.final()

    events, completion = asyncio.run(main())
    expected_events, expected = chat("chat_writer_tool_calls.sse")
    assert completion == expected
    assert events == expected_events
    assert closed == [True]

    async def failing() -> tuple[list[Any], BaseException]:
        pieces = [encode('{"value": "a"}'), encode("oops", event="error")]
        seen = []
        async with astream_events("completions", _agen(pieces)) as stream:
            with pytest.raises(APIError):
                async for event in stream:
                    if event.type == "content.delta":
                        seen.append(event.delta)
            with pytest.raises(APIError) as again:
                await stream.final()
        return seen, again.value

    seen, error = asyncio.run(failing())
    assert seen == ["a"] and str(error) == "oops"


async def _agen(pieces: list[bytes]) -> AsyncIterator[bytes]:
    for piece in pieces:
        yield piece


# -- any chunking of the bytes gives the same chunks and result ------------------------


def run(endpoint: str, pieces: list[bytes]) -> tuple[list[Any], Any, list[Any]]:
    chunks = list(decode_bytes(endpoint, pieces))
    with stream_events(endpoint, pieces) as stream:
        events = list(stream)
        result = stream.final()
    return chunks, result, events


WHOLE = {name: run(endpoint_of(name), [read(name)]) for name in stream_names()}


@given(name=st.sampled_from(stream_names()), data=st.data())
def test_any_chunking_gives_the_same_chunks_events_and_result(
    name: str, data: st.DataObject
) -> None:
    body = read(name)
    cuts = sorted(data.draw(st.sets(st.integers(1, len(body) - 1), max_size=40)))
    pieces = [body[a:b] for a, b in zip([0, *cuts], [*cuts, len(body)])]
    assert run(endpoint_of(name), pieces) == WHOLE[name]


# -- chat accumulation property: any interleaving of any split ---------------------------


@st.composite
def chat_streams(
    draw: st.DrawFn,
) -> tuple[list[bytes], dict[int, tuple[str, str | None]]]:
    """Chat chunks for n choices, each split anyhow, interleaved anyhow, either dialect."""
    writer_dialect = draw(st.booleans())
    indexes = draw(st.lists(st.integers(0, 5), min_size=1, max_size=3, unique=True))
    expected: dict[int, tuple[str, str | None]] = {}
    queues: dict[int, list[dict[str, Any]]] = {}
    for index in indexes:
        text = draw(st.text(max_size=30))
        arguments = draw(
            st.none() | st.just(json.dumps({"q": draw(st.text(max_size=10))}))
        )
        expected[index] = (text, arguments)
        deltas: list[dict[str, Any]] = []
        cuts = sorted(draw(st.sets(st.integers(0, len(text)), max_size=6)))
        for a, b in zip([0, *cuts], [*cuts, len(text)]):
            deltas.append({"content": text[a:b]})
        if arguments is not None:
            deltas.append(
                {
                    "tool_calls": [
                        {
                            "index": 0,
                            "id": "t",
                            "type": "function",
                            "function": {"name": "f", "arguments": None},
                        }
                    ]
                }
            )
            cuts = sorted(draw(st.sets(st.integers(1, len(arguments) - 1), max_size=6)))
            for a, b in zip([0, *cuts], [*cuts, len(arguments)]):
                fragment = {"arguments": arguments[a:b]}
                call: dict[str, Any] = {"index": 0, "function": fragment}
                if writer_dialect:
                    call.update(id=None, type=None)
                    fragment["name"] = None
                deltas.append({"tool_calls": [call]})
        queues[index] = [
            {"index": index, "delta": delta, "finish_reason": None} for delta in deltas
        ]
        queues[index][-1]["finish_reason"] = "stop"
    chunks = []
    while queues:
        index = draw(st.sampled_from(sorted(queues)))
        choice = queues[index].pop(0)
        if writer_dialect:
            choice["delta"] = {
                "content": None,
                "role": "assistant",
                "tool_calls": None,
                "refusal": None,
                **choice["delta"],
            }
        chunks.append(
            encode(json.dumps({"id": "x", "choices": [choice]}, ensure_ascii=False))
        )
        if not queues[index]:
            del queues[index]
    return chunks, expected


@given(chat_streams())
def test_chat_accumulator_rebuilds_every_choice(
    stream: tuple[list[bytes], dict[int, tuple[str, str | None]]],
) -> None:
    chunks, expected = stream
    with stream_events("chat", chunks) as events:
        completion = events.final()
    assert [choice.index for choice in completion.choices] == sorted(expected)
    for choice in completion.choices:
        text, arguments = expected[choice.index]
        assert choice.message.content == text
        assert choice.finish_reason == "stop"
        if arguments is None:
            assert choice.message.tool_calls is None
        else:
            (call,) = choice.message.tool_calls or ()
            assert (call.id, call.type, call.function.name) == ("t", "function", "f")
            assert call.function.arguments == arguments
            assert call.function.parsed_arguments == json.loads(arguments)
