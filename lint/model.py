"""The data that flows through filinglint: source spans, documents, tables, claims, findings.

reader (file -> Document of Blocks with Spans) -> recognizer (Tables with Cells; Claims)
-> engine (rules) -> Findings -> formatters.  Everything here is plain data; behaviour
lives in the modules named for each stage.

The classes made by the thousand per filing (``Span``, ``CellText``, ``Block``, ``Cell``,
``RowInfo``, ``Claim``) are slotted dataclasses rather than frozen ones: a frozen
dataclass sets every field through ``object.__setattr__`` (about three times the cost of
making the object), and filling the instance dict directly instead makes every later
read of a field about three times slower.  They hash by value and, like the frozen
classes, are never changed once made.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from functools import cached_property
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Iterator, Mapping, Sequence

if TYPE_CHECKING:  # pandas costs ~0.3 s to import: only the recognizer needs it at run time
    import pandas as pd


# --------------------------------------------------------------------------- locations


@dataclass(order=True, unsafe_hash=True, slots=True)
class Span:
    """A region of the source text.  Lines and columns are 1-based; ``end_col`` is
    exclusive (the column after the last character), as in SARIF regions.  Columns
    count Unicode code points, so one CJK character is one column."""

    line: int
    col: int
    end_line: int
    end_col: int

    @classmethod
    def on_line(cls, line: int, col: int, length: int) -> "Span":
        return cls(line, col, line, col + (length if length > 1 else 1))

    def __str__(self) -> str:
        return f"{self.line}:{self.col}"


@dataclass(frozen=True)
class Place:
    """Where something stands in a source that is not plain text.

    A reader of PDF, DOCX or XLSX files lays the filing out as text lines (table rows
    as tab-separated cells, exactly like a text export) so one recognizer serves every
    format; each stretch of those lines remembers the place it came from here.

    - ``pdf``: ``page`` (1-based) and ``box`` = (x0, top, x1, bottom) in PDF points,
      measured from the page's top-left corner (pdfplumber's convention);
    - ``docx``: ``paragraph`` (1-based index among body paragraphs), or ``table``,
      ``row`` and ``column`` (1-based) for a table cell;
    - ``xlsx``: ``sheet`` and ``cell`` (A1 notation);
    - ``file`` names the member file when one filing is read from several files.
    """

    kind: str  # "pdf" | "docx" | "xlsx"
    page: int | None = None
    box: tuple[float, float, float, float] | None = None
    paragraph: int | None = None
    table: int | None = None
    row: int | None = None
    column: int | None = None
    sheet: str | None = None
    cell: str | None = None
    text: str = ""
    file: str | None = None

    def describe(self, lang: str = "zh") -> str:
        """A short human form: ``第 12 页`` / ``page 12``, ``表 2 第 3 行第 4 列``,
        ``工作表“收入”!B7``."""
        en = lang == "en"
        if self.kind == "pdf":
            where = f"page {self.page}" if en else f"第 {self.page} 页"
        elif self.kind == "xlsx":
            where = f"{self.sheet}!{self.cell}" if en else f"工作表“{self.sheet}”!{self.cell}"
        elif self.table is not None:
            where = (f"table {self.table} row {self.row} col {self.column}" if en
                     else f"表 {self.table} 第 {self.row} 行第 {self.column} 列")
        else:
            where = f"paragraph {self.paragraph}" if en else f"第 {self.paragraph} 段"
        return where

    def merge(self, other: "Place") -> "Place":
        """The smallest place covering both (boxes on one page united)."""
        if (self.kind != "pdf" or other.kind != "pdf" or self.page != other.page
                or self.box is None or other.box is None or self.file != other.file):
            return self
        a, b = self.box, other.box
        box = (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
        return Place("pdf", self.page, box, text=(self.text + " " + other.text).strip(), file=self.file)


@dataclass(frozen=True)
class Location:
    """A span in a file, with a short label saying what is there (a cell name, a claim).

    ``span`` is in the document's text lines (for a PDF/DOCX/XLSX, the lines its
    reader laid out); ``place`` says where that is in the source file itself."""

    path: str
    span: Span
    label: str = ""
    place: Place | None = None

    def sort_key(self) -> tuple:
        return (self.path, self.span.line, self.span.col)


# --------------------------------------------------------------------------- documents


class BlockKind(str, enum.Enum):
    TEXT = "text"  # a line of prose (a heading, a sentence or part of one)
    ROW = "row"  # a tab-separated line: one table row


@dataclass(unsafe_hash=True, slots=True)
class CellText:
    """One tab-separated field of a row as it stands in the source."""

    text: str  # stripped of surrounding spaces
    span: Span  # covers the stripped text (an empty field gets a one-column span)



@dataclass(unsafe_hash=True, slots=True)
class Block:
    """One non-blank source line.  ``text`` has reader marks ([bookmark: …], [image: …])
    blanked out with spaces so every column still matches the file."""

    kind: BlockKind
    line: int
    text: str
    cells: tuple[CellText, ...] = ()

    @property
    def span(self) -> Span:
        return Span(self.line, 1, self.line, len(self.text) + 1)


@dataclass
class Document:
    """A filing as read from disk."""

    path: str  # as given on the command line (relative paths stay relative)
    encoding: str
    lines: list[str]  # the source lines, without line terminators, marks intact
    blocks: list[Block]
    metadata: dict[str, Any] = field(default_factory=dict)  # report_year, department, unit …
    # Non-text sources: line -> ((start_col, end_col, Place), …) in column order, columns
    # as in Span (1-based, end exclusive).  Empty for text files.
    places: dict[int, tuple[tuple[int, int, "Place"], ...]] = field(default_factory=dict)
    format: str = "text"  # "text", "pdf", "docx", "xlsx", "layout"

    @cached_property
    def flat_text(self) -> str:
        """The whole text without whitespace, for phrase look-ups (template detection
        asks every template's signals of the same filing)."""
        return "".join("\n".join(self.lines).split())  # (as re.sub(r"\s+", "", …), ~5x faster)

    def line_text(self, line: int) -> str:
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""

    def location(self, span: Span, label: str = "") -> Location:
        return Location(self.path, span, label, self.place_of(span))

    def place_of(self, span: Span) -> Place | None:
        """The source place of ``span`` (None for text files): the places of the
        stretches it overlaps on its first line, united."""
        segments = self.places.get(span.line) if self.places else None
        if not segments:
            return None
        end = span.end_col if span.end_line == span.line else 1 << 30
        hit: Place | None = None
        for start, stop, place in segments:
            if start < max(end, span.col + 1) and stop > span.col:
                hit = place if hit is None else hit.merge(place)
        if hit is None:  # between stretches (a tab): the nearest one before it
            before = [p for s, _, p in segments if s <= span.col]
            hit = before[-1] if before else segments[0][2]
        return hit


# --------------------------------------------------------------------------- numbers


@dataclass(frozen=True)
class Amount:
    """A number as stated: its exact decimal value, how many decimals were written,
    and any way the writing departs from the normal form (``125,27``, ``186. 67``)."""

    value: Decimal
    decimals: int
    text: str
    anomaly: str | None = None  # "decimal-comma", "space-in-number", "fullwidth-digits" …
    percent: bool = False

    @property
    def rounding(self) -> Decimal:
        """Half a unit of the last written decimal: how far the true value can be from
        the stated one if the writer rounded.  A stated zero is taken as exact."""
        if self.value == 0:
            return _EXACT
        half = _HALF_UNITS.get(self.decimals)
        if half is None:  # rules ask for every cell's rounding: build each one once
            half = _HALF_UNITS[self.decimals] = Decimal(5).scaleb(-(self.decimals + 1))
        return half


_EXACT = Decimal(0)
_HALF_UNITS: dict[int, Decimal] = {}


# --------------------------------------------------------------------------- tables


@dataclass(unsafe_hash=True, slots=True)
class Cell:
    """One table cell: where it is, what it says, and the number it holds (if any)."""

    row: str  # row key (功能分类/经济分类 code, or canonical item label)
    column: str  # canonical column key
    text: str
    span: Span
    amount: Amount | None = None

    @property
    def value(self) -> Decimal | None:
        return self.amount.value if self.amount else None

    @property
    def blank(self) -> bool:
        return self.text == ""


@dataclass(unsafe_hash=True, slots=True)
class RowInfo:
    key: str  # unique within its panel
    label: str  # the row's name as printed (科目名称 or item text)
    code: str | None  # classification code, a key, never an amount
    line: int
    kind: str = "item"  # "item", "total" (合计/总计), "subtotal", "classification"
    alias: str | None = None  # canonical row alias from the template ("total", "personnel" …)

    @property
    def level(self) -> int | None:
        """功能分类: 3 digits 类, 5 款, 7 项; 经济分类: 3 类, 5 款."""
        if not self.code:
            return None
        return _CODE_LEVELS.get(len(self.code))


_CODE_LEVELS = {3: 1, 5: 2, 7: 3}


@dataclass
class Panel:
    """One rectangular part of a table.  Most tables have a single panel ("main");
    two-sided tables (income | expenditure) have one per side.

    ``values`` is the pandas view the rules compute on: index = row keys, columns =
    canonical column keys, cells hold ``Decimal`` or ``None`` (blank).  ``cells`` has
    the same shape and holds the ``Cell`` objects with their source spans."""

    name: str
    rows: list[RowInfo]
    columns: list[str]
    values: pd.DataFrame
    cells: pd.DataFrame
    headers: dict[str, str] = field(default_factory=dict)  # column key -> its name for messages

    def header(self, column: str) -> str:
        """The column's name as a reader knows it (基本支出), not its key (basic)."""
        return self.headers.get(column, column)

    def __post_init__(self) -> None:
        # Rules look cells up one at a time; pandas' .at is ~50x slower than a dict.
        self._cell_index: dict[tuple[str, str], Cell] = {}
        # (to_numpy().tolist(): the rows as lists in one step; itertuples is ~10x slower)
        columns = self.cells.columns.tolist()  # (iterating a pandas Index per row is slow)
        for row, values in zip(self.cells.index.tolist(), self.cells.to_numpy(dtype=object).tolist()):
            for col, c in zip(columns, values):
                if isinstance(c, Cell):
                    self._cell_index[(row, col)] = c
        self._rows_by_key = {r.key: r for r in self.rows}

    def cell(self, row: str, column: str) -> Cell | None:
        return self._cell_index.get((row, column))

    def row_info(self, key: str) -> RowInfo | None:
        return self._rows_by_key.get(key)

    def find_row(self, name: str) -> RowInfo | None:
        """A row by key, code, alias or printed label."""
        for r in self.rows:
            if name in (r.key, r.code, r.alias, r.label):
                return r
        return None

    def iter_cells(self) -> Iterator[Cell]:
        for row in self.rows:
            for col in self.columns:
                c = self.cell(row.key, col)
                if c is not None:
                    yield c


@dataclass
class Table:
    """A recognized table: which template table it is, where it was printed, its panels."""

    id: str  # template id, e.g. "table03"
    title: str  # as printed
    number: str | None  # as printed ("03"), None when the filing prints none
    span: Span  # of the title line
    panels: dict[str, Panel]
    template_id: str  # e.g. "hunan-2020"
    department: str | None = None
    department_span: Span | None = None
    unit: str | None = None
    unit_span: Span | None = None
    number_span: Span | None = None
    notes: list[str] = field(default_factory=list)  # recognizer remarks (e.g. printed twice)

    @property
    def main(self) -> Panel:
        return next(iter(self.panels.values()))

    def panel(self, name: str | None = None) -> Panel:
        return self.panels[name] if name else self.main

    @property
    def empty(self) -> bool:
        return all(c.amount is None for p in self.panels.values() for c in p.iter_cells())

    @property
    def last_line(self) -> int:
        """The line of the table's last recognized row (its title's when none was read)."""
        return max((r.line for p in self.panels.values() for r in p.rows if r.line), default=self.span.line)


# --------------------------------------------------------------------------- narrative


@dataclass(unsafe_hash=True, slots=True)
class Claim:
    """A typed statement read from the narrative.

    ``kind`` is one of: "amount", "share", "change", "completion", "parts", "count".
    ``values`` holds the numbers by role ("amount", "percent", "base", "previous",
    "budget", "actual", …); ``subject`` is the thing stated about, as written;
    ``base`` names the whole a share is taken of."""

    kind: str
    span: Span
    sentence: str
    subject: str | None = None
    values: Mapping[str, Amount] = field(default_factory=dict)
    base: str | None = None
    direction: str | None = None  # "increase"/"decrease" for changes
    parts: tuple["Claim", ...] = ()
    unit: str | None = None
    spans: Mapping[str, Span] = field(default_factory=dict)  # per value role


# --------------------------------------------------------------------------- findings


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "note": 1}[self.value]

    @property
    def zh(self) -> str:
        return {"error": "错误", "warning": "警告", "note": "提示"}[self.value]


@dataclass(frozen=True)
class Message:
    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True)
class Finding:
    """One inconsistency found in a filing."""

    code: str
    severity: Severity
    message: Message
    location: Location
    related: tuple[Location, ...] = ()
    expected: str | None = None
    actual: str | None = None
    rule_name: str = ""
    properties: Mapping[str, Any] = field(default_factory=dict)

    def sort_key(self) -> tuple:
        return (*self.location.sort_key(), self.location.span.end_col, self.code, self.message.zh)


@dataclass(frozen=True)
class ToolNotice:
    """Something that went wrong in the tool itself (a plugin raised, a rule crashed):
    reported beside the findings and making the run's exit code say 'incomplete'."""

    message: str
    source: str = ""  # plugin or rule that caused it
    path: str | None = None
    # "tool": filinglint or a plugin failed (exit 3); "input": a file could not be read
    # or linted (exit 2).  Both are shown in every format, so no format says "0 problems"
    # about a file it never read.
    kind: str = "tool"
    line: int | None = None
    col: int | None = None


@dataclass(frozen=True)
class TableSnapshot:
    """A recognized table as printed, for reports that draw it (the HTML report).

    Plain tuples only, so it pickles and turns into JSON as is; ``rows`` are the
    table's tab-separated source lines from its title down, each
    ``(line, ((text, col, end_col), ...))`` with columns as in :class:`Span`."""

    id: str
    title: str
    line: int  # of the title
    rows: tuple[tuple[int, tuple[tuple[str, int, int], ...]], ...] = ()


@dataclass(frozen=True)
class Suppressed:
    """A finding a configured suppression matched: kept for SARIF, left out of text."""

    finding: Finding
    reason: str
    rule: str = ""  # the suppression's ``rule`` as configured (for reports)


@dataclass
class FileResult:
    path: str
    findings: list[Finding]
    template: str | None = None
    packs: Sequence[str] = ()
    tables: Sequence[str] = ()
    source_lines: list[str] = field(default_factory=list)
    reasons: Sequence[str] = ()  # why the template was chosen (for --verbose / SARIF)
    # Filled only when asked for (LintOptions.snapshots: a formatter that draws tables).
    snapshots: Sequence[TableSnapshot] = ()
    # Findings taken out by [[tool.filinglint.suppress]] (see lint.report.review).
    suppressed: Sequence[Suppressed] = ()
    # Who filed it and for which year (read from the filing): corpus summaries group by these.
    department: str | None = None
    report_year: int | None = None
    # What the filing is and how far it was read (lint.recognize.filing): status is
    # "linted" (template known, every table-like block read), "partial" (some tables or
    # the template not recognized: the rules that apply ran), "narrative" (no tables:
    # narrative rules only) or "rejected" (not a filing; see RunResult notices).
    status: str = "linted"
    status_reason: str = ""
    kind: str | None = None  # "budget", "final-accounts", "performance"
    scope: str | None = None  # "department" (部门) or "unit" (单位)
    region: str | None = None  # the template's region (上海, 江苏 …)
    unread: Sequence[str] = ()  # table-like blocks not read, each "line N: what (why)"


@dataclass
class RunResult:
    files: list[FileResult]
    notices: list[ToolNotice] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [f for fr in self.files for f in fr.findings]
