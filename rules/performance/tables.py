"""Reading 绩效自评表 out of a filing.

Three kinds of table are recognized, whatever region printed them:

* 部门整体支出绩效自评表 (``kind="department"``)
* 项目支出绩效自评表 (``kind="project"``)
* 项目绩效目标完成情况表 and similar (``kind="completion"``): budget and execution
  with indicator rows, usually without scores

Two layouts occur in plain-text exports:

* *tab layout*: one table row per line, cells separated by tabs;
* *cell layout*: each cell on its own line starting with a tab, a blank line between
  rows (PDF exports of Word tables do this).

Both are reduced to *records* (lists of cells) and read by the same code, so a rule
never needs to know which layout the filing used.  Every value keeps its source span.
"""

from __future__ import annotations

import re
import weakref
from operator import attrgetter
from bisect import bisect_right
from functools import lru_cache
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable, Protocol, Sequence

from lint.model import Amount, Block, BlockKind, CellText, Document, Span
from lint.numbers import parse_number

# --------------------------------------------------------------------------- data


@dataclass(unsafe_hash=True, slots=True)
class Value:
    """One stated value: its text, where it is, and its number when it holds one.
    (One per cell read: slotted, as lint.model's Cell, for cheap creation and reads.)"""

    text: str
    span: Span
    amount: Amount | None = None

    @property
    def value(self) -> Decimal | None:
        return self.amount.value if self.amount else None


@dataclass
class FundRow:
    """A row of the 资金情况 / 年度项目资金 block.  ``values`` is keyed by
    ``initial`` (年初预算数), ``budget`` (全年预算数), ``executed`` (全年执行数),
    ``weight`` (分值), ``rate`` (执行率) and ``score`` (得分)."""

    label: str  # "合计", "当年财政拨款", "上年结转资金", "其他资金" … as printed, 其中 dropped
    span: Span
    values: dict[str, Value] = field(default_factory=dict)

    def get(self, key: str) -> Value | None:
        v = self.values.get(key)
        return v if v is not None and v.amount is not None else None

    @property
    def is_total(self) -> bool:
        return self.label in ("合计", "总计", "小计", "")


@dataclass
class Indicator:
    """One 三级指标 row with its 分值 and 得分."""

    section: str  # 一级指标, cap removed ("产出指标")
    category: str  # 二级指标 ("数量指标")
    name: str  # 三级指标
    span: Span  # of the row's first non-empty cell
    target: Value | None = None  # 年度指标值 / 预期指标值
    actual: Value | None = None  # 实际完成值
    weight: Value | None = None  # 分值
    score: Value | None = None  # 得分


@dataclass
class Section:
    """A 一级指标 group, with the cap printed beside it (``产出指标 (50分)``)."""

    name: str
    span: Span
    cap: Value | None = None
    indicators: list[Indicator] = field(default_factory=list)


@dataclass(frozen=True)
class GradeBand:
    """One grade of a band definition; ``None`` bounds are open."""

    grade: str
    low: Decimal | None
    low_inclusive: bool
    high: Decimal | None
    high_inclusive: bool

    def contains(self, score: Decimal) -> bool:
        if self.low is not None and (score < self.low or (score == self.low and not self.low_inclusive)):
            return False
        if self.high is not None and (score > self.high or (score == self.high and not self.high_inclusive)):
            return False
        return True

    def describe(self) -> str:
        lo = "" if self.low is None else f"{self.low}分{'（含）' if self.low_inclusive else '（不含）'}"
        hi = "" if self.high is None else f"{self.high}分{'（含）' if self.high_inclusive else '（不含）'}"
        if lo and hi:
            return f"{lo}—{hi}为{self.grade}"
        if lo:
            return f"{lo}以上为{self.grade}"
        return f"{hi}以下为{self.grade}"


@dataclass(frozen=True)
class BandDefinition:
    """The grading scale: printed in the filing (``span`` set) or the national default."""

    bands: tuple[GradeBand, ...]
    span: Span | None = None  # None: the national default, not printed in the filing
    text: str = ""

    def band_for(self, score: Decimal) -> GradeBand | None:
        for band in self.bands:
            if band.contains(score):
                return band
        return None


@dataclass(frozen=True)
class MoneyStatement:
    """A money amount stated in words inside a cell (``2022年支付资金216.00万元``)."""

    role: str  # "budget", "executed", "balance", "adjust_down", "adjust_up"
    amount: Amount
    span: Span  # of the number
    phrase_span: Span  # from the keyword to the unit
    column: str  # "target", "actual" or "" (cell not in an indicator column)
    whole: bool  # phrased as the year's / whole amount (2020年支付, 全年预算, 累计支出)
    group: int  # statements of the same cell share a group
    keyword: str = ""  # the role word as written (年初预算数, 支付资金 …)


@dataclass
class PerfTable:
    """One 绩效自评表 as read."""

    kind: str  # "department", "project", "completion"
    title: str
    span: Span  # of the title
    end_line: int
    layout: str  # "tab" or "cell"
    department: Value | None = None
    project: Value | None = None
    investment: Value | None = None  # 项目总投资
    funds: list[FundRow] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    total_weight: Value | None = None
    total_score: Value | None = None
    grade: Value | None = None
    total_span: Span | None = None
    bands: BandDefinition | None = None
    statements: list[MoneyStatement] = field(default_factory=list)

    @property
    def fund_total(self) -> FundRow | None:
        for row in self.funds:
            if row.is_total:
                return row
        return self.funds[0] if self.funds else None

    def fund(self, key: str) -> Value | None:
        total = self.fund_total
        return total.get(key) if total else None

    def indicators(self) -> list[Indicator]:
        return [i for s in self.sections for i in s.indicators]

    def contains_line(self, line: int) -> bool:
        return self.span.line <= line <= self.end_line

    @property
    def label(self) -> str:
        """How messages name the table: its project, or its title."""
        if self.project is not None and self.project.text:
            return f"{self.title}（{self.project.text}）"
        return self.title


# --------------------------------------------------------------------------- text helpers

_FOLD = str.maketrans({"（": "(", "）": ")", "：": ":", "，": ",", "；": ";", "－": "-", "—": "-",
                       "–": "-", "～": "~", "﹙": "(", "﹚": ")"})


_SPACES = re.compile(r"\s+")
_SPACE_BEFORE_PERCENT = re.compile(r"\s+(?=%)")
_WAN_SUFFIX = re.compile(r"\s*万元$")


@lru_cache(maxsize=1 << 16)  # pure; every cell is keyed several times while a table is read
def key(text: str) -> str:
    """A label for matching: no whitespace, ASCII brackets and colon, no trailing colon."""
    return _SPACES.sub("", text).translate(_FOLD).rstrip(":")


@lru_cache(maxsize=1 << 16)  # pure, and Amount is immutable
def number(text: str) -> Amount | None:
    """A cell as a number, tolerating ``100 %`` and a trailing ``万元``."""
    t = _SPACE_BEFORE_PERCENT.sub("", text.strip())
    t = _WAN_SUFFIX.sub("", t)
    return parse_number(t) if t else None


@lru_cache(maxsize=1 << 14)  # pure; asked of every 分值 and 得分 cell
def plain_number(text: str) -> Amount | None:
    """A score or weight: a bare number, not a percent."""
    a = number(text)
    if a is None or a.percent or "万元" in text:
        return None
    return a


def value_of(cell: CellText | None) -> Value | None:
    if cell is None:
        return None
    return Value(cell.text, cell.span, number(cell.text) if cell.text else None)


# --------------------------------------------------------------------------- grades

# Longest names first so 优秀 is not read as 优.
GRADE_WORDS = ("不合格", "不及格", "优秀", "良好", "中等", "合格", "及格", "较差", "一般", "优", "良", "中", "差")
_CANON = {"优秀": "优", "优": "优", "良好": "良", "良": "良", "中等": "中", "中": "中", "一般": "中",
          "合格": "中", "及格": "中", "较差": "差", "差": "差", "不合格": "差", "不及格": "差"}
GRADE_RE = "|".join(GRADE_WORDS)


_GRADE_NOISE = re.compile(r"[\s“”\"'「」]")


@lru_cache(maxsize=1 << 12)  # pure; asked of every cell after a 总分
def canonical_grade(word: str) -> str | None:
    """The national grade (优/良/中/差) a printed grade word stands for."""
    return _CANON.get(_GRADE_NOISE.sub("", word))


NATIONAL_BANDS = BandDefinition((
    GradeBand("优", Decimal(90), True, None, True),
    GradeBand("良", Decimal(80), True, Decimal(90), False),
    GradeBand("中", Decimal(60), True, Decimal(80), False),
    GradeBand("差", None, True, Decimal(60), False),
))

_NUM = r"(\d+(?:\.\d+)?)"
_INCL = r"(?:\((含|不含)(?:\d+(?:\.\d+)?分?)?\))?"
_BAND_RANGE = re.compile(rf"{_NUM}分?{_INCL}[-~至到]{_NUM}分?{_INCL}(?:的)?(?:为|是|:)[“\"「]?({GRADE_RE})")
_BAND_BELOW = re.compile(rf"{_NUM}分?{_INCL}以下(?:的)?(?:为|是|:)[“\"「]?({GRADE_RE})")
_BAND_ABOVE = re.compile(rf"{_NUM}分?{_INCL}(?:及)?以上(?:的)?(?:为|是|:)[“\"「]?({GRADE_RE})")
_GRADE_NAMED = re.compile(rf"(?:为|是|:)[“\"「]?(?:{GRADE_RE})")


@dataclass
class _RawBand:
    grade: str
    low: Decimal | None
    low_mark: str | None
    high: Decimal | None
    high_mark: str | None
    pos: int


def parse_bands(text: str, span: Span | None = None) -> BandDefinition | None:
    """The band definition printed in ``text`` (``90分（含）—100分为优，…60分以下为差``),
    or ``None`` when fewer than two grades are defined there."""
    t = key(text)
    if not _GRADE_NAMED.search(t):  # what every band pattern ends with; most notes have none
        return None
    raw: list[_RawBand] = []
    taken: list[tuple[int, int]] = []
    for m in _BAND_RANGE.finditer(t):
        raw.append(_RawBand(m.group(5), Decimal(m.group(1)), m.group(2), Decimal(m.group(3)), m.group(4),
                            m.start()))
        taken.append(m.span())
    for rx, is_below in ((_BAND_BELOW, True), (_BAND_ABOVE, False)):
        for m in rx.finditer(t):
            if any(a <= m.start() < b for a, b in taken):
                continue
            n, mark, grade = Decimal(m.group(1)), m.group(2), m.group(3)
            if is_below:
                raw.append(_RawBand(grade, None, None, n, mark, m.start()))
            else:
                raw.append(_RawBand(grade, n, mark, None, None, m.start()))
    if len(raw) < 2:
        return None
    raw.sort(key=lambda r: r.pos)
    bands = []
    for r in raw:
        # A shared boundary belongs to one grade only: the one that says "含", else the
        # higher grade (the usual reading of "80分（含）—90分为良，90分（含）—100分为优").
        low_inc = r.low_mark != "不含"
        if r.low is not None and r.low_mark is None:
            low_inc = not any(o is not r and o.high == r.low and o.high_mark == "含" for o in raw)
        high_inc = r.high_mark == "含"
        if r.high is not None and r.high_mark is None:
            high_inc = not any(o is not r and o.low == r.high and o.low_mark != "不含" for o in raw)
        bands.append(GradeBand(r.grade, r.low, low_inc, r.high, high_inc))
    return BandDefinition(tuple(bands), span, text.strip())


# --------------------------------------------------------------------------- money in words

_ROLE_WORDS = [
    ("adjust_down", r"追减|调减|核减"),
    ("adjust_up", r"追加|调增"),
    ("balance", r"结余|剩余"),
    ("budget", r"全年预算数|年初预算数|预算资金|预算数|预算|总金额|资金总额|总投资"),
    ("executed", r"支付资金|支付|实际支出|支出资金|支出|执行数|执行|使用资金|使用"),
]
# One flat alternation of the words, in the same order, and the role looked up from the
# word matched: with a group per role the pattern has no literal first characters, and
# the regex engine then tries every word at every place of the text (ten times slower).
_ROLE_OF = {w: role for role, words in _ROLE_WORDS for w in words.split("|")}
_ROLE_RE = re.compile(
    r"(?P<kw>" + "|".join(_ROLE_OF) + r")"
    r"\s*(?:资金|金额)?\s*(?:数)?\s*(?:为|是|了|达|:|：)?\s*"
    r"(?P<num>\d+(?:\.\d+)?)\s*万元"
)
_WHOLE_RE = re.compile(r"(\d{4}\s*年度?|全年|年度|累计|共计?|合计)\s*$")


class SpanMap(Protocol):
    """Anything that maps offsets of a string back to source spans."""

    def span(self, start: int, end: int) -> Span: ...


def money_statements(text: str, spans: SpanMap, column: str = "", group: int = 0) -> list[MoneyStatement]:
    """Money amounts with a role keyword right before them, read from ``text``."""
    if "万元" not in text:  # every statement ends in 万元; most cells and paragraphs have none
        return []
    out = []
    for m in _ROLE_RE.finditer(text):
        role = _ROLE_OF[m.group("kw")]
        amount = parse_number(m.group("num"))
        if amount is None:  # pragma: no cover - the regex only admits numbers
            continue
        before = text[max(0, m.start() - 8):m.start()]
        out.append(MoneyStatement(
            role=role, amount=amount, span=spans.span(m.start("num"), m.end("num")),
            phrase_span=spans.span(m.start(), m.end()), column=column,
            whole=bool(_WHOLE_RE.search(before)), group=group, keyword=m.group("kw"),
        ))
    return out


class OffsetSpans:
    """Maps offsets in a string assembled from source pieces back to source spans."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._places: list[tuple[int, int]] = []  # (line, col) of each piece
        self._starts: list[int] | None = []  # offset in text of each piece, made when asked
        self._text: str | None = ""

    @classmethod
    def joined(cls, parts: list[str], places: list[tuple[int, int]]) -> "OffsetSpans":
        """The pieces ``parts``, each from its ``(line, col)`` in ``places`` (lists the
        object takes over).  Most are never asked for a span: offsets are left for then."""
        o = cls.__new__(cls)
        o._parts, o._places, o._starts = parts, places, None
        o._text = parts[0] if len(parts) == 1 else "".join(parts)
        return o

    @property
    def text(self) -> str:
        # Joined once when read: appending to a string piece by piece made long
        # paragraphs quadratic.
        if self._text is None:
            self._text = "".join(self._parts)
        return self._text

    def add(self, text: str, line: int, col: int) -> None:
        self._parts.append(text)
        self._places.append((line, col))
        self._starts = None
        self._text = None

    @classmethod
    def of(cls, text: str, span: Span) -> "OffsetSpans":
        return cls.joined([text], [(span.line, span.col)])

    def _pos(self, offset: int) -> tuple[int, int]:
        starts = self._starts
        if starts is None:
            starts, size = [], 0
            for part in self._parts:
                starts.append(size)
                size += len(part)
            self._starts = starts
        if not starts:
            return 1, 1 + offset
        # The last piece starting at or before ``offset`` (the first when none does).
        k = max(bisect_right(starts, offset) - 1, 0)
        line, col = self._places[k]
        return line, col + (offset - starts[k])

    def span(self, start: int, end: int) -> Span:
        line, col = self._pos(start)
        end_line, end_col = self._pos(max(start, end - 1))
        return Span(line, col, end_line, end_col + 1)


# --------------------------------------------------------------------------- finding tables

# The kinds as plain names: an enum member looked up on its class costs ten times a
# global, and these are asked of every block.
_ROW, _TEXT = BlockKind.ROW, BlockKind.TEXT
_TEXT_OF = attrgetter("text")

_TITLE_RE = re.compile(r"(绩效自评表|绩效目标完成情况表|绩效自评结果表|绩效评价表)$")
_ATTACHMENT = re.compile(r"^附件\d*")
_BODY_KEYS = ("部门名称", "项目名称", "项目支出名称", "资金情况", "年度项目资金", "预算执行情况", "一级指标", "预算单位")
_TABLE_TEXT_WORDS = ("等级", "执行率", "总分", "分值", "得分")


def _block_text(block: Block) -> str:
    return " ".join(c.text for c in block.cells if c.text) if block.kind is _ROW else block.text.strip()


def _title_of(block: Block) -> str | None:
    if "绩" not in block.text:  # every title _TITLE_RE knows says 绩效
        return None
    text = _block_text(block)
    k = key(text)
    k = _ATTACHMENT.sub("", k)
    if not k or len(k) > 45 or ":" in k or "、" in k or "。" in k:
        return None
    if not _TITLE_RE.search(k):
        return None
    return _SPACES.sub("", text)


def _kind(title: str) -> str:
    if "部门整体" in title or "整体支出" in title:
        return "department"
    if "自评" in title:
        return "project"
    return "completion"


def _confirmed(blocks: Sequence[Block], start: int) -> bool:
    for b in blocks[start + 1:start + 14]:
        if b.kind is _ROW and any(key(c.text).startswith(_BODY_KEYS) for c in b.cells):
            return True
    return False


def _ends_region(block: Block) -> bool:
    """Prose after a table: a long text line that is not a note about the table."""
    if block.kind is _ROW:
        return False
    k = key(block.text)
    if len(k) <= 30:
        return False
    if k.startswith(("备注", "注")) or any(w in k for w in _TABLE_TEXT_WORDS):
        return False
    return True


def read_performance_tables(document: Document) -> list[PerfTable]:
    """Every 绩效自评表 / 绩效目标完成情况表 of ``document``, in source order."""
    last = _LAST[0]
    if last is not None and last[0]() is document:
        return last[1]
    tables = _read(document)
    # Only the last filing's tables are kept, and the filing itself only weakly: a
    # filing is read, then done with, and must be freed when its reader drops it.
    _LAST[0] = (weakref.ref(document), tables)
    return tables


_LAST: list[tuple[weakref.ref, list[PerfTable]] | None] = [None]


def _read(document: Document) -> list[PerfTable]:
    blocks = document.blocks
    # Every title _TITLE_RE knows says 绩效: the test in line spares a call per block.
    starts = [(i, t) for i, b in enumerate(blocks) if "绩" in b.text and (t := _title_of(b)) and _confirmed(blocks, i)]
    tables = []
    for n, (i, title) in enumerate(starts):
        limit = starts[n + 1][0] if n + 1 < len(starts) else len(blocks)
        region = [blocks[i]]
        for b in blocks[i + 1:limit]:
            if _ends_region(b):
                break
            region.append(b)
        tables.append(_parse(title, region, document.lines))
    return tables


# --------------------------------------------------------------------------- records


def _records(region: Sequence[Block], lines: Sequence[str]) -> tuple[str, list[list[CellText]], list[Block]]:
    """The region's rows as records of cells, its layout, and its text blocks."""
    rows = [b for b in region[1:] if b.kind is _ROW]
    texts = [b for b in region[1:] if b.kind is _TEXT]
    single = len([b for b in rows if len(b.cells) == 2 and b.cells[0].text == ""])
    if not rows or single / len(rows) < 0.8:
        return "tab", [b.cells for b in rows], texts  # a row's cells as they are: read, never changed
    # Cell layout.  A merged (empty) cell is a line holding only a tab, which the reader
    # drops as blank; it is read back from the source lines so columns stay aligned.
    by_line = {b.line: b for b in rows}
    records: list[list[CellText]] = []
    current: list[CellText] = []
    last = region[-1].line
    for n, raw in enumerate(lines[region[0].line:last], region[0].line + 1):
        block = by_line.get(n)
        if block is not None:
            current.extend(block.cells[1:])
        elif "\t" in raw and not raw.strip():
            current.append(CellText("", Span.on_line(n, raw.index("\t") + 2, 1)))
        elif current:
            records.append(current)
            current = []
    if current:
        records.append(current)
    return "cell", records, texts


_LABELS_PROJECT = ("项目名称", "专项名称", "项目支出名称", "支出方向名称(子项目)", "二级项目名称")
_LABELS_DEPT = ("部门名称", "单位名称", "预算单位", "预算部门")
_PROJECT_SET, _DEPT_SET = frozenset(_LABELS_PROJECT), frozenset(_LABELS_DEPT)
_ALL_LABELS = _LABELS_PROJECT + _LABELS_DEPT + ("项目总投资(万元)", "项目总投资", "其中:财政拨款", "主管部门",
                                                "实施单位", "项目总实施期")

_FUND_HEADER = {
    "initial": lambda k: k.startswith("年初预算"),
    "budget": lambda k: k.startswith(("全年预算", "调整后预算", "年度预算")) or k == "预算数",
    "executed": lambda k: k.startswith(("全年执行", "实际执行", "执行数", "决算数")),
    "weight": lambda k: k in ("分值", "权重"),
    "rate": lambda k: k.startswith("执行率") or k == "执行",
    "score": lambda k: k.startswith("得分"),
}
_IND_HEADER = {
    "level1": lambda k: k == "一级指标",
    "level2": lambda k: k == "二级指标",
    "level3": lambda k: k == "三级指标",
    "target": lambda k: k.startswith(("年度指标值", "预期指标值", "指标值", "年度目标值", "预期目标值")),
    "actual": lambda k: k.startswith(("实际完成值", "实际完成指标值", "实际值", "完成值")),
    "weight": lambda k: k in ("分值", "权重"),
    "score": lambda k: k.startswith("得分"),
}


_HEADERS = {"fund": _FUND_HEADER, "indicator": _IND_HEADER}


def _header_map(keys: Sequence[str], headers: str) -> dict[str, int]:
    """Column index by name for a header record (its cells' keys), ``headers`` being
    ``fund`` or ``indicator``; a cell names the first column it fits not yet taken."""
    out: dict[str, int] = {}
    for i, k in enumerate(keys):
        for name in _header_names(k, headers):
            if name not in out:
                out[name] = i
                break
    return out


@lru_cache(maxsize=1 << 14)  # every record is tried as both kinds of header; cells repeat
def _header_names(k: str, headers: str) -> tuple[str, ...]:
    return tuple(name for name, test in _HEADERS[headers].items() if test(k)) if k else ()


_CAP_RE = re.compile(r"^(?P<name>.*?)\((?P<cap>\d+(?:\.\d+)?)分\)$")
_CAP_DIGITS = re.compile(r"\d+(?:\.\d+)?(?=\s*分)")


def _section_name(cell: CellText) -> tuple[str, Value | None]:
    name, cap = _split_cap(cell.text)
    return name, (_cap_value(cell, cap) if cap else None)


@lru_cache(maxsize=1 << 12)  # pure; tables repeat the 一级指标 cell on every row of its group
def _split_cap(text: str) -> tuple[str, str]:
    """A 一级指标 cell's name and the points printed beside it ("" when none)."""
    k = key(text)
    m = _CAP_RE.match(k)
    return (m.group("name"), m.group("cap")) if m else (k, "")


def _cap_value(cell: CellText, cap: str) -> Value:
    # The cap's own span: find the digits in the printed cell.
    dm = _CAP_DIGITS.search(cell.text)
    span = cell.span
    if dm:
        span = Span.on_line(cell.span.line, cell.span.col + dm.start(), len(dm.group(0)))
    return Value(cap, span, parse_number(cap))


def _pairs(record: Sequence[CellText]) -> list[tuple[str, CellText | None]]:
    """``label: value`` cells of a cell-layout fund record, in order."""
    out = []
    cells = [c for c in record if c.text]
    i = 0
    while i < len(cells):
        if number(cells[i].text) is not None:
            i += 1  # a value without its label
            continue
        nxt = cells[i + 1] if i + 1 < len(cells) and number(cells[i + 1].text) is not None else None
        out.append((key(cells[i].text), nxt))
        i += 2 if nxt is not None else 1
    return out


# --------------------------------------------------------------------------- parsing


def _parse(title: str, region: Sequence[Block], lines: Sequence[str]) -> PerfTable:
    head = region[0]
    title_cell = next((c for c in head.cells if c.text), None) if head.kind is _ROW else None
    span = title_cell.span if title_cell else Span(head.line, len(head.text) - len(head.text.lstrip()) + 1,
                                                    head.line, len(head.text.rstrip()) + 1)
    layout, records, texts = _records(region, lines)
    table = PerfTable(kind=_kind(title), title=title, span=span, end_line=region[-1].line, layout=layout)

    fund_map: dict[str, int] | None = None
    fund_pairs_order: list[str] = []
    ind_map: dict[str, int] | None = None
    level1: Section | None = None
    level2 = ""
    group = 0
    ind_cols: tuple[int | None, ...] = ()
    for record in records:
        cell_texts = list(map(_TEXT_OF, record))  # read once: a cell's attributes are slow to read
        for fi, t in enumerate(cell_texts):  # the first non-empty cell
            if t:
                break
        else:
            continue
        fc = record[fi]
        keys = list(map(key, cell_texts))
        fk = keys[fi]
        # Most records are data rows: a look at all their keys at once tells that no
        # label or header is among them (each test below names the words it needs).
        joined = "\t".join(keys)

        # Identity cells: label followed by its value.
        if ((table.department is None and not _DEPT_SET.isdisjoint(keys))
                or (table.project is None and not _PROJECT_SET.isdisjoint(keys))
                or (table.investment is None and "项目总投资" in joined)):
            for i, k in enumerate(keys):
                if k in _LABELS_DEPT and table.department is None:
                    table.department = _next_value(record, i)
                elif k in _LABELS_PROJECT and table.project is None:
                    table.project = _next_value(record, i)
                elif k.startswith("项目总投资") and table.investment is None:
                    nxt = _next_value(record, i)
                    if nxt is not None and nxt.amount is not None:
                        table.investment = nxt

        # Headers switch the reading mode.  A fund header has a budget column and an
        # executed or initial one (the words their tests need); an indicator header a
        # 一级指标 cell.
        if (("全年预算" in joined or "调整后预算" in joined or "年度预算" in joined or "预算数" in joined)
                and ("执行" in joined or "决算数" in joined or "年初预算" in joined)):
            fm = _header_map(keys, "fund")
            if "budget" in fm and ("executed" in fm or "initial" in fm) and not any(number(c.text) for c in record):
                if layout == "tab":
                    fund_map, ind_map = fm, None
                    continue
        if "一级指标" in keys:
            im = _header_map(keys, "indicator")
            if "level1" in im and ("level3" in im or "level2" in im):
                ind_map, fund_map = im, None
                ind_cols = tuple(im.get(n) for n in _IND_COLUMNS)
                continue
        if fk.startswith(("年度总体目标", "年度目标", "总体目标")):
            fund_map = None
            continue

        if fk in ("总分", "合计总分", "总得分") or (ind_map is not None and fk == "合计"):
            _read_total(table, record, fi)
            continue
        if fk in ("等级", "自评等级", "评价等级", "评价结果", "自评结果"):
            nxt = _next_value(record, fi)
            if nxt is not None and canonical_grade(nxt.text):
                table.grade = nxt
            continue

        if layout == "cell" and ind_map is None and any(k.startswith(("预算数", "全年预算数", "执行数", "全年执行数", "其中-", "其中",
                                                    "其它资金", "其他资金")) for k in keys):
            _read_cell_funds(table, record, fund_pairs_order)
            continue

        if fund_map is not None:
            _read_fund_row(table, record, fund_map)
            continue

        if ind_map is not None:
            level1, level2 = _read_indicator(table, record, cell_texts, fc, ind_map, ind_cols, level1, level2)
            group += 1
            for col, idx in (("target", ind_cols[5]), ("actual", ind_cols[6])):
                if idx is not None and idx < len(record) and "万元" in cell_texts[idx]:  # see money_statements
                    c = record[idx]
                    table.statements.extend(money_statements(c.text, OffsetSpans.of(c.text, c.span), col, group))

    for b in texts:  # the first note defining bands holds for the table
        bands = parse_bands(b.text, Span(b.line, 1, b.line, len(b.text.rstrip()) + 1))
        if bands is not None:
            table.bands = bands
            break
    return table


def _next_value(record: Sequence[CellText], i: int) -> Value | None:
    for c in record[i + 1:]:
        if not c.text:
            continue
        if key(c.text) in _ALL_LABELS:
            continue
        return Value(c.text, c.span, number(c.text))
    return None


_GRADE_CELL = re.compile(rf"等级\s*[:：]?\s*[“\"「]?({GRADE_RE})")
_OF_WHICH = re.compile(r"^其中[:：]?")
_OF_WHICH_CELL = re.compile(r"^其中[-:：]?")


def _read_total(table: PerfTable, record: Sequence[CellText], fi: int) -> None:
    nums = [(c, plain_number(c.text)) for c in record[fi + 1:] if c.text]
    values = [Value(c.text, c.span, a) for c, a in nums if a is not None]
    if len(values) >= 2:
        table.total_weight, table.total_score = values[0], values[1]
    elif len(values) == 1:
        table.total_score = values[0]
    table.total_span = record[fi].span
    for c in record[fi + 1:]:
        m = _GRADE_CELL.search(c.text)
        if m:
            table.grade = Value(m.group(1), Span.on_line(c.span.line, c.span.col + m.start(1), len(m.group(1))))
            break
        if canonical_grade(c.text) and plain_number(c.text) is None:
            table.grade = Value(c.text, c.span)
            break


def _read_fund_row(table: PerfTable, record: Sequence[CellText], fund_map: dict[str, int]) -> None:
    first_col = min(fund_map.values())
    label_cell = next((c for c in record[:first_col] if c.text), None)
    if label_cell is None:
        return
    label = _OF_WHICH.sub("", key(label_cell.text))
    row = FundRow(label, label_cell.span)
    for name, idx in fund_map.items():
        if idx < len(record) and record[idx].text:
            row.values[name] = value_of(record[idx])
    # Exports sometimes shift a row by a cell; fall back to the order of the stated numbers.
    if "budget" not in row.values:
        stated = [c for c in record[first_col:] if c.text and number(c.text) is not None]
        ordered = sorted(fund_map, key=fund_map.get)
        if len(stated) == len(ordered):
            row.values = {name: value_of(c) for name, c in zip(ordered, stated)}
    if row.values or label:
        table.funds.append(row)


def _read_cell_funds(table: PerfTable, record: Sequence[CellText], order: list[str]) -> None:
    pairs = _pairs(record)
    if not pairs:
        return
    if any(k.startswith(("预算数", "全年预算数", "执行数", "全年执行数")) for k, _ in pairs):
        order.clear()
        row = FundRow("合计", pairs[0][1].span if pairs[0][1] else record[0].span)
        for k, cell in pairs:
            role = ("budget" if k.startswith(("预算数", "全年预算数")) else
                    "executed" if k.startswith(("执行数", "全年执行数")) else None)
            if role is None:
                continue
            order.append(role)
            if cell is not None:
                row.values[role] = value_of(cell)
        table.funds.append(row)
        return
    label = _OF_WHICH_CELL.sub("", pairs[0][0])
    anchor = next((c for c in record if c.text), record[0])
    row = FundRow(label, anchor.span)
    for n, (_, cell) in enumerate(pairs):
        if n < len(order) and cell is not None:
            row.values[order[n]] = value_of(cell)
    table.funds.append(row)


_IND_COLUMNS = ("level1", "level2", "level3", "weight", "score", "target", "actual")


def _read_indicator(table: PerfTable, record: Sequence[CellText], texts: Sequence[str], anchor: CellText,
                    im: dict[str, int], cols: tuple[int | None, ...], level1: Section | None,
                    level2: str) -> tuple[Section | None, str]:
    """Reads one indicator row: its cells and their ``texts``; ``anchor`` is its first
    non-empty cell, ``cols`` the columns of ``im`` in the order of _IND_COLUMNS.  (One
    call per row of every table: helpers are written out in line, and a cell's text is
    taken from ``texts``; an absent cell reads as "".)"""
    size = len(record)
    i1, i2, i3, iw, isc, it, ia = cols
    t1 = texts[i1] if i1 is not None and i1 < size else ""
    t2 = texts[i2] if i2 is not None and i2 < size else ""
    name = texts[i3] if i3 is not None and i3 < size else ""  # 三级指标
    tw = texts[iw] if iw is not None and iw < size else ""
    ts = texts[isc] if isc is not None and isc < size else ""
    tt = texts[it] if it is not None and it < size else ""
    ta = texts[ia] if ia is not None and ia < size else ""

    if t1:
        # (_section_name, its cap made only when it is kept)
        c1 = record[i1]
        section, cap = _split_cap(t1)
        if level1 is not None and level1.name == section:
            existing: Section | None = level1  # the usual case: the cell repeated on each row
        else:
            existing = next((s for s in table.sections if s.name == section), None)
        if existing is None:
            level1 = Section(section, c1.span, _cap_value(c1, cap) if cap else None)
            table.sections.append(level1)
        else:
            # A page break repeats the 一级指标 cell: the same section continues.
            level1 = existing
            if existing.cap is None and cap:
                existing.cap = _cap_value(c1, cap)
        level2 = ""
    if t2:
        level2 = key(t2)
    weight = plain_number(tw) if tw else None
    score = plain_number(ts) if ts else None
    wcell = record[iw] if weight is not None else None
    scell = record[isc] if score is not None else None
    if weight is None and score is None and "weight" in im:
        # A shifted row: the last two adjacent bare numbers are 分值 and 得分.
        nums = [i for i, t in enumerate(texts) if t and plain_number(t) is not None]
        for a, b in zip(reversed(nums[:-1]), reversed(nums[1:])):
            if abs(a - im["weight"]) <= 1 and all(not t for t in texts[a + 1:b]):
                wcell, scell = record[a], record[b]
                weight, score = plain_number(wcell.text), plain_number(scell.text)
                break
    if level1 is None:
        level1 = Section("", anchor.span)
        table.sections.append(level1)
    if not name and weight is None and score is None:
        return level1, level2
    level1.indicators.append(Indicator(
        section=level1.name, category=level2, name=name, span=record[i3].span if name else anchor.span,
        target=Value(tt, record[it].span, number(tt)) if tt else None,
        actual=Value(ta, record[ia].span, number(ta)) if ta else None,
        weight=Value(wcell.text, wcell.span, weight) if weight is not None else None,
        score=Value(scell.text, scell.span, score) if score is not None else None,
    ))
    return level1, level2


def document_bands(document: Document, tables: Iterable[PerfTable] = ()) -> BandDefinition | None:
    """The first band definition printed anywhere in ``document`` (tables first)."""
    for t in tables:
        if t.bands is not None:
            return t.bands
    for b in document.blocks:
        if "为" in b.text and "分" in b.text:
            bands = parse_bands(b.text, Span(b.line, 1, b.line, len(b.text.rstrip()) + 1))
            if bands is not None:
                return bands
    return None
