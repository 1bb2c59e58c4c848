"""An endpoint's stream as plain text, piece by piece.

Used by ``python -m sse_core --endpoint NAME``.

What is printed where:

* ``completions``: each chunk's ``value``;
* ``chat``: the content (or refusal) of choice 0 as it arrives. With
  ``n > 1`` the other choices cannot be printed live without interleaving
  them, so each follows at the end of the stream under a
  ``--- choice N ---`` line. Completed tool calls go to stderr;
* ``applications``: the content; the title and the stages (the agent's
  "thinking") go to stderr, labelled, so stdout is the document alone;
* ``graphs.question``: the answer;
* ``web_search``: the answer; each new source URL goes to stderr.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Callable, NamedTuple

from ._accumulate import ChatAccumulator
from ._chunks import ApplicationChunk, CompletionChunk, QuestionChunk, WebSearchChunk
from ._events import (
    ChatStreamEvent,
    ContentDeltaEvent,
    FunctionToolCallArgumentsDoneEvent,
    RefusalDeltaEvent,
)

__all__ = ["TextPiece", "render_text"]


class TextPiece(NamedTuple):
    """A piece of text to write, and where."""

    text: str
    stderr: bool = False
    """Write to stderr (labels, stages, tool calls) rather than stdout."""
    new_line: bool = False
    """Start on a new line of that stream."""


def render_text(endpoint: str, chunks: Iterable[Any]) -> Iterator[TextPiece]:
    """The text of an endpoint's chunks, as pieces to print as they come."""
    return _RENDERERS[endpoint](chunks)


def _completions(chunks: Iterable[CompletionChunk]) -> Iterator[TextPiece]:
    for chunk in chunks:
        if chunk.value:
            yield TextPiece(chunk.value)


def _chat(chunks: Iterable[Any]) -> Iterator[TextPiece]:
    accumulator = ChatAccumulator()
    for chunk in chunks:
        yield from _chat_pieces(accumulator.add(chunk))
    yield from _chat_pieces(accumulator.end())
    for choice in accumulator.result().choices:
        if choice.index == 0:
            continue
        yield TextPiece(f"--- choice {choice.index} ---\n", new_line=True)
        text = (choice.message.content or "") + (choice.message.refusal or "")
        if text:
            yield TextPiece(text)


def _chat_pieces(events: list[ChatStreamEvent]) -> Iterator[TextPiece]:
    for event in events:
        if isinstance(event, (ContentDeltaEvent, RefusalDeltaEvent)):
            if event.choice_index == 0:
                yield TextPiece(event.delta)
        elif isinstance(event, FunctionToolCallArgumentsDoneEvent):
            where = f" (choice {event.choice_index})" if event.choice_index else ""
            yield TextPiece(
                f"[tool call{where}] {event.name}({event.arguments})\n",
                stderr=True,
                new_line=True,
            )


def _applications(chunks: Iterable[ApplicationChunk]) -> Iterator[TextPiece]:
    section: object = None  # the labelled stderr section being written
    for chunk in chunks:
        delta = chunk.delta
        if delta.title:
            if section != "title":
                section = "title"
                yield TextPiece("[title] ", stderr=True, new_line=True)
            yield TextPiece(delta.title, stderr=True)
        for stage in delta.stages or ():
            if stage.content:
                if section != ("stage", stage.id):
                    section = ("stage", stage.id)
                    yield TextPiece(f"[stage {stage.id}] ", stderr=True, new_line=True)
                yield TextPiece(stage.content, stderr=True)
        if delta.content:
            yield TextPiece(delta.content)


def _question(chunks: Iterable[QuestionChunk]) -> Iterator[TextPiece]:
    for chunk in chunks:
        if chunk.answer:
            yield TextPiece(chunk.answer)


def _web_search(chunks: Iterable[WebSearchChunk]) -> Iterator[TextPiece]:
    seen: set[str] = set()
    for chunk in chunks:
        for source in chunk.sources or ():
            url = source.url
            if url and url not in seen:
                seen.add(url)
                yield TextPiece(f"[source] {url}\n", stderr=True, new_line=True)
        if chunk.answer:
            yield TextPiece(chunk.answer)


_RENDERERS: dict[str, Callable[[Iterable[Any]], Iterator[TextPiece]]] = {
    "completions": _completions,
    "chat": _chat,
    "applications": _applications,
    "graphs.question": _question,
    "web_search": _web_search,
}
