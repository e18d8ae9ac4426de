"""The compiled form of a rule and how it runs on one filing.

The compiler (:mod:`lint.dsl.compiler`) turns the syntax tree into a tree of these
nodes with every name already resolved against the vocabulary; evaluating one needs
only the filing (:class:`Env`).  Values are :class:`~lint.dsl.values.Num` (rounding
aware), ``str``, ``bool``, rows (:class:`RowVal`), columns (:class:`ColVal`), claims,
and lists of those.  Anything the filing lacks raises :class:`~lint.dsl.values.Absent`,
which skips the assertion instance that needed it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any, Callable, Iterator, Sequence

from ..engine.rules import RuleContext
from ..model import Claim, Panel, RowInfo, Span, Table
from . import values as V
from .values import Absent, CellSource, ClaimSource, Num, Source, TableAbsent
from .vocabulary import TableVocab, Vocabulary

# ------------------------------------------------------------------ runtime values


@dataclass(slots=True)
class RowVal:
    """A row of a recognized table, with what labels need.

    One per row (and vocabulary) per filing, made by :meth:`Env.rowval`, so the row's
    cells (``cells``: column key → :class:`Num`) are read once for every rule.
    ``place`` is what its cells' sources name it by (see :class:`~lint.dsl.values.CellSource`)."""

    table: Table
    panel: Panel
    info: RowInfo
    vocab: TableVocab | None
    cells: dict = field(default_factory=dict, compare=False, repr=False)
    place: tuple = field(default=(), compare=False, repr=False)
    kids: list | None = field(default=None, compare=False, repr=False)  # children(row), once found

    @property
    def columns(self) -> list[str]:
        return list(self.panel.columns)


@dataclass(frozen=True)
class ColVal:
    key: str
    name: str  # as printed in the header (from the template)


@dataclass
class PanelVal:
    table: Table
    panel: Panel
    vocab: TableVocab | None


class Env:
    """What an expression is evaluated in: the filing, the bound loop variables and
    the innermost row / column / claim (for message placeholders)."""

    __slots__ = ("ctx", "vocab", "vars", "row", "col", "claim", "cache")

    def __init__(self, ctx: RuleContext, vocab: Vocabulary, vars: dict[str, Any] | None = None,
                 row: RowVal | None = None, col: ColVal | None = None, claim: Claim | None = None,
                 cache: dict | None = None):
        self.ctx = ctx
        self.vocab = vocab
        self.vars = vars or {}
        self.row = row
        self.col = col
        self.claim = claim
        self.cache = {} if cache is None else cache

    def bind(self, name: str, value: Any) -> "Env":
        # Every item of every loop makes one: fields copied directly, not through __init__.
        env = _new_env(Env)
        env.ctx, env.vocab, env.cache = self.ctx, self.vocab, self.cache
        env.vars = {**self.vars, name: value}
        env.row, env.col, env.claim = self.row, self.col, self.claim
        kind = type(value)
        if kind is RowVal:
            env.row = value
        elif kind is ColVal:
            env.col = value
        elif isinstance(value, Claim):
            env.claim = value
        return env

    def loop(self) -> "Env":
        """A copy whose loop variable :meth:`step` sets item by item: a loop over
        a table's rows makes one Env, not one per row."""
        env = _new_env(Env)
        env.ctx, env.vocab, env.cache = self.ctx, self.vocab, self.cache
        env.vars = dict(self.vars)
        env.row, env.col, env.claim = self.row, self.col, self.claim
        return env

    def step(self, outer: "Env", name: str, value: Any) -> None:
        """Bind ``name`` to ``value`` in this loop Env (made by ``outer.loop()``), as
        ``outer.bind(name, value)`` would."""
        self.vars[name] = value
        kind = type(value)
        if kind is RowVal:  # (a RowVal is no Claim)
            self.row, self.col, self.claim = value, outer.col, outer.claim
        else:
            self.row = outer.row
            self.col = value if kind is ColVal else outer.col
            self.claim = value if isinstance(value, Claim) else outer.claim

    def snapshot(self) -> "Env":
        """A copy that later steps of the loop do not change (kept by a Failure)."""
        return Env(self.ctx, self.vocab, dict(self.vars), self.row, self.col, self.claim, self.cache)

    # ---------------------------------------------------------------- lookups

    def table(self, table_id: str) -> Table:
        t = self.ctx.tables.get(table_id)
        if t is None:
            raise TableAbsent(table_id)
        return t

    def table_labels(self, table: Table) -> tuple[str, str]:
        labels = self.ctx.cache.get(_LABELS_CACHE)
        if labels is None:
            labels = self.ctx.cache[_LABELS_CACHE] = {}
        found = labels.get(id(table))
        if found is None:
            found = labels[id(table)] = _table_labels(table, self.ctx)
        return found

    def rowval(self, table: Table, panel: Panel, info: RowInfo, vocab: TableVocab | None) -> RowVal:
        """The filing's one RowVal of a row (as read with ``vocab``'s column names)."""
        return self.rowvals(table, panel, (info,), vocab)[0]

    def rowvals(self, table: Table, panel: Panel, infos: Sequence[RowInfo], vocab: TableVocab | None) -> list[RowVal]:
        """:meth:`rowval` of each of ``infos`` (rows of ``panel``)."""
        rows = self.ctx.cache.get(_ROWVAL_CACHE)
        if rows is None:
            rows = self.ctx.cache[_ROWVAL_CACHE] = {}
        vid = id(vocab)
        out = []
        labels = None
        for info in infos:
            key = (id(info), vid)
            found = rows.get(key)
            if found is None:
                if labels is None:
                    tz, te = self.table_labels(table)
                    labels = (tz, te, vocab.panels.get(panel.name) if vocab is not None else None)
                found = rows[key] = RowVal(table, panel, info, vocab, {}, (labels[0], labels[1], info, labels[2]))
            out.append(found)
        return out

    def children(self, row: RowVal) -> list[RowVal]:
        """The rows whose code extends this row's by one level (a list its callers only read)."""
        kids = row.kids
        if kids is None:
            kids = row.kids = self._children(row)
        return kids

    def _children(self, row: RowVal) -> list[RowVal]:
        rows = self.ctx.cache.setdefault(_ROWS_CACHE, {})
        key = ("children", id(row.panel))
        index = rows.get(key)
        if index is None:
            index = {}
            for r in row.panel.rows:
                code = r.code or ""
                if len(code) in (5, 7) and code.isdigit():
                    index.setdefault(code[:-2], []).append(r)
            rows[key] = index
        code = row.info.code or ""
        if not code or code not in index:
            return []
        return self.rowvals(row.table, row.panel, index[code], row.vocab)

    def rows(self, pv: "PanelVal") -> list[RowVal]:
        """Every row of a panel (the same RowVals for every rule of the filing; a list
        its callers only read)."""
        rows = self.ctx.cache.setdefault(_ROWS_CACHE, {})
        key = ("all", id(pv.panel), id(pv.vocab))
        found = rows.get(key)
        if found is None:
            found = rows[key] = self.rowvals(pv.table, pv.panel, pv.panel.rows, pv.vocab)
        return found

    def cell(self, row: RowVal, column: str) -> Num:
        # A cell's number (and its Source) is the same for every rule that reads it:
        # made once per filing, kept on the filing's RowVal.
        num = row.cells.get(column)
        if num is None:
            if column not in row.panel.columns:
                raise Absent(column)
            num = row.cells[column] = self._cell_num(row, column)
        return num

    def _cell_num(self, row: RowVal, column: str) -> Num:
        # As Num.stated(cell.amount, source), written out: made for every cell of a filing.
        cell = row.panel.cell(row.info.key, column)
        if cell is None:
            return Num(_ZERO, _ZERO, (CellSource(None, True, row.place, column),), 0, False)
        amount = cell.amount
        if amount is None:
            return Num(_ZERO, _ZERO, (CellSource(cell.span, True, row.place, column),), 0, False)
        source = (CellSource(cell.span, False, row.place, column),)
        if amount.percent:
            return Num(amount.value / 100, amount.rounding / 100, source, amount.decimals, True)
        return Num(amount.value, amount.rounding, source, amount.decimals, False)


_new_env = object.__new__
_NOT_FOUND = object()
_ZERO = V.ZERO

# ctx.cache keys: the filing's RowVals by (row, vocabulary), whose cells hold the numbers
# read; lists of them (a panel's rows, a row's children); the tables' printed names;
# loop-invariant generators' items.  The objects keyed by id() live in the context
# (tables) or the compiled rules (vocabularies, generators) for as long as the cache does.
_ROWVAL_CACHE = "dsl.rowvals"
_ROWS_CACHE = "dsl.rows"
_LABELS_CACHE = "dsl.labels"
_GEN_CACHE = "dsl.gens"
_LOOKUP_CACHE = "dsl.lookups"  # RowLookup's answers, by (node, key)
_ALIAS_CACHE = "dsl.aliases"  # row aliases by label, by PanelVocab

_ORDINAL = re.compile(r"^(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十百]+[、.．]|\d+[、.．])")


_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1 << 14)  # pure; the same labels are matched by many rules
def norm_label(text: str) -> str:
    """A row label for matching: no spaces, no leading ordinal (``一、`` ``（二）`` ``3.``)."""
    t = _SPACES.sub("", text or "")
    return _ORDINAL.sub("", t)


def _table_labels(table: Table, ctx: RuleContext) -> tuple[str, str]:
    # The filing's own words for the table ("公开03表") when we know where they are.
    if table.number_span is not None:
        s = table.number_span
        printed = "".join(ctx.document.line_text(s.line)[s.col - 1: s.end_col - 1].split())
        if printed and (not table.number or table.number.lstrip("0") in printed):
            return printed, f"table {table.number or printed}"
    if table.number:
        return f"公开{table.number}表", f"table {table.number}"
    return table.id, table.id


def _claim_source(claim: Claim, role: str, amount: Any) -> Source:
    span = claim.spans.get(role) if claim.spans else None
    return ClaimSource(span or claim.span, claim, role, amount)


def claim_value(claim: Claim, role: str) -> Num:
    amount = claim.values.get(role) if claim.values else None
    if amount is None:
        raise Absent(role)
    return Num.stated(amount, _claim_source(claim, role, amount))


# ------------------------------------------------------------------- expressions


class Expr:
    """A compiled expression.  ``kind`` is its static type: num, str, bool, row,
    rows, col, cols, claim, claims, table, panel, report."""

    kind: str = "num"

    def eval(self, env: Env) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def test(self, env: Env) -> tuple[bool, list[V.Comparison]]:
        """For boolean expressions: the truth and the comparisons that decided it."""
        return bool(self.eval(env)), []

    def holds(self, env: Env) -> bool:
        """``test(env)[0]`` without the comparisons (most assertions hold: their
        comparisons are only made again for one that fails)."""
        return self.test(env)[0]

    def truth(self, env: Env) -> bool:
        """As a ``where`` condition: something missing makes it false."""
        try:
            return self.holds(env)
        except Absent:
            return False


@dataclass
class Const(Expr):
    value: Any
    kind: str = "num"

    def eval(self, env):
        return self.value


@dataclass
class Var(Expr):
    name: str
    kind: str = "row"

    def eval(self, env):
        return env.vars[self.name]


@dataclass
class TableRef(Expr):
    table_id: str
    kind: str = "table"

    def eval(self, env):
        return env.table(self.table_id)


@dataclass
class PanelRef(Expr):
    table_id: str
    panel: str | None  # None: the table's main panel
    kind: str = "panel"

    def eval(self, env) -> PanelVal:
        t = env.table(self.table_id)
        if self.panel is None:
            if not t.panels:
                raise Absent(self.table_id)
            p = t.main
        else:
            p = t.panels.get(self.panel)
            if p is None:
                raise Absent(f"{self.table_id}.{self.panel}")
        return PanelVal(t, p, env.vocab.tables.get(self.table_id))


@dataclass
class AllRows(Expr):
    panel: PanelRef
    kind: str = "rows"

    def eval(self, env) -> list[RowVal]:
        return env.rows(self.panel.eval(env))


@dataclass
class RowLookup(Expr):
    """A row of a table or panel: by template alias (static) or by a key that is a
    code, a row key, an alias or a printed label."""

    table_id: str
    panel: str | None  # None: search every panel, first match wins
    alias: str | None = None
    key: Expr | None = None
    kind: str = "row"

    def eval(self, env) -> RowVal:
        # The same row is looked up by every instance of an assertion (and a key row by
        # each row naming it): the answer is kept for the filing.
        found = env.ctx.cache.get(_LOOKUP_CACHE)
        if found is None:
            found = env.ctx.cache[_LOOKUP_CACHE] = {}
        if self.alias is not None:  # a named row: one answer per filing
            entry = found.get(id(self))
            if entry is None or entry[0] is not self:
                try:
                    entry = (self, self._lookup(env, None), None)
                except Absent as exc:
                    # Kept without its traceback: that holds the frames (and through them
                    # this dict), a cycle keeping the filing alive until the collector runs.
                    entry = (self, None, exc.with_traceback(None))
                found[id(self)] = entry
            if entry[1] is None:
                exc = entry[2]
                raise type(exc)(*exc.args)
            return entry[1]
        return self._lookup(env, found)

    def _lookup(self, env, found: dict | None) -> RowVal:
        env.table(self.table_id)  # a missing table first (optional() does not read it as zeros)
        if self.alias is not None:
            key = None
        else:
            key = self.key.eval(env)
            if isinstance(key, Num):  # table03[2010301]: a code written as a number
                key = format(key.value, "f")
            key = str(key)
        if found is None:
            row = self._find(env, key)
        else:  # by what is looked up, not by node: table03[row.code].total and .basic share it
            at = (self.table_id, self.panel, key, id(env.vocab))
            row = found.get(at, _NOT_FOUND)
            if row is _NOT_FOUND:
                row = found[at] = self._find(env, key)
        if row is None:
            raise Absent(self.alias if key is None else key)
        return row

    def _find(self, env, key: str | None) -> RowVal | None:
        t = env.table(self.table_id)
        tv = env.vocab.tables.get(self.table_id)
        panels = [t.panels[self.panel]] if self.panel in t.panels else ([] if self.panel else list(t.panels.values()))
        for p in panels:
            r = _by_alias(p, self.alias, tv) if key is None else _by_key(env, p, key)
            if r is not None:
                return env.rowval(t, p, r, tv)
        return None


def _by_alias(panel: Panel, alias: str, tv: TableVocab | None) -> RowInfo | None:
    for r in panel.rows:
        if r.alias == alias:
            return r
    labels = ()
    if tv is not None and panel.name in tv.panels:
        labels = tv.panels[panel.name].rows.get(alias, ())
    wanted = {norm_label(x) for x in labels}
    if wanted:
        for r in panel.rows:
            if r.alias is None and norm_label(r.label) in wanted:
                return r
    return None


def _by_key(env: Env, panel: Panel, key: str) -> RowInfo | None:
    """The first row whose code, key or alias is ``key``, else the first whose label is
    (normalized), from an index of the panel made once per filing."""
    rows = env.ctx.cache.setdefault(_ROWS_CACHE, {})
    index = rows.get(("keys", id(panel)))
    if index is None:
        names: dict[str, RowInfo] = {}
        labels: dict[str, RowInfo] = {}
        for r in panel.rows:
            for name in (r.code, r.key, r.alias):
                if name is not None:
                    names.setdefault(name, r)
            labels.setdefault(norm_label(r.label), r)
        index = rows[("keys", id(panel))] = (names, labels)
    found = index[0].get(key)
    return found if found is not None else index[1].get(norm_label(key))


@dataclass
class CellRef(Expr):
    """A cell: a row and a column (a key, or a column variable)."""

    row: Expr
    column: str | None = None
    column_var: Expr | None = None
    kind: str = "num"

    def eval(self, env) -> Num:
        # row[c] inside loops: the variables read directly, the cell from the row's own cache.
        r = self.row
        row = env.vars[r.name] if r.__class__ is Var else r.eval(env)
        key = self.column
        if key is None:
            c = self.column_var
            key = (env.vars[c.name] if c.__class__ is Var else c.eval(env)).key
        num = row.cells.get(key)
        return num if num is not None else env.cell(row, key)


@dataclass
class RowAsNum(Expr):
    """A row of a single-column panel used as a number (``table06.personnel``)."""

    row: Expr
    kind: str = "num"

    def eval(self, env) -> Num:
        row = self.row.eval(env)
        if len(row.panel.columns) != 1:
            raise Absent("single column")
        return env.cell(row, row.panel.columns[0])


ROW_ATTRS = ("code", "label", "level", "is_total", "alias")
_LEVELS = {n: Num.exact(n) for n in (1, 2, 3)}


@dataclass
class RowAttr(Expr):
    row: Expr
    attr: str
    kind: str = "str"

    def eval(self, env):
        row: RowVal = self.row.eval(env)
        info = row.info
        if self.attr == "level":
            level = info.level
            if level is None:
                raise Absent("level")
            num = _LEVELS.get(level)  # (a Num is immutable: one per level serves every row)
            return num if num is not None else Num.exact(level)
        if self.attr == "is_total":
            return info.kind == "total" or (info.alias or _template_alias(env, row)) in ("total", "grand_total")
        if self.attr == "code":
            if not info.code:
                raise Absent("code")
            return info.code
        if self.attr == "alias":
            return info.alias or _template_alias(env, row) or ""
        return getattr(info, self.attr) or ""


def _template_alias(env: Env, row: RowVal) -> str | None:
    # A recognizer may leave RowInfo.alias unset; the template's labels still say
    # which named row this is (the first alias, in the template's order, one of
    # whose labels it is).
    if row.vocab is None:
        return None
    names = row.vocab.panels.get(row.panel.name)
    if names is None:
        return None
    return _aliases_by_label(env, names).get(norm_label(row.info.label))


def _aliases_by_label(env: Env, names: Any) -> dict[str, str]:
    """A panel vocabulary's row aliases by their normalized labels, first alias first
    (made once per filing)."""
    cache = env.ctx.cache.get(_ALIAS_CACHE)
    if cache is None:
        cache = env.ctx.cache[_ALIAS_CACHE] = {}
    found = cache.get(id(names))
    if found is None or found[0] is not names:
        by_label: dict[str, str] = {}
        for alias, labels in names.rows.items():
            for x in labels:
                by_label.setdefault(norm_label(x), alias)
        found = cache[id(names)] = (names, by_label)
    return found[1]


CLAIM_TEXT_ATTRS = ("kind", "subject", "base", "sentence", "direction", "unit")


@dataclass
class ClaimAttr(Expr):
    claim: Expr
    attr: str
    kind: str = "num"

    def eval(self, env):
        c: Claim = self.claim.eval(env)
        if self.attr == "parts":
            return list(c.parts)
        if self.kind == "str":
            value = getattr(c, self.attr, None)
            if value is None:
                raise Absent(self.attr)
            return value
        return claim_value(c, self.attr)


@dataclass
class ClaimsQuery(Expr):
    filters: dict[str, Expr] = field(default_factory=dict)
    kind: str = "claims"

    def eval(self, env) -> list[Claim]:
        wanted = {k: e.eval(env) for k, e in self.filters.items()}
        if len(wanted) == 1:
            ((k, v),) = wanted.items()
            return [c for c in env.ctx.claims if getattr(c, k, None) == v]
        return [c for c in env.ctx.claims if all(getattr(c, k, None) == v for k, v in wanted.items())]


@dataclass
class ColumnsOf(Expr):
    panel: PanelRef
    kind: str = "cols"

    def eval(self, env) -> list[ColVal]:
        pv = self.panel.eval(env)
        # the same ColVals for every rule of the filing (a list its callers only read)
        rows = env.ctx.cache.setdefault(_ROWS_CACHE, {})
        key = ("columns", id(pv.panel), id(pv.vocab))
        found = rows.get(key)
        if found is None:
            names = pv.vocab.panels.get(pv.panel.name) if pv.vocab else None
            found = rows[key] = [ColVal(c, names.column_name(c) if names else c) for c in pv.panel.columns]
        return found


@dataclass
class Children(Expr):
    row: Expr
    kind: str = "rows"

    def eval(self, env) -> list[RowVal]:
        return env.children(self.row.eval(env))


@dataclass
class ReportAttr(Expr):
    attr: str  # year / unit
    kind: str = "num"

    def eval(self, env):
        if self.attr == "year":
            year = env.ctx.report_year or env.ctx.document.metadata.get("report_year")
            try:
                return Num.exact(int(year))
            except (TypeError, ValueError):
                raise Absent("report.year") from None
        unit = env.ctx.document.metadata.get("unit")
        if not unit:
            for t in env.ctx.tables:
                if t.unit:
                    unit = t.unit
                    break
        if not unit:
            raise Absent("report.unit")
        return unit


# ------------------------------------------------------------------- arithmetic

_ARITH: dict[str, Callable[[Num, Num], Num]] = {"+": V.add, "-": V.sub, "*": V.mul, "/": V.div}


@dataclass
class Arith(Expr):
    op: str
    left: Expr
    right: Expr
    kind: str = "num"

    def eval(self, env) -> Num:
        a = self.left.eval(env)
        b = self.right.eval(env)
        if self.op == "+":  # V.add written out: every row of every row-sum identity adds
            return Num(a.value + b.value, a.tol + b.tol, V._merged(a._sources, b._sources),
                       a.decimals if a.decimals >= b.decimals else b.decimals, a.percent and b.percent)
        return _ARITH[self.op](a, b)


@dataclass
class Negate(Expr):
    operand: Expr
    kind: str = "num"

    def eval(self, env) -> Num:
        return V.neg(self.operand.eval(env))


@dataclass
class Optional_(Expr):
    operand: Expr
    kind: str = "num"

    def eval(self, env) -> Num:
        try:
            return self.operand.eval(env)
        except TableAbsent:
            raise
        except Absent:
            return Num.exact(0)


@dataclass
class NumFunc(Expr):
    """abs / round / min / max over numbers given as arguments."""

    name: str
    args: list[Expr]
    kind: str = "num"

    def eval(self, env) -> Num:
        vals = [a.eval(env) for a in self.args]
        if self.name == "abs":
            n = vals[0]
            return Num(abs(n.value), n.tol, n._sources, n.decimals, n.percent)
        if self.name == "round":
            places = int(vals[1].value) if len(vals) > 1 else 0
            return V.round_to(vals[0], places)
        return _pick(self.name, vals)


def _pick(name: str, vals: Sequence[Num]) -> Num:
    if not vals:
        raise Absent(name)
    best = min(vals, key=lambda n: n.value) if name == "min" else max(vals, key=lambda n: n.value)
    sources: Any = ()
    for n in vals:
        sources = V._merged(sources, n._sources)
    return Num(best.value, best.tol, sources, max(n.decimals for n in vals), best.percent)


@dataclass
class PluginCall(Expr):
    func: Any  # DslFunction
    args: list[Expr]
    kind: str = "num"

    def eval(self, env):
        vals = [a.eval(env) for a in self.args]
        plain = [_plain(v) for v in vals]
        result = self.func.fn(*plain)
        if result is None:
            raise Absent(self.func.name)
        if self.kind == "num":
            sources: tuple[Source, ...] = ()
            decimals = 0
            for v in vals:
                if isinstance(v, Num):
                    sources = V.merge_sources(sources, v.sources)
                    decimals = max(decimals, v.decimals)
            if isinstance(result, bool) or not isinstance(result, (int, float, Decimal)):
                raise TypeError(f"DSL function {self.func.name}() returned {type(result).__name__}, not a number")
            value = Decimal(repr(result)) if isinstance(result, float) else Decimal(result)
            return Num(value, V.ZERO, sources, decimals)
        return result


def _plain(v: Any) -> Any:
    if isinstance(v, Num):
        return None if v.blank else v.value
    if isinstance(v, RowVal):
        return v.info
    if isinstance(v, ColVal):
        return v.key
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v


# ------------------------------------------------------------------- generators


@dataclass
class Gen:
    """``for each var in source [where cond]`` as used by aggregates and loops.

    ``closed``: the source and the condition read no variable of an enclosing loop
    (``for each row in table03 where exists(children(row))`` inside ``for each column
    c``), so the items kept are the same every time: found once per filing."""

    var: str
    source: Expr
    cond: Expr | None = None
    closed: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        self.closed = not free_vars(self)

    def items(self, env: Env, missing_ok: bool) -> Iterator[Env]:
        if self.closed:
            try:
                kept = self._kept(env)
            except Absent:
                if missing_ok:
                    return
                raise
            inner, var = env.loop(), self.var
            step = inner.step
            for item in kept:
                step(env, var, item)
                yield inner
            return
        try:
            items = self.source.eval(env)
        except Absent:
            if missing_ok:
                return
            raise
        # One Env for the whole loop, stepped item by item: what the loop's body does
        # with each item is done before the next (a Failure keeps a snapshot).
        inner, var, cond = env.loop(), self.var, self.cond
        step = inner.step
        for item in items:
            step(env, var, item)
            if cond is None or cond.truth(inner):
                yield inner

    def _kept(self, env: Env) -> list:
        cache = env.ctx.cache.get(_GEN_CACHE)
        if cache is None:
            cache = env.ctx.cache[_GEN_CACHE] = {}
        entry = cache.get(id(self))
        if entry is None or entry[0] is not self:
            try:
                items = self.source.eval(env)
                cond = self.cond
                if cond is None:
                    kept: Any = list(items)
                else:
                    kept, inner, var = [], env.loop(), self.var
                    for item in items:
                        inner.step(env, var, item)
                        if cond.truth(inner):
                            kept.append(item)
            except Absent as exc:
                kept = exc.with_traceback(None)  # (its frames would make a cycle, as in RowLookup.eval)
            entry = cache[id(self)] = (self, kept)
        kept = entry[1]
        if isinstance(kept, Absent):
            raise type(kept)(*kept.args)
        return kept


_PLUGIN = "()"  # in free_vars(): a plugin function is called


def free_vars(node: Any) -> frozenset[str]:
    """The loop variables an expression reads that it does not bind itself.  A plugin
    function counts as reading something (it need not be pure)."""
    if isinstance(node, Var):
        return frozenset((node.name,))
    if isinstance(node, PluginCall):
        out = frozenset((_PLUGIN,))
        for arg in node.args:
            out |= free_vars(arg)
        return out
    if isinstance(node, Gen):
        inner = free_vars(node.cond) if node.cond is not None else frozenset()
        return free_vars(node.source) | (inner - {node.var})
    if isinstance(node, (Aggregate, ExistsNonBlank)):
        body = free_vars(node.body) if node.body is not None else frozenset()
        return free_vars(node.gen) | (body - {node.gen.var})
    out: frozenset[str] = frozenset()
    for value in vars(node).values() if isinstance(node, Expr) else ():
        for part in (value.values() if isinstance(value, dict) else value if isinstance(value, list) else (value,)):
            if isinstance(part, (Expr, Gen)):
                out |= free_vars(part)
    return out


@dataclass
class Aggregate(Expr):
    """sum / min / max / count over a generator (``body`` per item) or a row set."""

    name: str
    gen: Gen
    body: Expr | None
    kind: str = "num"
    # The body is the item's cell (``sum(children(row)[c])``, ``sum(r[c] for each r in
    # t where …)``) and the items need no binding to be found: the cells are read
    # straight from the rows.
    cells: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        body, gen = self.body, self.gen
        self.cells = (self.name != "count" and body.__class__ is CellRef and body.row.__class__ is Var
                      and body.row.name == gen.var and (gen.closed or gen.cond is None)
                      and (body.column is not None
                           or (body.column_var.__class__ is Var and body.column_var.name != gen.var)))

    def eval(self, env):
        if self.cells:
            return self._of_cells(env)
        if self.name == "count":
            if self.body is None:  # count(claim.parts): the items, none bound
                gen = self.gen
                if gen.closed:
                    return Num.exact(len(gen._kept(env)))
                if gen.cond is None:
                    return Num.exact(len(gen.source.eval(env)))
            n = 0
            for inner in self.gen.items(env, missing_ok=False):
                if self.body is None:
                    n += 1
                else:
                    v = self.body.eval(inner)
                    n += 0 if isinstance(v, Num) and v.blank else 1
            return Num.exact(n)
        vals = [self.body.eval(inner) for inner in self.gen.items(env, missing_ok=False)]
        if self.name == "sum":
            return V.total_of(vals)
        return _pick(self.name, vals)

    def _of_cells(self, env):
        gen, body = self.gen, self.body
        rows = gen._kept(env) if gen.closed else gen.source.eval(env)
        key = body.column if body.column is not None else env.vars[body.column_var.name].key
        vals = []
        for row in rows:
            num = row.cells.get(key)
            vals.append(num if num is not None else env.cell(row, key))
        if self.name == "sum":
            return V.total_of(vals)
        return _pick(self.name, vals)


@dataclass
class Exists(Expr):
    operand: Expr
    kind: str = "bool"

    def eval(self, env) -> bool:
        op = self.operand
        try:
            if op.__class__ is ClaimAttr and op.kind == "num" and op.attr != "parts":
                # exists(p.base_value): whether the claim states it (the number itself,
                # one stated non-blank value, is not needed)
                values = op.claim.eval(env).values
                return bool(values) and values.get(op.attr) is not None
            v = op.eval(env)
        except Absent:
            return False
        if isinstance(v, list):
            return bool(v)
        if isinstance(v, Num):
            return not v.blank
        return True


@dataclass
class ExistsNonBlank(Expr):
    """``exists(table03.total)``: some row of the column has a value."""

    gen: Gen
    body: Expr
    kind: str = "bool"

    def eval(self, env) -> bool:
        for inner in self.gen.items(env, missing_ok=True):
            try:
                if not self.body.eval(inner).blank:
                    return True
            except Absent:
                continue
        return False


@dataclass
class ExistsGen(Expr):
    gen: Gen
    kind: str = "bool"

    def eval(self, env) -> bool:
        return any(True for _ in self.gen.items(env, missing_ok=True))


# ------------------------------------------------------------------ comparisons


@dataclass
class CompareExpr(Expr):
    op: str
    left: Expr
    right: Expr
    tolerance: Decimal | None = None  # `within x` (absolute), or 0 for `exact`
    relative: Decimal | None = None  # `within x%`
    text: str = ""
    operands: str = "num"  # "num" or "str"
    kind: str = "bool"

    def test(self, env):
        a = self.left.eval(env)
        b = self.right.eval(env)
        if self.operands != "num":
            ok = (a == b) if self.op == "==" else (a != b)
            return ok, []
        c = V.compare(self.op, a, b, self.tolerance, self.relative, self.text)
        return c.ok, [c]

    def holds(self, env) -> bool:
        a = self.left.eval(env)
        right = self.right
        b = right.value if right.__class__ is Const else right.eval(env)
        if self.operands != "num":
            return (a == b) if self.op == "==" else (a != b)
        if self.op == "==" and self.tolerance is None and self.relative is None:
            return abs(a.value - b.value) <= a.tol + b.tol  # V.holds's commonest case
        return V.holds(self.op, a, b, self.tolerance, self.relative)

    def eval(self, env) -> bool:
        return self.holds(env)


@dataclass
class MemberExpr(Expr):
    item: Expr
    options: list[Expr]
    kind: str = "bool"

    def eval(self, env) -> bool:
        v = self.item.eval(env)
        for o in self.options:
            w = o.eval(env)
            if isinstance(v, Num) and isinstance(w, Num):
                if V.compare("==", v, w).ok:
                    return True
            elif v == w:
                return True
        return False


@dataclass
class BoolExpr(Expr):
    op: str  # and / or
    left: Expr
    right: Expr
    kind: str = "bool"

    def test(self, env):
        ok_a, ca = self.left.test(env)
        if ok_a == (self.op == "or"):  # decided by the left side, as in Python
            return ok_a, ca
        ok_b, cb = self.right.test(env)
        ok = (ok_a and ok_b) if self.op == "and" else (ok_a or ok_b)
        return ok, ca + cb

    def holds(self, env) -> bool:
        if self.op == "and":
            return self.left.holds(env) and self.right.holds(env)
        return self.left.holds(env) or self.right.holds(env)

    def eval(self, env) -> bool:
        return self.holds(env)


@dataclass
class NotExpr(Expr):
    operand: Expr
    kind: str = "bool"

    def test(self, env):
        ok, comps = self.operand.test(env)
        return not ok, comps

    def holds(self, env) -> bool:
        return not self.operand.holds(env)

    def eval(self, env) -> bool:
        return self.holds(env)


# ------------------------------------------------------------------- statements


@dataclass
class Failure:
    """One failed assertion instance: what failed and the loop bindings it failed in."""

    stmt: "AssertStmt"
    comparison: V.Comparison | None
    comparisons: list[V.Comparison]
    env: Env
    sources: tuple[Source, ...] = ()  # for statements that are not comparisons


class Stmt:
    def run(self, env: Env) -> Iterator[Failure]:  # pragma: no cover - abstract
        raise NotImplementedError


@dataclass
class AssertStmt(Stmt):
    expr: Expr
    text: str
    line: int = 0
    # Evaluated twice when it fails (once for the truth, once for the comparisons),
    # unless it calls a plugin function (which may count its calls).
    twice: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        self.twice = _PLUGIN not in free_vars(self.expr)

    def run(self, env):
        failure = self.failure(env)
        if failure is not None:
            yield failure

    def failure(self, env: Env) -> Failure | None:
        """The Failure of this instance, or None when it holds or cannot be checked."""
        try:
            if self.twice and self.expr.holds(env):
                return None
            ok, comps = self.expr.test(env)  # (again) for the comparisons a message shows
        except Absent:
            return None
        if ok:
            return None
        touched = [s for c in comps for s in (*c.left.sources, *c.right.sources)]
        if touched and all(s.blank for s in touched):
            return None  # an empty table (or an empty part of one) has nothing to check
        failed = next((c for c in comps if not c.ok), comps[0] if comps else None)
        return Failure(self, failed, comps, env.snapshot())


@dataclass
class ForStmt(Stmt):
    gen: Gen
    body: list[Stmt]

    def run(self, env):
        body = self.body
        for inner in self.gen.items(env, missing_ok=True):
            for stmt in body:
                if stmt.__class__ is AssertStmt:  # no generator per assertion instance
                    failure = stmt.failure(inner)
                    if failure is not None:
                        yield failure
                else:
                    yield from stmt.run(inner)


@dataclass
class PercentsSumStmt(Stmt):
    """``percent fields sum to 100``: each group of percentages that describe the
    parts of one whole adds up to the total, within the sum of their roundings."""

    total: Decimal  # as a fraction: 100% is 1
    text: str = ""
    line: int = 0

    def run(self, env):
        for claim in _part_groups(env.ctx.claims):
            parts = list(claim.parts)
            if len(parts) < 2 or any("percent" not in (p.values or {}) for p in parts):
                continue
            nums = [claim_value(p, "percent") for p in parts]
            got = V.total(nums)
            want = Num(self.total, V.ZERO, (), 0, True)
            c = V.compare("==", got, want, text=self.text)
            if not c.ok:
                stmt = AssertStmt(Const(True, "bool"), self.text, self.line)
                yield Failure(stmt, c, [c], env.bind("claim", claim))


def _part_groups(claims: Sequence[Claim]) -> Iterator[Claim]:
    for c in claims:
        if c.kind == "parts":
            yield c
        if c.parts:
            yield from _part_groups([p for p in c.parts if p.parts])


# ---------------------------------------------------------------- findings help


def row_span(env: Env, row: RowVal) -> Span:
    """Where a row is: its first printed cell, else its whole line."""
    for col in row.panel.columns:
        cell = row.panel.cell(row.info.key, col)
        if cell is not None and not cell.blank:
            return Span(cell.span.line, 1, cell.span.line, len(env.ctx.document.line_text(cell.span.line)) + 1)
    line = row.info.line
    return Span(line, 1, line, len(env.ctx.document.line_text(line)) + 1)
