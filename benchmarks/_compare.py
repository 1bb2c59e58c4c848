"""Compare a parser's events with sse_core's and describe every difference.

sse_core is the reference because the conformance suite pins it to the
standard; the spec probes (:mod:`benchmarks._probes`) check sse_core too.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from ._peers import Event

__all__ = ["describe_differences"]

_FIELDS = ("event", "data", "id", "retry")
_EXAMPLE_WIDTH = 70


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= _EXAMPLE_WIDTH else text[: _EXAMPLE_WIDTH - 3] + "..."


def _event_text(event: Event) -> str:
    event_type, data, event_id, retry = event
    parts = [f"event={_short(event_type)}", f"data={_short(data)}"]
    if event_id:
        parts.append(f"id={_short(event_id)}")
    if retry is not None:
        parts.append(f"retry={retry!r}")
    return "(" + ", ".join(parts) + ")"


def describe_differences(
    expected: Sequence[Event], got: Sequence[Event], fields: Sequence[str] = _FIELDS
) -> list[str]:
    """One line per kind of difference, with a count and the first example.

    Events are aligned on (event type, data); for aligned events the other
    ``fields`` are compared one by one. An empty list means the same events.
    """
    if list(expected) == list(got):
        return []
    keys_expected = [event[:2] for event in expected]
    keys_got = [event[:2] for event in got]
    matcher = difflib.SequenceMatcher(None, keys_expected, keys_got, autojunk=False)
    missing: list[int] = []
    extra: list[int] = []
    changed: list[tuple[int, int]] = []
    aligned: list[tuple[int, int]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            aligned.extend(zip(range(i1, i2), range(j1, j2)))
        elif tag == "delete":
            missing.extend(range(i1, i2))
        elif tag == "insert":
            extra.extend(range(j1, j2))
        else:
            pairs = min(i2 - i1, j2 - j1)
            changed.extend(zip(range(i1, i1 + pairs), range(j1, j1 + pairs)))
            missing.extend(range(i1 + pairs, i2))
            extra.extend(range(j1 + pairs, j2))
    lines = []
    if missing:
        first = missing[0]
        lines.append(
            f"{len(missing)} event(s) missing, first #{first}: "
            + _event_text(expected[first])
        )
    if extra:
        first = extra[0]
        lines.append(
            f"{len(extra)} extra event(s) sse_core does not dispatch, first "
            f"(peer's #{first}): {_event_text(got[first])}"
        )
    if changed:
        i, j = changed[0]
        lines.append(
            f"{len(changed)} event(s) with other type/data, first #{i}: "
            f"expected {_event_text(expected[i])}, got {_event_text(got[j])}"
        )
    for index in range(2, len(_FIELDS)):
        field = _FIELDS[index]
        if field not in fields:
            continue
        differing = [(i, j) for i, j in aligned if expected[i][index] != got[j][index]]
        if differing:
            i, j = differing[0]
            lines.append(
                f"{field} differs on {len(differing)} event(s), first #{i}: "
                f"expected {_short(expected[i][index])}, got {_short(got[j][index])}"
            )
    return lines
