"""Printing a source line with a caret under a span, aligned in a terminal.

Spans count code points; a terminal counts cells.  A CJK character (East Asian Width
W or F) takes two cells, combining marks none, and a tab is printed as ``⇥`` (one
cell) so table rows stay visible and compact.  The caret line is built from the same
per-character widths as the printed line, so the two always agree.

Markers are chosen from characters every terminal draws one cell wide: East Asian
*Ambiguous* characters (``→``, ``…``) are two cells in many Chinese-locale terminals
and would push the caret off its column there.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

TAB = "\u21e5"  # ⇥, East Asian Width N: one cell everywhere
CUT = "..."  # marks a line cut to a window around the caret
CONTEXT = 60  # display columns kept on each side of the caret on long lines


def char_width(ch: str) -> int:
    """Terminal cells ``ch`` takes when printed as itself."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def render_char(ch: str) -> tuple[str, int]:
    """What is printed for ``ch`` and how many cells it takes."""
    if ch == "\t":
        return TAB, 1
    code = ord(ch)
    if code < 0x20:
        # Control pictures (␀…␟) show the character without moving the cursor.
        return chr(0x2400 + code), 1
    if code == 0x7F:
        return "\u2421", 1
    if 0x80 <= code < 0xA0:
        return "?", 1
    return ch, char_width(ch)


def display_width(text: str) -> int:
    """Terminal cells ``text`` takes as printed by :func:`render_line`."""
    return sum(render_char(ch)[1] for ch in text)


def render_line(text: str) -> str:
    """``text`` as printed under a finding (tabs and control characters made visible)."""
    return "".join(render_char(ch)[0] for ch in text)


@dataclass(frozen=True)
class Excerpt:
    """A printed source line and the caret line that goes under it."""

    source: str
    caret: str


def excerpt(text: str, col: int, end_col: int | None = None, *, context: int = CONTEXT) -> Excerpt:
    """The line ``text`` with a caret under code-point columns ``[col, end_col)``.

    Columns are 1-based, ``end_col`` exclusive (as in :class:`lint.model.Span`); a span
    past the end of the line puts a single caret just after the last character.  When
    the line is long, only ``context`` display columns either side of the caret are
    kept, and the cut ends are marked with ``...``.

    Only a bounded stretch of the line around the caret is measured, so the work per
    finding does not grow with the line (a 16 KB table row with a finding in every
    cell stays linear)."""
    n = len(text)
    start = min(max(col - 1, 0), n)
    stop = min(max((end_col if end_col is not None else col + 1) - 1, start), n)
    reach = 4 * context + len(CUT)  # code points; a character is at most two cells wide
    lo = max(0, start - reach)
    hi = min(n, min(stop, start + reach) + reach)
    if lo == 0 and hi == n:
        return _excerpt(text, start, stop, context, False, False)
    return _excerpt(text[lo:hi], start - lo, min(stop, hi) - lo, context, lo > 0, hi < n)


def _excerpt(text: str, start: int, stop: int, context: int, cut_before: bool, cut_after: bool) -> Excerpt:
    """:func:`excerpt` on code-point indices; ``cut_before``/``cut_after`` say the
    text given is a window of a longer line."""
    pieces = [render_char(ch) for ch in text]
    n = len(pieces)

    offsets = [0]
    for _, width in pieces:
        offsets.append(offsets[-1] + width)
    caret_from = offsets[start]
    caret_width = max(offsets[stop] - caret_from, 1)
    # A very long span keeps its first 2*context columns underlined, so the window
    # around it stays bounded too.
    caret_width = min(caret_width, 2 * context)
    caret_to = caret_from + caret_width

    first = 0
    if caret_from - offsets[0] > context + len(CUT):
        first = next(i for i in range(n + 1) if offsets[i] >= caret_from - context)
    last = n
    if offsets[n] - caret_to > context + len(CUT):
        last = max(i for i in range(n + 1) if offsets[i] <= caret_to + context)

    shown = "".join(p for p, _ in pieces[first:last])
    lead = ""
    if first > 0 or cut_before:
        lead = CUT
        shown = CUT + shown
    if last < n or cut_after:
        shown += CUT
    pad = len(lead) + caret_from - offsets[first]
    if last < n or cut_after:
        caret_width = min(caret_width, offsets[last] - caret_from) or 1
    return Excerpt(shown, " " * pad + "^" + "~" * (caret_width - 1))
