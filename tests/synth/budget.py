"""Synthetic 部门预算 filings in the Shanghai and Jiangsu layouts, with every number known.

The text is laid out the way the readers lay out a PDF or XLSX budget: title, 编制部门 /
部门 and 单位 lines as prose, table rows as tab-separated cells (header cells that span
several columns printed once, in their first column; codes split into 类 | 款 | 项 in
Shanghai, in one column in Jiangsu), amounts in 元 with plain decimals (Shanghai detail
tables), with thousands separators (summary tables, every Jiangsu table) or in 万元
(三公 tables).

Every amount derives from a few random leaves with ``Decimal`` arithmetic, so every
identity of ``rules/core/budget.rules`` and ``rules/jiangsu/jiangsu.rules`` holds by
construction.  :func:`inject` changes one printed cell; the tests expect exactly one
finding at that cell.

``Budget.cells`` maps ``(table_id, row_key, column)`` to ``(line, col, end_col)``
(1-based, end exclusive, the convention of :class:`lint.model.Span`); ``Budget.values``
to the Decimal printed there.  Row keys: the classification code, ``"合计"``, or the
printed item without its numbering (``"财政拨款收入"``, ``"收入总计"``); two-sided
tables qualify columns by panel (``"income.amount"``, ``"expense.general_budget"``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

# 功能分类: class -> (name, {款: (name, {项: name})})
FUNCTIONS = {
    "201": ("一般公共服务支出", {"20103": ("政府办公厅（室）及相关机构事务", {"2010301": "行政运行", "2010302": "一般行政管理事务"})}),
    "204": ("公共安全支出", {"20406": ("司法", {"2040601": "行政运行", "2040604": "基层司法业务", "2040605": "普法宣传"})}),
    "208": ("社会保障和就业支出", {"20805": ("行政事业单位养老支出", {"2080505": "机关事业单位基本养老保险缴费支出",
                                                                 "2080506": "机关事业单位职业年金缴费支出"})}),
    "210": ("卫生健康支出", {"21011": ("行政事业单位医疗", {"2101101": "行政单位医疗"})}),
    "221": ("住房保障支出", {"22102": ("住房改革支出", {"2210201": "住房公积金", "2210203": "购房补贴"})}),
}
# 经济分类 of basic expenditure: class -> (name, personnel?, {款 code: name})
ECONOMIC = {
    "301": ("工资福利支出", True, {"30101": "基本工资", "30102": "津贴补贴", "30113": "住房公积金"}),
    "302": ("商品和服务支出", False, {"30201": "办公费", "30207": "邮电费", "30215": "会议费", "30231": "公务用车运行维护费"}),
    "303": ("对个人和家庭的补助", True, {"30302": "退休费"}),
}
NUMERALS = "一二三四五六七八九十"


def _d(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def fmt(value: Decimal, thousands: bool) -> str:
    return f"{value:,.2f}" if thousands else f"{value:.2f}"


@dataclass
class Budget:
    layout: str
    lines: list[str]
    cells: dict[tuple[str, str, str], tuple[int, int, int]] = field(default_factory=dict)
    values: dict[tuple[str, str, str], Decimal] = field(default_factory=dict)
    tables: dict[str, int] = field(default_factory=dict)  # table id -> title line

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


class _Writer:
    def __init__(self, layout: str, narrative: bool = False):
        self.b = Budget(layout, [])
        self.narrative = narrative

    def narrative_line(self, head: str, key: str, value: Decimal, tail: str) -> None:
        """A sentence stating one 三公 figure; its number is the cell ``("narrative", "三公", key)``."""
        text = f"{value:.2f}"
        line = len(self.b.lines) + 1
        self.b.cells[("narrative", "三公", key)] = (line, len(head) + 1, len(head) + 1 + len(text))
        self.b.values[("narrative", "三公", key)] = value
        self.b.lines.append(head + text + tail)

    def prose(self, text: str = "") -> None:
        self.b.lines.append(text)

    def title(self, table_id: str, text: str) -> None:
        self.prose()
        self.prose(text)
        self.b.tables[table_id] = len(self.b.lines)

    def row(self, cells: list, table_id: str = "") -> None:
        """``cells``: text, or ``(text, row_key, column, value)`` for an amount."""
        texts, col = [], 1
        line = len(self.b.lines) + 1
        for c in cells:
            if isinstance(c, tuple):
                text, row_key, column, value = c
                if text:
                    self.b.cells[(table_id, row_key, column)] = (line, col, col + len(text))
                    self.b.values[(table_id, row_key, column)] = value
            else:
                text = c
            texts.append(text)
            col += len(text) + 1
        self.b.lines.append("\t".join(texts))


def _amount(table: str, row: str, column: str, value: Decimal | None, thousands: bool, blank_zero=False):
    if value is None or (blank_zero and value == 0):
        return ""
    return (fmt(value, thousands), row, column, value)


def _split(rng: random.Random, total: int, n: int) -> list[int]:
    """``total`` cents in ``n`` positive parts."""
    cuts = sorted(rng.sample(range(1, total), n - 1)) if n > 1 else []
    return [b - a for a, b in zip([0, *cuts], [*cuts, total])]


def generate(seed: int = 0, layout: str = "shanghai", *, narrative: bool = False) -> Budget:
    """A consistent budget filing.  ``layout``: ``"shanghai"`` (9 tables, 元) or
    ``"jiangsu"`` (公开01表 … 公开12表, 万元).  ``narrative``: add the 三公 paragraph
    (Shanghai), whose figures are the cells ``("narrative", "三公", column)``."""
    rng = random.Random(seed)
    scale = 100 if layout == "shanghai" else 1  # 元 vs 万元
    classes = sorted(rng.sample(sorted(FUNCTIONS), rng.randint(2, 4)))
    leaves: dict[str, dict[str, int]] = {}  # 项 code -> {basic, project} in cents
    for cls in classes:
        for kuan, (_, items) in FUNCTIONS[cls][1].items():
            for code in sorted(items)[:rng.randint(1, len(items))]:
                leaves[code] = {"basic": 0, "project": rng.choice([0, rng.randint(1000, 900000) * scale])}
    # Basic expenditure: economic leaves first, then spread over the function leaves.
    econ: dict[str, int] = {}
    for cls, (_, _, items) in ECONOMIC.items():
        for code in sorted(items)[:rng.randint(1, len(items))]:
            econ[code] = rng.randint(500, 400000) * scale
    basic_total = sum(econ.values())
    codes = sorted(leaves)
    takers = sorted(rng.sample(codes, rng.randint(1, len(codes))))
    for code, part in zip(takers, _split(rng, basic_total, len(takers))):
        leaves[code]["basic"] = part
    for code in codes:  # every leaf spends something
        if leaves[code]["basic"] + leaves[code]["project"] == 0:
            leaves[code]["project"] = rng.randint(1000, 50000) * scale
    three = {"abroad": rng.choice([0, rng.randint(1, 900)]), "reception": rng.randint(1, 500),
             "car_purchase": rng.choice([0, rng.randint(100, 3000)]), "car_operation": rng.randint(100, 2000)}
    w = _Writer(layout, narrative)
    if layout == "shanghai":
        _shanghai(w, rng, leaves, econ, three)
    else:
        _jiangsu(w, rng, leaves, econ, three)
    return w.b


def _rollup(leaves: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for code, v in leaves.items():
        for key in (code[:3], code[:5], code):
            acc = out.setdefault(key, {k: 0 for k in v})
            for k, x in v.items():
                acc[k] += x
    return out


def _name(code: str) -> str:
    cls = FUNCTIONS[code[:3]]
    if len(code) == 3:
        return cls[0]
    kuan = cls[1][code[:5]]
    return kuan[0] if len(code) == 5 else kuan[1][code]


def _econ_name(code: str) -> str:
    cls = ECONOMIC[code[:3]]
    return cls[0] if len(code) == 3 else cls[2][code]


# --------------------------------------------------------------------------- Shanghai


def _shanghai(w: _Writer, rng: random.Random, leaves, econ, three) -> None:
    year = 2020 + rng.randint(3, 7)
    dept = rng.choice(["上海市示例区司法局", "上海市示例区商务委员会", "上海市示例区万象街道办事处"])
    unit_line = f"编制部门：{dept} 单位：元"
    tree = _rollup({c: {"total": v["basic"] + v["project"], **v} for c, v in leaves.items()})
    total = sum(v["basic"] + v["project"] for v in leaves.values())
    basic = sum(v["basic"] for v in leaves.values())
    project = total - basic
    T = _d(total)
    w.prose(f"上海市示例区{year}年区级部门预算")
    w.prose(f"预算主管部门：{dept}")

    # 1 财务收支预算总表
    t = "budget_summary"
    w.title(t, f"{year}年部门财务收支预算总表")
    w.prose(unit_line)
    w.row(["本年收入", "", "本年支出", ""])
    w.row(["项目", "预算数", "项目", "预算数"])
    income = [("一、财政拨款收入", "财政拨款收入", T), ("1. 一般公共预算", "一般公共预算", T),
              ("2. 政府性基金预算", "政府性基金预算", Decimal("0.00")), ("3. 国有资本经营预算", "国有资本经营预算", Decimal("0.00")),
              ("二、事业收入", "事业收入", Decimal("0.00")), ("三、事业单位经营收入", "事业单位经营收入", Decimal("0.00")),
              ("四、其他收入", "其他收入", Decimal("0.00"))]
    classes = sorted(c for c in tree if len(c) == 3)
    for i in range(max(len(income), len(classes))):
        left = ["", ""]
        if i < len(income):
            label, key, v = income[i]
            left = [label, _amount(t, key, "income.amount", v, True)]
        right = ["", ""]
        if i < len(classes):
            c = classes[i]
            right = [f"{NUMERALS[i]}、{_name(c)}", _amount(t, _name(c), "expense.amount", _d(tree[c]["total"]), True)]
        w.row(left + right, t)
    w.row(["收入总计", _amount(t, "收入总计", "income.amount", T, True),
           "支出总计", _amount(t, "支出总计", "expense.amount", T, True)], t)

    # 2 收入预算总表
    t = "budget_income"
    w.title(t, f"{year}年部门收入预算总表")
    w.prose(unit_line)
    w.row(["项目", "", "", "", "收入预算", "", "", "", ""])
    w.row(["功能分类科目编码", "", "", "功能分类科目名称", "合计", "财政拨款收入", "事业收入", "事业单位 经营收入", "其他收入"])
    w.row(["类", "款", "项", "", "", "", "", "", ""])
    for code in sorted(tree):
        v = _d(tree[code]["total"])
        w.row([*_split_code(code, 3), _name(code), _amount(t, code, "total", v, False), _amount(t, code, "fiscal", v, False),
               "0.00", "0.00", "0.00"], t)
    w.row(["合计", "", "", "", _amount(t, "合计", "total", T, False), _amount(t, "合计", "fiscal", T, False),
           "0.00", "0.00", "0.00"], t)

    # 3 支出预算总表, 5 一般公共预算支出功能分类预算表
    for t, title, head in (("budget_expense", "部门支出预算总表", "支出预算"),
                           ("budget_general", "部门一般公共预算支出功能分类预算表", "一般公共预算支出")):
        w.title(t, f"{year}年{title}")
        w.prose(unit_line)
        w.row(["项目", "", "", "", head, "", ""])
        w.row(["功能分类科目编码", "", "", "功能分类科目名称", "合计", "基本支出", "项目支出"])
        w.row(["类", "款", "项", "", "", "", ""])
        for code in sorted(tree):
            r = tree[code]
            w.row([*_split_code(code, 3), _name(code)] + [_amount(t, code, k, _d(r[k]), False)
                                                           for k in ("total", "basic", "project")], t)
        w.row(["合计", "", "", ""] + [_amount(t, "合计", k, _d(x), False)
                                     for k, x in (("total", total), ("basic", basic), ("project", project))], t)

    # 4 财政拨款收支预算总表
    t = "budget_fiscal_summary"
    w.title(t, f"{year}年部门财政拨款收支预算总表")
    w.prose(unit_line)
    w.row(["财政拨款收入", "", "财政拨款支出", "", "", "", ""])
    w.row(["项目", "预算数", "项目", "合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"])
    fincome = [("一、一般公共预算", "一般公共预算", T), ("二、政府性基金预算", "政府性基金预算", Decimal("0.00")),
               ("三、国有资本经营预算", "国有资本经营预算", Decimal("0.00"))]
    for i in range(max(len(fincome), len(classes))):
        left = ["", ""]
        if i < len(fincome):
            label, key, v = fincome[i]
            left = [label, _amount(t, key, "income.amount", v, True)]
        right = ["", "", "", "", ""]
        if i < len(classes):
            c = classes[i]
            v = _d(tree[c]["total"])
            right = [f"{NUMERALS[i]}、{_name(c)}", _amount(t, _name(c), "expense.total", v, True),
                     _amount(t, _name(c), "expense.general_budget", v, True), "", ""]
        w.row(left + right, t)
    w.row(["收入总计", _amount(t, "收入总计", "income.amount", T, True), "支出总计",
           _amount(t, "支出总计", "expense.total", T, True), _amount(t, "支出总计", "expense.general_budget", T, True),
           "", ""], t)

    # 6, 7 empty fund tables
    for t, title, head in (("budget_gov_fund", "部门政府性基金预算支出功能分类预算表", "政府性基金预算支出"),
                           ("budget_state_capital", "部门国有资本经营预算支出功能分类预算表", "国有资本经营预算支出")):
        w.title(t, f"{year}年{title}")
        w.prose(unit_line)
        w.row(["项目", "", "", "", head, "", ""])
        w.row(["功能分类科目编码", "", "", "功能分类科目名称", "合计", "基本支出", "项目支出"])
        w.row(["类", "款", "项", "", "", "", ""])
        w.row(["无", "", "", "", "", "", ""])
        w.row(["合计", "", "", "", "", "", ""])

    # 8 一般公共预算基本支出部门预算经济分类预算表
    t = "budget_general_basic"
    w.title(t, f"{year}年部门一般公共预算基本支出部门预算经济分类预算表")
    w.prose(unit_line)
    w.row(["项目", "", "", "一般公共预算基本支出", "", ""])
    w.row(["部门预算经济分类科目 编码", "", "经济分类科目名称", "合计", "人员经费", "公用经费"])
    w.row(["类", "款", "", "", "", ""])
    personnel = public = 0
    for cls in sorted({c[:3] for c in econ}):
        is_personnel = ECONOMIC[cls][1]
        kids = sorted(c for c in econ if c[:3] == cls)
        for code in [cls, *kids]:
            v = sum(econ[k] for k in kids) if code == cls else econ[code]
            p, q = (v, 0) if is_personnel else (0, v)
            w.row([*_split_code(code, 2), _econ_name(code), _amount(t, code, "total", _d(v), False),
                   _amount(t, code, "personnel", _d(p), False), _amount(t, code, "public", _d(q), False)], t)
        s = sum(econ[k] for k in kids)
        personnel, public = personnel + (s if is_personnel else 0), public + (0 if is_personnel else s)
    w.row(["合计", "", "", _amount(t, "合计", "total", _d(basic), False),
           _amount(t, "合计", "personnel", _d(personnel), False), _amount(t, "合计", "public", _d(public), False)], t)

    # 9 “三公”经费和机关运行经费预算表 (万元)
    t = "budget_three_public"
    w.title(t, f"{year}年部门“三公”经费和机关运行经费预算表")
    w.prose(f"编制部门：{dept} 单位:万元")
    w.row(["“三公”经费预算数", "", "", "", "", "", "机关运行经费预算数"])
    w.row(["合计", "因公出国(境)费", "公务接待费", "公务用车购置及运行费", "", "", ""])
    w.row(["", "", "", "小计", "购置费", "运行费", ""])
    car = three["car_purchase"] + three["car_operation"]
    vals = [("total", three["abroad"] + three["reception"] + car), ("abroad", three["abroad"]),
            ("reception", three["reception"]), ("car_subtotal", car), ("car_purchase", three["car_purchase"]),
            ("car_operation", three["car_operation"]), ("admin_cost", rng.randint(1000, 90000))]
    w.row([_amount(t, "budget", k, _d(v), False) for k, v in vals], t)
    w.prose()
    w.prose("其他相关情况说明")
    if w.narrative:
        v = dict(vals)
        w.prose(f"一、{year}年“三公”经费预算情况说明")
        w.narrative_line(f"{year}年“三公”经费预算数为", "total", _d(v["total"]), "万元。其中：")
        w.narrative_line("（一）因公出国（境）费", "abroad", _d(v["abroad"]), "万元。")
        w.narrative_line("（二）公务用车购置及运行费", "car_subtotal", _d(v["car_subtotal"]), "万元。")
        w.narrative_line("（三）公务接待费", "reception", _d(v["reception"]), "万元。")


def _split_code(code: str, width: int) -> list[str]:
    parts = [code[:3], code[3:5], code[5:7]][:width]
    return parts + [""] * (width - len(parts))


# --------------------------------------------------------------------------- Jiangsu


def _jiangsu(w: _Writer, rng: random.Random, leaves, econ, three) -> None:
    year = rng.choice([2017, 2018])
    dept = rng.choice(["江苏省示例厅", "江苏省示例委员会办公厅"])
    numbered = year == 2018
    order = (["budget_summary", "budget_income_sources", "budget_expense", "budget_fiscal_summary", "budget_fiscal_expense",
              "budget_fiscal_basic", "budget_general", "budget_general_basic", "budget_three_public", "budget_gov_fund",
              "budget_admin_cost"] if numbered else
             ["budget_summary", "budget_income_sources", "budget_expense", "budget_fiscal_summary", "budget_fiscal_expense",
              "budget_fiscal_basic", "budget_gov_fund", "budget_general", "budget_general_basic", "budget_admin_cost",
              "budget_three_public"])
    tree = _rollup({c: {"total": v["basic"] + v["project"]} for c, v in leaves.items()})
    fiscal = sum(v["basic"] + v["project"] for v in leaves.values())
    basic_f = sum(v["basic"] for v in leaves.values())
    reserve = min(rng.choice([0, rng.randint(100, 20000)]), fiscal - basic_f)
    project = fiscal - basic_f - reserve
    other = rng.choice([0, rng.randint(100, 9000)])  # 其他资金, spent on basic expenditure of one class
    other_class = sorted(c for c in tree if len(c) == 3)[0]
    total = fiscal + other
    F, O, TT = _d(fiscal), _d(other), _d(total)

    def head(t: str, title: str) -> None:
        w.prose()
        if numbered:
            w.prose(f"公开{order.index(t) + 1:02d}表")
        else:
            w.prose(f"表{NUMERALS[order.index(t)] if order.index(t) < 10 else '十' + NUMERALS[order.index(t) - 10]}")
        w.prose(title)
        w.b.tables[t] = len(w.b.lines)
        w.prose(f"部门：{dept}")
        w.prose("单位：万元")

    w.prose(f"{dept}{year}年度部门预算")
    # 01 收支预算总表
    t = "budget_summary"
    head(t, "收支预算总表")
    w.row(["收入", "", "支出", "", "", ""])
    w.row(["", "", "功能分类", "", "支出用途", ""])
    w.row(["项目名称", "金额", "功能科目名称", "金额", "项目名称", "金额"])
    income = [("一、财政拨款", "财政拨款", F), ("1.一般公共预算", "一般公共预算", F), ("2.政府性基金预算", "政府性基金预算", None),
              ("二、财政专户管理资金", "财政专户管理资金", None), ("三、其他资金", "其他资金", O if other else None)]
    classes = sorted(c for c in tree if len(c) == 3)
    use = [("一、基本支出", "基本支出", _d(basic_f + other)), ("二、项目支出", "项目支出", _d(project)),
           ("三、单位预留机动经费", "单位预留机动经费", _d(reserve) if reserve else None)]
    for i in range(max(len(income), len(classes), len(use))):
        cells = ["", "", "", "", "", ""]
        if i < len(income):
            label, key, v = income[i]
            cells[0:2] = [label, _amount(t, key, "income.amount", v, True)]
        if i < len(classes):
            c = classes[i]
            v = _d(tree[c]["total"] + (other if c == other_class else 0))
            cells[2:4] = [f"{NUMERALS[i]}、{_name(c)}", _amount(t, _name(c), "expense.amount", v, True)]
        if i < len(use):
            label, key, v = use[i]
            cells[4:6] = [label, _amount(t, key, "use.amount", v, True)]
        w.row(cells, t)
    w.row(["当年收入小计", _amount(t, "当年收入小计", "income.amount", TT, True), "当年支出小计",
           _amount(t, "当年支出小计", "expense.amount", TT, True), "", ""], t)
    w.row(["上年结转资金", "", "结转下年资金", "", "", ""])
    w.row(["收入合计", _amount(t, "收入合计", "income.amount", TT, True), "支出合计",
           _amount(t, "支出合计", "expense.amount", TT, True), "", ""], t)

    # 02 收入预算总表
    t = "budget_income_sources"
    head(t, "收入预算总表")
    w.row(["项目名称", "", "金额"])
    w.row(["收入总计", "", _amount(t, "收入总计", "amount", TT, True)], t)
    w.row(["一般公共预算资金", "小计", _amount(t, "一般公共预算资金/小计", "amount", F, True)], t)
    w.row(["", "公共财政拨款(补助)资金", _amount(t, "公共财政拨款(补助)资金", "amount", F, True)], t)
    w.row(["政府性基金", "小计", ""])
    w.row(["其他资金", "小计", _amount(t, "其他资金/小计", "amount", O, True, blank_zero=True)], t)
    w.row(["", "其他收入", _amount(t, "其他收入", "amount", O, True, blank_zero=True)], t)

    # 03 支出预算总表
    t = "budget_expense"
    head(t, "支出预算总表")
    w.row(["合计", "基本支出", "项目支出", "单位预留机动经费", "结转下年资金"])
    w.row([_amount(t, "total", "total", TT, True), _amount(t, "total", "basic", _d(basic_f + other), True),
           _amount(t, "total", "project", _d(project), True),
           _amount(t, "total", "reserve", _d(reserve), True, blank_zero=True), ""], t)

    # 04 财政拨款收支预算总表
    t = "budget_fiscal_summary"
    head(t, "财政拨款收支预算总表")
    w.row(["收入", "", "支出", ""])
    w.row(["", "", "支出用途", ""])
    w.row(["项目名称", "金额", "项目名称", "金额"])
    fuse = [("一、基本支出", "基本支出", _d(basic_f)), ("二、项目支出", "项目支出", _d(project)),
            ("三、单位预留机动经费", "单位预留机动经费", _d(reserve) if reserve else None)]
    finc = [("一、一般公共预算", "一般公共预算", F), ("二、政府性基金预算", "政府性基金预算", None)]
    for i in range(3):
        left = ["", ""]
        if i < len(finc):
            label, key, v = finc[i]
            left = [label, _amount(t, key, "income.amount", v, True)]
        label, key, v = fuse[i]
        w.row(left + [label, _amount(t, key, "expense.amount", v, True)], t)
    w.row(["收入合计", _amount(t, "收入合计", "income.amount", F, True), "支出合计",
           _amount(t, "支出合计", "expense.amount", F, True)], t)

    # function tables (05, 07) and the empty government-fund table (10)
    for t, title in (("budget_fiscal_expense", "财政拨款支出预算表"), ("budget_general", "一般公共预算支出预算表"),
                     ("budget_gov_fund", "财政拨款政府性基金支出预算表")):
        pass
    blocks = {
        "budget_fiscal_expense": lambda t: _js_classified(w, t, "财政拨款支出预算表", tree, F),
        "budget_general": lambda t: _js_classified(w, t, "一般公共预算支出预算表", tree, F),
        "budget_gov_fund": lambda t: _js_classified(w, t, "财政拨款政府性基金支出预算表", {}, None),
        "budget_fiscal_basic": lambda t: _js_economic(w, t, "财政拨款基本支出预算表", econ, "金额"),
        "budget_general_basic": lambda t: _js_economic(w, t, "一般公共预算基本支出预算表", econ, "金额"),
        "budget_admin_cost": lambda t: _js_economic(w, t, "一般公共预算机关运行经费支出预算表",
                                                     {k: v for k, v in econ.items() if k.startswith("302")}, "机关运行经费支出"),
        "budget_three_public": lambda t: _js_three(w, t, rng, three),
    }
    w._head = head
    for t in order[4:]:
        blocks[t](t)
    w.prose()
    w.prose("附件：名词解释")


def _js_classified(w: _Writer, t: str, title: str, tree, total: Decimal | None) -> None:
    w._head(t, title)
    w.row(["功能科目代码", "功能科目名称", "金额"])
    w.row(["", "合计", _amount(t, "合计", "total", total, True)], t)
    for code in sorted(tree):
        w.row([code, _name(code), _amount(t, code, "total", _d(tree[code]["total"]), True)], t)


def _js_economic(w: _Writer, t: str, title: str, econ: dict[str, int], head: str) -> None:
    w._head(t, title)
    w.row(["科目编码", "科目名称", head])
    if not econ:
        w.row(["", "合计", ""])
        return
    w.row(["", "合计", _amount(t, "合计", "total", _d(sum(econ.values())), True)], t)
    for cls in sorted({c[:3] for c in econ}):
        kids = sorted(c for c in econ if c[:3] == cls)
        w.row([cls, _econ_name(cls), _amount(t, cls, "total", _d(sum(econ[k] for k in kids)), True)], t)
        for k in kids:
            w.row([k, _econ_name(k), _amount(t, k, "total", _d(econ[k]), True)], t)


def _js_three(w: _Writer, t: str, rng: random.Random, three) -> None:
    w._head(t, "“三公”经费、会议费、培训费支出预算表")
    meeting, training = rng.randint(0, 5000), rng.randint(0, 9000)
    car = three["car_purchase"] + three["car_operation"]
    sub = three["abroad"] + three["reception"] + car
    w.row(["合计", "“三公”经费", "", "", "", "", "", "会议费", "培训费"])
    w.row(["", "小计", "因公出国（境）费", "公务用车购置及运行维护费", "", "", "公务接待费", "", ""])
    w.row(["", "", "", "小计", "公务用车购置费", "公务用车运行维护费", "", "", ""])
    vals = [("grand_total", sub + meeting + training), ("total", sub), ("abroad", three["abroad"]), ("car_subtotal", car),
            ("car_purchase", three["car_purchase"]), ("car_operation", three["car_operation"]),
            ("reception", three["reception"]), ("meeting", meeting), ("training", training)]
    w.row([_amount(t, "budget", k, _d(v), True) for k, v in vals], t)


# --------------------------------------------------------------------------- errors


def inject(budget: Budget, table_id: str, row_key: str, column: str, new_value: Decimal) -> Budget:
    """The same filing with one printed cell changed (same number style)."""
    line, col, end = budget.cells[(table_id, row_key, column)]
    old = budget.lines[line - 1][col - 1:end - 1]
    text = fmt(new_value, "," in old or len(old) > 6 and budget.layout == "jiangsu")
    lines = list(budget.lines)
    lines[line - 1] = lines[line - 1][:col - 1] + text + lines[line - 1][end - 1:]
    cells = dict(budget.cells)
    shift = len(text) - len(old)
    for k, (ln, c, e) in budget.cells.items():
        if ln == line and c > col:
            cells[k] = (ln, c + shift, e + shift)
    cells[(table_id, row_key, column)] = (line, col, col + len(text))
    values = {**budget.values, (table_id, row_key, column): new_value}
    return replace(budget, lines=lines, cells=cells, values=values)


def write(budget: Budget, path: str | Path) -> Path:
    path = Path(path)
    path.write_text(budget.text, encoding="utf-8")
    return path
