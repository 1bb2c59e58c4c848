"""The endpoint layer's bounds: what one event, or one stream's merge, may cost.

The core parser bounds the bytes of an event (32 Mi characters by default).
Decoding that much JSON costs far more memory than its text: ``json.loads``
turns each ``{}`` of three bytes into a dict of about 64 bytes, so an event
of empty objects amplifies about 25 times. The endpoint layer therefore
bounds each event's JSON text, and the number of items it keeps a state for
per stream, and raises :class:`~sse_core.endpoints.EndpointLimitError` at once
when one is crossed.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["DEFAULT_LIMITS", "Limits"]


class Limits(NamedTuple):
    """The endpoint layer's bounds (pass a modified copy to raise one).

    ``Limits(max_payload_size=64 * 1024 * 1024)`` or
    ``DEFAULT_LIMITS._replace(max_choices=512)``.
    """

    max_payload_size: int = 4 * 1024 * 1024
    """Characters of one event's data decoded as JSON. Checked before
    ``json.loads``, so the decoded JSON of one event holds at most about
    25 times this many bytes (100 MiB by default, in the worst case of a
    payload made of empty objects; a real chunk holds 2 to 5 times)."""
    max_choices: int = 128
    """Distinct choice indexes in one chat stream (the API's ``n``)."""
    max_tool_calls: int = 128
    """Distinct tool call indexes in one choice of a chat stream."""


DEFAULT_LIMITS = Limits()
"""The limits used when none are given."""
