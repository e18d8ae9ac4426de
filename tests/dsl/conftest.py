"""Hand-built filings for the DSL tests: tables made of Cells with real spans over
a Document whose lines hold the same text, so locations and labels can be checked."""

from __future__ import annotations

import contextlib
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from lint.dsl import Vocabulary, compile_rules
from lint.engine.rules import RuleContext, TableSet
from lint.recognize.templates import TemplateLibrary, iter_template_files
from lint.model import Block, BlockKind, Cell, CellText, Claim, Document, Panel, RowInfo, Span, Table
from lint.numbers import parse_number

REPO = Path(__file__).resolve().parents[2]


def load_library() -> TemplateLibrary:
    lib = TemplateLibrary()
    # core first (regional templates extend its forms), then every regional pack
    packs = sorted(p.parent for p in (REPO / "rules").glob("*/templates") if p.parent.name != "core")
    for path in iter_template_files([REPO / "rules/core/templates", *(p / "templates" for p in packs)]):
        lib.load_file(path)
    return lib


class Filing:
    """Accumulates source lines and tables; ``context()`` gives a RuleContext."""

    def __init__(self, path: str = "filing.txt"):
        self.path = path
        self.lines: list[str] = ["部门决算"]
        self.tables: list[Table] = []
        self.claims: list[Claim] = []

    def text(self, line: str) -> int:
        self.lines.append(line)
        return len(self.lines)

    def table(self, table_id: str, number: str | None, panels: dict[str, tuple[list[str], list[tuple]]],
              title: str = "表", printed: str | None = None) -> Table:
        """``panels``: name -> (column keys, rows); a row is ``(code, label, *cells)``
        with optional dict of extras as its last item: ``{"alias": "total", "kind": "total"}``."""
        title_line = self.text(title)
        number_span = None
        if number is not None:
            label = printed or f"公开 {number} 表"
            n = self.text(label)
            number_span = Span(n, 1, n, len(label) + 1)
        built = {}
        for pname, (columns, rows) in panels.items():
            infos, cell_rows, value_rows = [], [], []
            for row in rows:
                extra = row[-1] if isinstance(row[-1], dict) else {}
                row = row[:-1] if isinstance(row[-1], dict) else row
                code, label, *texts = row
                fields = [code or "", label, *texts]
                line_text = "\t".join(fields)
                line = self.text(line_text)
                key = extra.get("key", code or label)
                kind = extra.get("kind", "total" if label.replace(" ", "") in ("合计", "总计") else
                                 ("classification" if code else "item"))
                alias = extra.get("alias", "total" if kind == "total" and label.replace(" ", "") == "合计" else None)
                infos.append(RowInfo(key, label, code, line, kind, alias))
                col = len(code or "") + 1 + len(label) + 1 + 1
                cells, vals = {}, {}
                for ck, t in zip(columns, texts):
                    span = Span.on_line(line, col, len(t))
                    amount = parse_number(t)
                    cells[ck] = Cell(key, ck, t, span, amount)
                    vals[ck] = amount.value if amount else None
                    col += len(t) + 1
                cell_rows.append(cells)
                value_rows.append(vals)
            index = [i.key for i in infos]
            built[pname] = Panel(pname, infos, list(columns),
                                 pd.DataFrame(value_rows, index=index, columns=columns, dtype=object),
                                 pd.DataFrame(cell_rows, index=index, columns=columns, dtype=object))
        t = Table(table_id, title, number, Span(title_line, 1, title_line, len(title) + 1), built,
                  "hunan-2020", number_span=number_span)
        self.tables.append(t)
        return t

    def claim(self, text: str, kind: str, values: dict[str, str], **kw) -> Claim:
        line = self.text(text)
        amounts, spans = {}, {}
        for role, written in values.items():
            at = text.index(written)
            amounts[role] = parse_number(written)
            spans[role] = Span.on_line(line, at + 1, len(written))
        c = Claim(kind, Span(line, 1, line, len(text) + 1), text, values=amounts, spans=spans, **kw)
        return c

    def document(self) -> Document:
        blocks = [Block(BlockKind.ROW if "\t" in l else BlockKind.TEXT, i, l,
                        tuple(CellText(p, Span.on_line(i, 1, len(p))) for p in l.split("\t")) if "\t" in l else ())
                  for i, l in enumerate(self.lines, start=1)]
        return Document(self.path, "utf-8", list(self.lines), blocks)

    def context(self) -> RuleContext:
        return RuleContext(self.document(), TableSet(self.tables), claims=list(self.claims))


@contextlib.contextmanager
def language(lang: str):
    """Messages in ``lang`` inside the block (what ``--lang`` does for a run)."""
    from lint import i18n

    before = i18n.language()
    i18n.set_language(lang)
    try:
        yield
    finally:
        i18n.set_language(before)


@pytest.fixture(scope="session")
def library() -> TemplateLibrary:
    return load_library()


@pytest.fixture(scope="session")
def vocab(library) -> Vocabulary:
    return Vocabulary.from_library(library)


@pytest.fixture
def filing() -> Filing:
    return Filing()


@pytest.fixture
def run(vocab):
    """Compile ``text`` and run every rule on ``filing``: the list of findings."""

    def _run(text: str, filing: Filing):
        ctx = filing.context()
        return [f for rule in compile_rules(text, "t.rules", vocab) for f in rule.check(ctx)]

    return _run


T03_COLUMNS = ["total", "basic", "project", "upper", "business", "subsidiary"]


def table03_rows(r2010399_basic: str = "49.06"):
    """A 支出决算表 like a small office's: one 类 with one 款 and two 项, and 229."""
    return [
        (None, "合计", "125.46", "49.25", "76.21", "0.00", "0.00", "0.00"),
        ("201", "一般公共服务支出", "125.27", "49.06", "76.21", "0.00", "0.00", "0.00"),
        ("20103", "政府办公厅（室）及相关机构事务", "125.27", "49.06", "76.21", "0.00", "0.00", "0.00"),
        ("2010301", "行政运行", "49.06", "49.06", "0.00", "0.00", "0.00", "0.00"),
        ("2010399", "其他政府办公厅（室）及相关机构事务支出", "76.21", r2010399_basic, "76.21", "0.00", "0.00", "0.00"),
        ("229", "其他支出", "0.19", "0.19", "0.00", "0.00", "0.00", "0.00"),
        ("22999", "其他支出", "0.19", "0.19", "0.00", "0.00", "0.00", "0.00"),
        ("2299901", "其他支出", "0.19", "0.19", "0.00", "0.00", "0.00", "0.00"),
    ]


@pytest.fixture
def d():
    return Decimal


# ----------------------------------------------------------- a complete filing
#
# A consistent set of the nine public tables, with invented figures (every identity
# of rules/core/*.rules holds).  ``overrides`` changes single cells to break one.

INCOME01 = [
    ("一、一般公共预算财政拨款收入", "400.00", "general_budget"),
    ("二、政府性基金预算财政拨款收入", "30.00", "gov_fund"),
    ("三、国有资本经营预算财政拨款收入", "0.00", "state_capital"),
    ("四、上级补助收入", "0.00", "upper"),
    ("五、事业收入", "10.00", "business"),
    ("六、经营收入", "0.00", "operating"),
    ("七、附属单位上缴收入", "0.00", "subsidiary"),
    ("八、其他收入", "5.50", "other"),
    ("本年收入合计", "445.50", "total"),
    ("使用非财政拨款结余", "0.00", "non_fiscal_balance"),
    ("年初结转和结余", "20.00", "carry_in"),
    ("总计", "465.50", "grand_total"),
]
EXPENSE01 = [
    ("一、一般公共服务支出", "300.00", None),
    ("二、社会保障和就业支出", "80.00", None),
    ("三、城乡社区支出", "30.00", None),
    ("四、其他支出", "5.50", None),
    ("五、节能环保支出", "", None),
    ("本年支出合计", "415.50", "total"),
    ("结余分配", "0.00", "surplus_distribution"),
    ("年末结转和结余", "50.00", "carry_out"),
    ("总计", "465.50", "grand_total"),
]
TABLE02 = [
    (None, "合计", "445.50", "430.00", "0.00", "10.00", "0.00", "0.00", "5.50"),
    ("201", "一般公共服务支出", "320.00", "310.00", "0.00", "10.00", "0.00", "0.00", "0.00"),
    ("20101", "人大事务", "320.00", "310.00", "0.00", "10.00", "0.00", "0.00", "0.00"),
    ("2010101", "行政运行", "250.00", "240.00", "0.00", "10.00", "0.00", "0.00", "0.00"),
    ("2010102", "一般行政管理事务", "70.00", "70.00", "0.00", "0.00", "0.00", "0.00", "0.00"),
    ("208", "社会保障和就业支出", "90.00", "90.00", "0.00", "0.00", "0.00", "0.00", "0.00"),
    ("20805", "行政事业单位养老支出", "90.00", "90.00", "0.00", "0.00", "0.00", "0.00", "0.00"),
    ("2080505", "机关事业单位基本养老保险缴费支出", "90.00", "90.00", "0.00", "0.00", "0.00", "0.00", "0.00"),
    ("212", "城乡社区支出", "30.00", "30.00", "0.00", "0.00", "0.00", "0.00", "0.00"),
    ("21208", "国有土地使用权出让收入安排的支出", "30.00", "30.00", "0.00", "0.00", "0.00", "0.00", "0.00"),
    ("2120801", "征地和拆迁补偿支出", "30.00", "30.00", "0.00", "0.00", "0.00", "0.00", "0.00"),
    ("229", "其他支出", "5.50", "0.00", "0.00", "0.00", "0.00", "0.00", "5.50"),
    ("22999", "其他支出", "5.50", "0.00", "0.00", "0.00", "0.00", "0.00", "5.50"),
    ("2299901", "其他支出", "5.50", "0.00", "0.00", "0.00", "0.00", "0.00", "5.50"),
]
TABLE03 = [
    (None, "合计", "415.50", "280.00", "135.50", "0.00", "0.00", "0.00"),
    ("201", "一般公共服务支出", "300.00", "200.00", "100.00", "0.00", "0.00", "0.00"),
    ("20101", "人大事务", "300.00", "200.00", "100.00", "0.00", "0.00", "0.00"),
    ("2010101", "行政运行", "220.00", "200.00", "20.00", "0.00", "0.00", "0.00"),
    ("2010102", "一般行政管理事务", "80.00", "0.00", "80.00", "0.00", "0.00", "0.00"),
    ("208", "社会保障和就业支出", "80.00", "80.00", "0.00", "0.00", "0.00", "0.00"),
    ("20805", "行政事业单位养老支出", "80.00", "80.00", "0.00", "0.00", "0.00", "0.00"),
    ("2080505", "机关事业单位基本养老保险缴费支出", "80.00", "80.00", "0.00", "0.00", "0.00", "0.00"),
    ("212", "城乡社区支出", "30.00", "0.00", "30.00", "0.00", "0.00", "0.00"),
    ("21208", "国有土地使用权出让收入安排的支出", "30.00", "0.00", "30.00", "0.00", "0.00", "0.00"),
    ("2120801", "征地和拆迁补偿支出", "30.00", "0.00", "30.00", "0.00", "0.00", "0.00"),
    ("229", "其他支出", "5.50", "0.00", "5.50", "0.00", "0.00", "0.00"),
    ("22999", "其他支出", "5.50", "0.00", "5.50", "0.00", "0.00", "0.00"),
    ("2299901", "其他支出", "5.50", "0.00", "5.50", "0.00", "0.00", "0.00"),
]
INCOME04 = [
    ("一、一般公共预算财政拨款", "400.00", "general_budget", "item"),
    ("二、政府性基金预算财政拨款", "30.00", "gov_fund", "item"),
    ("三、国有资本经营预算财政拨款", "0.00", "state_capital", "item"),
    ("本年收入合计", "430.00", "total", "total"),
    ("年初财政拨款结转和结余", "15.00", "carry_in", "other"),
    ("一般公共预算财政拨款", "15.00", None, "other"),
    ("政府性基金预算财政拨款", "0.00", None, "other"),
    ("总计", "445.00", "grand_total", "total"),
]
EXPENSE04 = [
    ("一、一般公共服务支出", ("300.00", "300.00", "0.00", "0.00"), None),
    ("二、社会保障和就业支出", ("80.00", "80.00", "0.00", "0.00"), None),
    ("三、城乡社区支出", ("30.00", "0.00", "30.00", "0.00"), None),
    ("四、节能环保支出", ("", "", "", ""), None),
    ("本年支出合计", ("410.00", "380.00", "30.00", "0.00"), "total"),
    ("年末财政拨款结转和结余", ("35.00", "35.00", "0.00", "0.00"), "carry_out"),
    ("总计", ("445.00", "415.00", "30.00", "0.00"), "grand_total"),
]
TABLE05 = [
    (None, "合计", "380.00", "280.00", "100.00"),
    ("201", "一般公共服务支出", "300.00", "200.00", "100.00"),
    ("20101", "人大事务", "300.00", "200.00", "100.00"),
    ("2010101", "行政运行", "220.00", "200.00", "20.00"),
    ("2010102", "一般行政管理事务", "80.00", "0.00", "80.00"),
    ("208", "社会保障和就业支出", "80.00", "80.00", "0.00"),
    ("20805", "行政事业单位养老支出", "80.00", "80.00", "0.00"),
    ("2080505", "机关事业单位基本养老保险缴费支出", "80.00", "80.00", "0.00"),
]
TABLE06 = [
    ("301", "工资福利支出", "200.00"), ("30101", "基本工资", "120.00"), ("30102", "津贴补贴", "80.00"),
    ("303", "对个人和家庭的补助", "20.00"), ("30301", "离休费", "20.00"),
    ("302", "商品和服务支出", "60.00"), ("30201", "办公费", "25.00"), ("30217", "公务接待费", "5.00"),
    ("30231", "公务用车运行维护费", "30.00"),
    ("310", "资本性支出", "0.00"),
    (None, "人员经费合计", "220.00", {"alias": "personnel", "kind": "total"}),
    (None, "公用经费合计", "60.00", {"alias": "public", "kind": "total"}),
]
T07_COLUMNS = ["total", "abroad", "car_subtotal", "car_purchase", "car_operation", "reception"]
TABLE07 = [
    (None, "预算数", "40.00", "0.00", "30.00", "0.00", "30.00", "10.00", {"alias": "budget", "kind": "other", "key": "budget"}),
    (None, "决算数", "35.00", "0.00", "30.00", "0.00", "30.00", "5.00", {"alias": "final", "kind": "other", "key": "final"}),
]
T08_COLUMNS = ["carry_in", "income", "subtotal", "basic", "project", "carry_out"]
TABLE08 = [
    (None, "合计", "0.00", "30.00", "30.00", "0.00", "30.00", "0.00"),
    ("212", "城乡社区支出", "0.00", "30.00", "30.00", "0.00", "30.00", "0.00"),
    ("21208", "国有土地使用权出让收入安排的支出", "0.00", "30.00", "30.00", "0.00", "30.00", "0.00"),
    ("2120801", "征地和拆迁补偿支出", "0.00", "30.00", "30.00", "0.00", "30.00", "0.00"),
]
TABLE09 = [(None, "合计", "", "", "")]


def full_filing(overrides: dict | None = None, drop: tuple = ()) -> Filing:
    """The nine tables; ``overrides[(table, row, column)] = text`` replaces one cell
    (``row`` is a code or printed label — ``"expense/总计"`` names one side of a
    two-sided table —, ``column`` a column key); ``drop`` lists
    ``(table, row)`` pairs to leave out."""
    over = dict(overrides or {})

    def rows(table, columns, raw):
        out = []
        for r in raw:
            extra = r[-1] if isinstance(r[-1], dict) else None
            body = r[:-1] if extra else r
            code, label, *cells = body
            if (table, code or label) in drop:
                continue
            cells = [over.get((table, code or label, c), t) for c, t in zip(columns, cells)]
            out.append((code, label, *cells, *([extra] if extra else [])))
        return out

    f = Filing()
    def get(table, side, label, column, default):
        return over.get((table, f"{side}/{label}", column), over.get((table, label, column), default))

    income = [(None, lab, get("table01", "income", lab, "amount", v),
               {"alias": a, "kind": "total" if a in ("total", "grand_total") else ("item" if a else "other")})
              for lab, v, a in INCOME01]
    expense = [(None, lab, get("table01", "expense", lab, "amount", v),
                {"alias": a, "kind": "total" if a in ("total", "grand_total") else ("other" if a else "item")})
               for lab, v, a in EXPENSE01]
    f.table("table01", "01", {"income": (["amount"], income), "expense": (["amount"], expense)}, "收入支出决算总表")
    f.table("table02", "02", {"main": (["total", "fiscal", "upper", "business", "operating", "subsidiary", "other"],
                                       rows("table02", ["total", "fiscal", "upper", "business", "operating",
                                                        "subsidiary", "other"], TABLE02))}, "收入决算表")
    f.table("table03", "03", {"main": (T03_COLUMNS, rows("table03", T03_COLUMNS, TABLE03))}, "支出决算表")
    inc4 = [(None, lab, get("table04", "income", lab, "amount", v), {"alias": a, "kind": k, "key": ("年初财政拨款结转和结余/" + lab) if a is None else lab})
            for lab, v, a, k in INCOME04]
    cols4 = ["total", "general_budget", "gov_fund", "state_capital"]
    exp4 = [(None, lab, *[get("table04", "expense", lab, c, t) for c, t in zip(cols4, vals)],
             {"alias": a, "kind": "total" if a in ("total", "grand_total") else ("other" if a else "item")})
            for lab, vals, a in EXPENSE04]
    f.table("table04", "04", {"income": (["amount"], inc4), "expense": (cols4, exp4)}, "财政拨款收入支出决算总表")
    f.table("table05", "05", {"main": (["subtotal", "basic", "project"],
                                       rows("table05", ["subtotal", "basic", "project"], TABLE05))},
            "一般公共预算财政拨款支出决算表")
    f.table("table06", "06", {"main": (["amount"], rows("table06", ["amount"], TABLE06))},
            "一般公共预算财政拨款基本支出决算表")
    f.table("table07", "07", {"main": (T07_COLUMNS, rows("table07", T07_COLUMNS, TABLE07))},
            "一般公共预算财政拨款“三公”经费支出决算表")
    f.table("table08", "08", {"main": (T08_COLUMNS, rows("table08", T08_COLUMNS, TABLE08))},
            "政府性基金预算财政拨款收入支出决算表")
    f.table("table09", "09", {"main": (["subtotal", "basic", "project"],
                                       rows("table09", ["subtotal", "basic", "project"], TABLE09))},
            "国有资本经营预算财政拨款支出决算表")
    return f


@pytest.fixture(scope="session")
def core_rules(vocab):
    from lint.dsl import load_rule_file

    return [r for name in ("tables.rules", "crosstable.rules")
            for r in load_rule_file(REPO / "rules/core" / name, vocab, pack="core")]
