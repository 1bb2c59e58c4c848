"""Any endpoint's stream as plain text, piece by piece, from its events.

Used by ``python -m sse_core --endpoint NAME``. It reads the events
:func:`~sse_core.endpoints.stream_events` yields, the same for every
endpoint, so it knows no endpoint by name:

* ``content.delta`` (and chat's ``refusal.delta``) go to stdout as they
  arrive. With chat's ``n > 1``, only choice 0 can be printed live without
  interleaving the choices: each other choice follows at the end of the
  stream under a ``--- choice N ---`` line;
* what is not the text goes to stderr, labelled, so that stdout is the text
  alone: completed tool calls, an application's title and stages (the
  agent's "thinking"), each new web search source.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

__all__ = ["TextPiece", "render_events"]


class TextPiece(NamedTuple):
    """A piece of text to write, and where."""

    text: str
    stderr: bool = False
    """Write to stderr (labels, stages, tool calls) rather than stdout."""
    new_line: bool = False
    """Start on a new line of that stream."""


def render_events(events: Iterable[Any]) -> Iterator[TextPiece]:
    """The text of a stream's events, as pieces to print as they come."""
    section: object = None  # the labelled stderr section being written
    later: dict[int, tuple[list[str], list[str]]] = {}  # choices after 0
    for event in events:
        kind = event.type
        if kind in {"content.delta", "refusal.delta"}:
            index = event.choice_index
            if index == 0:
                yield TextPiece(event.delta)
            else:
                content, refusal = later.setdefault(index, ([], []))
                (refusal if kind == "refusal.delta" else content).append(event.delta)
        elif kind == "title.delta":
            if section != "title":
                section = "title"
                yield TextPiece("[title] ", stderr=True, new_line=True)
            yield TextPiece(event.delta, stderr=True)
        elif kind == "stage.delta":
            if section != ("stage", event.stage_id):
                section = ("stage", event.stage_id)
                label = f"[stage {event.stage_id}] "
                yield TextPiece(label, stderr=True, new_line=True)
            yield TextPiece(event.delta, stderr=True)
        elif kind == "tool_calls.function.arguments.done":
            index = event.choice_index
            where = f" (choice {index})" if index else ""
            call = f"[tool call{where}] {event.name}({event.arguments})\n"
            yield TextPiece(call, stderr=True, new_line=True)
        elif kind == "search.source" and event.url:
            yield TextPiece(f"[source] {event.url}\n", stderr=True, new_line=True)
    for index in sorted(later):
        yield TextPiece(f"--- choice {index} ---\n", new_line=True)
        content, refusal = later[index]
        text = "".join(content) + "".join(refusal)
        if text:
            yield TextPiece(text)
