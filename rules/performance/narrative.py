"""What the prose of a filing says about performance: paragraphs (lines a PDF export
broke apart, joined again), grades stated in words, and paragraphs about a project."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable, Sequence

from lint.model import Amount, BlockKind, Document, Span
from lint.numbers import normalize_width, parse_number

from .tables import GRADE_RE, OffsetSpans, PerfTable, money_statements

# A line ending in one of these ends its paragraph; any other line was broken by the
# export and continues on the next text line.
_PARAGRAPH_ENDS = tuple("。！？!?；;：:）)”\"")
_AMOUNT_IN_WAN = re.compile(r"\d+(?:\.\d+)?\s*万元")
_ITEM_START = re.compile(r"^\s*(?:-\s*)?(?:第[一二三四五六七八九十\d]+部分|[一二三四五六七八九十]+、|\d+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|[①-⑳])")


@dataclass
class Paragraph:
    """Consecutive text lines read as one paragraph; ``spans`` maps offsets back."""

    text: str
    spans: OffsetSpans
    first_line: int
    last_line: int

    def span(self, start: int, end: int) -> Span:
        return self.spans.span(start, end)

    @property
    def is_heading(self) -> bool:
        """A short line without a full stop: a heading, whose content follows."""
        t = self.text.strip()
        return len(t) <= 40 and "。" not in t and not _AMOUNT_IN_WAN.search(t)


def paragraphs(document: Document, skip: Iterable[PerfTable] = ()) -> list[Paragraph]:
    """The text blocks of ``document`` joined into paragraphs, leaving out the lines
    inside the given tables."""
    # Lines inside a table, as merged sorted intervals: one bisect per block, not a test
    # against every table (which made long filings quadratic).
    intervals: list[list[int]] = []
    for start, end in sorted((t.span.line, t.end_line) for t in skip):
        if intervals and start <= intervals[-1][1] + 1:
            intervals[-1][1] = max(intervals[-1][1], end)
        else:
            intervals.append([start, end])
    starts = [a for a, _ in intervals]

    def in_table(line: int) -> bool:
        k = bisect_right(starts, line) - 1
        return k >= 0 and line <= intervals[k][1]

    out: list[Paragraph] = []
    current: OffsetSpans | None = None
    first = last = 0
    for block in document.blocks:
        if block.kind is not BlockKind.TEXT or in_table(block.line):
            if current is not None:
                out.append(Paragraph(current.text, current, first, last))
                current = None
            continue
        raw = normalize_width(block.text)
        lead = len(raw) - len(raw.lstrip())
        text = raw.strip()
        if current is not None and (_ITEM_START.match(text) or block.line > last + 2):
            out.append(Paragraph(current.text, current, first, last))
            current = None
        if current is None:
            current = OffsetSpans()
            first = block.line
        current.add(text, block.line, lead + 1)
        last = block.line
        if text.endswith(_PARAGRAPH_ENDS):
            out.append(Paragraph(current.text, current, first, last))
            current = None
    if current is not None:
        out.append(Paragraph(current.text, current, first, last))
    return out


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
_NOT_NAME_TEXT = re.compile(r"[ \u3000“”\"'‘’「」《》]")
_NAME_TEXT = re.compile(r"[^ \u3000“”\"'‘’「」《》]+")
_HALF_BRACKETS = str.maketrans({"（": "(", "）": ")"})


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


def _mentions(text: str, names: _NameIndex) -> list[_Mention]:
    """Where project names occur in ``text`` (a normalized string), left to right, the
    longest name at each place.  One scan of the text: the work does not grow with the
    number of projects times the number of paragraphs."""
    if names.pattern is None:
        return []
    return [_Mention(m.start(), m.end(), names.tables[m.group()]) for m in names.pattern.finditer(text)]


def project_claims(paras: Sequence[Paragraph], tables: Sequence[PerfTable]) -> list[ProjectClaim]:
    """Amounts the prose states about the projects of ``tables`` (matched by name)."""
    names = _NameIndex([(norm_name(t.project.text), t) for t in tables
                        if t.project is not None and len(norm_name(t.project.text)) >= 4])
    if not names:
        return []
    out: list[ProjectClaim] = []
    for n, p in enumerate(paras):
        text, spans = _normalized(p)
        mentions = _mentions(text, names)
        for k, mention in enumerate(mentions):
            stop = mentions[k + 1].start if k + 1 < len(mentions) else len(text)
            scope_text, scope_spans = text[mention.end:stop], _Shifted(spans, mention.end)
            out.extend(_claims_in(scope_text, scope_spans, mention.table, text, headline=True))
            if k + 1 == len(mentions) and p.is_heading and n + 1 < len(paras):
                nxt = paras[n + 1]
                nt, ns = _normalized(nxt)
                if not _mentions(nt, names):
                    out.extend(_claims_in(nt, _Shifted(ns, 0), mention.table, nt, headline=False))
    return out


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
        self._kept: list[int] | None = None

    @property
    def kept(self) -> list[int]:
        # The offset of every kept character: made only for a paragraph that names a
        # project (most name none), when a span is asked for.
        if self._kept is None:
            self._kept = [i for m in _NAME_TEXT.finditer(self.para.text) for i in range(*m.span())] or [0]
        return self._kept

    def span(self, start: int, end: int) -> Span:
        kept = self.kept
        a = kept[min(start, len(kept) - 1)]
        b = kept[min(max(start, end - 1), len(kept) - 1)] + 1
        return self.para.span(a, b)


def _normalized(p: Paragraph) -> tuple[str, _Normalized]:
    return _NOT_NAME_TEXT.sub("", p.text).translate(_HALF_BRACKETS), _Normalized(p)


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
