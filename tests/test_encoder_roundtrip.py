"""The encoder writes what the parser reads back, under any chunking.

For any sequence of events a parser can produce, with comments and keep-alives
between them, ``parse(encode(events)) == events`` whatever the transport's
chunk boundaries and line endings; and a value that could not round-trip is
refused with ``EncodeError``.
"""

from __future__ import annotations

from typing import Union

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sse_core import (
    MAX_RETRY,
    EncodeError,
    EventStreamEncoder,
    EventStreamParser,
    ServerSentEvent,
    SSEError,
    encode,
    encode_comment,
)

no_surrogates = {"blacklist_categories": ("Cs",)}
one_line = st.text(st.characters(blacklist_characters="\r\n", **no_surrogates))
event_types = one_line.filter(lambda name: name != "")
ids = st.text(st.characters(blacklist_characters="\r\n\0", **no_surrogates))
datas = st.text(st.characters(blacklist_characters="\r", **no_surrogates))
retries = st.one_of(st.none(), st.integers(0, MAX_RETRY))


@st.composite
def event_sequences(draw: st.DrawFn) -> list[ServerSentEvent]:
    """Events as a parser dispatches them: the id persists until changed."""
    events = []
    last_id = ""
    for _ in range(draw(st.integers(0, 8))):
        if draw(st.booleans()):
            last_id = draw(ids)
        events.append(
            ServerSentEvent(
                event=draw(event_types),
                data=draw(datas),
                id=last_id,
                retry=draw(retries),
            )
        )
    return events


class Comment(str):
    """A comment line between events (a keep-alive)."""


Item = Union[ServerSentEvent, Comment]


def encode_stream(items: list[Item]) -> bytes:
    encoder = EventStreamEncoder()
    return b"".join(
        encode_comment(item) if isinstance(item, Comment) else encoder.encode(item)
        for item in items
    )


def parse(data: bytes, cuts: list[int]) -> list[ServerSentEvent]:
    parser = EventStreamParser()
    events = []
    bounds = [0, *sorted(cut % (len(data) + 1) for cut in cuts), len(data)]
    for start, end in zip(bounds, bounds[1:]):
        events += parser.feed(data[start:end])
    events += parser.close()
    assert not parser.truncated
    return events


@given(
    events=event_sequences(),
    comments=st.lists(st.tuples(st.integers(0, 8), one_line), max_size=4),
    cuts=st.lists(st.integers(0, 10**6), max_size=12),
    line_ending=st.sampled_from([b"\n", b"\r\n", b"\r"]),
)
def test_parse_encode_is_identity_under_any_chunking(
    events: list[ServerSentEvent],
    comments: list[tuple[int, str]],
    cuts: list[int],
    line_ending: bytes,
) -> None:
    items: list[Item] = list(events)
    for position, text in comments:
        items.insert(min(position, len(items)), Comment(text))
    data = encode_stream(items).replace(b"\n", line_ending)
    assert parse(data, cuts) == events


@given(events=event_sequences())
def test_every_byte_split_gives_the_same_events(
    events: list[ServerSentEvent],
) -> None:
    data = encode_stream(list(events))
    parser = EventStreamParser()
    parsed = [
        event
        for byte in range(len(data))
        for event in parser.feed(data[byte : byte + 1])
    ]
    assert parsed == events


@given(start=ids, events=event_sequences())
def test_encoder_resuming_from_a_last_event_id(
    start: str, events: list[ServerSentEvent]
) -> None:
    # A server resuming after Last-Event-ID: the client's parser starts there.
    events = [event._replace(id=start) if not event.id else event for event in events]
    encoder = EventStreamEncoder(last_event_id=start)
    data = b"".join(encoder.encode(event) for event in events)
    parser = EventStreamParser(last_event_id=start)
    assert parser.feed(data) == events


@given(data=datas, event=event_types, id=ids, retry=retries, comment=one_line)
def test_encode_one_block(
    data: str, event: str, id: str, retry: int | None, comment: str
) -> None:
    parsed = EventStreamParser().feed(
        encode(data, event=event, id=id, retry=retry, comment=comment)
    )
    assert parsed == [ServerSentEvent(event, data, id, retry)]


def test_a_block_without_data_dispatches_nothing_but_sets_id_and_retry() -> None:
    parser = EventStreamParser()
    assert parser.feed(encode(id="7", retry=250)) == []
    assert (parser.last_event_id, parser.retry) == ("7", 250)
    assert parser.feed(encode("x")) == [ServerSentEvent(data="x", id="7")]
    assert parser.feed(encode(id="")) == []
    assert parser.last_event_id == ""


def with_one(bad: str, alphabet: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Text holding ``bad`` somewhere."""
    return st.tuples(alphabet, alphabet).map(lambda parts: parts[0] + bad + parts[1])


@given(bad=st.sampled_from(["\r", "\n", "\r\n"]), data=st.data())
def test_line_breaks_in_single_line_fields_are_refused(
    bad: str, data: st.DataObject
) -> None:
    value = data.draw(with_one(bad, one_line))
    for call in (
        lambda: encode("x", event=value),
        lambda: encode("x", id=value),
        lambda: encode("x", comment=value),
        lambda: encode_comment(value),
    ):
        with pytest.raises(EncodeError, match="CR or LF"):
            call()


@given(value=with_one("\0", ids))
def test_nul_in_an_id_is_refused(value: str) -> None:
    # The parser ignores an id with NUL (9.2.6): it could not round-trip.
    with pytest.raises(EncodeError, match="U\\+0000"):
        encode("x", id=value)


@given(value=with_one("\r", datas))
def test_cr_in_data_is_refused(value: str) -> None:
    # The parser would read CR back as LF.
    with pytest.raises(EncodeError, match="CR"):
        encode(value)
    with pytest.raises(EncodeError):
        EventStreamEncoder().encode(ServerSentEvent(data=value))


@pytest.mark.parametrize("retry", [-1, 1.5, True, "10"])
def test_invalid_retry_is_refused(retry: object) -> None:
    with pytest.raises(EncodeError, match="retry"):
        encode("x", retry=retry)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "call",
    [
        lambda: encode("\ud800"),
        lambda: encode("x", event="\udfff"),
        lambda: encode("x", id="a\ud83d"),
        lambda: encode_comment("\ud800"),
    ],
)
def test_lone_surrogates_are_refused(call) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(EncodeError, match="UTF-8"):
        call()


def test_encode_error_is_a_value_error_and_an_sse_error() -> None:
    assert issubclass(EncodeError, ValueError)
    assert issubclass(EncodeError, SSEError)
