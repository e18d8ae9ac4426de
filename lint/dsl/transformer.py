"""From lark's parse tree to the syntax tree of :mod:`lint.dsl.ast`."""

from __future__ import annotations

import inspect
import re
from decimal import Decimal

from lark import Token, Transformer, Tree, v_args
from lark.tree import Meta

from . import ast


def _pos(meta: Meta | Token) -> dict:
    return {
        "line": getattr(meta, "line", 0) or 0,
        "column": getattr(meta, "column", 0) or 0,
        "end_line": getattr(meta, "end_line", 0) or 0,
        "end_column": getattr(meta, "end_column", 0) or 0,
        "start_pos": getattr(meta, "start_pos", 0) or 0,
        "end_pos": getattr(meta, "end_pos", 0) or 0,
    }


_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def unescape(token: str) -> str:
    """The text of a ``"…"`` literal: ``\\n``, ``\\t``, ``\\"`` and ``\\\\`` are escapes."""
    body = token[1:-1]
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), body)


def _long_text(token: str) -> str:
    # The doc text is indented with the rule; drop that indentation, as a docstring.
    return inspect.cleandoc(token[3:-3])


@v_args(meta=True)
class _ToAst(Transformer):
    def __init__(self, text: str, source: str):
        super().__init__(visit_tokens=False)
        self.text = text
        self.source = source

    def _src(self, meta: Meta) -> str:
        start = getattr(meta, "start_pos", None)
        end = getattr(meta, "end_pos", None)
        if start is None or end is None:
            return ""
        return " ".join(self.text[start:end].split())

    # ------------------------------------------------------------- file and rules

    def start(self, meta, children):
        return ast.RuleFile(tuple(children), source=self.source, **_pos(meta))

    def _trimmed(self, meta) -> dict:
        # A rule's extent includes the newline after its last line; end it on that line.
        pos = _pos(meta)
        if pos["end_column"] == 1 and pos["end_line"] > pos["line"]:
            lines = self.text.splitlines()
            pos["end_line"] -= 1
            pos["end_column"] = len(lines[pos["end_line"] - 1]) + 1 if pos["end_line"] <= len(lines) else 1
        return pos

    def rule(self, meta, children):
        code, name, *items = children
        fields = tuple(i for i in items if isinstance(i, ast.Field))
        body = tuple(i for i in items if not isinstance(i, ast.Field))
        return ast.RuleDef(str(code), str(name), fields, body, code_column=code.column, **self._trimmed(meta))

    def field(self, meta, children):
        name, value = children
        if value.type == "STRING":
            text = unescape(str(value))
        elif value.type == "LONG_STRING":
            text = _long_text(str(value))
        else:
            text = str(value)
        return ast.Field(str(name), text, value_line=value.line, value_column=value.column,
                         value_end_column=value.end_column if value.end_line == value.line else value.column + 3,
                         **_pos(meta))

    # ---------------------------------------------------------------- statements

    def assert_stmt(self, meta, children):
        (expr,) = children
        return ast.Assert(expr, text=self._node_src(expr), explicit=True, **_pos(meta))

    def expr_stmt(self, meta, children):
        (expr,) = children
        return ast.Assert(expr, text=self._node_src(expr), explicit=False, **_pos(meta))

    def _node_src(self, node: ast.Node) -> str:
        return " ".join(self.text[node.start_pos:node.end_pos].split())

    def percent_stmt(self, meta, children):
        _phrase, number = children
        return ast.PercentsSum(self._number(number), **_pos(meta))

    def for_stmt(self, meta, children):
        first, second, source, cond, *body = children
        kind, var = (str(first), second) if second is not None else (None, first)
        return ast.For(str(var), kind, source, cond, tuple(body), var_line=var.line, var_column=var.column,
                       kind_column=first.column if kind else 0, **_pos(meta))

    def where_clause(self, meta, children):
        return children[0]

    # --------------------------------------------------------------- expressions

    def _number(self, token: Token) -> ast.Number:
        raw = str(token)
        if token.type == "PERCENT":
            digits = raw.rstrip("%％").strip()
            return ast.Number(Decimal(digits) / 100, raw, percent=True, **_pos(token))
        return ast.Number(Decimal(raw), raw, **_pos(token))

    def number(self, meta, children):
        return self._number(children[0])

    def percent(self, meta, children):
        return self._number(children[0])

    def string(self, meta, children):
        return ast.String(unescape(str(children[0])), **_pos(meta))

    def name(self, meta, children):
        return ast.Name(str(children[0]), **_pos(meta))

    def attr(self, meta, children):
        obj, name = children
        return ast.Attr(obj, str(name), name_line=name.line, name_column=name.column, **_pos(meta))

    def index(self, meta, children):
        obj, key = children
        return ast.Index(obj, key, **_pos(meta))

    def call(self, meta, children):
        name, arguments = children
        args: list = []
        kwargs: list = []
        generator = None
        if isinstance(arguments, tuple) and arguments and arguments[0] == "generator":
            _, body, generator = arguments
            args.append(body)
        elif arguments is not None:
            for a in arguments:
                (kwargs if isinstance(a, ast.Keyword) else args).append(a)
        return ast.Call(str(name), tuple(args), tuple(kwargs), generator, **_pos(meta))

    def arguments(self, meta, children):
        return [c for c in children if c is not None]

    def generator_arg(self, meta, children):
        body, generator = children
        return ("generator", body, generator)

    def kwarg(self, meta, children):
        name, value = children
        return ast.Keyword(str(name), value, **_pos(meta))

    def generator(self, meta, children):
        first, second, source, cond = children
        kind, var = (str(first), second) if second is not None else (None, first)
        return ast.Generator(str(var), kind, source, cond, var_line=var.line, var_column=var.column,
                             kind_column=first.column if kind else 0, **_pos(meta))

    def tuple(self, meta, children):
        return ast.Tuple(tuple(c for c in children if c is not None), **_pos(meta))

    def neg(self, meta, children):
        return ast.Unary("-", children[0], **_pos(meta))

    def pos(self, meta, children):
        return ast.Unary("+", children[0], **_pos(meta))

    def _binop(op):  # noqa: N805 - a factory used while building the class
        def method(self, meta, children):
            left, right = children
            return ast.BinOp(op, left, right, **_pos(meta))
        return method

    add = _binop("+")
    sub = _binop("-")
    mul = _binop("*")
    div = _binop("/")
    del _binop

    def compare(self, meta, children):
        left, op, right, tolerance = children
        op = {"≤": "<=", "≥": ">=", "≠": "!="}.get(str(op), str(op))
        return ast.Compare(op, left, right, tolerance, text=self._src(meta), **_pos(meta))

    def within(self, meta, children):
        return ast.Tolerance(self._number(children[0]), **_pos(meta))

    def exact(self, meta, children):
        return ast.Tolerance(None, **_pos(meta))

    def member(self, meta, children):
        item, container = children
        return ast.Member(item, container, **_pos(meta))

    def and_op(self, meta, children):
        return ast.BoolOp("and", children[0], children[1], **_pos(meta))

    def or_op(self, meta, children):
        return ast.BoolOp("or", children[0], children[1], **_pos(meta))

    def not_op(self, meta, children):
        return ast.Not(children[0], **_pos(meta))


# ------------------------------------------------------------------ deep expressions
#
# Lark builds ``a + b + c + …`` as a left-deep tree: one level per term.  Everything
# after the parser (this transformer, the compiler, evaluation, the on-disk cache)
# walks trees recursively, so a 600-term sum would exhaust Python's stack.  Chains of
# one associative family are rebuilt balanced (depth log2 n) before anything walks
# them; what is still deeper than MAX_DEPTH (``- - - … x``, ``not not …``) is an error
# at the place it gets too deep.

MAX_DEPTH = 120
_FAMILY = {"add": "sum", "sub": "sum", "and_op": "and", "or_op": "or"}


def _span_meta(first: Tree | Token, last: Tree | Token) -> Meta:
    meta = Meta()
    a = first.meta if isinstance(first, Tree) else first
    b = last.meta if isinstance(last, Tree) else last
    for name in ("line", "column", "start_pos"):
        setattr(meta, name, getattr(a, name, 0))
    for name in ("end_line", "end_column", "end_pos"):
        setattr(meta, name, getattr(b, name, 0))
    meta.empty = False
    return meta


def _balance(chain: Tree, made: set[int]) -> Tree:
    family = _FAMILY[chain.data]
    terms: list[tuple[str, Tree | Token]] = []
    node: Tree | Token = chain
    while isinstance(node, Tree) and _FAMILY.get(node.data) == family and id(node) not in made:
        terms.append((node.data, node.children[-1]))
        node = node.children[0]
    terms.append(("add" if family == "sum" else chain.data, node))
    terms.reverse()

    def build(part: list[tuple[str, Tree | Token]]) -> Tree | Token:  # depth log2(len)
        if len(part) == 1:
            return part[0][1]
        mid = len(part) // 2
        left = build(part[:mid])
        right_part = part[mid:]
        op = right_part[0][0]
        if op == "sub":  # l - (r1 ∓ r2 …): the signs inside the right half flip
            flip = {"add": "sub", "sub": "add"}
            right_part = [("add", right_part[0][1])] + [(flip[o], t) for o, t in right_part[1:]]
        right = build(right_part)
        tree = Tree(op, [left, right], _span_meta(left, right))
        made.add(id(tree))
        return tree

    if len(terms) <= 2:
        made.add(id(chain))
        return chain
    return build(terms)


def rebalance(tree: Tree) -> Tree:
    """Balance every chain of ``+``/``-``, ``and`` or ``or`` in ``tree`` (iteratively)."""
    made: set[int] = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        for i, child in enumerate(node.children):
            if isinstance(child, Tree) and child.data in _FAMILY and id(child) not in made:
                child = node.children[i] = _balance(child, made)
            if isinstance(child, Tree):
                stack.append(child)
    return tree


def check_depth(tree: Tree, text: str, source: str) -> None:
    """Raise "expression too deep" at the first place nesting passes :data:`MAX_DEPTH`."""
    from ..i18n import tr
    from .errors import rule_error

    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            line = getattr(node.meta, "line", 1) if not node.meta.empty else 1
            col = getattr(node.meta, "column", 1) if not node.meta.empty else 1
            raise rule_error(tr("表达式嵌套过深（超过 {n} 层），请拆分", n=MAX_DEPTH), source, text, line, col)
        stack.extend((c, depth + 1) for c in node.children if isinstance(c, Tree))


def to_ast(tree: Tree, text: str, source: str = "<rules>") -> ast.RuleFile:
    """Build the :class:`ast.RuleFile` of a parsed rule file."""
    tree = rebalance(tree)
    check_depth(tree, text, source)
    return _ToAst(text, source).transform(tree)
