"""From syntax tree to runnable rules: every name is resolved against the
vocabulary (tables → panels → columns and row aliases; functions), types are
checked, and whole-column references are turned into row-by-row iteration.

Resolution of a reference after a table (see docs/dsl.md):

* ``table03.total`` — one name: a column if the panel has it, else a row alias
  (a number when the panel has a single column), else a panel;
* ``table05.total.basic`` — two names: row (or panel), then column;
* ``table04.expense.total.general_budget`` — panel, row alias, column;
* ``table03["2010301"]`` / ``table01["本年收入合计"]`` — a row by code, key or label.

A statement that uses whole columns (``table03.total == table03.basic + …``) is
checked on every row of that table; inside ``sum()``/``count()``/``min()``/``max()``
a whole column is aggregated instead.
"""

from __future__ import annotations

import itertools
import re
import string
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..engine.rules import CODE_RE, RuleMeta
from ..errors import RuleFileError
from ..model import Severity
from . import ast
from . import evaluate as E
from ..i18n import tr
from .errors import hint, rule_error
from .functions import CLAIM_FILTERS
from .rule import PLACEHOLDERS, CompiledRule
from .values import Num
from .vocabulary import Vocabulary

FIELDS = ("severity", "summary", "summary_en", "message", "message_en", "doc")
SEVERITIES = {"error": Severity.ERROR, "warning": Severity.WARNING, "note": Severity.NOTE}
LOOP_KINDS = {"row": "row", "rows": "row", "column": "col", "col": "col", "claim": "claim", "part": "claim"}
# What each static type is called in messages (Chinese message ids, through tr()).
_WORDS = {
    "num": "数值", "str": "文字", "bool": "条件", "row": "行", "rows": "行集合", "col": "列变量",
    "cols": "列集合", "claim": "说明中的陈述", "claims": "陈述集合", "table": "表", "panel": "表的一部分",
    "report": "报告信息", "vec": "整列", "tuple": "列表",
}


def _kind(kind: str) -> str:
    """The name of a static type in the run's language."""
    return tr(_WORDS[kind]) if kind in _WORDS else kind


def _list(items) -> str:
    """Names joined the way the run's language lists them (、 or , )."""
    return tr("、").join(items)


@dataclass
class T:
    """A compiled expression with its static type and, for rows and columns, the
    table and panel they belong to (``panel=None``: any panel of the table)."""

    ir: Any
    kind: str
    table: str | None = None
    panel: str | None = None
    node: Any = None


@dataclass
class VecRef(E.Expr):
    """A whole column, before it is turned into per-row cells (never evaluated)."""

    key: tuple
    source: E.Expr
    column: str | None
    column_var: E.Expr | None
    node: Any = None
    kind: str = "vec"

    def eval(self, env):  # pragma: no cover - the compiler never leaves one in a rule
        raise AssertionError("whole column left in a compiled rule")


@dataclass
class VarInfo:
    kind: str  # row / col / claim
    table: str | None = None
    panel: str | None = None


@dataclass
class Scope:
    vars: dict[str, VarInfo] = field(default_factory=dict)
    tables: frozenset = frozenset()  # tables the current statement names (for bare column names)
    vectors: list | None = None  # whole columns met outside aggregates (None: not allowed here)
    lift: tuple | None = None  # (vector key, variable) while compiling per row
    rule_has_claims: bool = False

    def child(self, **changes) -> "Scope":
        s = Scope(dict(self.vars), self.tables, self.vectors, self.lift, self.rule_has_claims)
        for k, v in changes.items():
            setattr(s, k, v)
        return s

    def innermost_row(self) -> tuple[str, VarInfo] | None:
        for name in reversed(list(self.vars)):
            if self.vars[name].kind == "row":
                return name, self.vars[name]
        return None


class Compiler:
    """Compiles one rule file.  Errors are :class:`RuleFileError` with a caret."""

    def __init__(self, vocab: Vocabulary, text: str, source: str, pack: str = ""):
        self.vocab = vocab
        self.text = text
        self.source = source
        self.pack = pack
        self._fresh = itertools.count(1)
        self.rule_code = ""  # the rule being compiled, for messages

    # ------------------------------------------------------------------ errors

    def error(self, node: Any, message: str, *, line: int | None = None, column: int | None = None,
              length: int | None = None) -> RuleFileError:
        """``message`` (already in the run's language, from tr()) at ``node``."""
        line = line or getattr(node, "line", 1) or 1
        column = column or getattr(node, "column", 1) or 1
        if length is None:
            end_line = getattr(node, "end_line", line)
            end_col = getattr(node, "end_column", column + 1)
            length = end_col - column if end_line == line and end_col > column else 1
        return rule_error(message, self.source, self.text, line, column, length)

    # ------------------------------------------------------------------- rules

    def compile_file(self, tree: ast.RuleFile) -> list[CompiledRule]:
        seen: dict[str, ast.RuleDef] = {}
        out = []
        for rd in tree.rules:
            if rd.code in seen:
                first = seen[rd.code]
                raise self.error(rd, tr("规则代码 {code} 重复（第 {line} 行已定义）", code=rd.code, line=first.line),
                                 column=rd.code_column, length=len(rd.code))
            seen[rd.code] = rd
            out.append(self.compile_rule(rd))
        return out

    def compile_rule(self, rd: ast.RuleDef) -> CompiledRule:
        self.rule_code = rd.code
        if not CODE_RE.match(rd.code):  # pragma: no cover - the grammar only admits valid codes
            raise self.error(rd, tr("规则代码 {code} 不合规范", code=rd.code),
                             column=rd.code_column, length=len(rd.code))
        fields: dict[str, ast.Field] = {}
        for f in rd.fields:
            if f.name not in FIELDS:
                raise self.error(f, tr("未知的字段 '{name}'{hint}", name=f.name, hint=hint(f.name, FIELDS)),
                                 length=len(f.name))
            if f.name in fields:
                raise self.error(f, tr("字段 '{name}' 重复", name=f.name), length=len(f.name))
            fields[f.name] = f
        if not rd.body:
            raise self.error(rd, tr("规则 {code} 没有任何断言", code=rd.code),
                             column=rd.code_column, length=len(rd.code))
        severity = Severity.ERROR
        if "severity" in fields:
            f = fields["severity"]
            if f.value not in SEVERITIES:
                raise self.error(f, tr("未知的严重级别 '{value}'（可用 error、warning、note）{hint}",
                                       value=f.value, hint=hint(f.value, SEVERITIES)),
                                 line=f.value_line, column=f.value_column, length=len(f.value))
            severity = SEVERITIES[f.value]

        uses_claims = any(isinstance(n, ast.PercentsSum) or (isinstance(n, ast.Call) and n.func == "claims")
                          for n in ast.walk(rd.body))
        scope = Scope(rule_has_claims=uses_claims)
        statements = [self.statement(s, scope) for s in rd.body]

        loop_vars = {n.var for n in ast.walk(rd.body) if isinstance(n, (ast.For, ast.Generator))}
        for key in ("message", "message_en"):
            if key in fields:
                self.check_placeholders(fields[key], loop_vars, uses_claims)

        tables = sorted({n.id for n in ast.walk(rd.body) if isinstance(n, ast.Name) and n.id in self.vocab.tables
                         and n.id not in loop_vars})
        first = next((s for s in rd.body if isinstance(s, ast.Assert)), None)
        default_summary = first.text if first is not None else "percent fields sum to 100"
        summary = fields["summary"].value if "summary" in fields else default_summary
        summary_en = fields["summary_en"].value if "summary_en" in fields else (
            default_summary if "summary" not in fields else "")
        doc = fields["doc"].value if "doc" in fields else self._default_doc(rd, summary)
        meta = RuleMeta(
            code=rd.code, name=rd.name, severity=severity, summary=summary, doc=doc, pack=self.pack,
            origin=f"{self.source}:{rd.line}", summary_en=summary_en, tables=tuple(tables),
        )
        return CompiledRule(meta, statements, self.vocab,
                            fields["message"].value if "message" in fields else "",
                            fields["message_en"].value if "message_en" in fields else "")

    def _default_doc(self, rd: ast.RuleDef, summary: str) -> str:
        lines = self.text.splitlines()[rd.line - 1: rd.end_line]
        body = "\n".join(lines)
        return f"{summary}\n\n## What it does\n\n```rules\n{body}\n```"

    def check_placeholders(self, f: ast.Field, loop_vars: set[str], uses_claims: bool) -> None:
        allowed = set(PLACEHOLDERS) | loop_vars
        try:
            parsed = list(string.Formatter().parse(f.value))
        except ValueError as exc:
            raise self.error(f, tr("消息模板的花括号不成对：{error}", error=exc),
                             line=f.value_line, column=f.value_column, length=1)
        for _lit, name, spec, conv in parsed:
            if name is None:
                continue
            col = self._find_in_line(f.value_line, "{" + name, f.value_column)
            if not re.fullmatch(r"\w+", name) or spec or conv:
                raise self.error(f, tr("占位符 '{placeholder}' 只能是一个名称", placeholder="{" + name + "}"),
                                 line=f.value_line, column=col, length=len(name) + 2)
            if name not in allowed and not uses_claims:
                raise self.error(f, tr("未知的占位符 '{placeholder}'{hint}", placeholder="{" + name + "}",
                                       hint=hint(name, allowed)),
                                 line=f.value_line, column=col, length=len(name) + 2)

    def _find_in_line(self, line: int, needle: str, start: int) -> int:
        lines = self.text.splitlines()
        if 0 < line <= len(lines):
            at = lines[line - 1].find(needle, max(0, start - 1))
            if at >= 0:
                return at + 1
        return start

    # -------------------------------------------------------------- statements

    def statement(self, node: Any, scope: Scope) -> E.Stmt:
        if isinstance(node, ast.Assert):
            return self.assertion(node, scope)
        if isinstance(node, ast.For):
            return self.loop(node, scope)
        if isinstance(node, ast.PercentsSum):
            total = node.total.value if node.total.percent else node.total.value / 100
            return E.PercentsSumStmt(total, f"percent fields sum to {node.total.text}", node.line)
        raise AssertionError(node)  # pragma: no cover

    def assertion(self, node: ast.Assert, scope: Scope) -> E.Stmt:
        tables = frozenset(n.id for n in ast.walk(node.expr)
                           if isinstance(n, ast.Name) and n.id in self.vocab.tables and n.id not in scope.vars)
        vectors: list = []
        first = self.expr(node.expr, scope.child(tables=tables, vectors=vectors, lift=None))
        self.require_bool(first, node.expr, tr("断言"))
        if not vectors:
            return E.AssertStmt(first.ir, node.text, node.line)
        key, source, _ = self.single_source(vectors, node.expr)
        var = f"__row{next(self._fresh)}"
        lifted = self.expr(node.expr, scope.child(tables=tables, vectors=[], lift=(key, var)))
        return E.ForStmt(E.Gen(var, source), [E.AssertStmt(lifted.ir, node.text, node.line)])

    def single_source(self, vectors: list, node: Any) -> tuple:
        keys = []
        for v in vectors:
            if v.key not in [k for k, _, _ in keys]:
                keys.append((v.key, v.source, v.node))
        if len(keys) > 1:
            (k1, _, _), (k2, _, n2) = keys[0], keys[1]
            raise self.error(n2, tr("同一条断言里按行比较了不同的行集合（{first} 与 {second}）；"
                                    "请用 for each row … 并用 表[row.code] 引用另一张表",
                                    first=_describe(k1), second=_describe(k2)))
        return keys[0]

    def loop(self, node: ast.For, scope: Scope) -> E.Stmt:
        gen, inner = self.generator(node.var, node.kind, node.source, node.cond, scope, node)
        body = [self.statement(s, inner) for s in node.body]
        return E.ForStmt(gen, body)

    def generator(self, var: str, kind_word: str | None, source_node: Any, cond_node: Any,
                  scope: Scope, node: Any) -> tuple[E.Gen, Scope]:
        if var in self.vocab.tables or var == "report":
            raise self.error(node, tr("循环变量不能叫 '{var}'，它是表名", var=var),
                             line=node.var_line or node.line, column=node.var_column or node.column, length=len(var))
        wanted = None
        if kind_word is not None:
            if kind_word not in LOOP_KINDS:
                raise self.error(node, tr("for each 之后应写 row、column 或 claim，却是 '{word}'{hint}",
                                          word=kind_word, hint=hint(kind_word, LOOP_KINDS)),
                                 line=node.var_line or node.line, column=node.kind_column or node.column,
                                 length=len(kind_word))
            wanted = LOOP_KINDS[kind_word]
        src = self.expr(source_node, scope.child(vectors=None, lift=None))
        ir, item = self.iterable(src, source_node, wanted)
        inner = scope.child()
        inner.vars[var] = item
        cond = None
        if cond_node is not None:
            c = self.expr(cond_node, inner.child(vectors=None, lift=None))
            self.require_bool(c, cond_node, tr("where 条件"))
            cond = c.ir
        return E.Gen(var, ir, cond), inner

    def iterable(self, src: T, node: Any, wanted: str | None) -> tuple[E.Expr, VarInfo]:
        kind = src.kind
        if kind in ("table", "panel"):
            panel = self.panel_of(src, node)
            pref = E.PanelRef(src.table, None if self.vocab.tables[src.table].single_panel else panel)
            if wanted == "col":
                return E.ColumnsOf(pref), VarInfo("col", src.table, panel)
            return E.AllRows(pref), VarInfo("row", src.table, panel)
        items = {"rows": "row", "cols": "col", "claims": "claim"}.get(kind)
        if items is None:
            raise self.error(node, tr("for each 只能遍历表、行集合、列集合或陈述集合，这里是{kind}", kind=_kind(kind)))
        if wanted is not None and wanted != items:
            raise self.error(node, tr("这里遍历的是{kind}，不是 {wanted}", kind=_kind(kind), wanted=wanted))
        return src.ir, VarInfo(items, src.table, src.panel)

    def panel_of(self, src: T, node: Any) -> str:
        tv = self.vocab.tables[src.table]
        if src.kind == "panel":
            return src.panel
        if tv.single_panel:
            return tv.main.name
        raise self.error(node, tr("{table} 有多个部分（{panels}），请指明，如 {table}.{first}",
                                  table=src.table, panels=_list(tv.panels), first=next(iter(tv.panels))))

    # ------------------------------------------------------------- expressions

    def require_bool(self, t: T, node: Any, what: str) -> None:
        if t.kind != "bool":
            raise self.error(node, tr("{what}应是比较或条件（如 a == b），这里是{kind}", what=what, kind=_kind(t.kind)))

    def num(self, t: T, node: Any) -> E.Expr:
        """``t`` as a number (a single-column row counts as its cell)."""
        if t.kind in ("num", "vec"):
            return t.ir
        if t.kind == "row":
            cols = self.columns_of(t.table, t.panel)
            if len(cols) == 1:
                return E.RowAsNum(t.ir)
            raise self.error(node, tr("这是一整行（有 {columns} 等多列），请指明列，如 …{example}",
                                      columns=_list(cols), example=f"{_tail(node)}.{cols[0]}"))
        raise self.error(node, tr("这里需要数值，却是{kind}", kind=_kind(t.kind)))

    def expr(self, node: Any, scope: Scope) -> T:
        method = getattr(self, "x_" + type(node).__name__.lower())
        return method(node, scope)

    def x_number(self, node: ast.Number, scope: Scope) -> T:
        return T(E.Const(Num.exact(node.value, node.percent)), "num", node=node)

    def x_string(self, node: ast.String, scope: Scope) -> T:
        return T(E.Const(node.value, "str"), "str", node=node)

    def x_tuple(self, node: ast.Tuple, scope: Scope) -> T:
        return T(None, "tuple", node=node)

    def x_unary(self, node: ast.Unary, scope: Scope) -> T:
        inner = self.expr(node.operand, scope)
        ir = self.num(inner, node.operand)
        return T(E.Negate(ir) if node.op == "-" else ir, "num", node=node)

    def x_binop(self, node: ast.BinOp, scope: Scope) -> T:
        a = self.num(self.expr(node.left, scope), node.left)
        b = self.num(self.expr(node.right, scope), node.right)
        if node.op == "/" and _constant(b) == 0:
            # A divisor that is zero for every filing makes the assertion vacuous (a
            # division by a zero *cell* only skips that case): say so, naming the rule.
            raise self.error(node.right, tr("规则 {code} 除以常数零，这条断言永远不会检查任何东西", code=self.rule_code))
        return T(E.Arith(node.op, a, b), "num", node=node)

    def x_compare(self, node: ast.Compare, scope: Scope) -> T:
        a = self.expr(node.left, scope)
        b = self.expr(node.right, scope)
        if a.kind == "str" or b.kind == "str":
            if a.kind != b.kind:
                other = _kind(b.kind if a.kind == "str" else a.kind)
                raise self.error(node, tr("文字只能与文字比较，这里另一边是{kind}", kind=other))
            if node.op not in ("==", "!="):
                raise self.error(node, tr("文字只能用 == 或 != 比较"))
            return T(E.CompareExpr(node.op, a.ir, b.ir, text=node.text, operands="str"), "bool", node=node)
        left = self.num(a, node.left)
        right = self.num(b, node.right)
        tolerance = relative = None
        if node.tolerance is not None:
            if node.tolerance.amount is None:
                tolerance = Decimal(0)
            elif node.tolerance.amount.percent:
                relative = node.tolerance.amount.value
            else:
                tolerance = node.tolerance.amount.value
        return T(E.CompareExpr(node.op, left, right, tolerance, relative, node.text), "bool", node=node)

    def x_member(self, node: ast.Member, scope: Scope) -> T:
        item = self.expr(node.item, scope)
        items = node.container.items if isinstance(node.container, ast.Tuple) else (node.container,)
        options = []
        for o in items:
            t = self.expr(o, scope)
            if item.kind == "str":
                if t.kind != "str":
                    raise self.error(o, tr("in 的列表里应是文字"))
                options.append(t.ir)
            else:
                options.append(self.num(t, o))
        it = item.ir if item.kind == "str" else self.num(item, node.item)
        return T(E.MemberExpr(it, options), "bool", node=node)

    def x_boolop(self, node: ast.BoolOp, scope: Scope) -> T:
        a = self.expr(node.left, scope)
        b = self.expr(node.right, scope)
        self.require_bool(a, node.left, tr("{op} 的两边", op=node.op))
        self.require_bool(b, node.right, tr("{op} 的两边", op=node.op))
        return T(E.BoolExpr(node.op, a.ir, b.ir), "bool", node=node)

    def x_not(self, node: ast.Not, scope: Scope) -> T:
        a = self.expr(node.operand, scope)
        self.require_bool(a, node.operand, tr("not 之后"))
        return T(E.NotExpr(a.ir), "bool", node=node)

    # ----------------------------------------------------------------- names

    def x_name(self, node: ast.Name, scope: Scope) -> T:
        name = node.id
        if name in scope.vars:
            v = scope.vars[name]
            return T(E.Var(name, v.kind), v.kind, v.table, v.panel, node)
        if name in self.vocab.tables:
            return T(E.TableRef(name), "table", name, None, node)
        if name == "report":
            return T(None, "report", node=node)
        row = scope.innermost_row()
        if row is not None:
            rname, info = row
            if name in self.columns_of(info.table, info.panel):
                return T(E.CellRef(E.Var(rname, "row"), column=name), "num", info.table, info.panel, node)
        if len(scope.tables) == 1:
            (table,) = scope.tables
            base = T(E.TableRef(table), "table", table, None, node)
            seg = ast.Attr(ast.Name(table), name, name_line=node.line, name_column=node.column,
                           line=node.line, column=node.column, end_line=node.end_line, end_column=node.end_column)
            return self.step(base, seg, False, scope)
        choices = list(scope.vars) + list(self.vocab.tables) + ["report"]
        if row is not None:
            choices += self.columns_of(row[1].table, row[1].panel)
        if len(scope.tables) > 1:
            raise self.error(node, tr("名称 '{name}' 指代不明：这条断言涉及多张表（{tables}），请写成 表.{name}",
                                      name=name, tables=_list(sorted(scope.tables))))
        suggestion = hint(name, choices)
        if re.fullmatch(r"table\d+", name):
            raise self.error(node, tr("未知的表 '{name}'{hint}", name=name, hint=suggestion), length=len(name))
        raise self.error(node, tr("未知的名称 '{name}'{hint}", name=name, hint=suggestion), length=len(name))

    def x_attr(self, node: ast.Attr, scope: Scope) -> T:
        return self.path(node, scope)

    def x_index(self, node: ast.Index, scope: Scope) -> T:
        return self.path(node, scope)

    def path(self, node: Any, scope: Scope) -> T:
        segs = []
        base = node
        while isinstance(base, (ast.Attr, ast.Index)):
            segs.append(base)
            base = base.obj
        segs.reverse()
        cur = self.expr(base, scope)
        for i, seg in enumerate(segs):
            cur = self.step(cur, seg, i < len(segs) - 1, scope)
        return cur

    def columns_of(self, table: str | None, panel: str | None) -> list[str]:
        tv = self.vocab.tables.get(table or "")
        if tv is None:
            return []
        if panel is not None and panel in tv.panels:
            return list(tv.panels[panel].columns)
        out: list[str] = []
        for p in tv.panels.values():
            out += [c for c in p.columns if c not in out]
        return out

    def step(self, cur: T, seg: Any, more: bool, scope: Scope) -> T:
        kind = cur.kind
        if kind == "table":
            return self.table_step(cur, seg, more, scope)
        if kind == "panel":
            if isinstance(seg, ast.Attr):
                return self.panel_step(cur.table, cur.panel, seg, more, scope)
            return self.row_lookup(cur.table, cur.panel, seg, scope)
        if kind == "row":
            return self.row_step(cur, seg, scope)
        if kind == "rows":
            return self.rows_step(cur, seg, scope)
        if kind == "claim" and isinstance(seg, ast.Attr):
            attr = seg.name
            if attr == "parts":
                return T(E.ClaimAttr(cur.ir, attr, "claims"), "claims", node=seg)
            if attr in E.CLAIM_TEXT_ATTRS:
                return T(E.ClaimAttr(cur.ir, attr, "str"), "str", node=seg)
            if attr.endswith("_value") and attr[:-len("_value")] in E.CLAIM_TEXT_ATTRS:
                # `claim.base` is the whole's name; `claim.base_value` its stated amount.
                return T(E.ClaimAttr(cur.ir, attr[:-len("_value")], "num"), "num", node=seg)
            return T(E.ClaimAttr(cur.ir, attr, "num"), "num", node=seg)
        if kind == "report" and isinstance(seg, ast.Attr):
            if seg.name == "year":
                return T(E.ReportAttr("year", "num"), "num", node=seg)
            if seg.name == "unit":
                return T(E.ReportAttr("unit", "str"), "str", node=seg)
            raise self._name_error(seg, tr("report 没有 '{name}'（可用 year、unit）{hint}",
                                           name=seg.name, hint=hint(seg.name, ("year", "unit"))))
        if isinstance(seg, ast.Attr):
            raise self._name_error(seg, tr("{kind}没有 '.{name}'", kind=_kind(kind), name=seg.name))
        raise self.error(seg, tr("{kind}不能用 [ ] 取值", kind=_kind(kind)))

    def _name_error(self, seg: ast.Attr, message: str) -> RuleFileError:
        return self.error(seg, message, line=seg.name_line, column=seg.name_column, length=len(seg.name))

    def table_step(self, cur: T, seg: Any, more: bool, scope: Scope) -> T:
        tv = self.vocab.tables[cur.table]
        if isinstance(seg, ast.Index):
            return self.row_lookup(cur.table, None if not tv.single_panel else tv.main.name, seg, scope)
        name = seg.name
        if name in tv.panels and not tv.single_panel:
            return T(E.PanelRef(cur.table, name), "panel", cur.table, name, seg)
        if tv.single_panel:
            if name in tv.panels and name not in tv.main.columns and name not in tv.main.rows:
                return T(E.PanelRef(cur.table, None), "panel", cur.table, name, seg)
            return self.panel_step(cur.table, tv.main.name, seg, more, scope)
        fits = [p for p in tv.panels.values() if name in p.rows or (not more and name in p.columns)]
        if len(fits) == 1:
            return self.panel_step(cur.table, fits[0].name, seg, more, scope)
        if len(fits) > 1:
            names = [p.name for p in fits]
            raise self._name_error(seg, tr("'{name}' 在 {table} 的多个部分（{panels}）中都有；请写 {example} 等",
                                           name=name, table=cur.table, panels=_list(names),
                                           example=f"{cur.table}.{names[0]}.{name}"))
        choices = list(tv.panels) + [c for p in tv.panels.values() for c in (*p.rows, *(() if more else p.columns))]
        fields = dict(name=name, table=cur.table, panels=_list(tv.panels), hint=hint(name, choices))
        if more:
            raise self._name_error(seg, tr("未知的部分或行别名 '{name}'（表 {table}，可用部分 {panels}）{hint}", **fields))
        raise self._name_error(seg, tr("未知的部分、列或行别名 '{name}'（表 {table}，可用部分 {panels}）{hint}", **fields))

    def panel_step(self, table: str, panel: str, seg: ast.Attr, more: bool, scope: Scope) -> T:
        tv = self.vocab.tables[table]
        pv = tv.panels[panel]
        pref = E.PanelRef(table, None if tv.single_panel else panel)
        name = seg.name
        where = table if tv.single_panel else f"{table}.{panel}"
        if more or name not in pv.columns:
            if name in pv.rows:
                return T(E.RowLookup(table, pref.panel if pref.panel else None, alias=name), "row", table, panel, seg)
            if more and name in pv.columns:
                raise self._name_error(seg, tr("'{name}' 是列，后面不能再接名称或 [ ]；行别名有 {aliases}",
                                               name=name, aliases=_list(pv.rows) or tr("（无）")))
            if more:
                raise self._name_error(seg, tr("未知的行别名 '{name}'（表 {where}）{hint}", name=name, where=where,
                                               hint=hint(name, pv.rows)))
            raise self._name_error(seg, tr("未知的列 '{name}'（表 {where}）{hint}", name=name, where=where,
                                           hint=hint(name, list(pv.columns) + list(pv.rows))))
        return self.vector(("panel", table, panel), E.AllRows(pref), name, None, seg, table, panel, scope)

    def vector(self, key: tuple, source: E.Expr, column: str | None, column_var: E.Expr | None, node: Any,
               table: str | None, panel: str | None, scope: Scope) -> T:
        if scope.lift is not None and scope.lift[0] == key:
            row = E.Var(scope.lift[1], "row")
            return T(E.CellRef(row, column=column, column_var=column_var), "num", table, panel, node)
        if scope.vectors is None:
            raise self.error(node, tr("这里不能用整列；请在 for each row … 里用 row.列名，或用 sum()/count() 汇总"))
        ref = VecRef(key, source, column, column_var, node)
        scope.vectors.append(ref)
        return T(ref, "vec", table, panel, node)

    def row_lookup(self, table: str, panel: str | None, seg: ast.Index, scope: Scope) -> T:
        tv = self.vocab.tables[table]
        key = self.expr(seg.key, scope.child(vectors=None, lift=None))
        if key.kind == "num" and isinstance(seg.key, ast.Number):
            key = T(E.Const(seg.key.text, "str"), "str", node=seg.key)
        if key.kind == "col":
            raise self.error(seg.key, tr("先选行再选列：表[行][列] 或 表.行别名[列]"))
        if key.kind != "str":
            raise self.error(seg.key, tr("[ ] 里应是科目编码或行名（文字），却是{kind}", kind=_kind(key.kind)))
        static_panel = panel
        lookup_panel = None if tv.single_panel else panel
        if panel is None and isinstance(seg.key, ast.String):
            wanted = E.norm_label(seg.key.value)
            fits = [p.name for p in tv.panels.values()
                    if seg.key.value in p.rows
                    or any(E.norm_label(x) == wanted for labels in p.rows.values() for x in labels)]
            if len(fits) > 1:
                raise self.error(seg.key, tr("'{name}' 在 {table} 的多个部分（{panels}）中都有；请写 {example}",
                                             name=seg.key.value, table=table, panels=_list(fits),
                                             example=f'{table}.{fits[0]}["{seg.key.value}"]'))
            if len(fits) == 1:
                static_panel = fits[0]
        return T(E.RowLookup(table, lookup_panel, key=key.ir), "row", table, static_panel, seg)

    def row_step(self, cur: T, seg: Any, scope: Scope) -> T:
        cols = self.columns_of(cur.table, cur.panel)
        if isinstance(seg, ast.Index):
            key = self.expr(seg.key, scope.child(vectors=None, lift=None))
            if key.kind == "col":
                return T(E.CellRef(cur.ir, column_var=key.ir), "num", cur.table, cur.panel, seg)
            if isinstance(seg.key, ast.String):
                return self._column(cur, seg.key.value, seg, cols, seg.key)
            raise self.error(seg.key, tr("行后面的 [ ] 里应是列变量或列名"))
        name = seg.name
        if name in E.ROW_ATTRS:
            kind = {"level": "num", "is_total": "bool"}.get(name, "str")
            return T(E.RowAttr(cur.ir, name, kind), kind, node=seg)
        return self._column(cur, name, seg, cols, None)

    def _column(self, cur: T, name: str, seg: Any, cols: list[str], key_node: Any) -> T:
        if name not in cols:
            where = cur.table if cur.panel is None or self.vocab.tables[cur.table].single_panel else f"{cur.table}.{cur.panel}"
            message = tr("未知的列 '{name}'（表 {where}）{hint}", name=name, where=where,
                         hint=hint(name, cols + list(E.ROW_ATTRS)))
            if key_node is not None:
                raise self.error(key_node, message)
            raise self._name_error(seg, message)
        return T(E.CellRef(cur.ir, column=name), "num", cur.table, cur.panel, seg)

    def rows_step(self, cur: T, seg: Any, scope: Scope) -> T:
        cols = self.columns_of(cur.table, cur.panel)
        key = ("rows", cur.node)
        if isinstance(seg, ast.Index):
            k = self.expr(seg.key, scope.child(vectors=None, lift=None))
            if k.kind == "col":
                return self.vector(key, cur.ir, None, k.ir, seg, cur.table, cur.panel, scope)
            if isinstance(seg.key, ast.String) and seg.key.value in cols:
                return self.vector(key, cur.ir, seg.key.value, None, seg, cur.table, cur.panel, scope)
            raise self.error(seg.key, tr("行集合后面的 [ ] 里应是列变量或列名"))
        if seg.name not in cols:
            raise self._name_error(seg, tr("未知的列 '{name}'（表 {where}）{hint}", name=seg.name, where=cur.table,
                                           hint=hint(seg.name, cols)))
        return self.vector(key, cur.ir, seg.name, None, seg, cur.table, cur.panel, scope)

    # ----------------------------------------------------------------- calls

    def x_call(self, node: ast.Call, scope: Scope) -> T:
        fn = self.vocab.functions.get(node.func)
        if fn is None:
            raise self.error(node, tr("未知的函数 '{name}'{hint}", name=node.func,
                                      hint=hint(node.func, self.vocab.functions)), length=len(node.func))
        n = len(node.args)
        if n < fn.min_args or (fn.max_args is not None and n > fn.max_args):
            raise self.error(node, tr("函数 {name} 需要 {arity} 个参数，这里给了 {n} 个", name=fn.name,
                                      arity=fn.arity_text(), n=n), length=len(node.func))
        if node.kwargs and fn.name != "claims":
            kw = node.kwargs[0]
            raise self.error(kw, tr("函数 {name} 不接受 {keyword}= 参数", name=fn.name, keyword=kw.name))
        if node.generator is not None and fn.name not in ("sum", "count", "exists", "min", "max"):
            raise self.error(node.generator, tr("只有 sum、count、exists、min、max 可以带 for each"))
        if not fn.builtin:
            return self.plugin_call(fn, node, scope)
        return getattr(self, "f_" + fn.name)(node, scope)

    def plugin_call(self, fn: Any, node: ast.Call, scope: Scope) -> T:
        args = []
        for a in node.args:
            t = self.expr(a, scope.child(vectors=None, lift=None))
            args.append(self.num(t, a) if t.kind == "row" else t.ir)
        kind = fn.returns if fn.returns in ("num", "str", "bool") else "num"
        return T(E.PluginCall(fn, args, kind), kind, node=node)

    def _aggregate(self, name: str, node: ast.Call, scope: Scope) -> T:
        if node.generator is not None:
            g = node.generator
            gen, inner = self.generator(g.var, g.kind, g.source, g.cond, scope, g)
            if name == "exists":
                return T(E.ExistsGen(gen), "bool", node=node)
            if name == "count":
                return T(E.Aggregate("count", gen, None), "num", node=node)
            body = self.expr(node.args[0], inner.child(vectors=None, lift=None))
            return T(E.Aggregate(name, gen, self.num(body, node.args[0])), "num", node=node)
        if len(node.args) > 1:
            if name in ("count", "exists"):  # pragma: no cover - arity checked above
                raise AssertionError(name)
            parts = [self.num(self.expr(a, scope), a) for a in node.args]
            if name == "sum":  # balanced, so sum(600 cells) evaluates without deep recursion
                while len(parts) > 1:
                    parts = [E.Arith("+", parts[i], parts[i + 1]) if i + 1 < len(parts) else parts[i]
                             for i in range(0, len(parts), 2)]
                return T(parts[0], "num", node=node)
            return T(E.NumFunc(name, parts), "num", node=node)
        arg = node.args[0]
        vectors: list = []
        t = self.expr(arg, scope.child(vectors=vectors, lift=None))
        if vectors:
            key, source, _ = self.single_source(vectors, arg)
            var = f"__row{next(self._fresh)}"
            lifted = self.expr(arg, scope.child(vectors=[], lift=(key, var)))
            if lifted.kind == "bool":
                raise self.error(arg, tr("{name}() 里应是数值列", name=name))
            body = self.num(lifted, arg)
            gen = E.Gen(var, source)
            if name == "exists":
                return T(E.ExistsNonBlank(gen, body), "bool", node=node)
            return T(E.Aggregate(name, gen, body), "num", node=node)
        if name == "exists":
            return T(E.Exists(t.ir), "bool", node=node)
        if t.kind in ("rows", "claims", "cols", "table", "panel"):
            if t.kind in ("table", "panel"):
                src, _ = self.iterable(t, arg, None)
            else:
                src = t.ir
            var = f"__item{next(self._fresh)}"
            gen = E.Gen(var, src)
            if name == "count":
                return T(E.Aggregate("count", gen, None), "num", node=node)
            if t.kind in ("rows", "table", "panel"):
                cols = self.columns_of(t.table, t.panel if t.kind != "table" else self.panel_of(t, arg))
                if len(cols) == 1:
                    return T(E.Aggregate(name, gen, E.RowAsNum(E.Var(var, "row"))), "num", node=node)
            raise self.error(arg, tr("{name}() 需要一列数值，如 {name}(children(row).amount)", name=name))
        if name == "count":
            raise self.error(arg, tr("count() 需要行集合或整列"))
        return T(self.num(t, arg), "num", node=node)

    def f_sum(self, node, scope):
        return self._aggregate("sum", node, scope)

    def f_count(self, node, scope):
        return self._aggregate("count", node, scope)

    def f_exists(self, node, scope):
        return self._aggregate("exists", node, scope)

    def f_min(self, node, scope):
        return self._aggregate("min", node, scope)

    def f_max(self, node, scope):
        return self._aggregate("max", node, scope)

    def f_abs(self, node, scope):
        return T(E.NumFunc("abs", [self.num(self.expr(node.args[0], scope), node.args[0])]), "num", node=node)

    def f_round(self, node, scope):
        args = [self.num(self.expr(a, scope), a) for a in node.args]
        return T(E.NumFunc("round", args), "num", node=node)

    def f_optional(self, node, scope):
        t = self.expr(node.args[0], scope)
        return T(E.Optional_(self.num(t, node.args[0])), "num", node=node)

    def f_children(self, node, scope):
        arg = node.args[0]
        t = self.expr(arg, scope.child(vectors=None, lift=None))
        if t.kind != "row":
            raise self.error(arg, tr("children() 需要一行，却是{kind}", kind=_kind(t.kind)))
        return T(E.Children(t.ir), "rows", t.table, t.panel, node)

    def f_columns(self, node, scope):
        arg = node.args[0]
        t = self.expr(arg, scope.child(vectors=None, lift=None))
        if t.kind not in ("table", "panel"):
            raise self.error(arg, tr("columns() 需要一张表，却是{kind}", kind=_kind(t.kind)))
        panel = self.panel_of(t, arg)
        single = self.vocab.tables[t.table].single_panel
        return T(E.ColumnsOf(E.PanelRef(t.table, None if single else panel)), "cols", t.table, panel, node)

    def f_claims(self, node, scope):
        filters = {}
        for kw in node.kwargs:
            if kw.name not in CLAIM_FILTERS:
                raise self.error(kw, tr("claims() 不接受 {keyword}=（可用 {keywords}）{hint}", keyword=kw.name,
                                        keywords=_list(CLAIM_FILTERS), hint=hint(kw.name, CLAIM_FILTERS)))
            v = self.expr(kw.value, scope.child(vectors=None, lift=None))
            if v.kind != "str":
                raise self.error(kw.value, tr("{keyword}= 后应是文字", keyword=kw.name))
            filters[kw.name] = v.ir
        return T(E.ClaimsQuery(filters), "claims", node=node)


def _constant(ir: Any) -> Decimal | None:
    """The value of a constant arithmetic expression, ``None`` if it reads any data."""
    if isinstance(ir, E.Const) and isinstance(ir.value, Num):
        return ir.value.value
    if isinstance(ir, E.Negate):
        v = _constant(ir.operand)
        return None if v is None else -v
    if isinstance(ir, E.Arith):
        a, b = _constant(ir.left), _constant(ir.right)
        if a is None or b is None:
            return None
        try:
            return {"+": a + b, "-": a - b, "*": a * b}.get(ir.op) if ir.op != "/" else (a / b if b else None)
        except ArithmeticError:
            return None
    return None


def _describe(key: tuple) -> str:
    if key and key[0] == "panel":
        return key[1] if key[2] == "main" else f"{key[1]}.{key[2]}"
    return "children(…)" if key and isinstance(key[1], ast.Call) else tr("行集合")


def _tail(node: Any) -> str:
    if isinstance(node, ast.Attr):
        return node.name
    if isinstance(node, ast.Name):
        return node.id
    return ""
