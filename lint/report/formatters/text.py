"""Compiler-style text report: one block per finding, then tool notices and a summary.

::

    report.txt:12:18: 错误 T002 公开03表 2010699（…）：本年支出合计应为 103.20，实际为 64.30（相差 38.90）
      12 | 2010699⇥其他财政事务支出⇥64.30⇥38.90⇥64.30
         |                          ^~~~~
      = 应为: 103.20，实际: 64.30
      相关: report.txt:12:24 公开03表 2010699 基本支出
      相关: report.txt:12:30 公开03表 2010699 项目支出

Severity words and field labels follow ``options.lang``; rule codes never change.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Sequence

from ...engine.rules import RuleMeta
from ...errors import printable
from ...model import FileResult, Finding, Place, RunResult, Severity, ToolNotice
from ..caret import excerpt
from ..options import FormatOptions
from ..records import ordered_files
from ..source import SourceCache
from ..stream import whole_report
from ...i18n import tr

# Field labels: message ids of the catalogs (lint/i18n.py), shown in the run's language.
_LABELS = {"expected": "应为", "actual": "实际", "related": "相关", "sep": "，", "tool_error": "工具错误",
           "input_error": "输入错误"}


@lru_cache(maxsize=None)
def _words(lang: str) -> dict[str, str]:
    return {k: tr(v, lang) for k, v in _LABELS.items()}

_COLORS = {"error": "\x1b[1;31m", "warning": "\x1b[1;33m", "note": "\x1b[1;36m"}
_BOLD = "\x1b[1m"
_RESET = "\x1b[0m"


def expected_actual(f: Finding, lang: str) -> str:
    """``应为: 0.00，实际: 49.06`` in the run's language; empty when the rule knows neither."""
    words = _words(lang)
    facts = [f"{words[k]}: {v}" for k, v in (("expected", f.expected), ("actual", f.actual)) if v is not None]
    return words["sep"].join(facts)


def _paint(text: str, style: str, on: bool) -> str:
    return f"{style}{text}{_RESET}" if on and text else text


def _severity_word(severity: Severity, lang: str) -> str:
    severity = Severity(severity)
    return severity.zh if lang == "zh" else severity.value


def _location_text(path: str, line: int, col: int, place: Place | None = None) -> str:
    """``file:line:col`` for text; for other sources the place itself: ``file.pdf:12``
    (page), ``file.xlsx:Sheet!B7``, ``file.docx:p14`` or ``file.docx:t2r3c4``."""
    path = printable(path)
    if place is None:
        return f"{path}:{line}:{col}"
    if place.file:
        path = place.file
    if place.kind == "pdf":
        return f"{path}:{place.page}"
    if place.kind == "xlsx":
        return f"{path}:{place.sheet}!{place.cell}"
    if place.table is not None:
        return f"{path}:t{place.table}r{place.row}c{place.column}"
    return f"{path}:p{place.paragraph}"


def _place_detail(place: Place, lang: str) -> str:
    """The place in words, with a PDF box: ``第 12 页 [x0 72.0, top 118.5, x1 130.2, bottom 129.0]``."""
    text = place.describe(lang)
    if place.box is not None:
        x0, top, x1, bottom = place.box
        text += f" [x0 {x0:.1f}, top {top:.1f}, x1 {x1:.1f}, bottom {bottom:.1f}]"
    return text


def _finding_block(f: Finding, sources: SourceCache, options: FormatOptions) -> list[str]:
    lang = "en" if options.lang == "en" else "zh"
    words = _words(lang)
    severity = Severity(f.severity).value
    span = f.location.span
    # a message quotes the filing (row names, cell text): never pass its control bytes to the terminal
    message_lines = printable(f.message.get(lang)).splitlines() or [""]
    place = f.location.place
    head = (f"{_paint(_location_text(f.location.path, span.line, span.col, place), _BOLD, options.color)}: "
            f"{_paint(_severity_word(f.severity, lang), _COLORS[severity], options.color)} "
            f"{_paint(f.code, _BOLD, options.color)} {message_lines[0]}")
    lines = [head] + ["    " + more for more in message_lines[1:]]

    source = sources.line(f.location.path, span.line) if options.show_source else None
    if source is not None:
        # A span running onto later lines is underlined to the end of its first line.
        end_col = span.end_col if span.end_line == span.line else len(source) + 1
        shown = excerpt(source, span.col, end_col)
        gutter = str(span.line)
        lines.append(f"  {gutter} | {shown.source}".rstrip())
        lines.append(f"  {' ' * len(gutter)} | {_paint(shown.caret, _COLORS[severity], options.color)}")

    if place is not None:
        lines.append(f"  @ {_place_detail(place, lang)}")
    if facts := expected_actual(f, lang):
        lines.append("  = " + facts)
    for r in f.related:
        where = _location_text(r.path, r.span.line, r.span.col, r.place)
        lines.append(printable(f"  {words['related']}: {where} {r.label}".rstrip()))
    return lines


def _notice_line(notice: ToolNotice, lang: str) -> str:
    words = _words("en" if lang == "en" else "zh")
    text = notice.message
    where = ":".join(str(p) for p in (notice.path, getattr(notice, "line", None), getattr(notice, "col", None))
                     if p is not None)
    if where:
        text = f"{where}: {text}"
    if notice.source:
        text = f"{text} [{notice.source}]"
    label = words["input_error"] if getattr(notice, "kind", "tool") == "input" else words["tool_error"]
    return printable(f"filinglint: {label}: {text}").replace("\n", " ")


def summary_line(counts: dict[str, int], lang: str) -> str:
    """``共 3 个问题（错误 2，警告 1，提示 0）`` / ``3 problems (2 errors, 1 warning, 0 notes)``."""
    total = sum(counts.values())
    if lang == "en":
        def n(count: int, word: str) -> str:
            return f"{count} {word}" + ("" if count == 1 else "s")

        return (f"{n(total, 'problem')} ({n(counts['error'], 'error')}, "
                f"{n(counts['warning'], 'warning')}, {n(counts['note'], 'note')})")
    return f"共 {total} 个问题（错误 {counts['error']}，警告 {counts['warning']}，提示 {counts['note']}）"


class TextWriter:
    """The human-readable report (``--format text``, the default)."""

    name = "text"

    def __init__(self, rules: dict[str, RuleMeta], options: FormatOptions):
        self.options = options
        self.counts = {s: 0 for s in ("error", "warning", "note")}

    def begin(self) -> str:
        return ""

    def file(self, result: FileResult) -> str:
        sources = SourceCache(RunResult([result]))
        out: list[str] = []
        for _, findings in ordered_files(RunResult([result])):
            for f in findings:
                self.counts[Severity(f.severity).value] += 1
                out.extend(_finding_block(f, sources, self.options))
                out.append("")
        return "\n".join(out) + "\n" if out else ""

    def end(self, notices: Sequence[ToolNotice]) -> str:
        out = [_notice_line(n, self.options.lang) for n in notices]
        if notices:
            out.append("")
        out.append(_paint(summary_line(self.counts, self.options.lang), _BOLD, self.options.color))
        return "\n".join(out) + "\n"


format_text = whole_report(TextWriter)
