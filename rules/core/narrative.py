"""Narrative checks (N…): the numbers the 情况说明 states, against each other and the tables.

Every comparison is rounding-aware: a stated amount may be off by half a unit of its
last written decimal, a stated percentage likewise; a difference that rounding can
explain is not reported.  A percentage that matches the exact value cut off (not
rounded) is reported as a note only.

The subject map (``subjects.toml``: which table cell states the quantity a subject
names) reaches the rules as ``ctx.data["subjects"]``; :func:`load_subjects` reads it.
"""

from __future__ import annotations

import copy
import re
import sys
from bisect import bisect_right
from collections import Counter
from functools import lru_cache
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, NamedTuple, Sequence

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from lint.engine.rules import Rule, RuleContext
from lint.model import Amount, BlockKind, Cell, Claim, Document, Finding, Location, Severity, Span, Table
from lint.numbers import fmt, in_wanyuan
from lint.recognize.claims import extract_claims
from lint.recognize.sentences import compact, is_heading, paragraphs, section_paths
from lint.recognize.subjects import GENERIC_HEADS, is_generic, normalize_subject, role_of

HUNDRED = Decimal(100)
ZERO = Decimal(0)

# Subjects repeat within a filing and across filings; their normal form is pure.
_normal = lru_cache(maxsize=1 << 14)(normalize_subject)
_generic = lru_cache(maxsize=1 << 14)(is_generic)


# ====================================================================== arithmetic


class Interval(NamedTuple):  # (a tuple: rules build several per claim, a frozen dataclass is ~5x slower)
    lo: Decimal
    hi: Decimal

    def overlaps(self, other: "Interval") -> bool:
        return self.lo <= other.hi and other.lo <= self.hi

    @property
    def mid(self) -> Decimal:
        return (self.lo + self.hi) / 2


def stated(a: Amount) -> Interval:
    """Where the true value of a stated amount can be."""
    r = a.rounding
    return Interval(a.value - r, a.value + r)


def stated_percent(p: Amount) -> Interval:
    """A stated percentage was rounded whatever its value (``0%`` of 0.32/236.84 is fine)."""
    half = _half_unit(p.decimals)
    return Interval(p.value - half, p.value + half)


def truncated_range(p: Amount) -> Interval:
    """The exact values a percentage would show if the writer cut off the digits."""
    unit = _unit(p.decimals)
    return Interval(p.value, p.value + unit - unit / 1000)


@lru_cache(maxsize=64)  # (one per number of decimals: every percentage asks)
def _half_unit(decimals: int) -> Decimal:
    return Decimal(5).scaleb(-(decimals + 1))


@lru_cache(maxsize=64)
def _unit(decimals: int) -> Decimal:
    return Decimal(1).scaleb(-decimals)


def ratio(num: Interval, den: Interval) -> Interval | None:
    """100·num/den over the intervals, or ``None`` when the denominator may be zero."""
    if den.lo <= 0:
        return None
    values = [HUNDRED * n / d for n in (max(num.lo, ZERO), num.hi) for d in (den.lo, den.hi)]
    return Interval(min(values), max(values))


def exact_ratio(num: Decimal, den: Decimal, decimals: int) -> Decimal:
    q = Decimal(1).scaleb(-max(decimals, 0))
    return (HUNDRED * num / den).quantize(q, rounding=ROUND_HALF_UP)


def same_amount(a: Amount, b: Amount) -> bool:
    """Can two statements of one quantity both be right?  The same true value rounded
    to the same decimals gives the same writing, so 7.34 and 7.35 disagree while
    6.2 and 6.18 agree."""
    if a.value == b.value:
        return True
    return abs(a.value - b.value) < a.rounding + b.rounding


def pct(p: Amount) -> str:
    """A stated percentage as written, without its % sign."""
    text = compact(p.text).rstrip("%") if p.text else ""
    return text or fmt(p.value, p.decimals)


def expected_pct(num: Decimal, den: Decimal, decimals: int) -> str:
    """What the percentage should read at the stated precision, with the exact value
    beside it when that precision hides it (``100%（99.85%）``)."""
    shown = fmt(exact_ratio(num, den, decimals), decimals)
    precise = fmt(exact_ratio(num, den, decimals + 2), decimals + 2)
    if decimals >= 2 or Decimal(shown) == Decimal(precise):
        return f"{shown}%"
    return f"{shown}%（{precise}%）"


def amt(a: Amount) -> str:
    """An amount in 万元 as the text wrote it, or normalised when it was in another unit."""
    return fmt(a.value, a.decimals) if a.decimals >= 0 else format(a.value.normalize(), "f")


# ====================================================================== subject map


def load_subjects(path: str | Path) -> dict:
    """Read a subject map (``subjects.toml``) into the dict rules find in
    ``ctx.data["subjects"]``."""
    with open(path, "rb") as fh:
        return tomllib.load(fh)


@dataclass(frozen=True)
class SubjectEntry:
    name: str
    variants: frozenset[str]
    year_variants: frozenset[str]
    cells: tuple[str, ...]
    sections: tuple[str, ...]
    not_sections: tuple[str, ...]
    severity: Severity


@dataclass(frozen=True)
class CellRef:
    table: Table
    cell: Cell

    def location(self, doc: Document) -> Location:
        label = f"{self.table.id} {self.table.title}：{self.cell.row}/{self.cell.column}"
        return Location(doc.path, self.cell.span, label)


_YEAR_FIRST = re.compile(r"^\d{4}年")
_ORG_PREFIX = re.compile(r"^.{1,30}?(?:局|中心|委员会|委|办公室|办|院|所|站|队|处|厅|部|会|馆|校|社|部门|单位)$")


class SubjectMap:
    """Which table cell a narrative subject states, from the pack data."""

    def __init__(self, raw: Mapping[str, Any] | None):
        raw = raw or {}
        default_not = tuple(raw.get("defaults", {}).get("not_sections", ()))
        self.entries: list[SubjectEntry] = []
        for name, spec in sorted(raw.get("subjects", {}).items()):
            variants = frozenset(normalize_subject(v) for v in [name, *spec.get("variants", ())])
            self.entries.append(SubjectEntry(
                name=name, variants=variants,
                year_variants=frozenset(normalize_subject(v) for v in spec.get("year_variants", ())),
                cells=tuple(spec.get("cells", ())), sections=tuple(spec.get("sections", ())),
                not_sections=tuple(spec.get("not_sections", default_not)),
                severity=Severity(spec.get("severity", "error")),
            ))
        self.qualifiers = [(q.get("section", ""), normalize_subject(q.get("applies_to", "")), q.get("prefix", ""))
                           for q in raw.get("qualifiers", ())]
        classes = raw.get("classes", {})
        self.class_cells = tuple(classes.get("cells", ()))
        self.class_sections = tuple(classes.get("sections", ()))
        self.class_not_sections = tuple(classes.get("not_sections", default_not))
        self._entries_for: dict[tuple, SubjectEntry | None] = {}
        self._applicable_in: dict[tuple, list[SubjectEntry]] = {}

    def entry_for(self, subject: str | None, section: Sequence[str]) -> SubjectEntry | None:
        # Several rules ask for every claim's subject, and filings repeat the same
        # subjects under the same headings: answer each question once per process.
        memo = (subject, tuple(section))
        try:
            return self._entries_for[memo]
        except KeyError:
            pass
        if len(self._entries_for) >= _MEMO_LIMIT:
            self._entries_for.clear()  # (memory stays flat over any number of filings)
        found = self._entries_for[memo] = self._entry_for(subject, section)
        return found

    def _entry_for(self, subject: str | None, section: Sequence[str]) -> SubjectEntry | None:
        if not subject:
            return None
        key = normalize_subject(subject)
        if not key:
            return None
        has_year = bool(_YEAR_FIRST.match(compact(subject)))
        candidates = [key]
        for sec, applies, prefix in self.qualifiers:
            if sec and applies and key.startswith(applies) and _under(section, (sec,)):
                candidates.insert(0, normalize_subject(prefix + key))
        applicable = self._applicable(section)
        for cand in candidates:
            generic = cand in GENERIC_HEADS
            for e in applicable:
                if (cand in e.variants and not generic) or (has_year and cand in e.year_variants):
                    return e
            if generic:
                continue
            for e in applicable:
                for v in e.variants:
                    if len(v) >= 4 and cand.endswith(v) and _ORG_PREFIX.match(cand[: -len(v)]):
                        return e
        return None

    def _applicable(self, section: Sequence[str]) -> list[SubjectEntry]:
        """The entries that apply under ``section``, in order (asked once per section)."""
        memo = tuple(section)
        found = self._applicable_in.get(memo)
        if found is None:
            if len(self._applicable_in) >= _MEMO_LIMIT:
                self._applicable_in.clear()
            found = self._applicable_in[memo] = [e for e in self.entries if self._applies(e, section)]
        return found

    @staticmethod
    def _applies(e: SubjectEntry, section: Sequence[str]) -> bool:
        if e.not_sections and _under(section, e.not_sections):
            return False
        return not e.sections or _under(section, e.sections)

    def class_cell(self, subject: str | None, section: Sequence[str], tables,
                   index: list[dict[str, CellRef]] | None = None) -> CellRef | None:
        """The 功能分类 class row a subject names (``社会保障和就业（类）支出``); ``index``
        is :meth:`class_index` of ``tables``, when the caller keeps it."""
        if not subject or not self.class_cells:
            return None
        if self.class_not_sections and _under(section, self.class_not_sections):
            return None
        if self.class_sections and not _under(section, self.class_sections):
            return None
        name = _normal(subject)
        for by_label in (index if index is not None else self.class_index(tables)):
            found = by_label.get(name)
            if found is not None:
                return found
        return None

    def class_index(self, tables) -> list[dict[str, CellRef]]:
        """For each class cell of the map, in order: a class row's label (as the text
        would name it) → the cell of the first such row that holds an amount."""
        out: list[dict[str, CellRef]] = []
        for ref in self.class_cells:
            parts = ref.split(".")
            table = tables.get(parts[0])
            if table is None:
                continue
            panel = table.panels.get(parts[1]) if len(parts) == 4 else table.main
            if panel is None:
                continue
            by_label: dict[str, CellRef] = {}
            for row in panel.rows:
                if row.level != 1:
                    continue
                label = _class_label(row.label)
                if label in by_label:
                    continue
                cell = panel.cell(row.key, parts[-1])
                if cell is not None and cell.amount is not None:
                    by_label[label] = CellRef(table, cell)
            out.append(by_label)
        return out

    def cell(self, entry: SubjectEntry, tables) -> CellRef | None:
        for ref in entry.cells:
            found = resolve_cell(ref, tables)
            if found is not None:
                return found
        return None


# A subject map's answers are kept across filings; past this many, they are forgotten.
_MEMO_LIMIT = 1 << 14
_MAPS: list[tuple[Mapping[str, Any] | None, Mapping[str, Any] | None, SubjectMap]] = []


def subject_map(raw: Mapping[str, Any] | None) -> SubjectMap:
    """The subject map of pack data ``raw``, built once per process: every filing of a
    run gets the same data (the core pack's very dict; a regional pack's equal data,
    merged afresh per filing), and the map remembers its answers.  Pack data is read
    only (RuleContext); data that is not the same object is compared with a copy taken
    when its map was built."""
    for given, _, found in _MAPS:
        if given is raw:
            return found
    for _, seen, found in _MAPS:
        if seen == raw:
            return found
    found = SubjectMap(raw)
    _MAPS.insert(0, (raw, copy.deepcopy(raw), found))
    del _MAPS[8:]
    return found


_CN_ORDINAL = re.compile(r"^[一二三四五六七八九十]+、")


@lru_cache(maxsize=1 << 14)  # pure; asked of every coded row of every table
def _class_label(label: str) -> str:
    """A row's label as the text would name its class: no ``一、``, compact."""
    return compact(_CN_ORDINAL.sub("", label))


def resolve_cell(ref: str, tables) -> CellRef | None:
    """``table01.income.total.amount`` / ``table02.total.total`` → the cell, if the filing has it."""
    parts = ref.split(".")
    if len(parts) not in (3, 4):
        return None
    table = tables.get(parts[0])
    if table is None:
        return None
    panel = table.panels.get(parts[1]) if len(parts) == 4 else table.main
    if panel is None:
        return None
    row = panel.find_row(parts[-2])
    if row is None:
        return None
    cell = panel.cell(row.key, parts[-1])
    if cell is None or cell.amount is None:
        return None
    return CellRef(table, cell)


def _under(section: Sequence[str], words: Iterable[str]) -> bool:
    return _under_cached(tuple(section), tuple(words))


@lru_cache(maxsize=1 << 14)  # the same (section, words) pairs come up for every claim
def _under_cached(section: tuple[str, ...], words: tuple[str, ...]) -> bool:
    return any(compact(w) in h for h in section for w in words)


# ====================================================================== context helpers


_COMPARES = re.compile(r"大于|小于|高于|低于|多于|少于|超过|等于|相比|比较|较上年|比上年|与上年")
_ITEM_START = re.compile(r"^(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}、|\d{1,2}[、.．]|[①-⑳])")


def _qualifier(doc: Document, c: Claim) -> str:
    """The words before a claim's subject in its clause (back to the last ``；``/``。``
    on its line), which qualify what the subject is of."""
    where = c.spans.get("subject") or c.spans.get("amount") or c.span
    if not 0 < where.line <= len(doc.lines):
        return ""
    head = compact(doc.lines[where.line - 1][:max(where.col - 1, 0)])
    cut = max(head.rfind("；"), head.rfind(";"), head.rfind("。"))
    return normalize_subject(head[cut + 1:])


class _Narrative:
    """What the N rules share for one filing: claims, sections, subject map, report year."""

    def __init__(self, ctx: RuleContext):
        self.ctx = ctx
        self.claims: list[Claim] = ctx.claims if ctx.claims else extract_claims(ctx.document)
        self.sections = section_paths(ctx.document)
        self.map = subject_map(ctx.data.get("subjects"))
        self._items: dict[int, int] | None = None
        self._by_kind: dict[str, list[Claim]] = {}
        for c in self.claims:
            self._by_kind.setdefault(c.kind, []).append(c)
        self._cells: dict[tuple, tuple[CellRef, Severity] | None] = {}
        self._entry_cells: dict[str, CellRef | None] = {}
        self._budget_amounts: list[Claim] | None = None
        self._class_index: list[dict[str, CellRef]] | None = None
        self.named_kinds: dict[int, str | None] = {}  # id(completion claim) → the budget its words name

    def item_of(self, claim: Claim) -> int | None:
        """The numbered list item (``1.``, ``（二）`` … opening a paragraph) the claim is
        stated under, as the index of its paragraph; ``None`` outside such items."""
        if self._items is None:
            # An item runs on over the paragraphs after it (a reader may break it at a
            # full stop) until the next item or heading.
            items: dict[int, int] = {}
            current: int | None = None
            starts_item = _ITEM_START.match
            for p in paragraphs(self.ctx.document):
                text = p.text
                if starts_item(text):
                    current = p.index
                elif current is not None and len(text) <= 40 and is_heading(text):
                    current = None  # (a heading outside an item changes nothing)
                if current is not None:
                    items.update(dict.fromkeys(p.lines, current))
            self._items = items
        return self._items.get(claim.span.line)

    def section(self, claim: Claim | Span) -> tuple[str, ...]:
        span = claim.span if isinstance(claim, Claim) else claim
        return self.sections.get(span.line, ())

    def of(self, kind: str) -> list[Claim]:
        return self._by_kind.get(kind, [])  # (shared: callers only read it)

    def cell_for(self, subject: str | None, span: Span) -> tuple[CellRef, Severity] | None:
        # N001, N005, N006 and N012 ask for the same subjects: look each up once.
        section = self.section(span)
        memo = (subject, section)
        try:
            return self._cells[memo]
        except KeyError:
            found = self._cells[memo] = self._cell_for(subject, section)
            return found

    def _cell_for(self, subject: str | None, section: tuple[str, ...]) -> tuple[CellRef, Severity] | None:
        entry = self.map.entry_for(subject, section)
        if entry is not None:
            if entry.name not in self._entry_cells:  # (many subjects name one entry)
                self._entry_cells[entry.name] = self.map.cell(entry, self.ctx.tables)
            ref = self._entry_cells[entry.name]
            return (ref, entry.severity) if ref is not None else None
        if self._class_index is None:  # (every subject the map does not know is tried as a class)
            self._class_index = self.map.class_index(self.ctx.tables)
        ref = self.map.class_cell(subject, section, self.ctx.tables, self._class_index)
        return (ref, Severity.ERROR) if ref is not None else None

    def budget_amounts(self) -> list[Claim]:
        """The amounts whose subject names a budget (a completion rate's neighbours)."""
        if self._budget_amounts is None:
            self._budget_amounts = [x for x in self.of("amount") if x.values.get("amount") and "预算" in (x.subject or "")]
        return self._budget_amounts

    def report_year(self) -> int | None:
        year = self.ctx.report_year or self.ctx.document.metadata.get("report_year")
        try:
            return int(year) if year else None
        except (TypeError, ValueError):
            return None


def _narrative(ctx: RuleContext) -> _Narrative:
    # Rules run one after another on the same context; read the narrative once.
    return ctx.cached("narrative", _Narrative)


def _where(doc_path: str, span: Span | None, label: str) -> list[Location]:
    return [Location(doc_path, span, label)] if span is not None else []


def _places(ctx: RuleContext, claim: Claim, *roles: tuple[str, str]) -> list[Location]:
    """Where the claim states each of ``roles`` (``(role, label)``), for related locations."""
    return [loc for role, label in roles for loc in _where(ctx.path, claim.spans.get(role), label)]


@dataclass(frozen=True)
class _Rate:
    """A stated percentage and the amounts it should be the ratio of."""

    stated: Amount
    num: Decimal
    den: Decimal

    @property
    def expected(self) -> str:
        """What the percentage should read at the stated precision (exact value beside it)."""
        return expected_pct(self.num, self.den, self.stated.decimals)

    @property
    def expected_en(self) -> str:
        return self.expected.replace("（", " (").replace("）", ")")


class _RateRule(Rule):
    """N001, N002, N004: a stated percentage checked against its amounts."""

    def rate_finding(self, ctx: RuleContext, claim: Claim, span: Span, rate: _Rate, zh: str, en: str, *,
                     related: list[Location], severity: Severity | None = None) -> Finding:
        p = rate.stated
        expected = exact_ratio(rate.num, rate.den, p.decimals)
        return self.finding(ctx, span, zh, en, severity=severity, related=related,
                            expected=f"{fmt(expected, p.decimals)}%", actual=f"{pct(p)}%", label=claim.subject or "")


# ====================================================================== rules


class ShareMismatch(_RateRule):
    """占比与金额不符

    ## What it does
    Reads statements of the form ``X 万元，占 P%`` (the whole named earlier in the
    sentence, or explicitly: ``占基本支出的 83.1%``) and checks that P is X divided by
    the whole, allowing for the rounding of every stated number.  When the whole's
    amount is not in the text, the table cell for it is used.

    ## Why is this bad?
    A share that does not follow from the amounts beside it means one of them is
    wrong, or it was computed on another base.  A share that equals the exact value
    cut off instead of rounded is reported as a note.

    ## Example
    ```text
    本年收入合计 236.84 万元，其中：……其他收入 0.32 万元，占 1%。
    ```
    0.32 / 236.84 = 0.14%, which rounds to 0%, not 1%.

    ## Known false positives
    A share the sentence takes of a base it names loosely (占支出的 …) is compared with the first
    amount of that name, which may be another total.
    """

    code = "N001"
    name = "narrative.share-mismatch"
    severity = Severity.ERROR
    summary_en = "share does not follow from the amounts"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        nar = _narrative(ctx)
        for c in nar.of("share"):
            x, p = c.values.get("amount"), c.values.get("percent")
            if x is None or p is None:
                continue
            base = c.values.get("base")
            ref: CellRef | None = None
            if base is None and c.base:
                found = nar.cell_for(c.base, c.span)
                if found is None:
                    continue
                ref, _ = found
                base = ref.cell.amount
            if base is None or base.value <= 0:
                continue
            r = ratio(stated(x), stated(base))
            if r is None or r.overlaps(stated_percent(p)):
                continue
            related = [ref.location(ctx.document)] if ref is not None else _where(
                ctx.path, c.spans.get("base"), f"{c.base or '总额'}")
            rate = _Rate(p, x.value, base.value)
            base_name = c.base or "总额"
            span = c.spans.get("percent", c.span)
            if _balanced(nar, c, base.value):
                yield self.rate_finding(
                    ctx, c, span, rate,
                    f"占比 {pct(p)}% 比 {c.subject} {amt(x)} 万元占{base_name} {amt(base)} 万元的 {rate.expected} "
                    f"差一个末位，是为使各项占比合计 100% 调整的尾差",
                    f"share {pct(p)}% is one unit off {c.subject} {amt(x)} of {base_name} {amt(base)} = "
                    f"{rate.expected_en}: the rounding was adjusted so the shares add up to 100%",
                    related=related, severity=Severity.NOTE)
                continue
            if r.overlaps(truncated_range(p)):
                yield self.rate_finding(
                    ctx, c, span, rate,
                    f"占比 {pct(p)}% 像是截尾而非四舍五入：{c.subject} {amt(x)} 万元占{base_name} {amt(base)} 万元"
                    f"应为 {rate.expected}",
                    f"share {pct(p)}% looks truncated rather than rounded: {c.subject} {amt(x)} of "
                    f"{base_name} {amt(base)} is {rate.expected_en}",
                    related=related, severity=Severity.NOTE)
                continue
            yield self.rate_finding(
                ctx, c, span, rate,
                f"占比与金额不符：{c.subject} {amt(x)} 万元占{base_name} {amt(base)} 万元应为 "
                f"{rate.expected}，文中为 {pct(p)}%",
                f"share does not match the amounts: {c.subject} {amt(x)} of {base_name} {amt(base)} is "
                f"{rate.expected_en}, the text says {pct(p)}%",
                related=related)


def _balanced(nar: "_Narrative", share: Claim, base: Decimal) -> bool:
    """Is ``share`` one of a breakdown whose shares were rounded so that they add up to
    100%: the stated shares do, the correctly rounded ones do not, and this one is a
    single last-digit unit off its correctly rounded value?"""
    p = share.values["percent"]
    unit = Decimal(1).scaleb(-max(p.decimals, 0))
    if abs(exact_ratio(share.values["amount"].value, base, p.decimals) - p.value) != unit:
        return False
    for whole in nar.of("parts"):
        if not any(part is share for part in whole.parts):
            continue
        shares = [q for q in whole.parts if q.kind == "share" and "percent" in q.values]
        if len(shares) != len(whole.parts) or len(shares) < 2:
            return False
        stated_sum = sum((q.values["percent"].value for q in shares), ZERO)
        exact_sum = sum((exact_ratio(q.values["amount"].value, base, q.values["percent"].decimals) for q in shares), ZERO)
        return stated_sum == HUNDRED and exact_sum != HUNDRED
    return False


class GrowthRateMismatch(_RateRule):
    """增减幅度与增减额不符

    ## What it does
    Reads ``与上年相比，增加 X 万元，增长 P%`` (also ``比年初预算数减少…降低…`` and
    ``与 2021 年的收入 A 万元相比增加 X 万元增长 P%``) and checks P = X / last year's
    value, where last year's value is the one stated, or this year's value minus the
    increase (plus the decrease).  When P is instead X divided by this year's value,
    the message says so.

    ## Why is this bad?
    A growth rate must be taken on the earlier value.  Dividing by this year's value
    understates an increase (and a rate that matches nothing means a wrong number).

    ## Example
    ```text
    2022 年度收、支总计 252.44 万元。与上年相比，增加 102.44 万元，增长 41%。
    ```
    Last year: 252.44 − 102.44 = 150.00 万元; 102.44 / 150.00 = 68.3%, not 41% (which is
    the increase divided by this year's 252.44).

    ## Known false positives
    A rate taken on a base other than last year's value (年初预算, a two-year span) that the
    sentence does not name is compared with last year's value.
    """

    code = "N002"
    name = "narrative.growth-rate-mismatch"
    severity = Severity.ERROR
    summary_en = "growth rate does not follow from the change and last year's value"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        nar = _narrative(ctx)
        for c in nar.of("change"):
            p = c.values.get("percent")
            if p is None:
                continue
            cur, delta, prev = c.values.get("current"), c.values.get("delta"), c.values.get("previous")
            d_iv = stated(delta) if delta is not None else None
            if prev is not None:
                prev_iv = stated(prev)
                if d_iv is None and cur is not None:
                    diff = abs(cur.value - prev.value)
                    slack = cur.rounding + prev.rounding
                    d_iv = Interval(max(diff - slack, ZERO), diff + slack)
            elif cur is not None and d_iv is not None and c.direction in ("increase", "decrease"):
                c_iv = stated(cur)
                if c.direction == "increase":
                    prev_iv = Interval(c_iv.lo - d_iv.hi, c_iv.hi - d_iv.lo)
                else:
                    prev_iv = Interval(c_iv.lo + d_iv.lo, c_iv.hi + d_iv.hi)
            else:
                continue
            if d_iv is None:
                continue
            span = c.spans.get("percent", c.span)
            prev_value = prev.value if prev is not None else (
                cur.value - delta.value if c.direction == "increase" else cur.value + delta.value)
            delta_value = delta.value if delta is not None else abs(cur.value - prev.value)
            if prev_value <= 0:
                if delta_value == 0:
                    continue
                yield self.finding(
                    ctx, span,
                    f"上年数为 {fmt(prev_value)} 万元，增减幅度无从计算，文中却写 {pct(p)}%",
                    f"last year's value is {fmt(prev_value)}, so no rate can be computed; the text says {pct(p)}%",
                    severity=Severity.WARNING, actual=f"{pct(p)}%", label=c.subject or "")
                continue
            r = ratio(d_iv, prev_iv)
            if r is None or r.overlaps(stated_percent(p)):
                continue
            rate = _Rate(p, delta_value, prev_value)
            basis = "上年数" if (c.base in (None, "上年") or re.match(r"\d{4}年", c.base or "")) else c.base
            basis_en = "last year's value" if basis == "上年数" else f"the basis ({c.base})"
            prev_zh, prev_en = f"{fmt(prev_value)} 万元", fmt(prev_value)
            if prev is None:  # say where last year's value came from
                op = "−" if c.direction == "increase" else "+"
                prev_zh += f"（{amt(cur)} {op} {amt(delta)}）"
                prev_en += f" (= {amt(cur)} {op} {amt(delta)})"
            related = _where(ctx.path, c.spans.get("delta"), "增减额") + _where(
                ctx.path, c.spans.get("previous") or c.spans.get("current"), "上年数" if prev is not None else "本年数")
            if r.overlaps(truncated_range(p)):
                yield self.rate_finding(
                    ctx, c, span, rate,
                    f"增减幅度 {pct(p)}% 像是截尾而非四舍五入：{money(delta_value)} 万元 ÷ {basis} {prev_zh}"
                    f" = {rate.expected}",
                    f"rate {pct(p)}% looks truncated rather than rounded: {money(delta_value)} / {basis_en} "
                    f"{prev_en} = {rate.expected_en}",
                    related=related, severity=Severity.NOTE)
                continue
            on_current = None
            if cur is not None and prev is None:
                on_current = ratio(d_iv, stated(cur))
            if on_current is not None and on_current.overlaps(stated_percent(p)):
                yield self.rate_finding(
                    ctx, c, span, rate,
                    f"增减幅度按本年数而非{basis}计算：{money(delta_value)} 万元 ÷ {basis} {prev_zh} = "
                    f"{rate.expected}，文中 {pct(p)}% 是除以本年数 {amt(cur)} 万元所得",
                    f"rate computed on this year's value instead of {basis_en}: {money(delta_value)} / "
                    f"{prev_en} = {rate.expected_en}; the stated {pct(p)}% divides by this "
                    f"year's {amt(cur)}",
                    related=related)
                continue
            yield self.rate_finding(
                ctx, c, span, rate,
                f"增减幅度与增减额不符：{money(delta_value)} 万元 ÷ {basis} {prev_zh} = "
                f"{rate.expected}，文中为 {pct(p)}%",
                f"rate does not match the change: {money(delta_value)} / {basis_en} {prev_en} = "
                f"{rate.expected_en}, the text says {pct(p)}%",
                related=related)


def money(v: Decimal) -> str:
    """A computed amount in 万元 (two decimals)."""
    return fmt(v, 2)


class ChangeArithmetic(Rule):
    """本年数、上年数与增减额不符

    ## What it does
    When a sentence states this year's value, last year's value and the change
    (``2022 年收入 236.84 万元……与 2021 年的收入 218.50 万元相比增加 18.34 万元``), checks
    that the change is the difference, in the stated direction.

    ## Why is this bad?
    One of the three numbers is wrong; readers cannot tell which.

    ## Example
    ```text
    本年支出 236.84 万元，与上年的支出 221.37 万元相比增加 14.57 万元。
    ```
    236.84 − 221.37 = 15.47, not 14.57.

    ## Known false positives
    A change stated for an item right after its whole, without the item's own amount,
    may take the whole as this year's value.
    """

    code = "N003"
    name = "narrative.change-arithmetic"
    severity = Severity.ERROR
    summary_en = "this year's value, last year's value and the change do not add up"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        nar = _narrative(ctx)
        for c in nar.of("change"):
            values = c.values
            cur, prev, delta = values.get("current"), values.get("previous"), values.get("delta")
            if cur is None or prev is None or delta is None:
                continue
            diff = cur.value - prev.value
            sign = Decimal(1) if c.direction == "increase" else Decimal(-1) if c.direction == "decrease" else None
            slack = cur.rounding + prev.rounding + delta.rounding
            candidates = [sign * delta.value] if sign is not None else [delta.value, -delta.value]
            if any(abs(diff - d) <= slack for d in candidates):
                continue
            word = {"increase": "增加", "decrease": "减少"}.get(c.direction or "", "变动")
            yield self.finding(
                ctx, c.spans.get("delta", c.span),
                f"增减额不符：本年 {amt(cur)} 万元 − 上年 {amt(prev)} 万元 = {fmt(diff)} 万元，文中为{word} {amt(delta)} 万元",
                f"change does not add up: {amt(cur)} − {amt(prev)} = {fmt(diff)}, the text says "
                f"{c.direction or 'a change of'} {amt(delta)}",
                related=_places(ctx, c, ("current", "本年数"), ("previous", "上年数")),
                expected=fmt(diff), actual=f"{word}{amt(delta)}", label=c.subject or "")


class CompletionRateMismatch(_RateRule):
    """预算完成率与预算数、决算数不符

    ## What it does
    Reads ``年初预算为 B 万元，支出决算为 A 万元，完成年初预算的 P%`` (also ``执行率为
    P%``, ``完成预算的 P%``, ``占预算的 P%``) and checks P = A / B, rounding-aware.  A
    rate stated against a zero budget is reported: it is undefined.

    ## Why is this bad?
    A completion rate that does not follow from the two amounts misstates how the
    budget was executed; ``完成预算的 100%`` for a budget of 0 hides spending that had
    no budget.

    ## Example
    ```text
    年初预算为 84.20 万元，支出决算为 88.90 万元，完成年初预算的 106.2%。
    ```
    88.90 / 84.20 = 105.6%, not 106.2%.

    ## Known false positives
    A rate on a budget of another scope than the actual beside it (项目 budget, 单位 actual)
    is compared with the two amounts as stated.
    """

    code = "N004"
    name = "narrative.completion-rate-mismatch"
    severity = Severity.ERROR
    summary_en = "completion rate does not follow from budget and actual"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        nar = _narrative(ctx)
        other = {id(x[0]) for x in _other_budget(ctx, nar)}  # N011 says which budget the rate is on
        for c in nar.of("completion"):
            values = c.values
            b, a, p = values.get("budget"), values.get("actual"), values.get("percent")
            if b is None or a is None or p is None or id(c) in other:
                continue
            b = _named_budget(nar, c) or b  # "完成年初预算的 P%": the 年初 one, when both are stated
            span = c.spans.get("percent", c.span)
            if b.value == 0:
                related = _places(ctx, c, ("budget", "预算数"), ("actual", "决算数"))
                yield self.finding(
                    ctx, span,
                    f"预算数为 0，完成率无从计算（决算数 {amt(a)} 万元），文中却写 {pct(p)}%",
                    f"the budget is 0 so the completion rate is undefined (actual {amt(a)}); the text says {pct(p)}%",
                    severity=Severity.NOTE if a.value == 0 else Severity.WARNING, related=related,
                    expected="—", actual=f"{pct(p)}%", label=c.subject or "")
                continue
            r = ratio(stated(a), stated(b))
            if r is None or r.overlaps(stated_percent(p)):
                continue
            related = _places(ctx, c, ("budget", "预算数"), ("actual", "决算数"))
            rate = _Rate(p, a.value, b.value)
            if r.overlaps(truncated_range(p)):
                yield self.rate_finding(
                    ctx, c, span, rate,
                    f"完成率 {pct(p)}% 像是截尾而非四舍五入：{amt(a)} ÷ {amt(b)} = {rate.expected}",
                    f"completion rate {pct(p)}% looks truncated rather than rounded: {amt(a)} / {amt(b)} = "
                    f"{rate.expected_en}",
                    related=related, severity=Severity.NOTE)
                continue
            yield self.rate_finding(
                ctx, c, span, rate,
                f"完成率与预算数、决算数不符：决算 {amt(a)} 万元 ÷ 预算 {amt(b)} 万元 = {rate.expected}，"
                f"文中为 {pct(p)}%",
                f"completion rate does not match: actual {amt(a)} / budget {amt(b)} = {rate.expected_en}, "
                f"the text says {pct(p)}%",
                related=related)


class AmountTableMismatch(Rule):
    """情况说明中的金额与报表不一致

    ## What it does
    Maps the subject of each amount the narrative states (``本年收入合计``, ``基本支出``,
    ``机关运行经费``, ``“三公”经费财政拨款支出预算``, ``社会保障和就业（类）支出`` …) to
    the table cell that states the same quantity, using the pack's subject map, and
    compares them rounding-aware.

    ## Why is this bad?
    The 情况说明 explains the tables; a number that differs from its table is wrong
    in one of the two places.

    ## Example
    ```text
    2022 年度财政拨款基本支出 158.04 万元   (公开 05 表 合计/基本支出: 158.40)
    ```

    ## Known false positives
    A subject the map knows, stated for a part of the department (one unit, one fund) under
    a heading that does not say so, is compared with the department's cell.
    """

    code = "N005"
    name = "narrative.amount-table-mismatch"
    severity = Severity.ERROR
    summary_en = "amount in the narrative differs from the table"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        nar = _narrative(ctx)
        if not list(ctx.tables):
            return
        for c in nar.of("amount"):
            x = c.values.get("amount")
            if x is None:
                continue
            found = nar.cell_for(c.subject, c.span)
            if found is None:
                continue
            ref, severity = found
            if ref.cell.amount is None:
                continue
            # Tables may be in 元 while the text speaks 万元: compare in one unit.
            cell_amount = in_wanyuan(ref.cell.amount, ref.table.unit)
            if same_amount(x, cell_amount):
                continue
            where = f"{ref.table.title}（{ref.table.id}）"
            unit = ref.table.unit or "万元"
            yield self.finding(
                ctx, c.spans.get("amount", c.span),
                f"{c.subject} 文中为 {amt(x)} 万元，{where}为 {ref.cell.text} {unit}",
                f"{c.subject}: the text says {amt(x)}, {ref.table.id} ({ref.table.title}) says {ref.cell.text}",
                severity=severity, related=[ref.location(ctx.document)], expected=ref.cell.text,
                actual=amt(x), label=c.subject or "")


class PartsSumMismatch(Rule):
    """分项之和与总数不符

    ## What it does
    Reads ``A x 万元，其中：B y 万元、C z 万元…`` (and ``X 中，B…；C…``) and checks the
    parts against the whole: no part may exceed it, the parts of a list of two or more
    add up to it (rounding-aware; fewer is a warning, since a list may leave items
    out), and a whole stated as 0 cannot have non-zero parts.

    ## Why is this bad?
    The breakdown and the total cannot both be right.

    ## Example
    ```text
    政府采购支出总额 0 万元，其中：政府采购货物支出 6.45 万元……
    ```

    ## Known false positives
    An unnumbered list that mixes items and their sub-items is summed as one level.
    """

    code = "N006"
    name = "narrative.parts-sum-mismatch"
    severity = Severity.ERROR
    summary_en = "parts do not add up to the whole"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        nar = _narrative(ctx)
        for c in nar.of("parts"):
            whole = c.values.get("amount")
            related: list[Location] = []
            if whole is None:
                found = nar.cell_for(c.subject, c.span)
                if found is None:
                    continue
                whole = found[0].cell.amount
                related = [found[0].location(ctx.document)]
            parts = [(p, p.values.get("amount")) for p in c.parts if p.values.get("amount") is not None]
            if whole is None or not parts:
                continue
            span = c.spans.get("amount", c.span)
            total = sum((a.value for _, a in parts), ZERO)
            if whole.value == 0 and any(a.value != 0 for _, a in parts):
                yield self.finding(
                    ctx, span,
                    f"{c.subject}写为 0 万元，其分项却合计 {fmt(total)} 万元",
                    f"{c.subject} is stated as 0 but its parts add up to {fmt(total)}",
                    related=related + _part_places(ctx, parts), expected=fmt(total), actual=amt(whole), label=c.subject or "")
                continue
            over = [(p, a) for p, a in parts if a.value - a.rounding > whole.value + whole.rounding]
            if over:
                p, a = over[0]
                yield self.finding(
                    ctx, p.spans.get("amount", p.span),
                    f"分项大于总数：{p.subject} {amt(a)} 万元超过{c.subject} {amt(whole)} 万元",
                    f"a part exceeds the whole: {p.subject} {amt(a)} is more than {c.subject} {amt(whole)}",
                    related=[Location(ctx.path, span, c.subject or "")] + related, expected=f"≤ {amt(whole)}",
                    actual=amt(a), label=p.subject or "")
                continue
            if len(parts) < 2:
                continue
            slack = whole.rounding + sum((a.rounding for _, a in parts), ZERO)
            diff = total - whole.value
            if abs(diff) <= slack:
                continue
            short = "（是否漏列分项？）" if diff < 0 else ""
            yield self.finding(
                ctx, span,
                f"分项之和与总数不符：{len(parts)} 项分项合计 {fmt(total)} 万元，{c.subject}为 {amt(whole)} 万元，"
                f"相差 {fmt(abs(diff))} 万元{short}",
                f"parts do not add up: {len(parts)} parts total {fmt(total)}, {c.subject} is {amt(whole)} "
                f"(off by {fmt(abs(diff))}{', an item left out?' if diff < 0 else ''})",
                severity=Severity.ERROR if diff > 0 else Severity.WARNING, related=related + _part_places(ctx, parts),
                expected=amt(whole), actual=fmt(total), label=c.subject or "")


def _part_places(ctx: RuleContext, parts: list[tuple[Claim, Amount]]) -> list[Location]:
    """Where a breakdown states its parts (asked only for a finding: most breakdowns add up)."""
    return [Location(ctx.path, p.spans.get("amount", p.span), p.subject or "") for p, _ in parts]


class ConflictingStatements(Rule):
    """同一数额在情况说明中前后不一致

    ## What it does
    Groups the amounts the narrative states by what they are of (the subject map's
    quantity, or the same normalised subject under the same heading) and reports a
    quantity stated with values that cannot all be right, with every place as a
    location.

    ## Why is this bad?
    Two different values for one quantity: at least one is wrong.

    ## Example
    ```text
    “三公”经费财政拨款支出……支出决算为 9.35 万元
    ……本单位 2022 年“三公”经费支出合计 9.53 万元
    ```

    ## Known false positives
    Two quantities named with the same words under the same heading and list item, with
    no qualifier in their clause, are taken as one.
    """

    code = "N008"
    name = "narrative.conflicting-statements"
    severity = Severity.ERROR
    summary_en = "one quantity stated with different values"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        nar = _narrative(ctx)
        keyed: list[tuple[tuple, Claim]] = []
        for c in nar.of("amount"):
            x = c.values.get("amount")
            if x is None or not c.subject:
                continue
            if _COMPARES.search(c.subject):
                continue  # "本年数小于上年预算数 29.65 万元" states a difference, not a quantity
            section = nar.section(c)
            entry = nar.map.entry_for(c.subject, section)
            if entry is not None:
                key: tuple = ("map", entry.name)
            elif not _generic(c.subject) and c.unit is not None:
                # A quantity's identity includes the list item (project) it is stated
                # under and the qualifiers of its clause ("由小微企业供应商中标的，采购金额…").
                key = ("subject", _normal(c.subject), section)
            else:
                continue
            keyed.append((key, c))
        # The item and the qualifier are read only where a subject is stated twice (a
        # quantity stated once is never reported); groups keep the order of their first claim.
        keyed = [(key + (nar.item_of(c),) if key[0] == "subject" else key, c) for key, c in _repeated(keyed)]
        groups: dict[tuple, list[Claim]] = {}
        for key, c in _repeated(keyed):
            if key[0] == "subject":
                key += (_qualifier(ctx.document, c),)
            groups.setdefault(key, []).append(c)
        for key, claims in groups.items():
            if len(claims) < 2:
                continue
            first = claims[0]
            differing = [c for c in claims[1:] if not same_amount(first.values["amount"], c.values["amount"])]
            if not differing:
                continue
            stated_at = list(dict.fromkeys((amt(c.values["amount"]), c.span.line) for c in claims))
            values = "、".join(f"{value}（第 {line} 行）" for value, line in stated_at)
            values_en = ", ".join(f"{value} (line {line})" for value, line in stated_at)
            name = key[1]
            yield self.finding(
                ctx, first.spans.get("amount", first.span),
                f"{name}在情况说明中前后不一致：{values}",
                f"{name} is stated with different values: {values_en}",
                related=[Location(ctx.path, c.spans.get("amount", c.span), c.subject or "") for c in claims[1:]],
                expected=amt(first.values["amount"]), actual=amt(differing[0].values["amount"]),
                label=first.subject or "")


def _repeated(keyed: list[tuple[tuple, Claim]]) -> list[tuple[tuple, Claim]]:
    """The claims whose key comes up more than once, in order."""
    counts = Counter(key for key, _ in keyed)
    return [(key, c) for key, c in keyed if counts[key] >= 2]


class ComparisonYear(Rule):
    """比较年份与报告年度不符

    ## What it does
    A change ``比 2020 年增加…`` or ``与 2021 年相比…`` in a 2022 report must compare
    with the year before the report year; a change whose own year (``2021 年度收、支
    总计…与上年相比``) is not the report year is reported too.

    ## Why is this bad?
    A wrong year usually means the sentence was carried over from an earlier report
    and its numbers were not updated.

    ## Example
    ```text
    公务接待费支出决算比 2020 年减少 0.46 万元。   (2022 年度决算)
    ```

    ## Known false positives
    A deliberate comparison with an earlier year (a multi-year trend) is reported.
    """

    code = "N009"
    name = "narrative.comparison-year"
    severity = Severity.ERROR
    summary_en = "comparison year inconsistent with the report year"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        nar = _narrative(ctx)
        year = nar.report_year()
        if year is None:
            return
        for c in nar.of("change"):
            cy = c.values.get("compared_year")
            own = c.values.get("year")
            if cy is not None and int(cy.value) == year and (c.base or "").endswith("预算"):
                continue  # "与 2020 年度预算相比" in a 2020 report: this year's budget
            if cy is not None and int(cy.value) != year - 1:
                yield self.finding(
                    ctx, c.spans.get("compared_year", c.span),
                    f"比较年份为 {int(cy.value)} 年，{year} 年度报告应与 {year - 1} 年（上年）比较",
                    f"compares with {int(cy.value)}; a {year} report compares with {year - 1}",
                    expected=str(year - 1), actual=str(int(cy.value)), label=c.subject or "")
            elif own is not None and int(own.value) != year and (cy is None or int(cy.value) != int(own.value) - 1):
                yield self.finding(
                    ctx, c.spans.get("year", c.span),
                    f"增减说明的年度为 {int(own.value)} 年，与报告年度 {year} 年不符",
                    f"the change is stated for {int(own.value)}, the report is for {year}",
                    expected=str(year), actual=str(int(own.value)), label=c.subject or "")


RULES = [ShareMismatch, GrowthRateMismatch, ChangeArithmetic, CompletionRateMismatch, AmountTableMismatch,
         PartsSumMismatch, ConflictingStatements, ComparisonYear]
# N007 (the shares of a breakdown add up to 100%) is a DSL rule: narrative.rules.


# ====================================================================== issue 11: reviewers' checks


_DIRECTION_WORDS = {"increase": ("增加", "increase"), "decrease": ("减少", "decrease"), "flat": ("持平", "no change")}
_VERSUS = re.compile(
    r"(?P<a>决算数?|执行数|实际支出数?|支出决算数?)[^，,；;。]{0,4}?"
    r"(?P<word>大于|小于|高于|低于|超过|超出|多于|少于|等于|与(?:年初|全年|调整后?)?预算数?持平)"
    r"(?:年初|全年|调整后?)?(?:预算数?)?")


def _may_compare(text: str) -> bool:
    """Could ``_VERSUS`` match in ``text``?  (A few substring tests reject most paragraphs
    faster than the search.)"""
    return ("决算" in text or "执行数" in text or "实际支出" in text) and (
        "于" in text or "超" in text or "持平" in text)


_VERSUS_SIGN = {"大于": 1, "高于": 1, "超过": 1, "超出": 1, "多于": 1, "小于": -1, "低于": -1, "少于": -1, "等于": 0}


class DirectionMismatch(Rule):
    """增减方向与数字不符

    ## What it does
    Checks the direction a sentence states against the numbers it compares: ``增加``,
    ``增长``, ``减少``, ``下降`` and ``持平``/``与上年相同`` against the sign of this year's value
    minus the value compared with (stated in the same sentence or earlier in the
    paragraph), and ``决算数大于（小于、等于）预算数`` against the budget and actual amounts
    the paragraph states.  Differences within the rounding of the stated amounts count
    as ``持平``.

    ## Why is this bad?
    The reader takes the word for the fact: "决算数大于预算数" over a smaller actual, or
    "增加" over a fall, tells the opposite of the tables.

    ## Example
    ```text
    2023 年预算执行数为 45.41 万元，2024 年预算安排 42.60 万元，比 2023 年预算执行数增加 6.19%。
    ```
    42.60 is less than 45.41: a decrease.

    ## Known false positives
    When a sentence compares with a value stated under another name earlier in the
    paragraph, the link may pick the wrong value; a change stated with its amount is
    checked by N003 instead.
    """

    code = "N010"
    name = "narrative.direction-mismatch"
    severity = Severity.ERROR
    summary_en = "the stated direction (increase, decrease, equal) contradicts the numbers"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        nar = _narrative(ctx)
        for c in nar.of("change"):
            cur, prev = c.values.get("current"), c.values.get("previous")
            if cur is None or prev is None or c.direction not in _DIRECTION_WORDS or c.values.get("delta") is not None:
                continue
            diff = cur.value - prev.value
            slack = cur.rounding + prev.rounding
            if _possible({"increase": 1, "decrease": -1, "flat": 0}[c.direction], diff, slack):
                continue  # (the rounding of the stated amounts may hide a small change)
            actual = "flat" if abs(diff) <= slack else "increase" if diff > 0 else "decrease"
            said_zh, said_en = _DIRECTION_WORDS[c.direction]
            real_zh, real_en = _DIRECTION_WORDS[actual]
            span = c.spans.get("direction") or c.spans.get("percent") or c.span
            yield self.finding(
                ctx, span,
                f"文中称{said_zh}，但本年 {amt(cur)} 万元与比较的 {amt(prev)} 万元相比是{real_zh}（{fmt(diff)} 万元）",
                f"the text says {said_en}, but {amt(cur)} against {amt(prev)} is {real_en} ({fmt(diff)})",
                related=_places(ctx, c, ("current", "本年数"), ("previous", "比较数")),
                expected=real_zh, actual=said_zh, label=c.subject or "")
        yield from self._versus(ctx, nar)

    def _versus(self, ctx: RuleContext, nar: "_Narrative") -> Iterator[Finding]:
        completions = nar.of("completion")
        if not completions:
            return  # (a comparison is checked against a completion claim before it)
        for p in paragraphs(ctx.document):
            text = p.text
            if not _may_compare(text):
                continue
            m = _VERSUS.search(text)
            if not m:
                continue
            at = p.positions[m.start("word")]
            before = [c for c in completions if c.values.get("budget") is not None and c.values.get("actual") is not None
                      and p.lines[0] - 12 <= c.span.line <= at[0] and nar.section(c) == nar.sections.get(at[0], ())]
            if not before:
                continue
            c = before[-1]
            b, a = c.values["budget"], c.values["actual"]
            word = m.group("word")
            sign = _VERSUS_SIGN.get(word, 0)
            # Which budget the words mean may be open (年初 or 全年): only a direction
            # that fits none of the budgets stated nearby is reported.
            budgets = [b] + [x.values["amount"] for x in nar.of("amount")
                             if c.span.line - 3 <= x.span.line <= c.span.line and _budget_kind(x.subject)
                             and x.values.get("amount") is not None and nar.section(x) == nar.section(c)]

            def direction(budget: Amount) -> int:
                diff = a.value - budget.value
                return 0 if abs(diff) <= a.rounding + budget.rounding else (1 if diff > 0 else -1)

            if any(_possible(sign, a.value - x.value, a.rounding + x.rounding) for x in budgets):
                continue
            real = direction(b)
            real_zh = {1: "大于", -1: "小于", 0: "等于"}[real]
            span = Span(at[0], at[1], at[0], at[1] + len(word))
            yield self.finding(
                ctx, span,
                f"文中称决算数{word}预算数，但决算 {amt(a)} 万元{real_zh}预算 {amt(b)} 万元",
                f"the text says the actual is '{word}' the budget, but {amt(a)} against {amt(b)} is "
                f"{'more' if real > 0 else 'less' if real < 0 else 'equal'}",
                related=_places(ctx, c, ("budget", "预算数"), ("actual", "决算数")),
                expected=real_zh, actual=word, label=c.subject or "")


_COMPLETION_OF = re.compile(r"完成了?(?:年初|全年|调整后?)预算")
def _possible(sign: int, diff: Decimal, slack: Decimal) -> bool:
    """Can a difference stated as ``diff`` (true value within ``slack``) have ``sign``?"""
    if sign > 0:
        return diff > -slack
    if sign < 0:
        return diff < slack
    return abs(diff) <= slack


_BUDGET_KIND = re.compile(r"(?P<initial>年初)|(?P<final>全年|调整后?|调整)")


def _budget_kind(text: str) -> str | None:
    m = _BUDGET_KIND.search(text or "")
    if not m:
        return None
    return "initial" if m.group("initial") else "final"


_BUDGET_NAMES = {"initial": ("年初预算", "the initial budget"), "final": ("全年预算（调整后预算）", "the adjusted budget")}


class CompletionAgainstOtherBudget(_RateRule):
    """完成率按另一口径的预算计算

    ## What it does
    When the narrative states both the 年初预算 and the 全年预算 (调整后预算) and a
    completion rate "完成年初预算的 P%" (or "完成全年预算的 P%"), checks which budget P
    was computed on and reports a rate that matches the other one, saying which.

    ## Why is this bad?
    The two budgets differ by the year's adjustments; a rate taken on the adjusted
    budget but called "年初预算" (or the reverse) misstates how the original budget was
    kept.

    ## Example
    ```text
    年初预算为 80.00 万元，全年预算为 100.00 万元，支出决算为 90.00 万元，完成年初预算的 90.00%。
    ```
    90.00 / 80.00 = 112.50%; the 90.00% is the rate on the 全年预算 of 100.00.

    ## Known false positives
    None known; a rate that matches neither budget is left to N004.
    """

    code = "N011"
    name = "narrative.completion-other-budget"
    severity = Severity.ERROR
    summary_en = "completion rate computed on the other budget than the one named"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        nar = _narrative(ctx)
        for c, named, stated_b, other in _other_budget(ctx, nar):
            p, a = c.values["percent"], c.values["actual"]
            rate = _Rate(p, a.value, stated_b.value)
            named_zh, named_en = _BUDGET_NAMES[named]
            other_zh, other_en = _BUDGET_NAMES["final" if named == "initial" else "initial"]
            yield self.rate_finding(
                ctx, c, c.spans.get("percent", c.span), rate,
                f"完成率 {pct(p)}% 是按{other_zh} {amt(other.values['amount'])} 万元计算的，文中却称完成{named_zh}"
                f"（{amt(a)} ÷ {named_zh} {amt(stated_b)} = {rate.expected}）",
                f"the completion rate {pct(p)}% is taken on {other_en} {amt(other.values['amount'])}, but the text "
                f"names {named_en} ({amt(a)} / {amt(stated_b)} = {rate.expected_en})",
                related=[Location(ctx.path, other.spans.get("amount", other.span), other.subject or "")])


def _nearby_budgets(nar: "_Narrative", c: Claim) -> list[Claim]:
    """Budget amounts stated just before a completion claim, in its section."""
    return [x for x in nar.budget_amounts() if c.span.line - 3 <= x.span.line <= c.span.line
            and nar.section(x) == nar.section(c) and (x.span.line, x.span.col) <= (c.span.end_line, c.span.end_col)]


def _named_kind(nar: "_Narrative", c: Claim) -> str | None:
    """The budget a completion rate says it is of (``完成年初预算的`` → initial), asked by
    N004 and N011 of every completion claim."""
    found = nar.named_kinds.get(id(c), ())
    if found == ():
        # (完成… is looked for in the compact sentence only when the sentence has a 完)
        said = _COMPLETION_OF.search(compact(c.sentence)) if "完" in c.sentence else None
        found = nar.named_kinds[id(c)] = _budget_kind(said.group(0)) if said else None
    return found


def _named_budget(nar: "_Narrative", c: Claim) -> Amount | None:
    """The budget a completion rate names (年初 or 全年), when stated nearby."""
    named = _named_kind(nar, c)
    if named is None:
        return None
    hit = next((x for x in reversed(_nearby_budgets(nar, c)) if _budget_kind(x.subject) == named), None)
    return hit.values["amount"] if hit is not None else None


def _other_budget(ctx: RuleContext, nar: "_Narrative"):
    """Completion claims whose rate matches the budget of the other kind stated nearby:
    (claim, kind named, the named budget amount, the other budget's amount claim)."""
    def build(_ctx: RuleContext) -> list:
        out = []
        for c in nar.of("completion"):
            p, a, b = c.values.get("percent"), c.values.get("actual"), c.values.get("budget")
            if p is None or a is None:
                continue
            named = _named_kind(nar, c)
            if named is None:
                continue
            near = _nearby_budgets(nar, c)
            named_b = next((x for x in reversed(near) if _budget_kind(x.subject) == named), None)
            other = next((x for x in reversed(near) if _budget_kind(x.subject) not in (None, named)), None)
            if other is None:
                continue
            stated_b = named_b.values["amount"] if named_b is not None else b
            if stated_b is None or stated_b.value <= 0 or other.values["amount"].value <= 0:
                continue
            on_named = ratio(stated(a), stated(stated_b))
            on_other = ratio(stated(a), stated(other.values["amount"]))
            sp = stated_percent(p)
            if on_named is not None and on_named.overlaps(sp):
                continue
            if on_other is not None and on_other.overlaps(sp):
                out.append((c, named, stated_b, other))
        return out

    return ctx.cached("narrative.other-budget", build)


_GRAND_TOTAL = re.compile(r"(?:收入|支出|收支|收入支出|收、支)(?:预算|决算)?总计$|^(?:预算|决算)?总计$")
_SCOPED = re.compile(r"财政拨款|一般公共预算|政府性基金|国有资本|其他|事业|专户|结转|经营|上级|附属|基本|项目")
_TOTAL_LABEL = re.compile(r"^(?:收入|支出|收支)?总计$")


def _table_totals(tables) -> list[tuple[Table, Cell]]:
    """The cells of every recognized table's 总计 rows (收入总计, 支出总计, 总计)."""
    out = []
    for t in tables.all:
        for panel in t.panels.values():
            for row in panel.rows:
                if not _is_total_label(row.label or ""):
                    continue
                for col in panel.columns:
                    cell = panel.cell(row.key, col)
                    if cell is not None and cell.amount is not None:
                        out.append((t, cell))
                        break
    return out


@lru_cache(maxsize=1 << 14)  # pure; asked of every amount the narrative states
def _names_grand_total(subject: str | None) -> bool:
    """Does ``subject`` name the filing's grand total (not one fund's or one kind's)?"""
    key = _normal(subject)
    m = _GRAND_TOTAL.search(key) if key else None
    return not (m is None or _SCOPED.search(key[:m.start()] + m.group(0)) or _SCOPED.search(compact(subject or "")))


@lru_cache(maxsize=1 << 14)  # pure; asked of every row of every table
def _is_total_label(label: str) -> bool:
    return bool(_TOTAL_LABEL.match(compact(label)))


def _compared_by_n005(nar: "_Narrative", c: Claim, totals: list[tuple[Table, Cell]]) -> bool:
    """Does the subject map send this amount to one of the tables' 总计 cells?  Then N005
    compares it with that very cell, and N012 would only say the same thing again."""
    found = nar.cell_for(c.subject, c.span)
    if found is None:
        return False
    mapped = found[0]
    return any(t is mapped.table and cell.span == mapped.cell.span for t, cell in totals)


class GrandTotalMismatch(Rule):
    """情况说明中的收支总计与报表总计不符

    ## What it does
    Finds the grand totals the narrative states for the whole filing (``收入支出总计``,
    ``收、支总计``, ``收入预算总计``, ``支出总计`` — not those of one fund or one kind of
    income) and checks that the value is one of the 总计 rows the recognized tables
    print, in the tables' unit.  A total the subject map already ties to its 总计 cell
    (``收、支总计`` → 收入支出决算总表 总计) is left to N005, so one wrong number gives one
    finding.

    ## Why is this bad?
    The 总计 is the first number a reader compares; a narrative total that no table
    prints was copied from another version of the filing or mistyped.

    ## Example
    ```text
    2024 年度收、支总计 2,961.86 万元。        (收入支出决算总表 总计: 2,961.68)
    ```

    ## Known false positives
    A narrative that states the total of a part of the department under the plain word
    总计 is compared with the department's tables.
    """

    code = "N012"
    name = "narrative.grand-total-mismatch"
    severity = Severity.ERROR
    summary_en = "the narrative's grand total is not the tables' 总计"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        nar = _narrative(ctx)
        totals: list[tuple[Table, Cell]] | None = None  # (read when the text states a grand total)
        for c in nar.of("amount"):
            x = c.values.get("amount")
            if x is None or not _names_grand_total(c.subject):
                continue
            if totals is None:
                totals = _table_totals(ctx.tables)
            if not totals:
                return
            if _compared_by_n005(nar, c, totals):
                continue  # one wrong number, one finding for this comparison: N005 reports it
            values = [(t, cell, in_wanyuan(cell.amount, t.unit)) for t, cell in totals]
            if any(same_amount(x, v) for _, _, v in values):
                continue
            t, cell, _ = values[0]
            unit = t.unit or "万元"
            yield self.finding(
                ctx, c.spans.get("amount", c.span),
                f"{c.subject} 文中为 {amt(x)} 万元，报表总计为 {cell.text} {unit}（{t.title}）",
                f"{c.subject}: the text says {amt(x)}, the tables' 总计 is {cell.text} ({t.title})",
                related=[Location(ctx.path, cell.span, f"{t.id} {t.title}：总计")], expected=cell.text,
                actual=amt(x), label=c.subject or "")


# A zero must be a zero: 为0 万元, 为 0.00 万元, 0.00万元 — not 为0.69 万元.
_EXPLAINED = re.compile(r"未发生|未安排|未开支|没有发生|无此|无该|无相关|无“?三公|不再|取消|暂停|为零|为0(?:\.0+)?(?![.\d])"
                        r"|(?<![\d.])0\.00万元|结转|调减|压减")


_THREE_PUBLIC_ITEMS = {"total": "三公", "abroad": "因公出国", "reception": "公务接待", "car_subtotal": "公务用车",
                       "car_purchase": "公务用车购置", "car_operation": "公务用车运行"}


class ThreePublicBlank(Rule):
    """“三公”经费表预算数与决算数一空一填，情况说明未作解释

    ## What it does
    In a “三公”经费 table that prints 预算数 beside 决算数, finds an item whose budget is
    stated but whose actual is left blank (or the reverse), and reports it unless the
    narrative explains it: a sentence naming the item, or “三公”经费 as a whole, says it
    was 未发生, 无, 为 0 (not 为 0.69), 取消 ….

    ## Why is this bad?
    A blank 决算数 under a budget says neither "spent nothing" nor how much was
    spent; readers cannot tell an unfilled cell from an unspent budget.

    ## Example
    ```text
    财政拨款“三公”经费支出决算表：公务接待费 预算数 0.95，决算数（空白）；情况说明未提及
    ```

    ## Known false positives
    An explanation worded in a way the rule does not read (other than 未发生, 无, 为 0,
    取消, 不再, 压减 …) is not recognized.
    """

    code = "N013"
    name = "narrative.three-public-blank"
    severity = Severity.WARNING
    summary_en = "三公 table: budget stated, actual blank (or the reverse), not explained"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        # Sentence by sentence: an explanation names what it explains in the same sentence
        # (a table note defining 决算数 as spending 以前年度结转 money explains no blank).
        narrative: list[str] | None = None  # (read only when a cell is blank beside a filled one)
        for t in ctx.tables.all:
            if "三公" not in compact(t.title):
                continue
            for panel in t.panels.values():
                budget = next((r for r in panel.rows if r.alias == "budget" or compact(r.label) in ("预算数", "预算")), None)
                final = next((r for r in panel.rows if r.alias == "final" or compact(r.label) in ("决算数", "决算")), None)
                if budget is None or final is None:
                    continue
                explained = False
                # Items first: a total is explained when its items are.
                for col in sorted(panel.columns, key=lambda k: compact(panel.header(k)) in ("合计", "total", "小计")):
                    b, f = panel.cell(budget.key, col), panel.cell(final.key, col)
                    if b is None or f is None:
                        continue
                    if b.amount is not None and b.amount.value != 0 and f.blank:
                        filled, empty, what = b, f, ("预算数", "决算数")
                    elif f.amount is not None and f.amount.value != 0 and b.blank:
                        filled, empty, what = f, b, ("决算数", "预算数")
                    else:
                        continue
                    item = compact(panel.header(col))
                    if not re.search(r"[\u4e00-\u9fff]", item):
                        item = _THREE_PUBLIC_ITEMS.get(col, item)
                    if item in ("合计", "小计", ""):
                        item = "三公"
                    if narrative is None:
                        narrative = [s for p in paragraphs(ctx.document) for s in re.split(r"[。；;]", compact(p.text)) if s]
                    if any(item[:4] in p and _EXPLAINED.search(p) for p in narrative) or any(
                            "三公" in p and _EXPLAINED.search(p) for p in narrative):
                        explained = True
                        continue
                    if item == "三公" and explained:
                        continue  # the items that make up the total were explained
                    yield self.finding(
                        ctx, empty.span,
                        f"{t.title}「{panel.header(col)}」{what[0]}为 {filled.text}，{what[1]}空白，情况说明未作解释",
                        f"{t.title} '{panel.header(col)}': {what[0]} is {filled.text} and {what[1]} is blank, "
                        f"with no explanation in the narrative",
                        related=[Location(ctx.path, filled.span, what[0])], expected="0.00 或说明",
                        actual="空白", label=panel.header(col))


_RESTATED = {"预算安排", "预算安排数", "预算数", "预算", "决算数", "决算", "支出决算"}


class ItemAmountRestated(Rule):
    """同一条目中前后写出的本年金额不一致

    ## What it does
    In a numbered item of the narrative (``7、……（项）56.12 万元。…… 2026 年预算安排
    57.8 万元，比 2025 年……``), compares the item's own amount, stated first, with the
    same year's amount the item restates (``本年预算安排``, ``预算数``, ``决算数`` of the report
    year), rounding-aware.

    ## Why is this bad?
    The item names one amount twice; at least one of them is wrong, and the growth rate
    beside it was computed on one of the two.

    ## Example
    ```text
    12、住房公积金（01项）208.8 万元。…… 2026 年预算安排 201.50 万元，比 2025 年预算执行数增加 5.27%。
    ```

    ## Known false positives
    An item whose first amount is of another scope than the restated one (a project's
    total over several years before this year's 预算安排).
    """

    code = "N014"
    name = "narrative.item-amount-restated"
    severity = Severity.ERROR
    summary_en = "an item restates its own amount for the year with another value"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        nar = _narrative(ctx)
        year = nar.report_year()
        first: dict[int, Claim] = {}
        with_amount = [c for c in nar.of("amount") if c.values.get("amount") is not None]
        if not any(_normal(c.subject) in _RESTATED for c in with_amount):
            return  # (nothing restated: the items need not be read)
        in_items = [c for c in with_amount if nar.item_of(c) is not None]
        may_start, text_kind = _MAY_START_ITEM.match, BlockKind.TEXT  # (an enum member read from its class is slow)
        starts = sorted(b.line for b in ctx.document.blocks
                        if b.kind is text_kind and may_start(b.text) and _ITEM_START.match(compact(b.text)))
        for c in in_items:
            x = c.values["amount"]
            # An item starts at its marker's line (several items may share a paragraph).
            at = bisect_right(starts, c.span.line)
            if not at:
                continue
            item = starts[at - 1]
            if item not in first:
                first[item] = c
                continue
            if _normal(c.subject) not in _RESTATED:
                continue
            own_year = _YEAR_LEAD.match(compact(c.subject or ""))
            if own_year and (year is None or int(own_year.group(1)) != year):
                continue
            head = first[item]
            h = head.values["amount"]
            if same_amount(h, x) or role_of(head.subject) not in (None, role_of(c.subject)):
                continue  # (a budget at the head and an actual after it are two quantities)
            yield self.finding(
                ctx, c.spans.get("amount", c.span),
                f"本条目开头写 {amt(h)} 万元，此处又写{c.subject} {amt(x)} 万元，前后不一致",
                f"the item states {amt(h)} at its head and {c.subject} {amt(x)} here",
                related=[Location(ctx.path, head.spans.get("amount", head.span), head.subject or "")],
                expected=amt(h), actual=amt(x), label=c.subject or "")


_YEAR_LEAD = re.compile(r"^(\d{4})年")
# What an item marker can start with, before compact() (spaces, full-width digits):
# lines that cannot open an item are not compacted.
_MAY_START_ITEM = re.compile(r"^[\s\u3000\xa0\u200b\ufeff]*[（(一二三四五六七八九十\d①-⑳]")

_CLASS_NAMED = re.compile(r"(?P<name>[^，。；：:、“”\"（）()\d\s]{2,30}?)[（(](?P<code>\d{2,3})(?P<level>类|款|项)[）)]")


class ClassNameMismatch(Rule):
    """情况说明中功能分类科目名称与报表不一致

    ## What it does
    Reads the 功能分类 classes the narrative names with their codes
    (``卫生健康支出（210类）行政事业单位医疗（11款）行政单位医疗（01项）``), builds each full
    code (``210``, ``21011``, ``2101101``) and compares the name with the label the
    recognized tables print for that code.  Names that differ only in spacing, brackets
    or a cut-off ending are the same.

    ## Why is this bad?
    The classification is revised from year to year (``医疗卫生与计划生育支出`` became
    ``卫生健康支出``); a narrative that uses another name than its tables was carried over
    from an old filing, and the reader cannot match the sentence to the table row.

    ## Example
    ```text
    11、医疗卫生与计划生育支出（210类）行政事业单位医疗（11款）…   (表中 210：卫生健康支出)
    ```

    ## Known false positives
    A table whose label for the code was cut or merged with the next cell by the reader.
    """

    code = "N015"
    name = "narrative.class-name-mismatch"
    severity = Severity.WARNING
    summary_en = "a 功能分类 class named in the narrative differs from the tables' label for its code"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        narrative = paragraphs(ctx.document)
        if not _names_a_code("".join(p.text for p in narrative)):
            return  # (most filings name no class with its code)
        labels: dict[str, str] | None = None
        reported: set[tuple[str, str]] = set()
        for p in narrative:
            text, code = p.text, ""
            for m in _classes_named(text):
                if labels is None:
                    labels = _class_labels(ctx.tables)
                if not labels:
                    return
                part, level = m.group("code"), m.group("level")
                if level == "类":
                    code = part
                elif code and len(part) == 2:
                    code = (code[:3] if level == "款" else code[:5]) + part
                else:
                    continue
                label = labels.get(code)
                name = compact(m.group("name"))
                if label is None or _same_label(name, label) or (name, label) in reported:
                    continue
                reported.add((name, label))
                line, col = p.positions[m.start("name")]
                end_line, end_col = p.positions[m.end("name") - 1]
                yield self.finding(
                    ctx, Span(line, col, end_line, end_col + 1),
                    f"科目 {code} 文中写作「{name}」，报表中为「{label}」",
                    f"class {code} is named '{name}' in the text but '{label}' in the tables",
                    expected=label, actual=name, label=code)


def _class_labels(tables) -> dict[str, str]:
    """The label the tables print for each class code (the first one)."""
    labels: dict[str, str] = {}
    for t in tables.all:
        for panel in t.panels.values():
            for row in panel.rows:
                if row.code and row.label:
                    labels.setdefault(row.code, _class_label(row.label))
    return labels


_CLASS_CODE = re.compile(r"[（(]\d{2,3}(?:类|款|项)[）)]")
_CODE_END = re.compile(r"[类款项][）)]")  # how a code in brackets ends


def _names_a_code(text: str) -> bool:
    """Could ``text`` hold a class code in brackets: a digit, then 类/款/项 and the closing
    bracket?  (Searching for the ending, which starts with one of three rare characters,
    is ~5x faster than searching for the code; most endings close a ``（类）`` without one.)"""
    return any(m.start() and text[m.start() - 1].isdigit() for m in _CODE_END.finditer(text))


def _classes_named(text: str) -> Iterator[re.Match]:
    """The matches of ``_CLASS_NAMED.finditer(text)``, found from the codes: a name has
    no bracket, so a match ends at the first code after its start and starts at most
    30 characters before it.  (Trying the lazy name at every character of a paragraph
    cost more than the rest of N015.)"""
    done = 0
    for code in _CLASS_CODE.finditer(text):
        if code.start() < done:
            continue
        m = _CLASS_NAMED.search(text, max(code.start() - 30, done), code.end())
        if m is not None:
            done = m.end()
            yield m


def _same_label(a: str, b: str) -> bool:
    a, b = (re.sub(r"[（）()“”\"、]", "", x) for x in (a, b))
    if a == b or (min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a) or a.endswith(b) or b.endswith(a))):
        return True
    from difflib import SequenceMatcher

    return SequenceMatcher(None, a, b).ratio() >= 0.8


RULES += [DirectionMismatch, CompletionAgainstOtherBudget, GrandTotalMismatch, ThreePublicBlank, ItemAmountRestated,
          ClassNameMismatch]
