"""Rounding-aware numbers: a value together with how far it may be from the truth.

Every number a filing states was rounded by its writer, so it carries a tolerance of
half a unit of its last written decimal (``Amount.rounding``; a stated zero is
exact).  Arithmetic propagates tolerances (sums add them; products and quotients use
the first-order bound plus the second-order term), literals are exact, and a
comparison only fails when the difference cannot be explained by rounding.

A :class:`Num` also remembers the :class:`Source` of every stated number that went
into it, so a failed comparison can point at each cell that took part.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Iterable, Sequence

from ..model import Amount, Span
from ..numbers import fmt

ZERO = Decimal(0)
INFINITY = Decimal("Infinity")


class Absent(Exception):
    """Raised while evaluating when something an assertion needs is not in the
    filing (a table, a row, a column, a claim value): that instance is skipped."""


class TableAbsent(Absent):
    """A whole table is not in the filing.  ``optional(…)`` does not count it as zero:
    a table printed but not recognized would otherwise read as a table of zeros."""


class Source:
    """A stated number's place in the filing: a table cell or a value in a claim.

    Immutable by convention.  A plain class with slots rather than a frozen dataclass:
    one is made for every cell a rule reads, and :class:`CellSource` makes its texts
    only when a finding asks for them."""

    __slots__ = ("span", "label", "label_en", "blank", "where", "where_en", "table", "row", "code",
                 "row_label", "column")

    span: Span | None
    label: str  # "公开03表 2010699 基本支出"
    label_en: str  # "table 03 2010699 basic expenditure"
    blank: bool  # an empty cell: no value
    where: str  # "公开03表 2010699（…）"
    where_en: str
    table: str  # the table as printed ("公开03表") or its id
    row: str  # row code, or label when it has no code
    code: str
    row_label: str
    column: str  # column as printed

    def __init__(self, span: Span | None, label: str, label_en: str, blank: bool = False, where: str = "",
                 where_en: str = "", table: str = "", row: str = "", code: str = "", row_label: str = "",
                 column: str = ""):
        self.span, self.label, self.label_en, self.blank = span, label, label_en, blank
        self.where, self.where_en, self.table, self.row = where, where_en, table, row
        self.code, self.row_label, self.column = code, row_label, column

    def fields(self) -> tuple:
        return (self.span, self.label, self.label_en, self.blank, self.where, self.where_en, self.table,
                self.row, self.code, self.row_label, self.column)

    def sort_key(self) -> tuple:
        s = self.span
        return (0, s.line, s.col) if s else (1, 0, 0)

    def __eq__(self, other: object) -> bool:
        # Sums merge sources by equality.  Two places are equal when every field is;
        # the span decides almost every comparison, so it is compared first (and a
        # CellSource's texts are not made to find two different cells unequal).
        if self is other:
            return True
        if not isinstance(other, Source):
            return NotImplemented
        if self.span != other.span:
            return False
        return self.fields() == other.fields()

    def __hash__(self) -> int:
        return hash(self.span)  # equal sources have equal spans

    def __repr__(self) -> str:
        names = Source.__slots__
        return "Source(" + ", ".join(f"{n}={v!r}" for n, v in zip(names, self.fields())) + ")"


class CellSource(Source):
    """The source of a table cell: its texts (``公开03表 2010699 基本支出`` …) are made
    from the row, the table's printed name and the column's when first read, which is
    only when a finding reports the cell."""

    __slots__ = ("_place", "_key")

    def __init__(self, span: Span | None, blank: bool, place: tuple, column: str):
        self.span, self.blank = span, blank
        # place: (table as printed, its English name, RowInfo, the panel's PanelVocab or None),
        # one tuple shared by the row's cells; column: the column's key.
        self._place, self._key = place, column

    def __getattr__(self, name: str):
        # Only reached for a text not made yet (a set slot is found without calling this).
        if name not in Source.__slots__:
            raise AttributeError(name)
        tz, te, info, names = self._place
        column = self._key
        colname = names.column_name(column) if names is not None else column
        row = info.code or info.label or info.key
        self.label, self.label_en = f"{tz} {row} {colname}", f"{te} {row} {column}"
        if info.code and info.label:
            self.where, self.where_en = f"{tz} {info.code}（{info.label}）", f"{te} {info.code} ({info.label})"
        else:
            self.where, self.where_en = f"{tz} {row}", f"{te} {row}"
        self.table, self.row, self.code, self.row_label, self.column = tz, row, info.code or "", info.label, colname
        return getattr(self, name)


class ClaimSource(Source):
    """The source of a value stated in the narrative (a claim's role): its texts
    (``第12行 amount 38.90``) are made when first read."""

    __slots__ = ("_claim", "_role", "_amount")

    def __init__(self, span: Span | None, claim: object, role: str, amount: object):
        self.span, self.blank = span, False
        self._claim, self._role, self._amount = claim, role, amount

    def __getattr__(self, name: str):
        # Only reached for a text not made yet.
        if name not in Source.__slots__:
            raise AttributeError(name)
        claim, role = self._claim, self._role
        text = getattr(self._amount, "text", "")
        line, subject = claim.span.line, claim.subject  # type: ignore[attr-defined]
        self.label = f"第{line}行 {role} {text}".strip()
        self.label_en = f"line {line} {role} {text}".strip()
        self.where = f"第{line}行" + (f"（{subject}）" if subject else "")
        self.where_en = f"line {line}" + (f" ({subject})" if subject else "")
        self.table, self.row, self.code, self.row_label, self.column = "", "", "", subject or "", ""
        return getattr(self, name)


class Num:
    """A value, its tolerance and where it came from.

    ``decimals`` is the most decimals any stated operand was written with (for
    display); ``percent`` says the value is a fraction written as a percentage.

    Immutable.  The sources of a sum or product are merged only when asked for
    (``sources``): most comparisons hold, and then nobody asks."""

    __slots__ = ("value", "tol", "_sources", "decimals", "percent")

    value: Decimal
    tol: Decimal
    decimals: int
    percent: bool

    def __init__(self, value: Decimal, tol: Decimal = ZERO, sources: "tuple[Source, ...] | _Pending" = (),
                 decimals: int = 0, percent: bool = False):
        self.value, self.tol, self._sources, self.decimals, self.percent = value, tol, sources, decimals, percent

    @property
    def sources(self) -> tuple[Source, ...]:
        s = self._sources
        if s.__class__ is not tuple:
            s = self._sources = s.resolve()
        return s

    @staticmethod
    def exact(value: Decimal | int, percent: bool = False) -> "Num":
        return Num(Decimal(value), ZERO, (), 0, percent)

    @staticmethod
    def stated(amount: Amount | None, source: Source) -> "Num":
        """The number a cell or claim states; a blank counts as 0 with no tolerance."""
        if amount is None:
            return Num(ZERO, ZERO, (source,), 0, False)
        if amount.percent:
            return Num(amount.value / 100, amount.rounding / 100, (source,), amount.decimals, True)
        return Num(amount.value, amount.rounding, (source,), amount.decimals, False)

    @property
    def blank(self) -> bool:
        """Every source is an empty cell (literals alone are not blank)."""
        sources = self.sources
        return bool(sources) and all(s.blank for s in sources)

    def _fields(self) -> tuple:
        return (self.value, self.tol, self.sources, self.decimals, self.percent)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Num:
            return NotImplemented
        return self._fields() == other._fields()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return (f"Num(value={self.value!r}, tol={self.tol!r}, sources={self.sources!r}, "
                f"decimals={self.decimals!r}, percent={self.percent!r})")

    def __reduce__(self):
        return (Num, (self.value, self.tol, self.sources, self.decimals, self.percent))


class _Pending:
    """Sources not merged yet: ``merge_sources`` of two parts, or ``total_of``'s merge
    of several (``total``).  Merged when first asked for, with the same result."""

    __slots__ = ("parts", "total")

    def __init__(self, parts: list, total: bool):
        self.parts, self.total = parts, total

    def resolve(self) -> tuple[Source, ...]:
        parts = [p if p.__class__ is tuple else p.resolve() for p in self.parts]
        if not self.total:
            return merge_sources(parts[0], parts[1])
        sources: list[Source] = []
        seen: set[Source] = set()
        for part in parts:
            new = [s for s in part if s not in seen]  # as merge_sources: against the sum so far
            sources.extend(new)
            seen.update(new)
        return tuple(sources)


def _merged(a: "tuple | _Pending", b: "tuple | _Pending") -> "tuple | _Pending":
    """``merge_sources(a, b)`` of sources that may be pending, itself pending."""
    if not b:
        return a
    if not a:
        return b
    return _Pending([a, b], False)


def merge_sources(a: tuple[Source, ...], b: tuple[Source, ...]) -> tuple[Source, ...]:
    if not b:
        return a
    if not a:
        return b
    if len(a) * len(b) > 32:  # a sum over many rows: a set, not a scan of ``a`` per source
        seen = set(a)
        return a + tuple(s for s in b if s not in seen)
    return a + tuple(s for s in b if s not in a)


def add(a: Num, b: Num) -> Num:
    return Num(a.value + b.value, a.tol + b.tol, _merged(a._sources, b._sources),
               max(a.decimals, b.decimals), a.percent and b.percent)


def total_of(nums: Sequence[Num]) -> Num:
    """``0 + nums[0] + nums[1] + …`` with :func:`add`'s result, in one pass: a sum over
    many rows does not build (and merge the sources of) every partial sum."""
    value, tol, decimals = Decimal(0), ZERO, 0
    parts = []
    for n in nums:
        value += n.value
        tol += n.tol
        if n.decimals > decimals:
            decimals = n.decimals
        if n._sources:
            parts.append(n._sources)
    if len(parts) > 1:
        sources: "tuple | _Pending" = _Pending(parts, True)
    else:
        sources = parts[0] if parts else ()
    return Num(value, tol, sources, decimals, False)  # 0 is no percentage: neither is the sum


def sub(a: Num, b: Num) -> Num:
    return Num(a.value - b.value, a.tol + b.tol, _merged(a._sources, b._sources),
               max(a.decimals, b.decimals), a.percent and b.percent)


def neg(a: Num) -> Num:
    return Num(-a.value, a.tol, a._sources, a.decimals, a.percent)


def mul(a: Num, b: Num) -> Num:
    tol = abs(a.value) * b.tol + abs(b.value) * a.tol + a.tol * b.tol
    return Num(a.value * b.value, tol, _merged(a._sources, b._sources), max(a.decimals, b.decimals), False)


def div(a: Num, b: Num) -> Num:
    """``a / b``; a divisor that is exactly zero makes the value absent (nothing to
    check), one that rounding could make zero gives an unbounded tolerance."""
    if b.value == 0:
        raise Absent("division by zero")
    sources = _merged(a._sources, b._sources)
    decimals = max(a.decimals, b.decimals)
    percent = a.percent and not b.percent
    try:
        value = a.value / b.value
    except InvalidOperation:  # pragma: no cover - only reachable with infinities
        raise Absent("invalid division")
    if a.tol == 0 and b.tol == 0:
        return Num(value, ZERO, sources, decimals, percent)
    if abs(b.value) <= b.tol:
        return Num(value, INFINITY, sources, decimals, percent)
    # The quotient's worst case over a in [a±ta], b in [b±tb]:
    #   |a/b - a'/b'| <= (|a|·tb + |b|·ta) / (|b|·(|b| - tb))
    tol = (abs(a.value) * b.tol + abs(b.value) * a.tol) / (abs(b.value) * (abs(b.value) - b.tol))
    return Num(value, tol, sources, decimals, percent)


def round_to(a: Num, places: int) -> Num:
    """Round half up to ``places`` decimals; the tolerance is the operand's."""
    try:
        value = a.value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than the context holds: nothing sensible to check
        raise Absent("round") from None
    return Num(value, a.tol, a._sources, a.decimals, a.percent)


def total(nums: Iterable[Num]) -> Num:
    out = Num.exact(0)
    first = True
    for n in nums:
        out = n if first else add(out, n)
        first = False
    return out


# ------------------------------------------------------------------ comparisons


@dataclass(unsafe_hash=True, slots=True)
class Comparison:
    """The outcome of comparing two numbers, with what a message needs.  (Slotted, as
    lint.model's per-cell classes: cheap to make and to read; never changed once made.)"""

    ok: bool
    op: str
    left: Num
    right: Num
    tolerance: Decimal
    text: str = ""

    @property
    def difference(self) -> Decimal:
        return self.left.value - self.right.value

    @property
    def within_rounding(self) -> bool:
        """The values differ but the difference is explained by rounding."""
        return self.ok and self.left.value != self.right.value and self.op == "=="


def compare(op: str, left: Num, right: Num, tolerance: Decimal | None = None,
            relative: Decimal | None = None, text: str = "") -> Comparison:
    """Compare with the benefit of the doubt: a comparison holds when some true
    values within each side's rounding would make it hold.

    ``tolerance`` replaces the operands' own (``within 0.05``; ``exact`` passes 0);
    ``relative`` is a fraction of the right-hand side's size (``within 1%``)."""
    tol = _tolerance(left, right, tolerance, relative)
    return Comparison(_decide(op, left.value - right.value, tol), op, left, right, tol, text)


def holds(op: str, left: Num, right: Num, tolerance: Decimal | None = None,
          relative: Decimal | None = None) -> bool:
    """``compare(…).ok`` without making the Comparison (most comparisons hold)."""
    return _decide(op, left.value - right.value, _tolerance(left, right, tolerance, relative))


def _tolerance(left: Num, right: Num, tolerance: Decimal | None, relative: Decimal | None) -> Decimal:
    if relative is not None:
        return abs(right.value) * relative
    if tolerance is not None:
        return tolerance
    return left.tol + right.tol


def _decide(op: str, d: Decimal, tol: Decimal) -> bool:
    """Whether ``left op right`` can hold, ``d`` being left − right, within ``tol``."""
    if op == "==":
        return abs(d) <= tol
    if op == "!=":
        return abs(d) > tol
    if op == "<":
        return d < tol
    if op == "<=":
        return d <= tol
    if op == ">":
        return d > -tol
    if op == ">=":
        return d >= -tol
    raise ValueError(op)  # pragma: no cover - the grammar admits no other operator


# ------------------------------------------------------------------- formatting


def display_decimals(*nums: Num) -> int:
    """Two decimals for amounts, more when an operand was written with more."""
    return max([2] + [n.decimals for n in nums])


def show(num: Num, decimals: int, as_percent: bool = False) -> str:
    """A value as a message shows it: ``38.90`` or, for percentages, ``42.50%``."""
    if as_percent:
        return fmt(num.value * 100, decimals) + "%"
    return fmt(num.value, decimals)


def show_plain(value: Decimal, decimals: int, as_percent: bool = False) -> str:
    if value.is_infinite():
        return "∞"
    if as_percent:
        return fmt(value * 100, decimals) + "%"
    return fmt(value, decimals)


def show_tolerance(value: Decimal, decimals: int, as_percent: bool = False) -> str:
    """Tolerances keep the digit after the last written decimal (``0.015``)."""
    if value.is_infinite():
        return "∞"
    if as_percent:
        value = value * 100
    text = fmt(value, decimals + 1)
    if "." in text:
        text = text.rstrip("0")
        if text.endswith("."):
            text = text[:-1]
        head, _, tail = text.partition(".")
        if len(tail) < decimals:
            text = f"{head}.{tail.ljust(decimals, '0')}"
    return text + ("%" if as_percent else "")
