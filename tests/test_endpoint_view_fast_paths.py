"""The endpoint layer's hot-loop fast paths equal the plain paths they shortcut.

* ``ItemsOrEmpty.__get__`` on a one-item array and ``ObjectOrEmpty.__get__``
  on an object build their views inline: equal to ``Field.__get__`` then
  ``read()`` (``_items`` / ``_make``), views *and* their paths (which name
  the field in a ``ChunkTypeError`` raised later, deeper down);
* the decoder builds a chunk without ``View.__init__`` for the classes that
  keep it: equal to ``cls(obj)``, path included;
* ``EndpointStream.__iter__`` / ``AsyncEndpointStream.__aiter__`` hand out the
  events generator itself: a ``for`` loop sees what ``next()`` calls see.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sse_core
from sse_core import iter_events
from sse_core.endpoints import (
    ChatCompletionChunk,
    Choice,
    LogprobsToken,
    astream_events,
    decode_bytes,
    stream_events,
)
from sse_core.endpoints._records import lookup
from sse_core.endpoints._view import Field, View

from .endpoint_streams import endpoint_of, read, stream_names


def shape(value: Any) -> Any:
    """A value with every view replaced by (class, raw, path), recursively."""
    if isinstance(value, View):
        return (type(value), value.raw, value._path)
    if isinstance(value, tuple):
        return tuple(shape(item) for item in value)
    return value


def outcome(read: Any, *args: Any) -> Any:
    try:
        return ("ok", shape(read(*args)))
    except sse_core.SSEError as exc:
        return type(exc), str(exc)


_json = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=3)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=3), inner)
    ),
    max_leaves=6,
)
# Arrays of one item most of all: the shape the one-item fast path takes.
_value = st.one_of(
    _json,
    st.lists(st.one_of(st.dictionaries(st.text(max_size=2), _json), _json), max_size=3),
    st.builds(lambda item: [item], st.one_of(st.dictionaries(st.text(), _json), _json)),
)
_path = st.lists(st.one_of(st.text(max_size=3), st.integers(0, 3)), max_size=3).map(
    tuple
)


@settings(max_examples=400, deadline=None)
@given(_value, _path)
def test_fast_field_reads_give_the_same_views_and_paths(value: Any, path: Any) -> None:
    for cls, name in [
        (ChatCompletionChunk, "choices"),
        (Choice, "delta"),
        (LogprobsToken, "top_logprobs"),
    ]:
        view = cls({name: value}, path)
        field = vars(cls)[name]
        fast = outcome(field.__get__, view, cls)
        plain = outcome(Field.__get__, field, view, cls)
        assert fast == plain


def test_a_one_choice_chunk_reads_its_choice_with_the_path_of_the_loop() -> None:
    chunk = ChatCompletionChunk({"choices": [{"index": 0, "delta": {"content": 1}}]})
    (choice,) = chunk.choices
    assert choice._path == ("choices", 0)
    assert choice.delta._path == ("choices", 0, "delta")
    with pytest.raises(sse_core.endpoints.ChunkTypeError) as caught:
        _ = choice.delta.content
    assert "choices[0].delta.content" in str(caught.value)


@pytest.mark.parametrize("name", stream_names())
def test_decoded_chunks_equal_the_class_applied_to_each_object(name: str) -> None:
    cls = lookup(endpoint_of(name)).chunk_class
    fast = [shape(chunk) for chunk in decode_bytes(endpoint_of(name), [read(name)])]
    plain = []
    for event in iter_events([read(name)]):
        if event.data.startswith("[DONE]"):
            break
        if event.event == "message" and event.data.strip():
            plain.append(shape(cls(json.loads(event.data))))
    assert fast == plain


def test_only_question_chunks_keep_their_own_constructor() -> None:
    # The decoder's inline construction is for View.__init__ alone; a wrapped
    # question chunk still goes through QuestionChunk.__init__.
    (chunk,) = decode_bytes("graphs.question", [b'data: {"data": {"answer": "a"}}\n\n'])
    assert chunk.wrapped
    assert chunk.answer == "a"
    assert chunk._path == ("data",)


def _by_next(name: str) -> list[Any]:
    done = object()
    with stream_events(endpoint_of(name), [read(name)]) as stream:
        events = list(iter(lambda: next(stream, done), done))
        return [events, stream.final()]


def _by_for(name: str) -> list[Any]:
    with stream_events(endpoint_of(name), [read(name)]) as stream:
        return [list(stream), stream.final()]


async def _by_anext(name: str) -> list[Any]:
    async def source() -> Any:
        yield read(name)

    async def anext_or_done(stream: Any) -> Any:
        # __anext__ itself, not the generator __aiter__ returns.
        try:
            return await stream.__anext__()
        except StopAsyncIteration:
            return done

    done = object()
    events = []
    async with astream_events(endpoint_of(name), source()) as stream:
        event = await anext_or_done(stream)
        while event is not done:
            events.append(event)
            event = await anext_or_done(stream)
        return [events, await stream.final()]


async def _by_async_for(name: str) -> list[Any]:
    async def source() -> Any:
        yield read(name)

    async with astream_events(endpoint_of(name), source()) as stream:
        return [[event async for event in stream], await stream.final()]


@pytest.mark.parametrize("name", stream_names())
def test_a_for_loop_sees_what_next_sees(name: str) -> None:
    assert _by_for(name) == _by_next(name)
    assert asyncio.run(_by_async_for(name)) == asyncio.run(_by_anext(name))
    assert _by_for(name) == asyncio.run(_by_async_for(name))


def test_a_for_loop_after_next_continues_where_next_stopped() -> None:
    name = "chat_writer.sse"
    everything = _by_for(name)[0]
    with stream_events("chat", [read(name)]) as stream:
        first = next(stream)
        rest = list(stream)
    assert [first, *rest] == everything
