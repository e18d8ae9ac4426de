"""GitHub Actions annotations (``--format github``): one workflow command per finding.

::

    ::error file=reports/决算.txt,line=157,endLine=157,col=35,endColumn=40,title=T002 table.expense-row-sum-mismatch::公开03表 …

Severities map to the three annotation commands (``error``, ``warning``, ``notice``).
Escaping follows GitHub's toolkit: in the message ``%``, ``\\r`` and ``\\n`` become
``%25``, ``%0D`` and ``%0A``; in a property value ``:`` and ``,`` also become ``%3A`` and
``%2C``.  Paths are relative to the working directory (the checkout, in a workflow).

A PDF, DOCX or XLSX file has no lines GitHub could show, so its annotations name the
file only and say the place (page, cell) in the message.
"""

from __future__ import annotations

from typing import Sequence

from ...engine.rules import RuleMeta
from ...model import FileResult, Finding, RunResult, Severity, ToolNotice
from ..options import FormatOptions
from ..records import ordered_files, relative_path
from ..stream import whole_report
from .text import expected_actual
from ...i18n import tr

COMMANDS = {"error": "error", "warning": "warning", "note": "notice"}


def escape_data(text: str) -> str:
    """A command's message (after ``::``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value (``file=…``, ``title=…``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties: object) -> str:
    props = ",".join(f"{k}={escape_property(str(v))}" for k, v in properties.items() if v is not None)
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


class GithubWriter:
    """Workflow commands for GitHub Actions (see the module docstring)."""

    name = "github"

    def __init__(self, rules: dict[str, RuleMeta], options: FormatOptions):
        self.rules, self.options = rules, options
        self.lang = "en" if options.lang == "en" else "zh"

    def begin(self) -> str:
        return ""

    def _line(self, f: Finding) -> str:
        loc = f.location
        message = f.message.get(self.lang)
        if facts := expected_actual(f, self.lang):
            message += "\n" + facts
        meta = self.rules.get(f.code)
        name = (meta.name if meta else "") or f.rule_name
        title = f"{f.code} {name}".strip()
        place = loc.place
        path = relative_path(place.file if place is not None and place.file else loc.path, self.options.cwd)
        if place is not None:
            message = f"{place.describe(self.lang)}: {message}"
            return command(COMMANDS[Severity(f.severity).value], message, file=path, title=title)
        s = loc.span
        end_col = s.end_col if s.end_col > s.col else s.col + 1
        return command(COMMANDS[Severity(f.severity).value], message, file=path, line=s.line,
                       endLine=max(s.end_line, s.line), col=s.col, endColumn=end_col, title=title)

    def file(self, fr: FileResult) -> str:
        ((_, findings),) = ordered_files(RunResult([fr]))
        return "".join(self._line(f) + "\n" for f in findings)

    def end(self, notices: Sequence[ToolNotice]) -> str:
        out = []
        for n in notices:
            path = relative_path(n.path, self.options.cwd) if n.path else None
            title = "filinglint " + tr("输入错误" if getattr(n, "kind", "tool") == "input" else "工具错误", self.lang)
            out.append(command("error", n.message + (f" [{n.source}]" if n.source else ""), file=path,
                               line=getattr(n, "line", None), title=title) + "\n")
        for r in self.options.unused_suppressions:  # stale config entries: a warning on the config file
            out.append(command("warning", r["message"], file=r["config"],
                               title="filinglint " + tr("未使用的抑制", self.lang)) + "\n")
        return "".join(out)


format_github = whole_report(GithubWriter)
