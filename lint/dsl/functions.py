"""Functions callable from rule files.

The built-in ones (``sum``, ``count``, ``children`` …) are known to the compiler by
name; plugins add more through the ``filinglint_dsl_functions`` hook, each as a
:class:`DslFunction` so the static checker knows its name and how many arguments it
takes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass(frozen=True)
class DslFunction:
    """A function a rule file may call.

    ``fn`` receives plain values — ``Decimal`` (``None`` for a blank cell), ``str``,
    ``bool``, or the model objects a rule iterates over (``Claim``, ``RowInfo``) — and
    returns a ``Decimal``/``int`` (``returns="num"``), ``str`` or ``bool``.  A number
    it returns is taken as exact but keeps the source cells of its arguments, so
    findings still point at them.  ``max_args=None`` means any number."""

    name: str
    min_args: int
    max_args: int | None
    fn: Callable[..., Any] | None
    doc: str = ""
    returns: str = "num"  # "num", "str" or "bool"
    builtin: bool = field(default=False, compare=False)

    def arity_text(self) -> str:
        if self.max_args == self.min_args:
            return str(self.min_args)
        if self.max_args is None:
            return f"{self.min_args}+"
        return f"{self.min_args}–{self.max_args}"


def _builtin(name: str, lo: int, hi: int | None, returns: str, doc: str) -> DslFunction:
    return DslFunction(name, lo, hi, None, doc, returns, builtin=True)


#: The functions every rule file can use (evaluated by :mod:`lint.dsl.evaluate`).
BUILTINS: dict[str, DslFunction] = {f.name: f for f in (
    _builtin("sum", 1, None, "num", "Sum of a column, of a generator (`sum(x for each r in t)`) or of its arguments."),
    _builtin("count", 1, 1, "num", "Number of rows in a row set or generator, or of non-blank cells in a column."),
    _builtin("exists", 1, 1, "bool", "Whether a table, row, row set or cell value is present."),
    _builtin("min", 1, None, "num", "Smallest of its arguments, or of a column / generator."),
    _builtin("max", 1, None, "num", "Largest of its arguments, or of a column / generator."),
    _builtin("abs", 1, 1, "num", "Absolute value."),
    _builtin("round", 1, 2, "num", "Round half up to the given number of decimals (default 0)."),
    _builtin("children", 1, 1, "rows", "Rows whose classification code is a direct child of the row's code."),
    _builtin("columns", 1, 1, "cols", "The columns of a table or panel."),
    _builtin("claims", 0, 0, "claims", "Claims read from the narrative; filter with kind=, subject=, base=."),
    _builtin("optional", 1, 1, "num", "The value, or a blank (0, exact) when the row/column is not in the filing."),
)}

#: Keyword arguments ``claims()`` accepts, and the Claim field each filters on.
CLAIM_FILTERS = ("kind", "subject", "base", "direction", "unit")
