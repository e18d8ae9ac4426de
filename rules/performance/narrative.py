"""What the prose of a filing says about performance: paragraphs (lines a PDF export
broke apart, joined again), grades stated in words, and paragraphs about a project."""

from __future__ import annotations

import re
from bisect import bisect_right
from operator import attrgetter
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable, Sequence

from lint.model import Amount, Block, BlockKind, Document, Span
from lint.numbers import _FULLWIDTH, normalize_width, parse_number

from .tables import GRADE_RE, OffsetSpans, PerfTable, money_statements

_TEXT = BlockKind.TEXT  # a global: the enum member looked up on its class costs ten times more
_TEXT_OF = attrgetter("text")

# A line ending in one of these ends its paragraph; any other line was broken by the
# export and continues on the next text line.
_PARAGRAPH_ENDS = frozenset("。！？!?；;：:）)”\"")  # looked up with the last character
_AMOUNT_IN_WAN = re.compile(r"\d+(?:\.\d+)?\s*万元")
_ITEM_START = re.compile(r"^\s*(?:-\s*)?(?:第[一二三四五六七八九十\d]+部分|[一二三四五六七八九十]+、|\d+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|[①-⑳])")


class Paragraph:
    """Consecutive text lines read as one paragraph; ``spans`` maps offsets back.

    A filing has hundreds of paragraphs and few are ever asked for a span: the offset
    map is made when first asked for, and the object is kept small (slots)."""

    __slots__ = ("text", "first_line", "last_line", "_parts", "_places", "_spans")

    def __init__(self, parts: list[str], places: list[tuple[int, int]], first_line: int, last_line: int):
        # ``parts``: the pieces the text is made of, each from its ``(line, col)`` in ``places``.
        self.text = parts[0] if len(parts) == 1 else "".join(parts)
        self.first_line, self.last_line = first_line, last_line
        self._parts, self._places = parts, places
        self._spans: OffsetSpans | None = None

    @property
    def spans(self) -> OffsetSpans:
        if self._spans is None:
            self._spans = OffsetSpans.joined(self._parts, self._places)
        return self._spans

    def span(self, start: int, end: int) -> Span:
        return self.spans.span(start, end)

    def __repr__(self) -> str:
        return f"Paragraph(lines {self.first_line}-{self.last_line}: {self.text!r})"

    @property
    def is_heading(self) -> bool:
        """A short line without a full stop: a heading, whose content follows."""
        t = self.text.strip()
        return len(t) <= 40 and "。" not in t and not _AMOUNT_IN_WAN.search(t)


def paragraphs(document: Document, skip: Iterable[PerfTable] = ()) -> list[Paragraph]:
    """The text blocks of ``document`` joined into paragraphs, leaving out the lines
    inside the given tables."""
    # The lines inside the tables (a set: one look-up per block, not a test against
    # every table, which made long filings quadratic), then the text blocks outside
    # them by their place among all blocks: a gap there is a row or a table line,
    # which ends the paragraph.
    in_table: set[int] = set()
    for t in skip:
        in_table.update(range(t.span.line, t.end_line + 1))
    blocks = document.blocks
    where = [i for i, b in enumerate(blocks) if b.kind is _TEXT and b.line not in in_table]
    kept = [blocks[i] for i in where]

    out: list[Paragraph] = []
    parts: list[str] = []
    places: list[tuple[int, int]] = []
    first = last = 0
    before = -2
    for i, block, raw in zip(where, kept, _normalize_widths(list(map(_TEXT_OF, kept)))):
        line = block.line
        text = raw.strip()
        if parts and (i != before + 1 or line > last + 2 or _ITEM_START.match(text)):
            out.append(Paragraph(parts, places, first, last))
            parts, places = [], []
        if not parts:
            first = line
        parts.append(text)
        places.append((line, len(raw) - len(raw.lstrip()) + 1))
        last, before = line, i
        if text[-1:] in _PARAGRAPH_ENDS:  # ("" is not in it)
            out.append(Paragraph(parts, places, first, last))
            parts, places = [], []
    if parts:
        out.append(Paragraph(parts, places, first, last))
    return out


# normalize_width's table, applied with str.replace to a whole filing at once: the
# per-line translate() looked every character up in a dict and cost more than the
# rest of reading paragraphs.  The replacements give the same text because no
# character the table writes is one it replaces (checked here; tests compare).
_WIDTH_PAIRS = tuple((chr(a), chr(b) if isinstance(b, int) else b) for a, b in _FULLWIDTH.items())
_WIDTH_BY_REPLACE = not {b for _, b in _WIDTH_PAIRS} & {a for a, _ in _WIDTH_PAIRS}


def _normalize_widths(texts: list[str]) -> list[str]:
    """:func:`normalize_width` of each of ``texts``."""
    whole = "\n".join(texts)
    if not _WIDTH_BY_REPLACE or whole.count("\n") != len(texts) - 1:
        return [normalize_width(t) for t in texts]  # pragma: no cover - a block is one line
    for a, b in _WIDTH_PAIRS:
        if a in whole:
            whole = whole.replace(a, b)
    return whole.split("\n") if texts else []


# --------------------------------------------------------------------------- grades in words


@dataclass(frozen=True)
class GradeStatement:
    """``自评得分为92分，等级为良``: a score and the grade stated for it."""

    score: Amount
    score_span: Span
    grade: str
    grade_span: Span
    sentence: str


_GRADE_STATEMENT = re.compile(
    r"(?:得分|总分|成绩|评分|分数|综合得分)\s*(?:为|是|:|：|达到|达)?\s*(?P<score>\d+(?:\.\d+)?)\s*分"
    r"(?P<mid>[^。；;\d]{0,20}?)"
    r"(?:等级|评级|级别|等次|评定为|评为|定为)\s*(?:为|是|:|：)?\s*[“\"「]?"
    rf"(?P<grade>{GRADE_RE})"
    r"(?=$|[\s，。；;、,.!！)）”\"」]|等|级)"
)


def grade_statements(paras: Sequence[Paragraph]) -> list[GradeStatement]:
    out = []
    for p in paras:
        if "分" not in p.text:  # every statement says "…分"; most paragraphs hold none
            continue
        for m in _GRADE_STATEMENT.finditer(p.text):
            score = parse_number(m.group("score"))
            if score is None:  # pragma: no cover - the regex only admits numbers
                continue
            start = p.text.rfind("。", 0, m.start()) + 1
            end = p.text.find("。", m.end())
            sentence = p.text[start:end + 1 if end >= 0 else len(p.text)].strip()
            out.append(GradeStatement(score, p.span(m.start("score"), m.end("score")), m.group("grade"),
                                      p.span(m.start("grade"), m.end("grade")), sentence))
    return out


# --------------------------------------------------------------------------- projects in words


def norm_name(text: str) -> str:
    """A project name for matching: no spaces, quotes or brackets of either width."""
    return _NAME_NOISE.sub("", text).replace("（", "(").replace("）", ")")


_NAME_NOISE = re.compile(r"[\s“”\"'‘’「」《》]")
# What a paragraph loses when read for names (only plain and ideographic spaces).
_NOT_NAME_CHARS = " \u3000“”\"'‘’「」《》"
_NOT_NAME_TEXT = re.compile(f"[{_NOT_NAME_CHARS}]")
_NAME_TEXT = re.compile(f"[^{_NOT_NAME_CHARS}]+")


@dataclass(frozen=True)
class ProjectClaim:
    """An amount the prose states about one project."""

    table: PerfTable
    role: str  # "headline", "budget", "initial", "executed", "balance", "rate"
    amount: Amount
    span: Span
    paragraph: str  # the paragraph it was read from, quotes and spaces removed


_HEADLINE = re.compile(r"^[”\"」』]?\s*(?:项目)?\s*[:：]?\s*(?P<num>\d+(?:\.\d+)?)\s*万元")
_RATE = re.compile(r"(?:完成预算的|完成年初预算的|执行率为?|执行率达到?|预算执行率为?)\s*(?P<num>\d+(?:\.\d+)?)\s*%")


@dataclass
class _Mention:
    start: int
    end: int
    table: PerfTable


class _NameIndex:
    """Project names, each once (the first table in the filing's order keeps it), as one
    pattern trying the longest name first."""

    def __init__(self, names: Sequence[tuple[str, PerfTable]]):
        self.tables: dict[str, PerfTable] = {}
        for name, table in sorted(names, key=lambda n: -len(n[0])):
            self.tables.setdefault(name, table)
        self.pattern = re.compile("|".join(map(re.escape, self.tables))) if self.tables else None

    def __bool__(self) -> bool:
        return self.pattern is not None


def project_claims(paras: Sequence[Paragraph], tables: Sequence[PerfTable]) -> list[ProjectClaim]:
    """Amounts the prose states about the projects of ``tables`` (matched by name)."""
    names = _NameIndex([(norm_name(t.project.text), t) for t in tables
                        if t.project is not None and len(norm_name(t.project.text)) >= 4])
    if not names or not paras:
        return []
    prose = _Prose(paras)
    found = prose.mentions(names)
    out: list[ProjectClaim] = []
    for n in sorted(found):
        p, text, mentions = paras[n], prose.text(n), found[n]
        spans = _Normalized(p)
        for k, mention in enumerate(mentions):
            stop = mentions[k + 1].start if k + 1 < len(mentions) else len(text)
            scope_text, scope_spans = text[mention.end:stop], _Shifted(spans, mention.end)
            out.extend(_claims_in(scope_text, scope_spans, mention.table, text, headline=True))
            if k + 1 == len(mentions) and p.is_heading and n + 1 < len(paras) and n + 1 not in found:
                nt = prose.text(n + 1)
                out.extend(_claims_in(nt, _Shifted(_Normalized(paras[n + 1]), 0), mention.table, nt, headline=False))
    return out


class _Prose:
    """The paragraphs' texts as names are matched (see :func:`_normalized`), made in
    one pass over the joined text, a line break between two paragraphs: the
    normalization reads one character at a time, so the pieces between the breaks are
    the paragraphs' own.  A paragraph's text is cut out only when asked for."""

    def __init__(self, paras: Sequence[Paragraph]):
        joined = "\n".join([p.text for p in paras])
        if joined.count("\n") != len(paras) - 1:  # pragma: no cover - a paragraph is made of lines
            self._texts: list[str] | None = [_normalized(p)[0] for p in paras]
            self.whole = ""
        else:
            self._texts = None
            self.whole = _fold_name_text(joined)
            self._bounds: dict[int, tuple[int, int]] = {}

    def text(self, n: int) -> str:
        if self._texts is not None:  # pragma: no cover - see __init__
            return self._texts[n]
        start, end = self._bounds[n] if n in self._bounds else self._find(n)
        return self.whole[start:end]

    def _find(self, n: int) -> tuple[int, int]:
        # Asked for the paragraph after one already found (a heading's): walk on from it.
        start = self._bounds[n - 1][1] + 1
        end = self.whole.find("\n", start)
        self._bounds[n] = (start, end if end >= 0 else len(self.whole))
        return self._bounds[n]

    def mentions(self, names: _NameIndex) -> dict[int, list[_Mention]]:
        """Where project names occur in each paragraph naming one (by the paragraph's
        index), left to right, the longest name at each place.  One scan of the whole
        prose: the work does not grow with the number of projects times the number of
        paragraphs; names hold no line break, so no match runs across two paragraphs,
        and each paragraph's matches are those a scan of it alone finds."""
        assert names.pattern is not None
        found: dict[int, list[_Mention]] = {}
        if self._texts is not None:  # pragma: no cover - see __init__
            for n, t in enumerate(self._texts):
                ms = [_Mention(m.start(), m.end(), names.tables[m.group()]) for m in names.pattern.finditer(t)]
                if ms:
                    found[n] = ms
            return found
        whole = self.whole
        n, at, base = 0, 0, 0  # paragraph index, where it was counted to, where it starts
        for m in names.pattern.finditer(whole):
            breaks = whole.count("\n", at, m.start())
            if breaks:
                n += breaks
                base = whole.rfind("\n", at, m.start()) + 1
            at = m.start()
            if n not in found:
                end = whole.find("\n", at)
                self._bounds[n] = (base, end if end >= 0 else len(whole))
            found.setdefault(n, []).append(_Mention(m.start() - base, m.end() - base, names.tables[m.group()]))
        return found


class _Shifted:
    """Offsets of a slice, mapped back through the slice's parent."""

    def __init__(self, parent: "_Normalized", offset: int):
        self.parent, self.offset = parent, offset

    def span(self, start: int, end: int) -> Span:
        return self.parent.span(start + self.offset, end + self.offset)


class _Normalized:
    """A paragraph with names normalized (quotes and spaces removed), offsets kept."""

    def __init__(self, para: Paragraph):
        self.para = para
        self._runs: tuple[list[int], list[int], int] | None = None

    @property
    def runs(self) -> tuple[list[int], list[int], int]:
        """The kept stretches of the paragraph: where each starts in the normalized text
        and in the paragraph, and how many characters are kept in all.  Made only for a
        paragraph that names a project, when a span is asked for."""
        if self._runs is None:
            at, source, size = [], [], 0
            for m in _NAME_TEXT.finditer(self.para.text):
                at.append(size)
                source.append(m.start())
                size += m.end() - m.start()
            self._runs = (at, source, size)
        return self._runs

    def _source(self, offset: int) -> int:
        """The paragraph offset of the normalized text's character ``offset`` (the last
        character when past the end; 0 when nothing is kept)."""
        at, source, size = self.runs
        if not size:
            return 0
        offset = min(offset, size - 1)
        k = bisect_right(at, offset) - 1
        return source[k] + offset - at[k]

    def span(self, start: int, end: int) -> Span:
        return self.para.span(self._source(start), self._source(max(start, end - 1)) + 1)


def _fold_name_text(text: str) -> str:
    # As _NOT_NAME_TEXT.sub("", text), one str.replace per character that occurs: a
    # character class tested at every place of the whole prose cost several times more.
    for ch in _NOT_NAME_CHARS:
        if ch in text:
            text = text.replace(ch, "")
    return text.replace("（", "(").replace("）", ")")


def _normalized(p: Paragraph) -> tuple[str, _Normalized]:
    return _fold_name_text(p.text), _Normalized(p)


def _claims_in(text: str, spans, table: PerfTable, paragraph: str, headline: bool) -> list[ProjectClaim]:
    out = []
    if headline:
        m = _HEADLINE.match(text)
        if m:
            a = parse_number(m.group("num"))
            if a is not None:
                out.append(ProjectClaim(table, "headline", a, spans.span(m.start("num"), m.end("num")), paragraph))
    for st in money_statements(text, spans):
        if st.role in ("adjust_down", "adjust_up"):
            continue
        role = "initial" if st.keyword.startswith("年初预算") else st.role
        out.append(ProjectClaim(table, role, st.amount, st.span, paragraph))
    for m in _RATE.finditer(text):
        a = parse_number(m.group("num") + "%")
        if a is not None:
            out.append(ProjectClaim(table, "rate", a, spans.span(m.start("num"), m.end("num")), paragraph))
    return out


def ratio_percent(executed: Amount, budget: Amount) -> tuple[Decimal, Decimal] | None:
    """The interval a rate ``executed / budget`` (in percent) can take, given how
    precisely both amounts were written; ``None`` when the budget can be zero."""
    lo_b, hi_b = budget.value - budget.rounding, budget.value + budget.rounding
    if lo_b <= 0:
        return None
    lo_e, hi_e = executed.value - executed.rounding, executed.value + executed.rounding
    return lo_e / hi_b * 100, hi_e / lo_b * 100
