"""The syntax tree of a rule file: small frozen dataclasses, one per construct.

Every node remembers where it was written (1-based ``line``/``column``, ``end_line``/
``end_column`` exclusive) so the compiler can point at it.  Positions take no part
in equality, so two writings of ``children(row)`` compare equal wherever they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional, Union


def _pos() -> int:
    return field(default=0, compare=False, repr=False)


@dataclass(frozen=True, kw_only=True)
class Node:
    """Base of every node: where it was written."""

    line: int = _pos()
    column: int = _pos()
    end_line: int = _pos()
    end_column: int = _pos()
    start_pos: int = _pos()  # offsets into the rule file's text
    end_pos: int = _pos()


# ------------------------------------------------------------------ expressions


@dataclass(frozen=True)
class Number(Node):
    """A decimal literal (``0.05``) or a percent literal (``100%``, value 1)."""

    value: Decimal
    text: str
    percent: bool = False


@dataclass(frozen=True)
class String(Node):
    value: str


@dataclass(frozen=True)
class Name(Node):
    """A bare name: a table id, a loop variable, ``report``, or a column of the one
    table an assertion is about."""

    id: str


@dataclass(frozen=True)
class Attr(Node):
    """``obj.name``; ``name_line``/``name_column`` locate the name after the dot."""

    obj: "Expr"
    name: str
    name_line: int = _pos()
    name_column: int = _pos()


@dataclass(frozen=True)
class Index(Node):
    """``obj[key]``: a row by code or label, or a cell by column variable."""

    obj: "Expr"
    key: "Expr"


@dataclass(frozen=True)
class Generator(Node):
    """``for each [kind] var in source [where cond]`` inside an aggregate call."""

    var: str
    kind: Optional[str]
    source: "Expr"
    cond: Optional["Expr"] = None
    var_line: int = _pos()
    var_column: int = _pos()
    kind_column: int = _pos()


@dataclass(frozen=True)
class Keyword(Node):
    name: str
    value: "Expr"


@dataclass(frozen=True)
class Call(Node):
    func: str
    args: tuple["Expr", ...] = ()
    kwargs: tuple[Keyword, ...] = ()
    generator: Optional[Generator] = None  # sum(x for each r in t where …)


@dataclass(frozen=True)
class Unary(Node):
    op: str  # "-" or "+"
    operand: "Expr"


@dataclass(frozen=True)
class BinOp(Node):
    op: str  # + - * /
    left: "Expr"
    right: "Expr"


@dataclass(frozen=True)
class Tolerance(Node):
    """``within 0.05`` / ``within 1%`` (relative) / ``exact``."""

    amount: Optional[Number]  # None means exact


@dataclass(frozen=True)
class Compare(Node):
    op: str  # == != < <= > >=
    left: "Expr"
    right: "Expr"
    tolerance: Optional[Tolerance] = None
    text: str = field(default="", compare=False)


@dataclass(frozen=True)
class Member(Node):
    """``item in (a, b, …)``."""

    item: "Expr"
    container: "Expr"


@dataclass(frozen=True)
class BoolOp(Node):
    op: str  # "and" / "or"
    left: "Expr"
    right: "Expr"


@dataclass(frozen=True)
class Not(Node):
    operand: "Expr"


@dataclass(frozen=True)
class Tuple(Node):
    items: tuple["Expr", ...]


Expr = Union[Number, String, Name, Attr, Index, Call, Unary, BinOp, Compare, Member, BoolOp, Not, Tuple]


# ------------------------------------------------------------------- statements


@dataclass(frozen=True)
class Assert(Node):
    expr: Expr
    text: str = field(default="", compare=False)  # the assertion as written
    explicit: bool = True  # False when written without the `assert` keyword


@dataclass(frozen=True)
class For(Node):
    var: str
    kind: Optional[str]  # "row", "column", "claim" … when written (`for each column c in …`)
    source: Expr
    cond: Optional[Expr]
    body: tuple["Stmt", ...]
    var_line: int = _pos()
    var_column: int = _pos()
    kind_column: int = _pos()


@dataclass(frozen=True)
class PercentsSum(Node):
    """``percent fields sum to 100``."""

    total: Number


Stmt = Union[Assert, For, PercentsSum]


# ------------------------------------------------------------------------ rules


@dataclass(frozen=True)
class Field(Node):
    """``severity: error``, ``summary: "…"``, ``doc: \"\"\"…\"\"\"``."""

    name: str
    value: str
    value_line: int = _pos()
    value_column: int = _pos()
    value_end_column: int = _pos()


@dataclass(frozen=True)
class RuleDef(Node):
    code: str
    name: str
    fields: tuple[Field, ...]
    body: tuple[Stmt, ...]
    code_column: int = _pos()


@dataclass(frozen=True)
class RuleFile(Node):
    rules: tuple[RuleDef, ...]
    source: str = field(default="", compare=False)


def walk(node: object):
    """Every node under ``node`` (itself first), depth first in source order."""
    if isinstance(node, (tuple, list)):
        for item in node:
            yield from walk(item)
        return
    if not isinstance(node, Node):
        return
    yield node
    for name in node.__dataclass_fields__:
        value = getattr(node, name)
        if isinstance(value, (Node, tuple, list)):
            yield from walk(value)
