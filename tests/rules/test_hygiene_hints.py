"""The hygiene rules read only the lines a scan of the whole document for a loose form of
what they look for names (``hygiene._blocks_where``): those hints must never hide a
finding.  Every rule runs twice, once as shipped and once reading every line, on the
seeds and on generated texts, and both runs must agree.  Also F004's side names."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from lint.engine.rules import RuleContext, TableSet
from lint.model import Cell, Document, Panel, RowInfo, Span, Table
from lint.numbers import parse_number
from lint.readers.text import read_text_file, split_blocks
from lint.recognize import read_metadata, recognize_tables
from lint.rules.core import hygiene

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "fixtures" / "seeds"


def _every_line(ctx, key, hints, kind=None, text_only=False):
    """``_blocks_where`` with no hint: every line (of ``kind``; table lines too, which
    the rules asking for ``text_only`` pass over themselves)."""
    return [i for i, b in enumerate(ctx.document.blocks) if kind is None or b.kind is kind]


def _findings(make_ctx) -> list[str]:
    ctx = make_ctx()  # (a fresh context: nothing read by the other run is reused)
    return [repr(f) for rule in hygiene.RULES for f in rule().check(ctx)]


def _same_with_every_line(make_ctx, monkeypatch) -> list[str]:
    hinted = _findings(make_ctx)
    with monkeypatch.context() as m:
        m.setattr(hygiene, "_blocks_where", _every_line)
        full = _findings(make_ctx)
    assert hinted == full
    return hinted


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_hints_hide_nothing_in_the_seeds(seed, library, monkeypatch):
    d = read_text_file(SEEDS / seed)
    spec = library.get("hunan-2018" if seed.startswith("003") else "hunan-2020")
    tables = recognize_tables(d, spec.tables, spec.numbering)
    year = read_metadata(d, tables).get("report_year")
    found = _same_with_every_line(lambda: RuleContext(document=d, tables=TableSet(tables), report_year=year),
                                  monkeypatch)
    assert found  # (every seed has something to report: the comparison compared something)


# Pieces of what the rules look for, and of what resembles it, joined at random: lines
# (prose and tab-separated rows) where hints and exact patterns meet in every way.
_PIECES = [
    "\n", "\n", "\t", " ", "　", "\u200b", "2020", "2019", "2018", "年", "年度", "年末", "实有", "截至", "截止", "底",
    "与", "较", "比", "同", "相比", "部门", "单位", "决算", "预算", "支出", "收入", "合计", "为", "数", "是", "共",
    "万元", "元", "万", "%", "％", "占", "比重", "原因", "主要", "。", "，", "；", ";", ",", ":", "：", "（", "）",
    "(", ")", "请", "根据", "实际", "填写", "如有", "如无此项", "略", "…", "...", "。。。", "XX", "×", "x", "Ｘ",
    "增加", "/", "减少", "12", "3.20", "0.00", "186. 67", "186 .67", "125,27", "1,367.76", "１２５．２７", "１",
    "1e5", "NaN", "inf", "#DIV/0!", "(49.06)", "（49.06）", "49.06²", "12345678901234567.5", "0.12345678901",
    "一、", "二、", "四、", "十一、", "（一）", "（三）", "(2)", "1.", "2.", "3、", "5.", "①", "③", "第一部分",
    "第三部分", "-", "附件：", "其中：", "部门：", "部门名称", "单位名称", "预算单位", "编制单位：", "示例市财政局",
    "示例市财政厅", "示例 市财政局", "单位：万元", "位：万元", "金额单位：万", "辆", "人", "项", "次", "0", "本年",
    "收入支出决算总表", "目录",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=120))
def test_hints_hide_nothing_in_generated_texts(pieces):
    text = "".join(pieces)
    lines = text.split("\n")

    def make_ctx() -> RuleContext:
        d = Document(path="t.txt", encoding="utf-8", lines=lines, blocks=split_blocks(lines),
                     metadata={"department": "示例市财政局"})
        return RuleContext(document=d, tables=TableSet([]), report_year=2020)

    with pytest.MonkeyPatch.context() as monkeypatch:
        _same_with_every_line(make_ctx, monkeypatch)


# =========================================================================== F004 sides


def _panel(name: str, first_line: int, cells: list[tuple[str, str]]) -> Panel:
    rows, values, objs = [], {}, {}
    for i, (label, text) in enumerate(cells):
        key = f"r{i}"
        rows.append(RowInfo(key=key, label=label, code=None, line=first_line + i))
        amount = parse_number(text) if text else None
        objs[key] = Cell(key, "amount", text, Span.on_line(first_line + i, len(label) + 2, max(len(text), 1)), amount)
        values[key] = amount.value if amount else None
    return Panel(name, rows, ["amount"], pd.DataFrame({"amount": pd.Series(values, dtype=object)}),
                 pd.DataFrame({"amount": pd.Series(objs, dtype=object)}))


def _three_sided(use_name: str) -> Table:
    """A Jiangsu-style 收支预算总表: income, expense by function and expense by use, the
    last with zeros and blanks mixed in its column."""
    panels = {
        "income": _panel("income", 2, [("财政拨款", "10.00"), ("其他资金", "5.00")]),
        "expense": _panel("expense", 2, [("当年支出小计", "15.00"), ("结转下年资金", "0.00")]),
        use_name: _panel(use_name, 2, [("基本支出", "15.00"), ("项目支出", "0.00"), ("单位预留机动经费", "")]),
    }
    return Table(id="budget_summary", title="收支预算总表", number="01", span=Span.on_line(1, 1, 6), panels=panels,
                 template_id="test")


def _f004(table: Table):
    d = Document(path="t.txt", encoding="utf-8", lines=[""] * 6, blocks=[])
    return list(hygiene.BlankAndZeroMixed().check(RuleContext(document=d, tables=TableSet([table]))))


def test_f004_names_the_expense_by_use_side():
    (f,) = _f004(_three_sided("use"))
    assert "「收支预算总表」支出（按用途）侧的1栏" in f.message.zh
    assert "use" not in f.message.zh
    assert f.location.span.line == 4


def test_f004_never_prints_a_panel_key():
    (f,) = _f004(_three_sided("by_purpose"))  # a side no message names
    assert "「收支预算总表」的1栏" in f.message.zh and "by_purpose" not in f.message.zh
