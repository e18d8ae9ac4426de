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
from .errors import hint, rule_error
from .functions import CLAIM_FILTERS
from .rule import PLACEHOLDERS, CompiledRule
from .values import Num
from .vocabulary import Vocabulary

FIELDS = ("severity", "summary", "summary_en", "message", "message_en", "doc")
SEVERITIES = {"error": Severity.ERROR, "warning": Severity.WARNING, "note": Severity.NOTE}
LOOP_KINDS = {"row": "row", "rows": "row", "column": "col", "col": "col", "claim": "claim", "part": "claim"}
KIND_WORDS = {
    "num": ("数值", "a number"), "str": ("文字", "a text"), "bool": ("条件", "a condition"),
    "row": ("行", "a row"), "rows": ("行集合", "a set of rows"), "col": ("列变量", "a column variable"),
    "cols": ("列集合", "a set of columns"), "claim": ("说明中的陈述", "a claim"),
    "claims": ("陈述集合", "a set of claims"), "table": ("表", "a table"), "panel": ("表的一部分", "a table panel"),
    "report": ("报告信息", "report information"), "vec": ("整列", "a whole column"), "tuple": ("列表", "a list"),
}


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

    def error(self, node: Any, zh: str, en: str, *, line: int | None = None, column: int | None = None,
              length: int | None = None) -> RuleFileError:
        line = line or getattr(node, "line", 1) or 1
        column = column or getattr(node, "column", 1) or 1
        if length is None:
            end_line = getattr(node, "end_line", line)
            end_col = getattr(node, "end_column", column + 1)
            length = end_col - column if end_line == line and end_col > column else 1
        return rule_error(f"{zh} ({en})", self.source, self.text, line, column, length)

    # ------------------------------------------------------------------- rules

    def compile_file(self, tree: ast.RuleFile) -> list[CompiledRule]:
        seen: dict[str, ast.RuleDef] = {}
        out = []
        for rd in tree.rules:
            if rd.code in seen:
                first = seen[rd.code]
                raise self.error(rd, f"规则代码 {rd.code} 重复（第 {first.line} 行已定义）",
                                 f"rule code {rd.code} is already defined on line {first.line}",
                                 column=rd.code_column, length=len(rd.code))
            seen[rd.code] = rd
            out.append(self.compile_rule(rd))
        return out

    def compile_rule(self, rd: ast.RuleDef) -> CompiledRule:
        self.rule_code = rd.code
        if not CODE_RE.match(rd.code):  # pragma: no cover - the grammar only admits valid codes
            raise self.error(rd, f"规则代码 {rd.code} 不合规范", "rule code must be 1-3 capitals + 3 digits",
                             column=rd.code_column, length=len(rd.code))
        fields: dict[str, ast.Field] = {}
        for f in rd.fields:
            if f.name not in FIELDS:
                zh_h, en_h = hint(f.name, FIELDS)
                raise self.error(f, f"未知的字段 '{f.name}'{zh_h}", f"unknown field '{f.name}'{en_h}",
                                 length=len(f.name))
            if f.name in fields:
                raise self.error(f, f"字段 '{f.name}' 重复", f"field '{f.name}' given twice", length=len(f.name))
            fields[f.name] = f
        if not rd.body:
            raise self.error(rd, f"规则 {rd.code} 没有任何断言", f"rule {rd.code} has no assertion",
                             column=rd.code_column, length=len(rd.code))
        severity = Severity.ERROR
        if "severity" in fields:
            f = fields["severity"]
            if f.value not in SEVERITIES:
                zh_h, en_h = hint(f.value, SEVERITIES)
                raise self.error(f, f"未知的严重级别 '{f.value}'（可用 error、warning、note）{zh_h}",
                                 f"unknown severity '{f.value}' (use error, warning or note){en_h}",
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
            raise self.error(f, f"消息模板的花括号不成对：{exc}", f"unbalanced braces in message: {exc}",
                             line=f.value_line, column=f.value_column, length=1)
        for _lit, name, spec, conv in parsed:
            if name is None:
                continue
            col = self._find_in_line(f.value_line, "{" + name, f.value_column)
            if not re.fullmatch(r"\w+", name) or spec or conv:
                raise self.error(f, f"占位符 '{{{name}}}' 只能是一个名称", f"placeholder '{{{name}}}' must be a plain name",
                                 line=f.value_line, column=col, length=len(name) + 2)
            if name not in allowed and not uses_claims:
                zh_h, en_h = hint(name, allowed)
                raise self.error(f, f"未知的占位符 '{{{name}}}'{zh_h}", f"unknown placeholder '{{{name}}}'{en_h}",
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
        self.require_bool(first, node.expr, "断言", "an assertion")
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
            raise self.error(n2, f"同一条断言里按行比较了不同的行集合（{_describe(k1)} 与 {_describe(k2)}）；"
                                 "请用 for each row … 并用 表[row.code] 引用另一张表",
                             f"one assertion compares whole columns of different row sets ({_describe(k1)} and "
                             f"{_describe(k2)}); use `for each row in …` and table[row.code] for the other table")
        return keys[0]

    def loop(self, node: ast.For, scope: Scope) -> E.Stmt:
        gen, inner = self.generator(node.var, node.kind, node.source, node.cond, scope, node)
        body = [self.statement(s, inner) for s in node.body]
        return E.ForStmt(gen, body)

    def generator(self, var: str, kind_word: str | None, source_node: Any, cond_node: Any,
                  scope: Scope, node: Any) -> tuple[E.Gen, Scope]:
        if var in self.vocab.tables or var == "report":
            raise self.error(node, f"循环变量不能叫 '{var}'，它是表名", f"loop variable cannot be named '{var}': it names a table",
                             line=node.var_line or node.line, column=node.var_column or node.column, length=len(var))
        wanted = None
        if kind_word is not None:
            if kind_word not in LOOP_KINDS:
                zh_h, en_h = hint(kind_word, LOOP_KINDS)
                raise self.error(node, f"for each 之后应写 row、column 或 claim，却是 '{kind_word}'{zh_h}",
                                 f"after `for each` write row, column or claim, not '{kind_word}'{en_h}",
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
            self.require_bool(c, cond_node, "where 条件", "a where condition")
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
            zh, en = KIND_WORDS.get(kind, (kind, kind))
            raise self.error(node, f"for each 只能遍历表、行集合、列集合或陈述集合，这里是{zh}",
                             f"`for each` goes over a table, rows, columns or claims, not {en}")
        if wanted is not None and wanted != items:
            zh, en = KIND_WORDS[kind]
            raise self.error(node, f"这里遍历的是{zh}，不是 {wanted}", f"this goes over {en}, not {wanted}s")
        return src.ir, VarInfo(items, src.table, src.panel)

    def panel_of(self, src: T, node: Any) -> str:
        tv = self.vocab.tables[src.table]
        if src.kind == "panel":
            return src.panel
        if tv.single_panel:
            return tv.main.name
        names = "、".join(tv.panels)
        raise self.error(node, f"{src.table} 有多个部分（{names}），请指明，如 {src.table}.{next(iter(tv.panels))}",
                         f"{src.table} has several panels ({', '.join(tv.panels)}); name one, e.g. "
                         f"{src.table}.{next(iter(tv.panels))}")

    # ------------------------------------------------------------- expressions

    def require_bool(self, t: T, node: Any, what_zh: str, what_en: str) -> None:
        if t.kind != "bool":
            zh, en = KIND_WORDS.get(t.kind, (t.kind, t.kind))
            raise self.error(node, f"{what_zh}应是比较或条件（如 a == b），这里是{zh}",
                             f"{what_en} must be a comparison or condition (such as a == b), not {en}")

    def num(self, t: T, node: Any) -> E.Expr:
        """``t`` as a number (a single-column row counts as its cell)."""
        if t.kind in ("num", "vec"):
            return t.ir
        if t.kind == "row":
            cols = self.columns_of(t.table, t.panel)
            if len(cols) == 1:
                return E.RowAsNum(t.ir)
            shown = "、".join(cols)
            raise self.error(node, f"这是一整行（有 {shown} 等多列），请指明列，如 …{_tail(node)}.{cols[0]}",
                             f"this is a whole row with several columns ({', '.join(cols)}); name one, "
                             f"e.g. …{_tail(node)}.{cols[0]}")
        zh, en = KIND_WORDS.get(t.kind, (t.kind, t.kind))
        raise self.error(node, f"这里需要数值，却是{zh}", f"a number is needed here, not {en}")

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
            raise self.error(node.right, f"规则 {self.rule_code} 除以常数零，这条断言永远不会检查任何东西",
                             f"rule {self.rule_code} divides by a constant zero: the assertion can never check "
                             f"anything")
        return T(E.Arith(node.op, a, b), "num", node=node)

    def x_compare(self, node: ast.Compare, scope: Scope) -> T:
        a = self.expr(node.left, scope)
        b = self.expr(node.right, scope)
        if a.kind == "str" or b.kind == "str":
            if a.kind != b.kind:
                zh, en = KIND_WORDS.get(b.kind if a.kind == "str" else a.kind, ("?", "?"))
                raise self.error(node, f"文字只能与文字比较，这里另一边是{zh}", f"a text can only be compared with a text, not {en}")
            if node.op not in ("==", "!="):
                raise self.error(node, "文字只能用 == 或 != 比较", "texts can only be compared with == or !=")
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
                    raise self.error(o, "in 的列表里应是文字", "the list after `in` must hold texts")
                options.append(t.ir)
            else:
                options.append(self.num(t, o))
        it = item.ir if item.kind == "str" else self.num(item, node.item)
        return T(E.MemberExpr(it, options), "bool", node=node)

    def x_boolop(self, node: ast.BoolOp, scope: Scope) -> T:
        a = self.expr(node.left, scope)
        b = self.expr(node.right, scope)
        self.require_bool(a, node.left, f"{node.op} 的两边", f"each side of `{node.op}`")
        self.require_bool(b, node.right, f"{node.op} 的两边", f"each side of `{node.op}`")
        return T(E.BoolExpr(node.op, a.ir, b.ir), "bool", node=node)

    def x_not(self, node: ast.Not, scope: Scope) -> T:
        a = self.expr(node.operand, scope)
        self.require_bool(a, node.operand, "not 之后", "what follows `not`")
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
        zh_h, en_h = hint(name, choices)
        if len(scope.tables) > 1:
            shown = "、".join(sorted(scope.tables))
            raise self.error(node, f"名称 '{name}' 指代不明：这条断言涉及多张表（{shown}），请写成 表.{name}",
                             f"the name '{name}' is ambiguous: this assertion uses several tables "
                             f"({', '.join(sorted(scope.tables))}); write table.{name}")
        what_zh, what_en = ("表", "table") if re.fullmatch(r"table\d+", name) else ("名称", "name")
        raise self.error(node, f"未知的{what_zh} '{name}'{zh_h}", f"unknown {what_en} '{name}'{en_h}",
                         length=len(name))

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
            zh_h, en_h = hint(seg.name, ("year", "unit"))
            raise self._name_error(seg, f"report 没有 '{seg.name}'（可用 year、unit）{zh_h}",
                                   f"report has no '{seg.name}' (use year or unit){en_h}")
        zh, en = KIND_WORDS.get(kind, (kind, kind))
        if isinstance(seg, ast.Attr):
            raise self._name_error(seg, f"{zh}没有 '.{seg.name}'", f"{en} has no '.{seg.name}'")
        raise self.error(seg, f"{zh}不能用 [ ] 取值", f"{en} cannot be indexed with [ ]")

    def _name_error(self, seg: ast.Attr, zh: str, en: str) -> RuleFileError:
        return self.error(seg, zh, en, line=seg.name_line, column=seg.name_column, length=len(seg.name))

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
            raise self._name_error(seg, f"'{name}' 在 {cur.table} 的多个部分（{'、'.join(names)}）中都有；"
                                        f"请写 {cur.table}.{names[0]}.{name} 等",
                                   f"'{name}' is in several panels of {cur.table} ({', '.join(names)}); "
                                   f"write {cur.table}.{names[0]}.{name} or similar")
        choices = list(tv.panels) + [c for p in tv.panels.values() for c in (*p.rows, *(() if more else p.columns))]
        zh_h, en_h = hint(name, choices)
        what_zh, what_en = ("部分或行别名", "panel or row alias") if more else ("部分、列或行别名", "panel, column or row alias")
        raise self._name_error(seg, f"未知的{what_zh} '{name}'（表 {cur.table}，可用部分 {'、'.join(tv.panels)}）{zh_h}",
                               f"unknown {what_en} '{name}' in {cur.table} (panels: {', '.join(tv.panels)}){en_h}")

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
                raise self._name_error(seg, f"'{name}' 是列，后面不能再接名称或 [ ]；行别名有 {'、'.join(pv.rows) or '（无）'}",
                                       f"'{name}' is a column, nothing can follow it; row aliases are "
                                       f"{', '.join(pv.rows) or '(none)'}")
            what_zh, what_en = ("行别名", "row alias") if more else ("列", "column")
            choices = list(pv.rows) if more else list(pv.columns) + list(pv.rows)
            zh_h, en_h = hint(name, choices)
            raise self._name_error(seg, f"未知的{what_zh} '{name}'（表 {where}）{zh_h}",
                                   f"unknown {what_en} '{name}' in {where}{en_h}")
        return self.vector(("panel", table, panel), E.AllRows(pref), name, None, seg, table, panel, scope)

    def vector(self, key: tuple, source: E.Expr, column: str | None, column_var: E.Expr | None, node: Any,
               table: str | None, panel: str | None, scope: Scope) -> T:
        if scope.lift is not None and scope.lift[0] == key:
            row = E.Var(scope.lift[1], "row")
            return T(E.CellRef(row, column=column, column_var=column_var), "num", table, panel, node)
        if scope.vectors is None:
            raise self.error(node, "这里不能用整列；请在 for each row … 里用 row.列名，或用 sum()/count() 汇总",
                             "a whole column cannot be used here; use row.<column> inside `for each row`, "
                             "or aggregate it with sum()/count()")
        ref = VecRef(key, source, column, column_var, node)
        scope.vectors.append(ref)
        return T(ref, "vec", table, panel, node)

    def row_lookup(self, table: str, panel: str | None, seg: ast.Index, scope: Scope) -> T:
        tv = self.vocab.tables[table]
        key = self.expr(seg.key, scope.child(vectors=None, lift=None))
        if key.kind == "num" and isinstance(seg.key, ast.Number):
            key = T(E.Const(seg.key.text, "str"), "str", node=seg.key)
        if key.kind == "col":
            raise self.error(seg.key, "先选行再选列：表[行][列] 或 表.行别名[列]",
                             "pick a row before a column: table[row][column] or table.row_alias[column]")
        if key.kind != "str":
            zh, en = KIND_WORDS.get(key.kind, (key.kind, key.kind))
            raise self.error(seg.key, f"[ ] 里应是科目编码或行名（文字），却是{zh}",
                             f"[ ] takes a code or row label (a text), not {en}")
        static_panel = panel
        lookup_panel = None if tv.single_panel else panel
        if panel is None and isinstance(seg.key, ast.String):
            wanted = E.norm_label(seg.key.value)
            fits = [p.name for p in tv.panels.values()
                    if seg.key.value in p.rows
                    or any(E.norm_label(x) == wanted for labels in p.rows.values() for x in labels)]
            if len(fits) > 1:
                raise self.error(seg.key, f"'{seg.key.value}' 在 {table} 的多个部分（{'、'.join(fits)}）中都有；"
                                          f"请写 {table}.{fits[0]}[\"{seg.key.value}\"]",
                                 f"'{seg.key.value}' is in several panels of {table} ({', '.join(fits)}); "
                                 f"write {table}.{fits[0]}[\"{seg.key.value}\"]")
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
            raise self.error(seg.key, "行后面的 [ ] 里应是列变量或列名", "after a row, [ ] takes a column variable or column name")
        name = seg.name
        if name in E.ROW_ATTRS:
            kind = {"level": "num", "is_total": "bool"}.get(name, "str")
            return T(E.RowAttr(cur.ir, name, kind), kind, node=seg)
        return self._column(cur, name, seg, cols, None)

    def _column(self, cur: T, name: str, seg: Any, cols: list[str], key_node: Any) -> T:
        if name not in cols:
            where = cur.table if cur.panel is None or self.vocab.tables[cur.table].single_panel else f"{cur.table}.{cur.panel}"
            zh_h, en_h = hint(name, cols + list(E.ROW_ATTRS))
            if key_node is not None:
                raise self.error(key_node, f"未知的列 '{name}'（表 {where}）{zh_h}", f"unknown column '{name}' in {where}{en_h}")
            raise self._name_error(seg, f"未知的列 '{name}'（表 {where}）{zh_h}", f"unknown column '{name}' in {where}{en_h}")
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
            raise self.error(seg.key, "行集合后面的 [ ] 里应是列变量或列名", "after a set of rows, [ ] takes a column variable or name")
        if seg.name not in cols:
            zh_h, en_h = hint(seg.name, cols)
            raise self._name_error(seg, f"未知的列 '{seg.name}'（表 {cur.table}）{zh_h}",
                                   f"unknown column '{seg.name}' in {cur.table}{en_h}")
        return self.vector(key, cur.ir, seg.name, None, seg, cur.table, cur.panel, scope)

    # ----------------------------------------------------------------- calls

    def x_call(self, node: ast.Call, scope: Scope) -> T:
        fn = self.vocab.functions.get(node.func)
        if fn is None:
            zh_h, en_h = hint(node.func, self.vocab.functions)
            raise self.error(node, f"未知的函数 '{node.func}'{zh_h}", f"unknown function '{node.func}'{en_h}",
                             length=len(node.func))
        n = len(node.args)
        if n < fn.min_args or (fn.max_args is not None and n > fn.max_args):
            raise self.error(node, f"函数 {fn.name} 需要 {fn.arity_text()} 个参数，这里给了 {n} 个",
                             f"{fn.name}() takes {fn.arity_text()} argument(s), {n} given", length=len(node.func))
        if node.kwargs and fn.name != "claims":
            kw = node.kwargs[0]
            raise self.error(kw, f"函数 {fn.name} 不接受 {kw.name}= 参数", f"{fn.name}() takes no {kw.name}= argument")
        if node.generator is not None and fn.name not in ("sum", "count", "exists", "min", "max"):
            raise self.error(node.generator, "只有 sum、count、exists、min、max 可以带 for each",
                             "only sum, count, exists, min and max take a `for each` generator")
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
                raise self.error(arg, f"{name}() 里应是数值列", f"{name}() needs a column of numbers")
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
            raise self.error(arg, f"{name}() 需要一列数值，如 {name}(children(row).amount)",
                             f"{name}() needs a column of numbers, e.g. {name}(children(row).amount)")
        if name == "count":
            raise self.error(arg, "count() 需要行集合或整列", "count() needs a set of rows or a whole column")
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
            zh, en = KIND_WORDS.get(t.kind, (t.kind, t.kind))
            raise self.error(arg, f"children() 需要一行，却是{zh}", f"children() takes a row, not {en}")
        return T(E.Children(t.ir), "rows", t.table, t.panel, node)

    def f_columns(self, node, scope):
        arg = node.args[0]
        t = self.expr(arg, scope.child(vectors=None, lift=None))
        if t.kind not in ("table", "panel"):
            zh, en = KIND_WORDS.get(t.kind, (t.kind, t.kind))
            raise self.error(arg, f"columns() 需要一张表，却是{zh}", f"columns() takes a table, not {en}")
        panel = self.panel_of(t, arg)
        single = self.vocab.tables[t.table].single_panel
        return T(E.ColumnsOf(E.PanelRef(t.table, None if single else panel)), "cols", t.table, panel, node)

    def f_claims(self, node, scope):
        filters = {}
        for kw in node.kwargs:
            if kw.name not in CLAIM_FILTERS:
                zh_h, en_h = hint(kw.name, CLAIM_FILTERS)
                raise self.error(kw, f"claims() 不接受 {kw.name}=（可用 {'、'.join(CLAIM_FILTERS)}）{zh_h}",
                                 f"claims() takes no {kw.name}= (use {', '.join(CLAIM_FILTERS)}){en_h}")
            v = self.expr(kw.value, scope.child(vectors=None, lift=None))
            if v.kind != "str":
                raise self.error(kw.value, f"{kw.name}= 后应是文字", f"{kw.name}= takes a text")
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
    return "children(…)" if key and isinstance(key[1], ast.Call) else "行集合"


def _tail(node: Any) -> str:
    if isinstance(node, ast.Attr):
        return node.name
    if isinstance(node, ast.Name):
        return node.id
    return ""
