"""The names a rule file may use: tables, their panels, columns and row aliases
(from the table templates), and functions (built-in and from plugins)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import PluginError
from ..i18n import tr
from .functions import BUILTINS, DslFunction

if TYPE_CHECKING:  # pragma: no cover
    from ..recognize.templates import TemplateLibrary


@dataclass
class PanelVocab:
    """One panel: its column keys (with header texts) and row aliases (with labels)."""

    name: str
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    rows: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def column_name(self, key: str) -> str:
        """The column as a reader knows it: its first header text, else its key."""
        names = self.columns.get(key)
        return names[0] if names else key


@dataclass
class TableVocab:
    id: str
    title: str = ""
    panels: dict[str, PanelVocab] = field(default_factory=dict)
    numbers: tuple[str, ...] = ()  # as numbered by the templates ("03")
    classification: str = "function"

    @property
    def main(self) -> PanelVocab:
        return next(iter(self.panels.values()))

    @property
    def single_panel(self) -> bool:
        return len(self.panels) == 1

    def column_name(self, panel: str, key: str) -> str:
        p = self.panels.get(panel)
        return p.column_name(key) if p else key


@dataclass
class Vocabulary:
    """Everything the static checker accepts by name."""

    tables: dict[str, TableVocab] = field(default_factory=dict)
    functions: dict[str, DslFunction] = field(default_factory=lambda: dict(BUILTINS))

    @classmethod
    def from_library(cls, library: "TemplateLibrary",
                     functions: dict[str, DslFunction] | None = None) -> "Vocabulary":
        """The union of every template's tables: a column or row alias any template
        defines may be named (a filing lacking it simply skips the assertion)."""
        tables: dict[str, TableVocab] = {}
        for template in library.templates.values():
            for tid, spec in template.tables.items():
                tv = tables.setdefault(tid, TableVocab(tid, spec.titles[0] if spec.titles else tid,
                                                       classification=spec.classification))
                number = template.numbering.get(tid)
                if number and number not in tv.numbers:
                    tv.numbers += (number,)
                for p in spec.panels:
                    pv = tv.panels.setdefault(p.name, PanelVocab(p.name))
                    for c in p.columns:
                        known = pv.columns.get(c.key, ())
                        pv.columns[c.key] = known + tuple(n for n in c.names if n not in known)
                    for alias, labels in p.rows.items():
                        known = pv.rows.get(alias, ())
                        pv.rows[alias] = known + tuple(n for n in labels if n not in known)
        funcs = dict(BUILTINS)
        for name, f in (functions or {}).items():
            if name in BUILTINS:
                raise PluginError(tr("DSL 函数 {name} 与内置函数重名", name=repr(name)))
            if not isinstance(f, DslFunction):
                raise PluginError(tr("DSL 函数 {name} 不是 DslFunction", name=repr(name)))
            funcs[name] = f
        return cls(tables, funcs)
