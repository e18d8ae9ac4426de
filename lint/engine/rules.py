"""What a rule is, whichever way it was written (DSL rule file or Python class).

A rule has a code (``T001``: one to three capital letters and three digits, ruff
style), a dotted name that describes the violation (``table.row-sum-mismatch``), a
default severity, a one-line summary and documentation in the "What it does / Why is
this bad? / Example" shape.  ``check(ctx)`` yields findings.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar, Iterable, Iterator, Sequence

from ..model import Claim, Document, Finding, Location, Message, Severity, Span, Table

CODE_RE = re.compile(r"^[A-Z]{1,3}\d{3}$")


@dataclass(frozen=True)
class RuleMeta:
    code: str
    name: str
    severity: Severity
    summary: str  # one line (zh), shown by `filinglint rules`
    doc: str  # markdown, shown by `filinglint explain`
    pack: str = ""
    origin: str = ""  # file (and line) the rule was defined in
    summary_en: str = ""
    tables: tuple[str, ...] = ()  # template tables the rule needs (for `rules --check`)


def _misnumbered(t: Table) -> bool:
    return any(n.startswith("printed-number:") for n in t.notes)


class TableSet:
    """The recognized tables of one filing, by template id (``table03``)."""

    def __init__(self, tables: Sequence[Table]):
        self.all: list[Table] = list(tables)
        self._primary: dict[str, Table] = {}
        for t in self.all:
            # When a table is printed twice, the copy whose printed number matches its
            # template number is the one rules read; the other stays in .all.
            current = self._primary.get(t.id)
            if current is None or (_misnumbered(current) and not _misnumbered(t)):
                self._primary[t.id] = t

    def get(self, table_id: str) -> Table | None:
        return self._primary.get(table_id)

    def __contains__(self, table_id: str) -> bool:
        return table_id in self._primary

    def __iter__(self) -> Iterator[Table]:
        return iter(self._primary.values())

    def ids(self) -> list[str]:
        return sorted(self._primary)


@dataclass
class RuleContext:
    """Everything a rule may read.  Built once per filing; rules never mutate it."""

    document: Document
    tables: TableSet
    claims: list[Claim] = field(default_factory=list)
    template: str | None = None  # detected template id, e.g. "hunan-2020"
    report_year: int | None = None
    data: dict[str, Any] = field(default_factory=dict)  # pack data (subject maps …)
    lang: str = "zh"
    # Derived views several rules read (parsed narrative, performance tables): computed
    # once per filing by whichever rule asks first, through cached().
    cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def cached(self, key: str, build: "Callable[[RuleContext], Any]") -> Any:
        if key not in self.cache:
            self.cache[key] = build(self)
        return self.cache[key]

    @property
    def path(self) -> str:
        return self.document.path

    def location(self, span: Span, label: str = "") -> Location:
        return Location(self.document.path, span, label)


class Rule:
    """Base class for rules written in Python.

    Subclasses set ``code``, ``name``, ``severity`` and write a docstring whose first
    line is the summary, followed by ``## What it does``, ``## Why is this bad?`` and
    ``## Example`` sections; they implement :meth:`check`."""

    code: ClassVar[str] = ""
    name: ClassVar[str] = ""
    severity: ClassVar[Severity] = Severity.ERROR
    summary_en: ClassVar[str] = ""
    tables: ClassVar[tuple[str, ...]] = ()

    def __init__(self, pack: str = ""):
        self.pack = pack

    @classmethod
    def meta(cls, pack: str = "") -> RuleMeta:
        doc = inspect.cleandoc(cls.__doc__ or "")
        summary = doc.splitlines()[0].strip() if doc else cls.name
        try:
            origin = inspect.getsourcefile(cls) or ""
        except TypeError:  # pragma: no cover - classes built at run time
            origin = ""
        return RuleMeta(
            code=cls.code, name=cls.name, severity=cls.severity, summary=summary, doc=doc,
            pack=pack, origin=origin, summary_en=cls.summary_en, tables=tuple(cls.tables),
        )

    def finding(self, ctx: RuleContext, span: Span, zh: str, en: str, *, label: str = "",
                related: Iterable[Location] = (), expected: Any = None, actual: Any = None,
                severity: Severity | None = None, **properties: Any) -> Finding:
        """Build a finding of this rule at ``span`` in the current filing."""
        return Finding(
            code=self.code,
            severity=severity or self.severity,
            message=Message(zh, en),
            location=ctx.location(span, label),
            related=tuple(related),
            expected=None if expected is None else str(expected),
            actual=None if actual is None else str(actual),
            rule_name=self.name,
            properties=properties,
        )

    def check(self, ctx: RuleContext) -> Iterable[Finding]:  # pragma: no cover - abstract
        raise NotImplementedError
