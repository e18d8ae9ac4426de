"""HTML report (``--format html``): one self-contained page a person can look at.

* a summary first: counts by severity and by rule, a small inline SVG bar chart, and
  filters (severity check boxes, a rule menu);
* then per filing its findings — message, expected vs actual, where, the quoted source
  line and the rule's explanation — and each recognized table drawn as printed, the
  cells a finding points at highlighted (``hl-primary`` for the cell a finding is
  about, ``hl-related`` for the cells it was checked against) and linked both ways;
* for a PDF, each page holding a finding rendered with pypdfium2 (a ``data:`` PNG)
  with the findings' boxes drawn over it.

The page loads nothing from the network: CSS and JS are inlined, images are ``data:``
URIs.  Everything taken from a filing goes through Jinja2's autoescaping.

The report is streamed like the others: each file's section is written as the file
finishes, and the summary (known only at the end) is written last and shown first
(the page is a flex column; the summary has ``order: -1``).
"""

from __future__ import annotations

import base64
import io
import re
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Sequence

from ...engine.rules import RuleMeta
from ...model import FileResult, Finding, Location, RunResult, Severity, TableSnapshot, ToolNotice
from ..options import FormatOptions
from ..records import SEVERITIES, ordered_files
from ..source import SourceCache
from ..stream import whole_report
from ...i18n import tr

_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

# A report is read by people: past these a file's pages / a report's size would only
# make it unusable, and memory per file must stay bounded.
MAX_PAGES = 30
PAGE_WIDTH_PX = 1000

# The report's words (message ids: lint/i18n.py); words(lang)[key] in a language.
_WORDS = {
    "title": "filinglint 检查报告", "summary": "概览", "files": "{n} 个文件", "findings": "{n} 个问题", "list_sep": "；", "by_rule": "按规则",
    "rule": "规则", "count": "数量", "severity": "级别", "all_rules": "全部规则", "filter": "筛选", "expected": "应为",
    "actual": "实际", "related": "相关", "explanation": "规则说明", "tables": "表格", "pages": "页面", "page": "第 {n} 页",
    "no_findings": "未发现问题。", "template": "表样", "unrecognized": "（未识别）", "tool_error": "工具错误",
    "input_error": "输入错误", "notices": "运行问题", "line": "第 {n} 行", "line_col": "第 {line} 行第 {col} 列",
    "chart": "各规则问题数", "rules_doc": "规则文档", "suppressed": "已抑制", "pages_left": "（另有 {n} 页含问题，未渲染）",
    "cannot_render": "（无法渲染此 PDF 页面：{why}）", "error": "错误", "warning": "警告", "note": "提示",
}


def words(lang: str) -> dict[str, str]:
    return {k: tr(v, lang) for k, v in _WORDS.items()}


def _env():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(str(_TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    return env


def _first_paragraph(doc: str) -> str:
    """The rule's "What it does" paragraph (else the doc's first paragraph)."""
    doc = doc.strip()
    section = re.search(r"^##\s*What it does\s*$(.*?)(?=^##\s|\Z)", doc, re.M | re.S)
    body = section.group(1).strip() if section else doc
    return re.split(r"\n\s*\n", body, maxsplit=1)[0].strip() if body else ""


def _where(loc: Location, lang: str) -> str:
    text = tr("第 {line} 行第 {col} 列", lang, line=loc.span.line, col=loc.span.col)
    if loc.place is not None:
        text += " · " + loc.place.describe(lang)
    return text


def _overlaps(col: int, end_col: int, span_col: int, span_end: int) -> bool:
    return col < max(span_end, span_col + 1) and end_col > span_col


def _line_span(loc: Location) -> tuple[int, int, int]:
    s = loc.span
    return s.line, s.col, s.end_col if s.end_line == s.line else 1 << 30


class _Marks:
    """Which findings point at which (line, column range): primary and related."""

    def __init__(self) -> None:
        self.by_line: dict[int, list[tuple[int, int, str, str]]] = {}

    def add(self, loc: Location, fid: str, role: str) -> None:
        s = loc.span
        end = s.end_col if s.end_line == s.line else 1 << 30
        self.by_line.setdefault(s.line, []).append((s.col, end, fid, role))

    def cell(self, line: int, col: int, end_col: int) -> tuple[list[str], list[str]]:
        primary, related = [], []
        for c, e, fid, role in self.by_line.get(line, ()):
            if _overlaps(col, end_col, c, e):
                (primary if role == "primary" else related).append(fid)
        return primary, related


def _render_pages(pdf_path: str, boxes: dict[int, list[dict[str, Any]]], lang: str) -> tuple[list[dict], int]:
    """The pages holding findings, as ``data:`` PNG URIs with their boxes (in PDF points
    from the top-left, drawn in an SVG whose viewBox is the page in points)."""
    w = words(lang)
    pages: list[dict] = []
    numbers = sorted(boxes)
    left = max(len(numbers) - MAX_PAGES, 0)
    try:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(pdf_path)
    except Exception as exc:  # a PDF the reader read but pdfium cannot open: boxes without image
        why = f"{type(exc).__name__}"
        return [{"number": n, "caption": w["page"].format(n=n), "image": None, "width": 595, "height": 842,
                 "boxes": boxes[n], "error": w["cannot_render"].format(why=why)} for n in numbers[:MAX_PAGES]], left
    try:
        for n in numbers[:MAX_PAGES]:
            entry: dict[str, Any] = {"number": n, "caption": w["page"].format(n=n), "boxes": boxes[n],
                                     "image": None, "width": 595, "height": 842, "error": None}
            try:
                page = pdf[n - 1]
                width, height = page.get_size()
                entry["width"], entry["height"] = round(width, 2), round(height, 2)
                scale = min(2.0, PAGE_WIDTH_PX / width) if width else 1.0
                # Grayscale: half the bytes and time of colour, and the boxes drawn over
                # the page stand out; PNG's optimize pass would cost 4x for 2%.
                image = page.render(scale=scale, grayscale=True).to_pil()
                buf = io.BytesIO()
                image.convert("L").save(buf, format="PNG")
                entry["image"] = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
                page.close()
            except Exception as exc:  # one bad page keeps its boxes, loses its image
                entry["error"] = w["cannot_render"].format(why=type(exc).__name__)
            pages.append(entry)
    finally:
        pdf.close()
    return pages, left


class HtmlWriter:
    """The HTML report (``--format html``); see the module docstring."""

    name = "html"
    wants_tables = True  # the run keeps a TableSnapshot of each table (LintOptions.snapshots)

    def __init__(self, rules: dict[str, RuleMeta], options: FormatOptions):
        self.rules, self.options = rules, options
        self.lang = "en" if options.lang == "en" else "zh"
        self.words = words(self.lang)
        self.env = _env()
        self.counts = {s: 0 for s in SEVERITIES}
        self.by_rule: Counter[str] = Counter()
        self.rule_severity: dict[str, str] = {}
        self.nfiles = 0
        self.nfindings = 0

    # ------------------------------------------------------------------ parts

    def begin(self) -> str:
        return self.env.get_template("report_begin.html.j2").render(
            w=self.words, lang="zh-CN" if self.lang == "zh" else "en",
            css=_markup((_TEMPLATES / "report.css").read_text(encoding="utf-8")))

    def file(self, fr: FileResult) -> str:
        ((_, findings),) = ordered_files(RunResult([fr]))
        sources = SourceCache(RunResult([fr]))
        file_no = self.nfiles
        self.nfiles += 1
        marks = _Marks()
        items = []
        boxes: dict[int, list[dict[str, Any]]] = {}
        pdf_path: str | None = None
        for f in findings:
            self.nfindings += 1
            fid = f"f{self.nfindings}"
            sev = Severity(f.severity).value
            self.counts[sev] += 1
            self.by_rule[f.code] += 1
            self.rule_severity.setdefault(f.code, sev)
            marks.add(f.location, fid, "primary")
            for r in f.related:
                if r.path == f.location.path:
                    marks.add(r, fid, "related")
            for role, loc in [("primary", f.location), *(("related", r) for r in f.related)]:
                place = loc.place
                if place is not None and place.kind == "pdf" and place.page and place.box:
                    pdf_path = pdf_path or place.file or loc.path
                    x0, top, x1, bottom = place.box
                    boxes.setdefault(place.page, []).append({
                        "x": round(x0, 2), "y": round(top, 2), "w": round(max(x1 - x0, 1), 2),
                        "h": round(max(bottom - top, 1), 2), "role": role, "fid": fid,
                        "title": f"{f.code} {loc.label}".strip()})
            meta = self.rules.get(f.code)
            span = f.location.span
            items.append({
                "id": fid, "code": f.code, "severity": sev, "severity_word": self.words[sev],
                "name": (meta.name if meta else "") or f.rule_name,
                "message": f.message.get(self.lang), "where": _where(f.location, self.lang),
                "label": f.location.label, "expected": f.expected, "actual": f.actual,
                "source": (sources.line(f.location.path, span.line) or "").rstrip() or None,
                "span": _line_span(f.location),
                "page": (f"page-{file_no}-{f.location.place.page}" if f.location.place is not None
                         and f.location.place.kind == "pdf" and f.location.place.box else None),
                "related": [{"where": _where(r, self.lang), "label": r.label,
                             "span": _line_span(r) if r.path == f.location.path else (0, 0, 0)}
                            for r in f.related],
                "about": _first_paragraph(meta.doc) if meta else "",
            })
        snapshots = list(fr.snapshots) + _context_tables(fr, findings, fr.snapshots, sources)
        tables = [self._table(t, marks, file_no) for t in sorted(snapshots, key=lambda t: t.line)]
        drawn: dict[int, list[tuple[int, int, str]]] = {}  # line -> marked cells (col, end_col, id)
        for t in tables:
            for row in t["rows"]:
                for c in row["cells"]:
                    if c["anchor"]:
                        drawn.setdefault(row["line"], []).append((c["col"], c["end_col"], c["anchor"]))

        def cell_at(line: int, col: int, end_col: int) -> str | None:
            return next((a for c, e, a in drawn.get(line, ()) if _overlaps(c, e, col, end_col)), None)

        for item in items:  # link only to cells that are drawn
            item["cell"] = cell_at(*item.pop("span"))
            for r in item["related"]:
                r["cell"] = cell_at(*r.pop("span"))
        pages, pages_left = _render_pages(pdf_path, boxes, self.lang) if pdf_path else ([], 0)
        rendered = {f"page-{file_no}-{p['number']}" for p in pages}
        for item in items:
            if item["page"] not in rendered:
                item["page"] = None
        return self.env.get_template("report_file.html.j2").render(
            w=self.words, path=fr.path, template=fr.template, findings=items, tables=tables,
            pages=pages, pages_left=pages_left, file_no=file_no,
            suppressed=len(getattr(fr, "suppressed", ()) or ()))

    def _table(self, t: TableSnapshot, marks: _Marks, file_no: int) -> dict[str, Any]:
        rows = []
        for line, cells in t.rows:
            out = []
            for text, col, end_col in cells:
                # A blank field has no text to point at: a finding may point at the tab
                # before it (or, at the end of a line, just past the text).
                reach = col - 1 if not text and col > 1 else col
                primary, related = marks.cell(line, reach, end_col)
                classes = []
                if primary:
                    classes.append("hl-primary")
                if related:
                    classes.append("hl-related")
                fids = primary + [x for x in related if x not in primary]
                out.append({"text": text, "col": reach, "end_col": end_col, "classes": " ".join(classes + (["on"] if fids else [])),
                            "findings": " ".join(fids), "refs": fids,
                            "anchor": f"c{file_no}-{line}-{col}" if fids else None,
                            "primary": primary})
            rows.append({"line": line, "cells": out})
        return {"id": t.id, "title": t.title, "line": t.line, "rows": rows}

    def end(self, notices: Sequence[ToolNotice]) -> str:
        rules = sorted(self.by_rule, key=lambda c: (-self.by_rule[c], c))
        chart = _chart(rules, self.by_rule, self.rule_severity)
        docs = [{"code": c, "name": self.rules[c].name, "doc": self.rules[c].doc.strip()}
                for c in sorted(self.by_rule) if c in self.rules]
        return self.env.get_template("report_end.html.j2").render(
            w=self.words, counts=self.counts, nfiles=self.nfiles, nfindings=self.nfindings,
            rules=[{"code": c, "count": self.by_rule[c], "severity": self.rule_severity[c],
                    "severity_word": self.words[self.rule_severity[c]],
                    "name": self.rules[c].name if c in self.rules else ""} for c in rules],
            chart=chart, docs=docs, severities=SEVERITIES,
            notices=[{"kind": self.words["input_error"] if getattr(n, "kind", "tool") == "input"
                      else self.words["tool_error"], "path": n.path, "message": n.message, "source": n.source}
                     for n in notices],
            js=_markup((_TEMPLATES / "report.js").read_text(encoding="utf-8")))


# How far a context table reaches up and down from a finding's row.
CONTEXT_ROWS = 40


def _row_cells(text: str) -> tuple[tuple[str, int, int], ...]:
    """A tab-separated line's fields as (text, col, end_col), stripped, as the text
    reader places them (an empty field gets a one-column span)."""
    out, pos = [], 0
    for field in text.split("\t"):
        lead = len(field) - len(field.lstrip())
        body = field.strip()
        col = pos + lead + 1
        out.append((body, col, col + max(len(body), 1)))
        pos += len(field) + 1
    return tuple(out)


def _context_tables(fr: FileResult, findings: Sequence[Finding], snapshots: Sequence[TableSnapshot],
                    sources: SourceCache) -> list[TableSnapshot]:
    """Tables no template knows (a 绩效自评表, a table the recognizer skipped) are still
    drawn where a finding points into them: the run of tab-separated lines around the
    finding's row, titled by the line of prose just above it."""
    lines = sources.lines(fr.path) or []
    covered = {line for t in snapshots for line, _ in t.rows}
    out: list[TableSnapshot] = []
    for f in findings:
        n = f.location.span.line
        if f.location.path != fr.path or n in covered or not 0 < n <= len(lines) or "\t" not in lines[n - 1]:
            continue
        first = last = n
        while first > 1 and n - first < CONTEXT_ROWS and "\t" in lines[first - 2] and first - 1 not in covered:
            first -= 1
        while last < len(lines) and last - n < CONTEXT_ROWS and "\t" in lines[last] and last + 1 not in covered:
            last += 1
        title_line = next((k for k in range(first - 1, max(first - 4, 0), -1) if lines[k - 1].strip()), first)
        title = lines[title_line - 1].strip() if title_line < first else ""
        rows = tuple((k, _row_cells(lines[k - 1])) for k in range(first, last + 1) if lines[k - 1].strip())
        out.append(TableSnapshot("", title, first, rows))
        covered.update(range(first, last + 1))
    return out


def _markup(text: str):
    from markupsafe import Markup

    return Markup(text)  # our own CSS/JS files, never filing text


def _chart(rules: Iterable[str], counts: Counter, severity: dict[str, str]) -> dict[str, Any]:
    """Bars for the SVG chart (coordinates only; the template draws them)."""
    rules = list(rules)[:20]
    top = max((counts[c] for c in rules), default=1) or 1
    bar_h, gap, label_w, width = 18, 6, 70, 420
    bars = []
    for i, code in enumerate(rules):
        y = i * (bar_h + gap)
        w = max(2, round((width - label_w - 40) * counts[code] / top))
        bars.append({"code": code, "count": counts[code], "severity": severity[code], "y": y, "w": w,
                     "h": bar_h, "x": label_w, "text_y": y + bar_h - 4, "count_x": label_w + w + 4})
    return {"bars": bars, "width": width, "height": max(len(bars) * (bar_h + gap), bar_h)}


format_html = whole_report(HtmlWriter)
