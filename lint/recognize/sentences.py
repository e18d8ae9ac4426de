"""The narrative of a filing as sentences that keep their source positions.

Exports break sentences across lines: at the page width, at page breaks (a blank
line between the halves), even inside a number.  Consecutive prose lines are joined
into one paragraph when the earlier line does not end a sentence and neither line is
a heading; every character of the joined text keeps the (line, column) it came from,
so a claim read from the joined text still points at the exact source.

The working text ("compact" text) has whitespace removed and full-width digits folded
to ASCII: ``支 出决算为 9.35 万元`` reads as ``支出决算为9.35万元``.  Full-width
punctuation (``，；：``) is kept as it is: a full-width comma between digits is a list
separator in prose, never a decimal comma.

Definitions (the 名词解释 part, ``…：指…``) and table notes (``注：``, ``备注``) state
no facts about the filing and are left out.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from itertools import accumulate
from operator import lt
from collections.abc import Sequence
from typing import Iterator, NamedTuple

from ..model import BlockKind, Document, Span

# Digits, decimal point and percent sign in full width; the comma is deliberately absent.
_FULL_WIDTH = "０１２３４５６７８９．％－＋"
_WIDTH = str.maketrans(_FULL_WIDTH, "0123456789.%-+")
_HAS_FULL_WIDTH = re.compile(f"[{re.escape(_FULL_WIDTH)}]")
# What compact text leaves out: whitespace and the invisible marks exports carry.
_SPACE = re.compile(r"[\s\u3000\xa0\u200b\ufeff]")
_NON_SPACE_RUN = re.compile(r"[^\s\u3000\xa0\u200b\ufeff]+")
_WHITESPACE = re.compile(r"\s")  # whitespace proper, as printed text may hold between characters

SENTENCE_END = "。！？!?"
LINE_END = SENTENCE_END + "；;"
CLAUSE_PUNCT = "，,；;：:、。！？!?"
# A sentence ends at its punctuation and keeps the closing quotes/brackets after it.
_SENTENCE_BREAK = re.compile(f"[{SENTENCE_END}][”’」』）)]*")

_CN_NUM = "一二三四五六七八九十百零〇两"
# Heading markers, most to least significant; the index is the heading level.
_MARKERS: tuple[re.Pattern, ...] = (
    re.compile(rf"^第[{_CN_NUM}\d]+部分"),
    re.compile(rf"^[{_CN_NUM}]+[、.．]"),
    re.compile(rf"^[（(][{_CN_NUM}]+[）)]"),
    re.compile(r"^\d{1,2}(?:[、．]|\.(?!\d))"),
    re.compile(r"^[（(]\d{1,2}[）)]|^\d{1,2}[）)]"),
    re.compile(r"^[①-⑳]"),
)
_BULLET = re.compile(r"^[-•·*]\s*")
_TITLE_SUFFIX = re.compile(r"(?:表|情况|说明|报告|解释|附件|附\s*件|部分|分析|措施|目录|概况|其他)$")
_NOTE = re.compile(r"^(?:注|备注)\s*\d*\s*[:：]|^注\s*\d+[.、．]")
_GLOSSARY = re.compile(r"名词解释")
# A page number on a line of its own ("7", "- 14 -", "—3—", "第 2 页"): a page break, not text.
_PAGE_NUMBER = re.compile(r"^[-—–－\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*/\s*\d{1,4})?[-—–－\s]*$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_DEFINITION = re.compile(r"[:：]\s*指|是指")
_PART = _MARKERS[0]


@lru_cache(maxsize=1 << 16)  # pure, and called for the same names over and over
def compact(text: str) -> str:
    """``text`` without whitespace and with full-width digits folded (for matching names)."""
    return _fold_width(_SPACE.sub("", text))


def _fold_width(text: str) -> str:
    # Translating is slow on CJK text, and few lines hold a full-width digit.
    return text.translate(_WIDTH) if _HAS_FULL_WIDTH.search(text) else text


def _strip_bullet(text: str) -> str:
    return _BULLET.sub("", text.strip())


@lru_cache(maxsize=1 << 14)  # pure; paragraphs and sections ask about every line, some twice
def heading_level(text: str) -> int | None:
    """The level of a heading line (0 = 第X部分, 1 = 一、, 2 = （一）, 3 = 1、, 4 = （1）,
    5 = ①), or ``None`` for a line of prose.  A numbered line that goes on into a sentence
    (it has a comma) is a paragraph, not a heading."""
    t = compact(_strip_bullet(text))
    if not t:
        return None
    for level, marker in enumerate(_MARKERS):
        m = marker.match(t)
        if m:
            rest = t[m.end():]
            if level == 0:
                return 0
            # "（一）人员经费 4,704.35 万元" is a heading: a thousands separator is no comma.
            if re.search(r"[，,；;]", _THOUSANDS.sub("", rest)) or len(rest) > 60:
                return None
            return level
    return None


@lru_cache(maxsize=1 << 14)  # pure, as above
def is_title(text: str) -> bool:
    """A short line without any punctuation (``部门决算表``, ``2020年度``): a title
    that never runs on into the following line."""
    t = compact(_strip_bullet(text))
    if not t or re.search(r"[，。；：,;:！？!?]", t) or not _CJK.search(t):
        return False  # "2025.1.1-2025.12.31" or a page number names nothing
    return len(t) <= 24 or bool(_TITLE_SUFFIX.search(t))


def is_page_number(text: str) -> bool:
    """A line that only numbers the page (``7``, ``- 14 -``, ``第 2 页``)."""
    return bool(_PAGE_NUMBER.match(text)) and bool(text.strip())


def is_heading(text: str) -> bool:
    return heading_level(text) is not None or is_title(text)


class Positions(Sequence):
    """The (line, col) of each character of a compact text, stored as runs.

    A paragraph's characters come in runs printed side by side on one line; keeping
    each run's first character (not one tuple per character) makes joining the
    narrative cheap.  Indexing and slicing behave as on a list of (line, col) tuples;
    a slice is a view of the same runs."""

    __slots__ = ("_starts", "_lines", "_cols", "_offset", "_length")

    def __init__(self, starts: list[int], lines: list[int], cols: list[int], offset: int, length: int):
        self._starts, self._lines, self._cols = starts, lines, cols  # per run: text offset, line, col
        self._offset, self._length = offset, length

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, i):
        if isinstance(i, slice):
            start, stop, step = i.indices(self._length)
            if step != 1:
                return list(self)[i]
            return Positions(self._starts, self._lines, self._cols, self._offset + start, max(0, stop - start))
        if i < 0:
            i += self._length
        if not 0 <= i < self._length:
            raise IndexError("position index out of range")
        k = self._offset + i
        run = bisect_right(self._starts, k) - 1
        return self._lines[run], self._cols[run] + k - self._starts[run]

    def __iter__(self):
        for i in range(self._length):
            yield self[i]

    def __eq__(self, other) -> bool:
        if isinstance(other, (Positions, list, tuple)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    def __repr__(self) -> str:
        return f"Positions({list(self)!r})"


class Sentence:
    """One sentence of the narrative: its compact text and where each character came from.

    A paragraph's sentences are made with their text only: ``positions`` and
    ``original`` are read from the paragraph on first use, and ``source`` (the sentence
    as printed) is found for all the sentences of the paragraph at once and in order.
    Most sentences state no number and are never quoted."""

    __slots__ = ("text", "_positions", "paragraph", "index", "_source", "_original", "_sources", "_start")

    def __init__(self, text: str, positions: Sequence[tuple[int, int]] | None, paragraph: int, index: int,
                 source: str = "", original: str | None = "", *, sources: "_Sources | None" = None,
                 start: int = 0):
        self.text = text  # compact text
        self._positions = positions  # (line, col) of each character of ``text``; None: not read yet
        self.paragraph = paragraph  # index of the paragraph in document order
        self.index = index  # index of the sentence within its paragraph
        self._source = source if sources is None else None
        self._original = original  # ``text`` with the characters as printed (full-width digits kept)
        self._sources = sources  # the sentences of the paragraph, when made by Paragraph.sentences
        self._start = start  # where ``text`` starts in the paragraph's text (with ``sources``)

    @property
    def positions(self) -> Sequence[tuple[int, int]]:
        """The (line, col) of each character of ``text``."""
        if self._positions is None:
            p = self._sources.paragraph
            if p._pending or p._chars is None:
                p._cut()
            self._positions = Positions(p._starts, p._lines, p._cols, self._start, len(self.text))
        return self._positions

    @positions.setter
    def positions(self, value: Sequence[tuple[int, int]]) -> None:
        self._positions = value

    @property
    def original(self) -> str:
        """``text`` with the characters as printed (full-width digits kept)."""
        if self._original is None:
            self._original = self._sources.original(self._start, self._start + len(self.text))
        return self._original

    @original.setter
    def original(self, value: str) -> None:
        self._original = value

    @property
    def source(self) -> str:
        """The sentence as printed (lines joined, outer spaces trimmed)."""
        if self._source is None:
            self._sources.fill()
        return self._source

    @source.setter
    def source(self, value: str) -> None:
        self._source = value

    def __repr__(self) -> str:
        return (f"Sentence(text={self.text!r}, positions={self.positions!r}, paragraph={self.paragraph!r}, "
                f"index={self.index!r}, source={self.source!r}, original={self.original!r})")

    def __eq__(self, other) -> bool:
        if not isinstance(other, Sentence):
            return NotImplemented
        return (self.text, self.paragraph, self.index, self.source, self.original) == \
            (other.text, other.paragraph, other.index, other.source, other.original) \
            and self.positions == other.positions

    __hash__ = None  # mutable, as the dataclass it was

    def span(self, start: int, end: int) -> Span:
        """The source span of ``text[start:end]`` (end exclusive)."""
        n = len(self.text)
        # Clamped into the text as max(0, min(start, n - 1)) and max(start + 1, min(end, n)),
        # written out: claims ask for several spans each.
        if start >= n:
            start = n - 1
        if start < 0:
            start = 0
        if end > n:
            end = n
        if end <= start:
            end = start + 1
        positions = self.positions if self._positions is None else self._positions
        if type(positions) is Positions and end <= positions._length:
            # Claims ask for a few spans each: read the runs here, not two tuples.
            starts, lines, cols = positions._starts, positions._lines, positions._cols
            k = positions._offset + start
            run = bisect_right(starts, k) - 1
            line, col = lines[run], cols[run] + k - starts[run]
            k = positions._offset + end - 1
            run = bisect_right(starts, k) - 1
            return Span(line, col, lines[run], cols[run] + k - starts[run] + 1)
        line, col = positions[start]
        end_line, end_col = positions[end - 1]
        return Span(line, col, end_line, end_col + 1)

    @property
    def whole_span(self) -> Span:
        return self.span(0, len(self.text))

    @property
    def line(self) -> int:
        return self.positions[0][0] if self.positions else 0


class _Sources:
    """The printed form of each sentence of a paragraph, found in order when the first
    one is asked for (the search for each starts where the previous one was found)."""

    __slots__ = ("paragraph", "sentences", "_original")

    def __init__(self, paragraph: "Paragraph"):
        self.paragraph = paragraph
        self.sentences: list[Sentence] = []
        self._original: str | None = None  # the paragraph's text as printed

    def original(self, start: int, end: int) -> str:
        """The printed form of the paragraph's ``text[start:end]``."""
        if self._original is None:
            self._original = "".join(self.paragraph.original)
        return self._original[start:end]

    def texts(self) -> list[str]:
        return [s.text for s in self.sentences]

    def fill(self) -> None:
        p = self.paragraph
        if p._pending or p._chars is None:
            p._cut()
        joined = "".join(p.raw)
        starts = list(accumulate(map(len, p.raw), initial=0))  # of each line in ``joined``
        lines = p.lines
        if self._fill_directly(joined, starts):
            return
        printed = _Printed(joined)
        at = p.positions
        for s in self.sentences:
            # The printed form is looked for in the source lines the sentence spans.
            first = bisect_left(lines, at[s._start][0])
            last = bisect_right(lines, at[s._start + len(s.text) - 1][0])
            s._source = printed.display(s.text, starts[first], starts[last])

    def _fill_directly(self, joined: str, starts: list[int]) -> bool:
        """Cut each printed form out of ``joined`` at its characters' columns, when that
        is provably what searching it as above finds (``False`` otherwise): the compact
        text is ``joined`` without its whitespace (no invisible marks, which compact text
        leaves out but ``_Printed`` keeps); the source lines come in order, once each
        (so each search range holds its sentence); and no sentence is cut to the first
        400 characters (so each search starts right where its sentence does)."""
        p = self.paragraph
        lines = p.lines
        if "\u200b" in joined or "\ufeff" in joined or len(p.text) > 400 and max(map(len, self.texts())) > 400 \
                or not all(map(lt, lines, lines[1:])):
            return False
        # Where each line's first character is in ``joined``, less its column: a line's
        # printed form is the line without the whitespace around it.
        first_col: dict[int, int] = {}
        for line, col in zip(p._lines, p._cols):
            first_col.setdefault(line, col)
        shift = {line: starts[i] - first_col[line] for i, line in enumerate(lines)}
        at = p.positions
        for s in self.sentences:
            line, col = at[s._start]
            end_line, end_col = at[s._start + len(s.text) - 1]
            s._source = joined[shift[line] + col:shift[end_line] + end_col + 1]
        return True


class Paragraph:
    """Consecutive prose lines joined into one run of text.

    Its characters' positions are kept as runs (see :class:`Positions`), cut from the
    lines only when a position, a sentence or the pieces are asked for: most
    paragraphs are only ever read as text."""

    __slots__ = ("index", "lines", "raw", "_compact", "_pending", "_chars", "_original",
                 "_starts", "_lines", "_cols", "_length", "_text", "_sentences")

    def __init__(self, index: int):
        self.index = index
        self.lines: list[int] = []
        self.raw: list[str] = []  # source lines (trimmed) for display
        self._compact: list[str] = []  # each line's compact text
        self._pending: list[tuple[int, str]] = []  # (line, text) not cut into runs yet
        # Made by _cut: the compact text in pieces, the same pieces as printed, and per
        # piece its offset in the compact text, its line and first column.
        self._chars: list[str] = None  # type: ignore[assignment]
        self._original: list[str] = None  # type: ignore[assignment]
        self._starts: list[int] = None  # type: ignore[assignment]
        self._lines: list[int] = None  # type: ignore[assignment]
        self._cols: list[int] = None  # type: ignore[assignment]
        self._length = 0
        self._text: str | None = None  # ``text``, joined once
        self._sentences: tuple | None = None  # ``sentences()``, split once

    def __repr__(self) -> str:
        return (f"Paragraph(index={self.index!r}, lines={self.lines!r}, chars={self.chars!r}, "
                f"original={self.original!r}, raw={self.raw!r})")

    def add_line(self, line: int, text: str, compact_text: str | None = None) -> None:
        """Append source line ``line`` (``text``; ``compact_text`` is ``compact(text)``
        when the caller has it)."""
        self._text = None
        self._sentences = None
        self.lines.append(line)
        self.raw.append(text.strip())
        self._compact.append(compact(text) if compact_text is None else compact_text)
        self._pending.append((line, text))

    def _cut(self) -> None:
        """Cut the lines added since the last call into runs."""
        if self._chars is None:
            self._chars, self._original, self._starts, self._lines, self._cols = [], [], [], [], []
        for line, text in self._pending:
            folded = _fold_width(text)
            if "\u200b" in folded or "\ufeff" in folded:
                runs = [(m.start(), m.group()) for m in _NON_SPACE_RUN.finditer(folded)]
            else:
                # str.split() splits at exactly the whitespace of \s, and is much faster
                # than the regex; each piece is found where the previous one ended.
                runs, at = [], 0
                for piece in folded.split():
                    at = folded.find(piece, at)
                    runs.append((at, piece))
                    at += len(piece)
            for start, piece in runs:
                end = start + len(piece)
                self._chars.append(piece)
                self._original.append(text[start:end])
                self._starts.append(self._length)
                self._lines.append(line)
                self._cols.append(start + 1)
                self._length += end - start
        self._pending.clear()

    @property
    def chars(self) -> list[str]:
        """The compact text, in pieces (one per run)."""
        if self._pending or self._chars is None:
            self._cut()
        return self._chars

    @property
    def original(self) -> list[str]:
        """The pieces of :attr:`chars` as printed (full-width digits kept)."""
        if self._pending or self._chars is None:
            self._cut()
        return self._original

    @property
    def positions(self) -> Positions:
        """The (line, col) of each character of :attr:`text`."""
        if self._pending or self._chars is None:
            self._cut()
        return Positions(self._starts, self._lines, self._cols, 0, self._length)

    @property
    def text(self) -> str:
        # Read for every sentence, claim and rule: joined once, not on every access.
        if self._text is None:
            # Each line's compact text is its pieces joined: the same text, without
            # cutting the runs.
            self._text = "".join(self._compact)
        return self._text

    def sentences(self) -> list[Sentence]:
        """The paragraph's sentences, split once (claims and rules both read them);
        callers get a new list of the same sentences and must not change them."""
        if self._sentences is None:
            self._sentences = tuple(self._split())
        return list(self._sentences)

    def _split(self) -> list[Sentence]:
        text, index = self.text, self.index
        sources = _Sources(self)
        out = sources.sentences
        # Only full-width digits and signs are folded in compact text, and those are
        # never whitespace: a paragraph without any is printed as its compact text.  The
        # printed lines without their whitespace are that text when nothing was folded
        # (str.split is much faster than the regex; invisible marks make them differ).
        as_printed = "".join("".join(self.raw).split()) == text or not any(map(_HAS_FULL_WIDTH.search, self.raw))
        start = 0
        for m in _SENTENCE_BREAK.finditer(text):
            end = m.end()
            if end > start:
                t = text[start:end]
                out.append(Sentence(t, None, index, len(out), "", t if as_printed else None, sources=sources,
                                    start=start))
            start = end
        if start < len(text):
            t = text[start:]
            out.append(Sentence(t, None, index, len(out), "", t if as_printed else None, sources=sources, start=start))
        return out


class _Printed:
    """Printed text with its whitespace set aside, to find compact text in it.

    Sentences are looked up in order, so each search starts where the previous one was
    found (``cursor``): a paragraph printed as one enormous line is scanned once, not
    once per sentence."""

    def __init__(self, text: str):
        self.text = text
        self.folded = _fold_width(text)
        self.blanks = [m.start() for m in _WHITESPACE.finditer(self.folded)]
        # blanks[j] - j never decreases: bisect it to map a dense index back.
        self._shifted = [b - j for j, b in enumerate(self.blanks)]
        self.dense = _WHITESPACE.sub("", self.folded)
        self.cursor = 0  # printed index where the last sentence found ends

    def _dense_index(self, i: int) -> int:
        return i - bisect_left(self.blanks, i)

    def _printed_index(self, k: int) -> int:
        return k + bisect_right(self._shifted, k)

    def display(self, sentence: str, lo: int = 0, hi: int | None = None) -> str:
        """The printed form of ``sentence`` inside ``text[lo:hi]`` (spaces kept), or the
        compact text when it cannot be located."""
        hi = len(self.text) if hi is None else hi
        if not sentence:
            return ""
        probe = sentence[:400]
        found = self._find(probe, max(lo, min(self.cursor, hi)), hi)
        if found is None and self.cursor > lo:
            found = self._find(probe, lo, hi)  # out of order: search the whole range again
        if found is None:
            return sentence
        start, end = found
        self.cursor = end
        return self.text[start:end]

    def _find(self, probe: str, lo: int, hi: int) -> tuple[int, int] | None:
        if _WHITESPACE.search(probe):
            pattern = re.compile(r"\s*".join(re.escape(ch) for ch in probe))
            m = pattern.search(self.folded, lo, hi)
            return (m.start(), m.end()) if m else None
        # Without whitespace in the probe, "its characters with any whitespace between
        # them" is a plain substring of the text with the whitespace taken out.
        at = self.dense.find(probe, self._dense_index(lo), self._dense_index(hi))
        if at < 0:
            return None
        return self._printed_index(at), self._printed_index(at + len(probe) - 1) + 1


def compact_to_display(joined: str, sentence: str) -> str:
    """The printed form of ``sentence`` inside ``joined`` (spaces kept), or the compact
    text when it cannot be located."""
    return _Printed(joined).display(sentence)


def paragraphs(document: Document) -> list[Paragraph]:
    """The narrative of ``document`` as paragraphs, definitions and table notes left out.

    Computed once per document (claims and rules both read them); callers get a new
    list of the same paragraphs and must not change them."""
    cached = document.__dict__.get("_paragraphs")
    if cached is not None and cached[0] == len(document.blocks):
        return list(cached[1])
    out: list[Paragraph] = []
    notes: set[int] = set()
    current: Paragraph | None = None
    previous: _Line | None = None  # the line before, while it may run on
    in_glossary = False
    for block in document.blocks:
        if block.kind is not BlockKind.TEXT:
            current, previous = None, None
            continue
        text = block.text
        line = _read_line(text)
        if line is None:
            continue  # a sentence broken by a page break goes on after the page number
        if in_glossary:
            if _ends_glossary(text, line.level):
                in_glossary = False
            else:
                continue
        if line.glossary:
            in_glossary = True
            current, previous = None, None
            continue
        joins = current is not None and previous is not None and (
            # A sentence broken at a number: "本年收入合计" / "236.84 万元", "23" / "6.84 万元";
            # no sentence starts with an amount: the subject is on the line before.
            line.amount_first and previous.compact_open
            or previous.ends_number and line.number_next
            or (previous.prose and line.prose and previous.open_end
                # "……如下：" / "1、……": a list's first item starts its own paragraph
                and not (previous.lead_in and _starts_item(text))))
        if not joins:
            current = Paragraph(len(out))
            out.append(current)
            if line.note:
                notes.add(current.index)
        current.add_line(block.line, text, line.compact)
        previous = line
    kept = [p for p in out if p.index not in notes]
    for i, p in enumerate(kept):
        p.index = i
    document.__dict__["_paragraphs"] = (len(document.blocks), tuple(kept))
    return kept


def _starts_item(text: str) -> bool:
    t = compact(_strip_bullet(text))
    return any(m.match(t) for m in _MARKERS[1:])


_AMOUNT_FIRST = re.compile(r"[\d.．]+(?:万元|亿元|元|[%％])")
_UNIT_FIRST = re.compile(r"[%％]|万元|元|亿元")
_NUMBER_FIRST = re.compile(r"[\d.．]")  # a digit or a point


class _Line(NamedTuple):
    """What paragraphs() asks about a line of prose, read once per text (pure)."""

    compact: str  # compact(text)
    level: int | None  # heading_level(text)
    prose: bool  # neither a heading nor a title
    open_end: bool  # its last printed character ends no sentence or line ("；")
    lead_in: bool  # its last printed character is a colon ("……如下：")
    compact_open: bool  # the same as open_end, of its compact text
    ends_number: bool  # its compact text ends in a digit or a point ("23")
    amount_first: bool  # it starts with an amount ("236.84 万元")
    number_next: bool  # it starts with a unit ("万元") or, being prose, a digit or point
    glossary: bool  # the heading of a 名词解释 part
    note: bool  # a table note ("注：")


@lru_cache(maxsize=1 << 14)  # pure; the same questions as heading_level's, asked once
def _read_line(text: str) -> _Line | None:
    """``text`` as a :class:`_Line`, or ``None`` for a blank line or a page number."""
    stripped = compact(text)
    if not stripped or is_page_number(text):
        return None
    level = heading_level(text)
    title = level is None and is_title(text)
    prose = level is None and not title
    last, compact_last = text.rstrip()[-1:], stripped[-1:]
    return _Line(
        stripped, level, prose, last not in LINE_END, last in "：:", compact_last not in LINE_END,
        # (compact text holds no newline for a "$" to stop before)
        bool(_NUMBER_FIRST.match(compact_last)), bool(_AMOUNT_FIRST.match(stripped)),
        # "附件 1" / "2020 年度……自评表" are two titles, not one number.
        bool(_UNIT_FIRST.match(stripped)) or (prose and bool(_NUMBER_FIRST.match(stripped))),
        not prose and bool(_GLOSSARY.search(stripped)) and len(stripped) <= 20,
        bool(_NOTE.match(stripped)))


def _ends_glossary(text: str, level: int | None) -> bool:
    t = compact(_strip_bullet(text))
    if _PART.match(t) and not _GLOSSARY.search(t):
        return True
    if re.search(r"附\s*件", text) and is_heading(text):
        return True
    # A level-one heading that defines nothing ("五、其他重要事项") ends the glossary, and
    # so does a title that names a part of the report ("2026年部门预算编制说明").
    if level is None and is_title(text) and _TITLE_SUFFIX.search(t) and not re.search(r"[:：]|指", t):
        return True
    return level == 1 and not re.search(r"[:：]|指", t)


def is_definition(text: str) -> bool:
    """``X：指……`` / ``X是指……``: a definition, which states nothing about the filing."""
    return bool(_DEFINITION.search(text))


def sentences(document: Document) -> Iterator[Sentence]:
    """Every narrative sentence of ``document`` in order, definitions left out."""
    for p in paragraphs(document):
        for s in p.sentences():
            if is_definition(s.text):
                continue
            yield s


# --------------------------------------------------------------------------- sections


def section_paths(document: Document) -> dict[int, tuple[str, ...]]:
    """For every source line, the headings it stands under (outermost first, compact).

    A bare ``第三部分`` takes the title line that follows as its name, so the path of a
    line in ``第五部分 / 附 件`` reads ``("第五部分附件", …)``."""
    stack: list[tuple[float, str]] = []
    awaiting_name = False
    paths: dict[int, tuple[str, ...]] = {}
    current: tuple[str, ...] = ()
    last = 0  # the line of the last heading: lines after it keep its path
    text_kind = BlockKind.TEXT  # (an enum member read from its class each time is slow)
    for block in document.blocks:
        if block.kind is not text_kind:
            continue
        text = block.text
        level = heading_level(text)
        if level is None and not is_title(text):
            awaiting_name = False  # prose: the path stays
            continue
        name = compact(_strip_bullet(text))
        if level == 0:
            stack = [(0, name)]
            awaiting_name = len(_PART.sub("", name)) == 0
        elif level is None and (awaiting_name or not any(e[0] >= 1 for e in stack) or _TITLE_SUFFIX.search(name)):
            # A short line under a numbered heading ("三、实施主体" / "示例区商务委员会")
            # is that heading's content; only a title that says what it is opens a section.
            if awaiting_name and stack:
                stack[-1] = (0, stack[-1][1] + name)
                awaiting_name = False
            else:
                stack = [e for e in stack if e[0] < 0.5] + [(0.5, name)]
        elif level is not None:
            awaiting_name = False
            stack = [e for e in stack if e[0] < level] + [(level, name)]
        else:
            awaiting_name = False
        paths.update(dict.fromkeys(range(last + 1, block.line), current))
        current = tuple(e[1] for e in stack)
        paths[block.line] = current
        last = block.line
    paths.update(dict.fromkeys(range(last + 1, len(document.lines) + 1), current))
    return paths
