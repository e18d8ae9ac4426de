"""Synthetic 部门决算 filings in the Hunan layouts, with every number known.

The generator writes plain-text filings the way the exporter writes real ones
(tab-separated table rows, title / ``公开 03 表`` / ``单位：万元`` / ``部门：…`` lines in
varying order, blank lines inside tables at page breaks, a narrative part with
``占 p%`` / ``增长 P%`` / ``完成年初预算的 P%`` sentences).  Every amount is derived
from a few random leaf amounts with ``Decimal`` arithmetic, so all table identities,
cross-table links and narrative percentages hold by construction; tests then break
exactly one of them with :func:`inject`, :func:`inject_narrative` or :func:`misformat`
and check that the linter notices (and notices nothing on the clean filing).

Templates: ``"hunan-2020"`` (公开01表…公开09表, 2019+ 功能分类 names) and
``"hunan-2018"`` (8 tables, older names such as 医疗卫生与计划生育支出, table 04 with
two fund columns).

Keys of :attr:`Filing.cells` / :attr:`Filing.values` are ``(table_id, row_key, column)``:

* classified tables 02, 03, 05: row key = the 功能分类 code (``"2010301"``) or ``"合计"``;
  columns as in ``rules/core/templates/final-accounts.toml``
  (02: total fiscal upper business operating subsidiary other;
  03: total basic project upper business subsidiary; 05: subtotal basic project).
* two-sided tables 01, 04: row key = the printed item without its ``一、`` numbering
  (``"一般公共预算财政拨款收入"``, ``"一般公共服务支出"``, ``"本年收入合计"``, ``"总计"``);
  the breakdown rows under 年初财政拨款结转和结余 in table 04 are keyed
  ``"年初财政拨款结转和结余/一般公共预算财政拨款"`` etc. because their label repeats an
  income row.  Columns are panel-qualified: table01 ``income.amount`` / ``expense.amount``;
  table04 ``income.amount`` and ``expense.total`` / ``expense.general_budget`` /
  ``expense.gov_fund`` / ``expense.state_capital`` (the last only in hunan-2020).
* table06: row key = 经济分类 code, or ``"人员经费合计"`` / ``"公用经费合计"``; column ``amount``.
* table07: rows ``"budget"`` / ``"final"``; columns total abroad car_subtotal
  car_purchase car_operation reception.
* tables 08 (and 09): printed with a 合计 row only, no cells.
* performance tables (``performance=True``): ``perf-dept`` and ``perf-project``; rows
  ``"合计"``, ``"当年财政拨款"``, ``"上年结转资金"``, ``"其他资金"`` with columns
  initial_budget full_budget executed (合计 also weight rate score); indicator rows
  ``"indicator-1"`` … with columns weight score; ``"总分"`` with weight score.

Blank cells (zero classes some filings leave empty) are in neither map.  Structure
cells (codes, 行次, labels) are in :attr:`Filing.structure` under
``(table_id, row_key, "code" | "label" | "<panel>.row_no" | "<panel>.label")``.

Positions are ``(line, col, end_col)``: 1-based, ``end_col`` exclusive, columns
counted in code points — the convention of :class:`lint.model.Span`.

:attr:`Filing.tables` maps each table id to the lines of its title, number, unit and
department lines, ``row_lines`` (first, last tab-separated line) and ``note_line``.

Each narrative claim (:attr:`Filing.claims`) is a dict:

* ``kind``: "amount" | "share" | "change" | "completion" | "parts" (as ``lint.model.Claim``);
* ``subject`` (as written: "财政拨款收入", "人员经费", "“三公”经费" …), ``base`` for shares
  ("本年收入合计", "基本支出" …), ``direction`` for changes, ``parts`` for parts claims,
  ``code`` for per-项 completion claims, ``section`` ("一" … "七", "机关运行经费" …);
* ``line``, ``col``, ``end_col``: the clause from its subject to its last number
  (a trailing ``%`` included);
* ``values`` {role: Decimal} and ``spans`` {role: position} / ``texts`` {role: text}
  for the roles written: amount, percent, previous (change, when stated), budget and
  actual (completion), and one role per part for parts claims.  Spans cover the
  digits only — never the ``%`` or ``万元``;
* ``exact``: the unrounded truth (``percent`` before rounding; ``previous`` and
  ``current`` for changes even when the previous value is not written);
* ``refs`` {role: cell key}: the table cell a value must equal ("base" and
  "current" point at the base or current value when they are not written);
* ``sentence``: the whole line.

Percentages are rounded half-up to the filing's chosen number of decimals (0–2), a
non-zero share is never written as ``0%`` (more decimals are used instead), and a
share of a zero base is written without a percentage.

Shapes drawn from a second random stream (``"<template>/<seed>/shapes"``, so adding
them left every earlier filing's numbers and layout as they were), each recorded as a
flag in :attr:`Filing.facts`:

* ``item_codes``: the numbered items of 五（三） name their classes with codes,
  ``一般公共服务支出（201类）政府办公厅（室）及相关机构事务（03款）行政运行（01项）``;
* ``item_amounts``: each such item heading states its amount (an "amount" claim with
  ``code``) and the paragraph after it restates it as ``决算数为 …``;
* ``three_public_spent_only``: the 三公 paragraphs name only the items with spending;
* ``grand_totals``: a sentence ``收入总计 … 万元，支出总计 … 万元`` (table01 总计).

A 因公出国（境）费 budget with no spending (a trip called off) is drawn from it too.
"""

from __future__ import annotations

import copy
import itertools
import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from . import catalog

Pos = tuple[int, int, int]
Key = tuple[str, str, str]

TEMPLATES = ("hunan-2020", "hunan-2018")

T02_COLS = ["total", "fiscal", "upper", "business", "operating", "subsidiary", "other"]
T03_COLS = ["total", "basic", "project", "upper", "business", "subsidiary"]
T05_COLS = ["subtotal", "basic", "project"]
T07_COLS = ["total", "abroad", "car_subtotal", "car_purchase", "car_operation", "reception"]


@dataclass
class Filing:
    """A generated filing: its text and where every number in it is."""

    text: str  # the whole file, "\n" line ends, ending with "\n"
    cells: dict[Key, Pos]
    values: dict[Key, Decimal]
    claims: list[dict]  # narrative statements written, see _Para.claim
    template: str
    seed: int = 0
    year: int = 0
    department: str = ""
    tables: dict[str, dict] = field(default_factory=dict)  # id -> title/number line, style
    structure: dict[Key, Pos] = field(default_factory=dict)
    changes: list[dict] = field(default_factory=list)  # what inject*/misformat changed, where
    facts: dict[str, Any] = field(default_factory=dict)  # hidden quantities (previous year …)

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")[:-1] if self.text.endswith("\n") else self.text.split("\n")

    def at(self, pos: Pos) -> str:
        """The text a position covers."""
        line, col, end = pos
        return self.lines[line - 1][col - 1:end - 1]

    def cell_text(self, key: Key) -> str:
        return self.at(self.cells[key])

    def claims_of(self, kind: str, subject: str | None = None) -> list[dict]:
        return [c for c in self.claims if c["kind"] == kind and (subject is None or c.get("subject") == subject)]


# --------------------------------------------------------------------------- numbers


def _dec(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def _cents(value: Decimal) -> int:
    return int((value * 100).to_integral_value(ROUND_HALF_UP))


def fmt_amount(value: Decimal, *, compact: bool = False, thousands: bool = False) -> str:
    """Two decimals (``125.27``, ``1,367.76``), or trailing zeros dropped (``0.5``, ``0``)."""
    text = f"{value:,.2f}" if thousands else f"{value:.2f}"
    if compact and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _quantize(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _split(rng: random.Random, total: int, weights: dict[str, float], zero_prob: float = 0.0) -> dict[str, int]:
    """Share ``total`` cents among the keys, roughly by weight; sums exactly."""
    keys = list(weights)
    w = {k: (0.0 if rng.random() < zero_prob else weights[k] * rng.uniform(0.5, 1.5)) for k in keys}
    if not any(w.values()):
        w[keys[0]] = 1.0
    s = sum(w.values())
    parts = {k: int(total * w[k] / s) for k in keys}
    biggest = max(keys, key=lambda k: w[k])
    parts[biggest] += total - sum(parts.values())
    return parts


def _cn_numeral(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n <= 10:
        return "十" if n == 10 else digits[n]
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else ""))


# --------------------------------------------------------------------------- text building


@dataclass
class _N:
    """An amount cell to write."""

    key: Key
    value: Decimal
    text: str


@dataclass
class _M:
    """A structure cell (code, label, 行次) to write and remember."""

    key: Key
    text: str


class _Para:
    """One narrative paragraph (one line), with the positions of its numbers."""

    def __init__(self, section: str, sp: str):
        self.s = ""
        self.section = section
        self.sp = sp
        self.claims: list[dict] = []

    def t(self, text: str) -> "_Para":
        self.s += text
        return self

    def mark(self) -> int:
        return len(self.s)

    def num(self, text: str) -> tuple[int, int]:
        start = len(self.s)
        self.s += text
        return start, len(self.s)

    def money(self, value: Decimal, compact: bool) -> tuple[int, int]:
        """``␣125.27␣万元``: the number's offsets."""
        self.s += self.sp
        span = self.num(fmt_amount(value, compact=compact or value == 0))
        self.s += f"{self.sp}万元"
        return span

    def claim(self, kind: str, start: int, values: dict[str, tuple[Decimal, tuple[int, int]]], **extra) -> dict:
        end = max(offsets[1] for _, offsets in values.values())
        if self.s[end:end + 1] == "%":
            end += 1
        c = {"kind": kind, "section": self.section, "start": start, "end": end,
             "values": {k: v for k, (v, _) in values.items()},
             "offsets": {k: o for k, (_, o) in values.items()}}
        c.update(extra)
        self.claims.append(c)
        return c


class _Doc:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.cells: dict[Key, Pos] = {}
        self.values: dict[Key, Decimal] = {}
        self.structure: dict[Key, Pos] = {}
        self.claims: list[dict] = []
        self.tables: dict[str, dict] = {}

    def text(self, s: str = "") -> int:
        self.lines.append(s)
        return len(self.lines)

    def blank(self) -> None:
        self.lines.append("")

    def row(self, fields: list) -> int:
        line = len(self.lines) + 1
        parts: list[str] = []
        pos = 0
        for f in fields:
            txt = f.text if isinstance(f, (_N, _M)) else (f or "")
            if txt and isinstance(f, _N):
                self.cells[f.key] = (line, pos + 1, pos + 1 + len(txt))
                self.values[f.key] = f.value
            elif txt and isinstance(f, _M):
                self.structure[f.key] = (line, pos + 1, pos + 1 + len(txt))
            parts.append(txt)
            pos += len(txt) + 1
        self.lines.append("\t".join(parts))
        return line

    def para(self, p: _Para) -> int:
        line = self.text(p.s)
        for c in p.claims:
            start, end = c.pop("start"), c.pop("end")
            offsets = c.pop("offsets")
            c["line"], c["col"], c["end_col"] = line, start + 1, end + 1
            c["spans"] = {k: (line, s + 1, e + 1) for k, (s, e) in offsets.items()}
            c["texts"] = {k: p.s[s:e] for k, (s, e) in offsets.items()}
            c["sentence"] = p.s
            self.claims.append(c)
        return line


# --------------------------------------------------------------------------- the generator


def generate(seed: int = 0, template: str = "hunan-2020", *, narrative: bool = True,
             performance: bool = False, year: int | None = None, department: str | None = None,
             scale: str | None = None, thousands: bool | None = None, carry: bool | None = None,
             page_breaks: bool = True, quirks: bool = False) -> Filing:
    """Generate one consistent filing.

    ``scale``: "small" (tens of 万元), "medium", "large" (thousands, so thousands
    separators appear when ``thousands`` is on); random by seed when ``None``.
    ``thousands``: write ``1,367.76`` for amounts of 1000 and more (random when ``None``,
    only ever on for large filings).  ``carry``: 年初/年末结转和结余 non-zero (random
    when ``None``).  ``quirks``: also reproduce export oddities seen in real filings
    (``合⇥计`` split over two cells, ``金额单位：万`` / ``元`` on two lines).
    """
    if template not in TEMPLATES:
        raise ValueError(f"unknown template {template!r}; one of {TEMPLATES}")
    rng = random.Random(f"{template}/{seed}")
    g = _Gen(rng, template, seed, year=year, department=department, scale=scale,
             thousands=thousands, carry=carry, page_breaks=page_breaks, quirks=quirks)
    g.narrative = narrative
    g.build_numbers()
    g.write_front()
    g.write_tables()
    if narrative:
        g.write_narrative()
    g.write_glossary()
    if performance:
        g.write_performance()
    d = g.doc
    return Filing(text="\n".join(d.lines) + "\n", cells=d.cells, values=d.values, claims=d.claims,
                  template=template, seed=seed, year=g.year, department=g.dept, tables=d.tables,
                  structure=d.structure, facts={**g.facts, "thousands": g.thousands, "scale": g.scale})


class _Gen:
    def __init__(self, rng: random.Random, template: str, seed: int, *, year, department, scale,
                 thousands, carry, page_breaks, quirks):
        self.rng = rng
        self.template = template
        self.new = template == "hunan-2020"
        self.seed = seed
        self.year = year or (rng.choice([2019, 2020, 2021, 2022]) if self.new else rng.choice([2016, 2017, 2018]))
        profiles = [p for p in catalog.PROFILES if template in p[1]]
        self.profile = rng.choice(profiles)
        if department:
            self.dept = department
        elif rng.random() < 0.5:
            self.dept = f"{rng.choice(catalog.CITIES)}市{self.profile[0]}"
        else:
            self.dept = f"{rng.choice(catalog.CITIES)}市{rng.choice(catalog.DISTRICTS)}区{self.profile[0]}"
        self.scale = scale or rng.choice(["small", "medium", "medium", "large"])
        self.thousands = (rng.random() < 0.4) if thousands is None else thousands
        self.carry = (rng.random() < 0.4) if carry is None else carry
        self.page_breaks = page_breaks
        self.quirks = quirks
        self.narrative = True
        self.sp = rng.choice([" ", ""])  # spaces around numbers in prose, as exporters vary
        self.pct_decimals = rng.choice([1, 1, 1, 2, 0])
        self.narr_compact = rng.random() < 0.5
        self.doc = _Doc()
        self.current = ""  # id of the table being written
        self.facts: dict[str, Any] = {}
        self.classes = catalog.CLASSES[template]
        self.class_names = dict(self.classes)
        self.names: dict[str, str] = {}
        # Shapes added later draw from their own stream, so the filings the main stream
        # makes (and the tests written on them) stay what they were.
        shapes = random.Random(f"{template}/{seed}/shapes")
        self.shapes = shapes
        self.item_codes = shapes.random() < 0.6  # 一般公共服务支出（201类）…（03款）…（01项）
        self.item_amounts = shapes.random() < 0.6  # the item's own amount on its heading
        self.three_public_spent_only = shapes.random() < 0.5  # the text names only items with spending
        self.grand_totals = shapes.random() < 0.6  # 收入总计 … 万元，支出总计 … 万元 (words the subject map lacks)
        self.facts.update(item_codes=self.item_codes, item_amounts=self.item_amounts,
                          three_public_spent_only=self.three_public_spent_only, grand_totals=self.grand_totals)

    # ------------------------------------------------------------------ numbers

    def fmt(self, value: Decimal, table: str) -> str:
        style = self.doc.tables[table]
        return fmt_amount(value, compact=style["compact"], thousands=self.thousands and abs(value) >= 1000)

    def build_numbers(self) -> None:
        rng = self.rng
        base = {"small": rng.randint(8_000, 40_000), "medium": rng.randint(40_000, 300_000),
                "large": rng.randint(300_000, 3_000_000)}[self.scale]
        _, _, kuan, kuan_name, items = self.profile
        leaves: dict[str, dict] = {}
        self.names[kuan] = kuan_name
        self.names[kuan[:3]] = self.class_names[kuan[:3]]
        first = items[0]
        chosen = [first] + [it for it in items[1:] if rng.random() < 0.6]
        if len(chosen) == 1:
            chosen.append(rng.choice(items[1:]))
        for code, name, kind in chosen:
            self.names[code] = name
            if kind == "basic":
                total = int(base * (rng.uniform(0.3, 0.6) if code == first[0] else rng.uniform(0.05, 0.2)))
                proj = int(total * rng.uniform(0.01, 0.08)) if rng.random() < 0.2 else 0
                leaves[code] = {"basic_f": total - proj, "project_f": proj}
            else:
                leaves[code] = {"basic_f": 0, "project_f": int(base * rng.uniform(0.03, 0.35))}
        main = leaves[first[0]]
        for code, name, prob in catalog.SOCIAL_LEAVES:
            if rng.random() < prob:
                self.names[code] = name
                leaves[code] = {"basic_f": int(main["basic_f"] * rng.uniform(0.04, 0.12)), "project_f": 0}
        kuan_names = catalog.KUAN_NAMES[self.template]
        for code in list(leaves):
            self.names.setdefault(code[:5], kuan_names.get(code[:5], ""))
            self.names.setdefault(code[:3], self.class_names[code[:3]])
        for lf in leaves.values():
            lf.update(basic_o=0, project_o=0, source="other")
        # Money from other sources: a small 事业收入/上级补助 share of the running cost,
        # or a 其他支出 item paid from 其他收入 (as units with fees do).
        if rng.random() < 0.25:
            main["basic_o"] = int(main["basic_f"] * rng.uniform(0.02, 0.15))
            # the 2018 narrative template lists no 上级补助收入, so that flavour never has any
            main["source"] = rng.choice(["business", "upper"] if self.new else ["business"])
        if rng.random() < 0.3:
            code, name = catalog.OTHER_LEAF
            self.names.update({code: name, "22999": "其他支出", "229": self.class_names["229"]})
            amount = int(base * rng.uniform(0.005, 0.1)) + 1
            split = rng.random() < 0.5
            leaves[code] = {"basic_f": 0, "project_f": 0, "basic_o": amount if split else 0,
                            "project_o": 0 if split else amount, "source": "other"}
        for lf in leaves.values():
            for k in ("basic_f", "project_f", "basic_o", "project_o"):
                lf[k] = max(lf[k], 0)
            if not any(lf[k] for k in ("basic_f", "project_f", "basic_o", "project_o")):
                lf["basic_f"] = 100
        self.leaves = dict(sorted(leaves.items()))

        fiscal_exp = sum(lf["basic_f"] + lf["project_f"] for lf in self.leaves.values())
        if self.carry:
            cin = int(min(fiscal_exp * rng.uniform(0.01, 0.1), main["basic_f"] * 0.5))
            cout = int(fiscal_exp * rng.uniform(0.0, 0.08)) if rng.random() < 0.7 else 0
        else:
            cin = cout = 0
        self.carry_in, self.carry_out = cin, cout
        # Income of the year = spending + what is left at year end - what was brought in;
        # the difference is booked on the running-cost item.
        for lf in self.leaves.values():
            lf["income_delta"] = 0
        main["income_delta"] = cout - cin

        # Leaf rows of the classified tables.
        self.t02: dict[str, dict[str, int]] = {}
        self.t03: dict[str, dict[str, int]] = {}
        self.t05: dict[str, dict[str, int]] = {}
        for code, lf in self.leaves.items():
            r03 = {"basic": lf["basic_f"] + lf["basic_o"], "project": lf["project_f"] + lf["project_o"],
                   "upper": 0, "business": 0, "subsidiary": 0}
            r03["total"] = sum(r03.values())
            self.t03[code] = r03
            r02 = {c: 0 for c in T02_COLS if c != "total"}
            r02["fiscal"] = lf["basic_f"] + lf["project_f"] + lf["income_delta"]
            r02[lf["source"]] += lf["basic_o"] + lf["project_o"]
            r02["total"] = sum(r02.values())
            self.t02[code] = r02
            if lf["basic_f"] + lf["project_f"]:
                self.t05[code] = {"basic": lf["basic_f"], "project": lf["project_f"],
                                  "subtotal": lf["basic_f"] + lf["project_f"]}
        self.t02 = _roll_up(self.t02, T02_COLS)
        self.t03 = _roll_up(self.t03, T03_COLS)
        self.t05 = _roll_up(self.t05, T05_COLS)

        # Table 07 (三公) inside the public-funds budget of table 06.
        basic05 = self.t05["合计"]["basic"]
        personnel = int(basic05 * rng.uniform(0.7, 0.92))
        public = basic05 - personnel
        has_car = rng.random() < 0.5
        final = {"abroad": 0 if rng.random() < 0.85 else int(public * rng.uniform(0.01, 0.04)),
                 "car_purchase": 0,
                 "car_operation": int(public * rng.uniform(0.02, 0.1)) if has_car else 0,
                 "reception": int(public * rng.uniform(0.0, 0.05)) if rng.random() < 0.7 else 0}
        # budgets at or above the spending; a reception budget may go unspent
        budget = {k: int(v * rng.uniform(1.0, 1.4)) for k, v in final.items()}
        if not final["reception"] and rng.random() < 0.5:
            budget["reception"] = int(public * 0.02)
        # a trip abroad budgeted and then called off
        if not final["abroad"] and self.shapes.random() < 0.5:
            budget["abroad"] = max(int(public * self.shapes.uniform(0.01, 0.03)), 1)
        for row in (final, budget):
            row["car_subtotal"] = row["car_purchase"] + row["car_operation"]
            row["total"] = row["abroad"] + row["car_subtotal"] + row["reception"]
        self.t07 = {"budget": budget, "final": final}

        # Table 06: personnel over 301/303 items, public over 302 (and now and then 310).
        pers = _split(rng, personnel, catalog.PERSONNEL_WEIGHTS, zero_prob=0.25)
        fixed = {"30212": final["abroad"], "30217": final["reception"], "30231": final["car_operation"]}
        capital = int(public * rng.uniform(0.02, 0.1)) if rng.random() < 0.2 else 0
        rest = public - sum(fixed.values()) - capital
        pub = _split(rng, rest, catalog.PUBLIC_WEIGHTS, zero_prob=0.3)
        t06: dict[str, int] = {}
        for code, _ in catalog.ECON_PERSONNEL + catalog.ECON_PUBLIC + catalog.ECON_OTHER:
            if len(code) == 5:
                t06[code] = pers.get(code, 0) + pub.get(code, 0) + fixed.get(code, 0)
        t06["31002"] = capital
        for code, _ in catalog.ECON_PERSONNEL + catalog.ECON_PUBLIC + catalog.ECON_OTHER:
            if len(code) == 3:
                t06[code] = sum(v for c, v in t06.items() if len(c) == 5 and c.startswith(code))
        t06["人员经费合计"] = t06["301"] + t06["303"]
        t06["公用经费合计"] = t06["302"] + t06["307"] + t06["310"] + t06["399"]
        self.t06 = t06

        # Budgets and last year's figures for the narrative.
        self.budget05 = {}
        for code, row in self.t05.items():
            if len(code) == 7:
                f = rng.uniform(0.85, 1.15) if row["basic"] else rng.uniform(0.5, 1.2)
                self.budget05[code] = max(int(row["subtotal"] * f), 100)
        self.facts.update(carry_in=_dec(cin), carry_out=_dec(cout),
                          running_budget=_dec(int(self.t06["公用经费合计"] * rng.uniform(0.9, 1.25)) + 1))
        for name in ("total", "fiscal", "fiscal_exp", "income", "expense"):
            self.facts[f"growth_{name}"] = rng.uniform(-0.3, 0.8)

    # ------------------------------------------------------------------ layout helpers

    def pdf(self, text: str, p: float = 0.3) -> str:
        """Exporters break long header words with a stray space now and then."""
        if len(text) >= 5 and self.rng.random() < p:
            i = self.rng.randint(2, len(text) - 2)
            return text[:i] + " " + text[i:]
        return text

    def table_head(self, tid: str, title: str) -> None:
        rng, d = self.rng, self.doc
        number = tid[-2:]
        self.current = tid
        d.tables[tid] = {"compact": (tid == "table07" and rng.random() < 0.4)
                                    or (not self.new and tid == "table01" and rng.random() < 0.3)}
        d.blank()
        d.tables[tid]["title_line"] = d.text(title)
        d.blank()
        spellings = [f"公开 {number} 表", f"公开{number}表"] if self.new else [f"公开{number}表", f"公开{number}表", f"公开 {number} 表"]
        num = rng.choice(spellings)
        unit = rng.choice(["单位：万元", "金额单位：万元"])
        dept = rng.choice([f"部门：{self.dept}", f"部门： {self.dept}"])
        lines = [("number", num), ("unit", unit), ("department", dept)]
        order = rng.choice([(0, 1, 2), (0, 2, 1), (2, 0, 1), (0, 1, 2)])
        for i in order:
            what, text = lines[i]
            if what == "unit" and self.quirks and rng.random() < 0.5:
                d.tables[tid]["unit_line"] = d.text(text[:-1])
                d.text(text[-1])
            else:
                d.tables[tid][f"{what}_line"] = d.text(text)
            if rng.random() < 0.6:
                d.blank()
        if not self.new and tid not in ("table06", "table07") and rng.random() < 0.7:
            d.blank()
            d.text(f"{self.year}年度")
        if d.lines[-1]:
            d.blank()

    def note(self, text: str) -> None:
        d = self.doc
        d.blank()
        note = d.text(text)
        info = d.tables[self.current]
        rows = [n for n in range(info["title_line"], note) if "\t" in d.lines[n - 1]]
        info.update(note_line=note, row_lines=(rows[0], rows[-1]))

    def total_label(self) -> list[str]:
        if self.quirks and not self.new and self.rng.random() < 0.5:
            return ["合", "计"]
        return [self.rng.choice(["合计", "合计", "合 计"] if not self.new else ["合计"]), ""]

    def maybe_break(self, p: float) -> None:
        if self.page_breaks and self.rng.random() < p:
            self.doc.blank()

    # ------------------------------------------------------------------ front matter

    def write_front(self) -> None:
        d, y = self.doc, self.year
        d.blank()
        d.blank()
        if self.new:
            d.text(f"{y}年度")
            d.text(self.dept)
            d.text("部门决算")
        else:
            d.text(self.dept)
            d.blank()
            d.text(f"{y} 年度部门决算")
        d.blank()
        d.text("目录")
        d.blank()
        d.text(f"第一部分 {self.dept}概况")
        d.blank()
        d.text(f"第二部分 {y}年度部门决算表")
        d.blank()
        if self.narrative:
            d.text(f"第三部分 {y}年度部门决算情况说明")
            d.blank()
        # Parts are numbered consecutively: without the narrative the glossary is 第三部分.
        d.text(f"{'第四部分' if self.narrative else '第三部分'} 名词解释")
        d.blank()
        d.text("第一部分")
        d.blank()
        d.text(f"{self.dept} 概况")
        d.blank()
        d.text("一、部门职责")
        d.blank()
        for i, duty in enumerate(catalog.DUTIES, start=1):
            d.text(f"（{_cn_numeral(i)}）{duty}")
            d.blank()
        d.text("二、机构设置及决算单位构成")
        d.blank()
        staff = self.rng.randint(5, 60)
        d.text(f"（一）内设机构设置。本部门共有编制 {staff} 名，实有人数 {staff - self.rng.randint(0, 3)} 人，"
               f"内设科室 {self.rng.randint(2, 8)} 个。")
        d.blank()
        d.text(f"（二）决算单位构成。{self.dept} {y} 年部门决算汇总公开单位构成包括：{self.dept}本级。")
        d.blank()
        d.text("第二部分")
        d.blank()
        d.text("部门决算表")

    # ------------------------------------------------------------------ tables

    def write_tables(self) -> None:
        self.table01()
        self.table_classified("table02")
        self.table_classified("table03")
        self.table04()
        self.table_classified("table05")
        self.table06()
        self.table07()
        self.table_empty("table08")
        if self.new:
            self.table_empty("table09")

    def classified_rows(self, data: dict[str, dict[str, int]]) -> list[str]:
        return [c for c in data if c != "合计"]

    def table_classified(self, tid: str) -> None:
        rng, d = self.rng, self.doc
        titles = {"table02": "收入决算表", "table03": "支出决算表", "table05": "一般公共预算财政拨款支出决算表"}
        data, cols = {"table02": (self.t02, T02_COLS), "table03": (self.t03, T03_COLS),
                      "table05": (self.t05, T05_COLS)}[tid]
        self.table_head(tid, titles[tid])
        item = rng.choice(["项 目", "项目"])
        code_head = rng.choice(["功能分类科目编码", "功能分类 科目编码", "功能分 类科目 编码"])
        if tid == "table02":
            names = ["本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入",
                     self.pdf("附属单位上缴收入", 0.5), "其他收入"]
            if self.new:
                d.row([item, ""] + names)
                d.row([code_head, "科目名称"] + [""] * 7)
            else:
                d.row([item, "科目的名称"] + names)
        elif tid == "table03":
            names = ["本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", self.pdf("对附属单位补助支出", 0.5)]
            if self.new:
                d.row([item, ""] + names)
                d.row([code_head, "科目名称"] + [""] * 6)
            else:
                d.row([f"项 目 {code_head}", "科 目 名 称", f"{self.year}年度", "", "", "", "", ""])
                d.row(["", ""] + names)
        else:
            d.row([item, "", "本年支出", "", ""])
            d.row([code_head, "科目名称", "小计", "基本支出", "项目支出"])
        d.row(["栏次", ""] + [str(i) for i in range(1, len(cols) + 1)])
        tot = data["合计"]
        d.row(self.total_label() + [_N((tid, "合计", c), _dec(tot[c]), self.fmt(_dec(tot[c]), tid)) for c in cols])
        rows = self.classified_rows(data)
        brk = rng.randrange(len(rows)) if len(rows) > 6 and rng.random() < 0.3 else -1
        for i, code in enumerate(rows):
            if i == brk:
                self.maybe_break(1.0)
            r = data[code]
            d.row([_M((tid, code, "code"), code), _M((tid, code, "label"), self.names[code])]
                  + [_N((tid, code, c), _dec(r[c]), self.fmt(_dec(r[c]), tid)) for c in cols])
        self.note({"table02": "注：本表反映部门本年度取得的各项收入情况。",
                   "table03": rng.choice(["注：本表反映部门本年度各项支出情况。", "注： 本表反映部门本年度各项支出情况。"]),
                   "table05": "注：本表反映部门本年度一般公共预算财政拨款支出情况。"}[tid])

    def class_totals(self, data: dict[str, dict[str, int]], col: str) -> dict[str, int]:
        return {code: data[code][col] if code in data else 0 for code, _ in self.classes}

    def two_sided(self, tid: str, left_body, right_body, footer, right_cols: list[str],
                  header_right: list[str] | None) -> None:
        """Rows of a two-sided table: each side is [(label, key, {col: cents|None})]."""
        rng, d = self.rng, self.doc
        label_head = rng.choice(["项 目", "项目"])
        side_in, side_out = rng.choice([("收入", "支出"), ("收 入", "支 出")])
        d.row([side_in, "", "", side_out] + [""] * (len(right_cols) + 1))
        amount_head = "决算数" if tid == "table01" and rng.random() < 0.5 else "金额"
        d.row([label_head, "行次", amount_head, label_head, "行次"] + (header_right or [amount_head]))
        lanes = rng.choice(["栏 次", "栏次"])
        d.row([lanes, "", "1", lanes, ""] + [str(i) for i in range(2, len(right_cols) + 2)])
        body = list(itertools.zip_longest(left_body, right_body))
        rows = body + footer
        n_left = len(rows)
        # Zero classes past the first few left blank, as real exports do: a quirk, since
        # mixing blanks and 0.00 in one column is itself reported (F004).
        blank_tail = self.quirks and rng.random() < 0.3
        brk = rng.randint(len(body) // 2, len(body) - 1) if body else -1
        for i, (left, right) in enumerate(rows):
            if i == brk:
                self.maybe_break(1.0)
            fields: list = []
            if left is None:
                fields += ["", _M((tid, f"blank-{i + 1}", "income.row_no"), str(i + 1)), ""]
            else:
                label, key, vals = left
                fields += [_M((tid, key, "income.label"), label), _M((tid, key, "income.row_no"), str(i + 1))]
                v = vals.get("amount")
                fields.append("" if v is None else _N((tid, key, "income.amount"), _dec(v), self.fmt(_dec(v), tid)))
            if right is None:
                fields += ["", _M((tid, f"blank-{i + 1}", "expense.row_no"), str(n_left + i + 1))] + [""] * len(right_cols)
            else:
                label, key, vals = right
                fields += [_M((tid, key, "expense.label"), label), _M((tid, key, "expense.row_no"), str(n_left + i + 1))]
                zero_blank = blank_tail and i >= 6 and i < len(body) and all(not vals.get(c) for c in right_cols)
                for c in right_cols:
                    v = vals.get(c)
                    if v is None or zero_blank:
                        fields.append("")
                    else:
                        fields.append(_N((tid, key, f"expense.{c}"), _dec(v), self.fmt(_dec(v), tid)))
            d.row(fields)

    def class_body(self, values: dict[str, dict[str, int]]) -> list:
        return [(f"{_cn_numeral(i)}、{name}", name, values[code])
                for i, (code, name) in enumerate(self.classes, start=1)]

    def table01(self) -> None:
        t02, t03 = self.t02["合计"], self.t03["合计"]
        self.table_head("table01", "收入支出决算总表")
        income = [("一般公共预算财政拨款收入", t02["fiscal"]), ("政府性基金预算财政拨款收入", 0)]
        if self.new:
            income.append(("国有资本经营预算财政拨款收入", 0))
        income += [("上级补助收入", t02["upper"]), ("事业收入", t02["business"]), ("经营收入", t02["operating"]),
                   ("附属单位上缴收入", t02["subsidiary"]), ("其他收入", t02["other"])]
        left = [(f"{_cn_numeral(i)}、{name}", name, {"amount": v}) for i, (name, v) in enumerate(income, start=1)]
        totals = self.class_totals(self.t03, "total")
        right = self.class_body({c: {"amount": totals[c]} for c, _ in self.classes})
        inc_total = t02["total"]
        exp_total = t03["total"]
        footer = [
            (("本年收入合计", "本年收入合计", {"amount": inc_total}), ("本年支出合计", "本年支出合计", {"amount": exp_total})),
            (("使用非财政拨款结余", "使用非财政拨款结余", {"amount": 0}), ("结余分配", "结余分配", {"amount": 0})),
            (("年初结转和结余", "年初结转和结余", {"amount": self.carry_in}),
             ("年末结转和结余", "年末结转和结余", {"amount": self.carry_out})),
        ]
        if self.rng.random() < 0.5:
            footer.append((None, None))
        footer.append((("总计", "总计", {"amount": inc_total + self.carry_in}),
                       ("总计", "总计", {"amount": exp_total + self.carry_out})))
        self.two_sided("table01", left, right, footer, ["amount"], None)
        self.note(self.rng.choice(["注：本表反映部门本年度的总收支和年末结转结余情况。本套报表金额单位转换时可能存在尾数误差。",
                                   "注：1. 本表反映部门本年度的总收支和年末结转结余情况。"]))

    def table04(self) -> None:
        t02, t05 = self.t02["合计"], self.t05["合计"]
        self.table_head("table04", "财政拨款收入支出决算总表")
        funds = [("一般公共预算财政拨款", "general_budget"), ("政府性基金预算财政拨款", "gov_fund")]
        if self.new:
            funds.append(("国有资本经营预算财政拨款", "state_capital"))
        cols = ["total"] + [k for _, k in funds]
        fiscal = t02["fiscal"]
        left = [(f"{_cn_numeral(i)}、{name}", name, {"amount": fiscal if k == "general_budget" else 0})
                for i, (name, k) in enumerate(funds, start=1)]
        sub = self.class_totals(self.t05, "subtotal")
        right = self.class_body({c: {"total": sub[c], "general_budget": sub[c], "gov_fund": 0, "state_capital": 0}
                                 for c, _ in self.classes})
        zero = {k: 0 for k in cols}
        footer = [
            (("本年收入合计", "本年收入合计", {"amount": fiscal}),
             ("本年支出合计", "本年支出合计", {**zero, "total": t05["subtotal"], "general_budget": t05["subtotal"]})),
            (("年初财政拨款结转和结余", "年初财政拨款结转和结余", {"amount": self.carry_in}),
             ("年末财政拨款结转和结余", "年末财政拨款结转和结余", {**zero, "total": self.carry_out, "general_budget": self.carry_out})),
        ]
        for name, k in funds:
            footer.append(((name, f"年初财政拨款结转和结余/{name}", {"amount": self.carry_in if k == "general_budget" else 0}), None))
        footer.append((("总计", "总计", {"amount": fiscal + self.carry_in}),
                       ("总计", "总计", {**zero, "total": t05["subtotal"] + self.carry_out,
                                        "general_budget": t05["subtotal"] + self.carry_out})))
        header = ["合计"] + [self.pdf(n, 0.4) for n, _ in funds]
        self.two_sided("table04", left, right, footer, cols, header)
        self.note("注：本表反映部门本年度一般公共预算财政拨款、政府性基金预算财政拨款"
                  + ("和国有资本经营预算财政拨款" if self.new else "") + "的总收支和年末结转结余情况。")

    def table06(self) -> None:
        rng, d = self.rng, self.doc
        self.table_head("table06", "一般公共预算财政拨款基本支出决算表")
        t = self.t06
        if rng.random() < 0.4:
            d.row(["经济分类科目编码", "科目名称", "决算数"] * 3)
        else:
            d.row(["人员经费", "", "", "公用经费", "", "", "", "", ""])
            d.row(["科目编码", "科目名称", "决算数"] * 3)
        personnel = list(catalog.ECON_PERSONNEL)
        if not self.new:
            personnel[-1] = ("30399", "其他对个人和家庭的补助支出")
        panels = [personnel, catalog.ECON_PUBLIC, catalog.ECON_OTHER]
        for code, name in personnel + catalog.ECON_PUBLIC + catalog.ECON_OTHER:
            self.names.setdefault(f"econ:{code}", name)
        for trio in itertools.zip_longest(*panels):
            fields: list = []
            for item in trio:
                if item is None:
                    fields += ["", "", ""]
                else:
                    code, name = item
                    v = _dec(t[code])
                    fields += [_M(("table06", code, "code"), code), _M(("table06", code, "label"), name),
                               _N(("table06", code, "amount"), v, self.fmt(v, "table06"))]
            d.row(fields)
        p, u = _dec(t["人员经费合计"]), _dec(t["公用经费合计"])
        np_ = _N(("table06", "人员经费合计", "amount"), p, self.fmt(p, "table06"))
        nu = _N(("table06", "公用经费合计", "amount"), u, self.fmt(u, "table06"))
        if self.new:
            d.row([_M(("table06", "人员经费合计", "label"), "人员经费合计"), "", np_,
                   _M(("table06", "公用经费合计", "label"), "公用经费合计"), "", "", "", "", nu])
        else:
            d.row(["", _M(("table06", "人员经费合计", "label"), "人员经费合计"), np_, "", "", "",
                   _M(("table06", "公用经费合计", "label"), "公用经费合计"), "", nu])
        self.note("注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。")

    def table07(self) -> None:
        rng, d = self.rng, self.doc
        self.table_head("table07", "一般公共预算财政拨款“三公”经费支出决算表")
        head = ["合计", self.pdf("因公出国（境）费", 0.5), "公务用车购置及运行费", "", "", self.pdf("公务接待费", 0.3)]
        sub = ["", "", "小计", self.pdf("公务用车购置费", 0.5), self.pdf("公务用车运行费", 0.5), ""]
        d.row(["预算数"] + [""] * 5 + ["决算数"] + [""] * 5)
        d.row(head + head)
        d.row(sub + sub)
        d.row([str(i) for i in range(1, 13)])
        fields = []
        for side in ("budget", "final"):
            for c in T07_COLS:
                v = _dec(self.t07[side][c])
                fields.append(_N(("table07", side, c), v, self.fmt(v, "table07")))
        d.row(fields)
        self.note("注：本表反映部门本年度“三公”经费支出预决算情况。其中，预算数为“三公”经费全年预算数，"
                  "反映按规定程序调整后的预算数；决算数是包括当年一般公共预算财政拨款和以前年度结转资金安排的实际支出。")

    def table_empty(self, tid: str) -> None:
        d = self.doc
        if tid == "table08":
            self.table_head(tid, "政府性基金预算财政拨款收入支出决算表")
            item = self.rng.choice(["项 目", "项目"])
            d.row([item, "", "年初结转和结余", "本年收入", "本年支出", "", "", "年末结转和结余"])
            d.row(["功能分类 科目编码", "科目名称", "", "", "小计", "基本支出", "项目支出", ""])
            d.row(["栏次", "", "1", "2", "3", "4", "5", "6"])
            d.row(self.total_label() + [""] * 6)
            self.note("注：本单位没有政府性基金收入，也没有使用政府性基金安排的支出，故本表无数据。")
        else:
            self.table_head(tid, "国有资本经营预算财政拨款支出决算表")
            d.row([self.rng.choice(["项 目", "项目"]), "", "本年支出", "", ""])
            d.row(["功能分类科目编码", "科目名称", "合计", "基本支出", "项目支出"])
            d.row(["栏次", "", "1", "2", "3"])
            d.row(self.total_label() + [""] * 3)
            self.note("注：本单位没有国有资本经营预算财政拨款收入，也没有使用国有资本经营预算财政拨款安排的支出，故本表无数据。")

    # ------------------------------------------------------------------ narrative

    def para(self, section: str) -> _Para:
        return _Para(section, self.sp)

    def money(self, p: _Para, cents: int) -> tuple[Decimal, tuple[int, int]]:
        v = _dec(cents)
        return v, p.money(v, self.narr_compact)

    def pct(self, p: _Para, part: int, base: int, decimals: int | None = None) -> tuple[Decimal, tuple[int, int], Decimal]:
        """Write ``p%`` for part/base, rounded half-up; a non-zero share never rounds to 0."""
        d = self.pct_decimals if decimals is None else decimals
        exact = Decimal(part) * 100 / Decimal(base)
        if part == 0:
            value, text = Decimal(0), "0"
        else:
            value = _quantize(exact, d)
            while value == 0 and d < 4:
                d += 1
                value = _quantize(exact, d)
            text = str(value)
        span = p.num(text)
        p.t("%")
        return value, span, exact

    def change(self, p: _Para, current: int, growth: float, *, subject: str, ref: Key | None,
               previous_stated: bool = False, year_word: str = "上年") -> dict:
        """``与上年相比，增加 D 万元，增长 P%`` (or 减少/下降)."""
        previous = max(int(current / (1 + growth)), 1)
        if previous == current:
            previous -= 1
        diff = current - previous
        up = diff > 0
        start = p.mark()
        values: dict[str, tuple] = {}
        if previous_stated:
            p.t(f"与{self.sp}{year_word}的{subject}")
            values["previous"] = self.money(p, previous)
            p.t("相比")
        else:
            p.t(f"与{year_word}相比，")
        p.t("增加" if up else "减少")
        values["amount"] = self.money(p, abs(diff))
        p.t("，增长" if up else "，下降")
        p.t(self.sp)
        value, span, exact = self.pct(p, abs(diff), previous)
        values["percent"] = (value, span)
        return p.claim("change", start, values, subject=subject, direction="increase" if up else "decrease",
                       exact={"percent": exact, "previous": _dec(previous), "current": _dec(current)},
                       refs={"current": ref} if ref else {})

    def share_list(self, p: _Para, items: list[tuple[str, int, Key | None]], base: int, base_name: str,
                   base_word: str = "占", sep: str = "；") -> list[dict]:
        out = []
        for i, (name, cents, ref) in enumerate(items):
            if i:
                p.t(sep)
            start = p.mark()
            p.t(name)
            amount = self.money(p, cents)
            values = {"amount": amount}
            extra: dict = {"exact": {}}
            if base:
                p.t(f"，{base_word}{self.sp}")
                value, span, exact = self.pct(p, cents, base)
                values["percent"] = (value, span)
                extra["exact"] = {"percent": exact}
            out.append(p.claim("share", start, values, subject=name, base=base_name,
                               refs={"amount": ref} if ref else {}, **extra))
        return out

    def completion(self, p: _Para, budget: int, actual: int, *, subject: str, ref: Key | None,
                   budget_word: str = "年初预算为", actual_word: str = "支出决算为",
                   done_word: str = "完成年初预算的") -> dict:
        start = p.mark()
        p.t(budget_word)
        values = {"budget": self.money(p, budget)}
        p.t(f"，{actual_word}")
        values["actual"] = self.money(p, actual)
        extra: dict = {"exact": {}}
        if budget:
            p.t(f"，{done_word}{self.sp}")
            value, span, exact = self.pct(p, actual, budget)
            values["percent"] = (value, span)
            extra["exact"] = {"percent": exact}
        return p.claim("completion", start, values, subject=subject, refs={"actual": ref} if ref else {}, **extra)

    def heading(self, text: str) -> None:
        self.doc.blank()
        self.doc.text(text)

    def add(self, p: _Para) -> None:
        self.doc.blank()
        self.doc.para(p)

    def write_narrative(self) -> None:
        y, sp, d = self.year, self.sp, self.doc
        t02, t03, t05 = self.t02["合计"], self.t03["合计"], self.t05["合计"]
        f = self.facts
        total_in = t02["total"] + self.carry_in
        self.heading("第三部分")
        self.heading(f"{y}年度部门决算情况说明")

        # 一
        self.heading("一、收入支出决算总体情况说明")
        p = self.para("一")
        if self.new:
            p.t(f"{y}{sp}年度收、支总计")
            start = p.mark() - 5
            v = self.money(p, total_in)
            p.claim("amount", start, {"amount": v}, subject="收、支总计", refs={"amount": ("table01", "总计", "income.amount")})
            p.t("。")
            self.change(p, total_in, f["growth_total"], subject="收、支总计", ref=("table01", "总计", "income.amount"))
            p.t(f"，主要是因为{self.rng.choice(catalog.REASONS_UP if f['growth_total'] > 0 else catalog.REASONS_DOWN)}。")
        else:
            start = p.mark()
            p.t(f"{y}{sp}年收入")
            v = self.money(p, t02["total"])
            p.claim("amount", start, {"amount": v}, subject="收入", refs={"amount": ("table02", "合计", "total")})
            p.t("，其中")
            self.share_list(p, [("财政拨款收入", t02["fiscal"], ("table02", "合计", "fiscal"))], t02["total"], "收入",
                            base_word="占总收入的")
            p.t("；")
            self.change(p, t02["total"], f["growth_income"], subject="收入", ref=("table02", "合计", "total"),
                        previous_stated=True, year_word=f"{y - 1}{sp}年")
            p.t(f"。{y}{sp}年支出")
            start = p.mark() - 2
            v = self.money(p, t03["total"])
            p.claim("amount", start, {"amount": v}, subject="支出", refs={"amount": ("table03", "合计", "total")})
            p.t("，")
            self.change(p, t03["total"], f["growth_expense"], subject="支出", ref=("table03", "合计", "total"),
                        previous_stated=True, year_word=f"{y - 1}{sp}年")
            p.t("。")
        self.add(p)
        if self.grand_totals:
            p = self.para("一")
            p.t(f"{y}{sp}年度")
            for i, (name, key, cents) in enumerate((("收入总计", "income.amount", total_in),
                                                    ("支出总计", "expense.amount", t03["total"] + self.carry_out))):
                if i:
                    p.t("，")
                start = p.mark()
                p.t(name)
                v = self.money(p, cents)
                p.claim("amount", start, {"amount": v}, subject=name, refs={"amount": ("table01", "总计", key)})
            p.t("。")
            self.add(p)

        # 二
        self.heading("二、收入决算情况说明")
        p = self.para("二")
        start = p.mark()
        p.t("本年收入合计")
        total = self.money(p, t02["total"])
        p.t("，其中：")
        names = [("财政拨款收入", "fiscal"), ("上级补助收入", "upper"), ("事业收入", "business"),
                 ("经营收入", "operating"), ("附属单位上缴收入", "subsidiary"), ("其他收入", "other")]
        if not self.new:
            names = [n for n in names if n[1] not in ("upper", "subsidiary")]
        parts = self.share_list(p, [(n, t02[c], ("table02", "合计", c)) for n, c in names], t02["total"], "本年收入合计")
        p.t("。")
        p.claim("parts", start, {"amount": total}, subject="本年收入合计", parts=[c["subject"] for c in parts],
                refs={"amount": ("table02", "合计", "total")})
        self.add(p)

        # 三
        self.heading("三、支出决算情况说明")
        p = self.para("三")
        start = p.mark()
        p.t("本年支出合计")
        total = self.money(p, t03["total"])
        p.t("，其中：")
        names = [("基本支出", "basic"), ("项目支出", "project"), ("上缴上级支出", "upper"), ("经营支出", "business"),
                 ("对附属单位补助支出", "subsidiary")]
        if not self.new:
            names = [n for n in names if n[1] in ("basic", "project", "business")]
        parts = self.share_list(p, [(n, t03[c], ("table03", "合计", c)) for n, c in names], t03["total"], "本年支出合计")
        p.t("。")
        p.claim("parts", start, {"amount": total}, subject="本年支出合计", parts=[c["subject"] for c in parts],
                refs={"amount": ("table03", "合计", "total")})
        self.add(p)

        # 四
        self.heading("四、财政拨款收入支出决算总体情况说明")
        p = self.para("四")
        fiscal_total = t02["fiscal"] + self.carry_in
        start = p.mark()
        p.t(f"{y}{sp}年度财政拨款收、支总计")
        v = self.money(p, fiscal_total)
        p.claim("amount", start, {"amount": v}, subject="财政拨款收、支总计", refs={"amount": ("table04", "总计", "income.amount")})
        p.t("，")
        self.change(p, fiscal_total, f["growth_fiscal"], subject="财政拨款收、支总计", ref=("table04", "总计", "income.amount"))
        p.t("。")
        self.add(p)

        # 五
        self.heading("五、一般公共预算财政拨款支出决算情况说明")
        self.heading("（一）财政拨款支出决算总体情况")
        p = self.para("五")
        start = p.mark()
        p.t(f"{y}{sp}年度财政拨款支出")
        amount = self.money(p, t05["subtotal"])
        p.t(f"，占本年支出合计的{sp}")
        value, span, exact = self.pct(p, t05["subtotal"], t03["total"])
        p.claim("share", start, {"amount": amount, "percent": (value, span)}, subject="财政拨款支出", base="本年支出合计",
                exact={"percent": exact}, refs={"amount": ("table05", "合计", "subtotal"), "base": ("table03", "合计", "total")})
        p.t("，")
        self.change(p, t05["subtotal"], f["growth_fiscal_exp"], subject="财政拨款支出", ref=("table05", "合计", "subtotal"))
        p.t("。")
        self.add(p)
        self.heading("（二）财政拨款支出决算结构情况")
        p = self.para("五")
        p.t(f"{y}{sp}年度财政拨款支出")
        self.money(p, t05["subtotal"])
        p.t("，主要用于以下方面：")
        classes = [c for c in self.t05 if len(c) == 3]
        items = [(f"{self.names[c].removesuffix('支出')}（类）支出", self.t05[c]["subtotal"], ("table05", c, "subtotal"))
                 for c in classes]
        self.share_list(p, items, t05["subtotal"], "财政拨款支出")
        p.t("。")
        self.add(p)
        self.heading("（三）财政拨款支出决算具体情况")
        p = self.para("五")
        leaves = [c for c in self.t05 if len(c) == 7]
        budget_total = sum(self.budget05[c] for c in leaves)
        p.t(f"{y}{sp}年度财政拨款支出")
        self.completion(p, budget_total, t05["subtotal"], subject="财政拨款支出", ref=("table05", "合计", "subtotal"),
                        budget_word="年初预算数为", actual_word="支出决算数为")
        p.t("，其中：")
        self.add(p)
        for i, code in enumerate(leaves, start=1):
            p = self.para("五")
            p.t(f"{i}、")
            start = p.mark()
            if self.item_codes:
                p.t(f"{self.names[code[:3]]}（{code[:3]}类）{self.names[code[:5]]}（{code[3:5]}款）"
                    f"{self.names[code]}（{code[5:]}项）")
            else:
                p.t(f"{self.names[code[:3]]}（类）{self.names[code[:5]]}（款）{self.names[code]}（项）")
            head = p.s[start:]
            if self.item_amounts:
                v = self.money(p, self.t05[code]["subtotal"])
                p.claim("amount", start, {"amount": v}, subject=head, code=code,
                        refs={"amount": ("table05", code, "subtotal")})
            p.t("。")
            self.add(p)
            p = self.para("五")
            c = self.completion(p, self.budget05[code], self.t05[code]["subtotal"], subject=self.names[code],
                                ref=("table05", code, "subtotal"),
                                actual_word="决算数为" if self.item_amounts else "支出决算为")
            c["code"] = code
            over = self.t05[code]["subtotal"] > self.budget05[code]
            p.t(f"，决算数{'大于' if over else '小于'}年初预算数的主要原因是："
                f"{self.rng.choice(catalog.REASONS_UP if over else catalog.REASONS_DOWN)}。")
            self.add(p)

        # 六
        self.heading("六、一般公共预算财政拨款基本支出决算情况说明")
        p = self.para("六")
        start = p.mark()
        p.t(f"{y}{sp}年度财政拨款基本支出")
        v = self.money(p, t05["basic"])
        p.claim("amount", start, {"amount": v}, subject="财政拨款基本支出", refs={"amount": ("table05", "合计", "basic")})
        p.t("，其中：")
        self.share_list(p, [("人员经费", self.t06["人员经费合计"], ("table06", "人员经费合计", "amount"))],
                        t05["basic"], "基本支出", base_word="占基本支出的")
        p.t("，主要包括基本工资、津贴补贴、奖金、伙食补助费等；")
        self.share_list(p, [("公用经费", self.t06["公用经费合计"], ("table06", "公用经费合计", "amount"))],
                        t05["basic"], "基本支出", base_word="占基本支出的")
        p.t("，主要包括办公费、印刷费、邮电费、差旅费等。")
        self.add(p)

        # 七
        self.heading("七、一般公共预算财政拨款三公经费支出决算情况说明")
        self.heading("（一）“三公”经费财政拨款支出决算总体情况说明")
        b, fi = self.t07["budget"], self.t07["final"]
        p = self.para("七")
        p.t("“三公”经费财政拨款支出")
        self.completion(p, b["total"], fi["total"], subject="“三公”经费", ref=("table07", "final", "total"),
                        budget_word="预算为", done_word="完成预算的")
        p.t("，其中：")
        self.add(p)
        spent_only = self.three_public_spent_only and fi["total"] > 0
        for name, col in (("因公出国（境）费", "abroad"), ("公务接待费", "reception"),
                          ("公务用车购置费及运行维护费", "car_subtotal")):
            if spent_only and not fi[col]:
                continue
            p = self.para("七")
            p.t(f"{name}支出")
            self.completion(p, b[col], fi[col], subject=name, ref=("table07", "final", col),
                            budget_word="预算为", done_word="完成预算的")
            p.t("。")
            self.add(p)
        self.heading("（二）“三公”经费财政拨款支出决算具体情况说明")
        p = self.para("七")
        p.t(f"{y}{sp}年度“三公”经费财政拨款支出决算中，")
        items = [("公务接待费支出决算", fi["reception"], ("table07", "final", "reception")),
                 ("因公出国（境）费支出决算", fi["abroad"], ("table07", "final", "abroad")),
                 ("公务用车购置费及运行维护费支出决算", fi["car_subtotal"], ("table07", "final", "car_subtotal"))]
        self.share_list(p, [it for it in items if it[1] or not spent_only], fi["total"], "“三公”经费支出决算", sep="，")
        p.t("。其中：")
        self.add(p)
        p = self.para("七")
        start = p.mark()
        p.t("公务用车购置费")
        v1 = self.money(p, fi["car_purchase"])
        p.claim("amount", start, {"amount": v1}, subject="公务用车购置费", refs={"amount": ("table07", "final", "car_purchase")})
        p.t("。")
        start = p.mark()
        p.t("公务用车运行维护费")
        v2 = self.money(p, fi["car_operation"])
        p.claim("amount", start, {"amount": v2}, subject="公务用车运行维护费", refs={"amount": ("table07", "final", "car_operation")})
        p.t("。")
        self.add(p)

        # 八、九
        self.heading("八、政府性基金预算收入支出决算情况")
        self.doc.blank()
        self.doc.text(f"{y}{sp}年度本单位无政府性基金预算财政拨款收入，也没有使用政府性基金预算财政拨款安排的支出。")
        if self.new:
            self.heading("九、国有资本经营预算支出决算情况")
            self.doc.blank()
            self.doc.text(f"{y}{sp}年度本单位没有使用国有资本经营预算安排的支出。")

        # 机关运行经费, 一般性支出, 政府采购
        n = iter(["十", "十一", "十二"] if self.new else ["九", "十", "十一"])
        self.heading(f"{next(n)}、关于机关运行经费支出说明")
        p = self.para("机关运行经费")
        running = self.t06["公用经费合计"]
        budget = _cents(f["running_budget"])
        start = p.mark()
        p.t(f"本部门{sp}{y}{sp}年度机关运行经费支出")
        v = self.money(p, running)
        p.claim("amount", start, {"amount": v}, subject="机关运行经费", refs={"amount": ("table06", "公用经费合计", "amount")})
        start = p.mark()
        diff = running - budget
        p.t("，比年初预算数" + ("增加" if diff > 0 else "减少"))
        amount = self.money(p, abs(diff))
        p.t("，增长" if diff > 0 else "，降低")
        p.t(sp)
        value, span, exact = self.pct(p, abs(diff), budget)
        p.claim("change", start, {"amount": amount, "percent": (value, span)}, subject="机关运行经费",
                direction="increase" if diff > 0 else "decrease", base="年初预算数",
                exact={"percent": exact, "previous": _dec(budget), "current": _dec(running)},
                refs={"current": ("table06", "公用经费合计", "amount")})
        p.t("。")
        self.add(p)
        self.heading(f"{next(n)}、一般性支出情况")
        p = self.para("一般性支出")
        start = p.mark()
        p.t(f"{y}{sp}年本部门开支会议费")
        v = self.money(p, self.t06["30215"])
        p.claim("amount", start, {"amount": v}, subject="会议费", refs={"amount": ("table06", "30215", "amount")})
        p.t("，")
        start = p.mark()
        p.t("开支培训费")
        v = self.money(p, self.t06["30216"])
        p.claim("amount", start, {"amount": v}, subject="培训费", refs={"amount": ("table06", "30216", "amount")})
        p.t("。")
        self.add(p)
        self.heading(f"{next(n)}、关于政府采购支出说明")
        p = self.para("政府采购")
        purchase = int(t03["total"] * self.rng.uniform(0.0, 0.2))
        split = _split(self.rng, purchase, {"goods": 3, "works": 1, "services": 2}, zero_prob=0.3) if purchase else \
            {"goods": 0, "works": 0, "services": 0}
        start = p.mark()
        p.t(f"本部门{sp}{y}{sp}年度政府采购支出总额")
        total = self.money(p, purchase)
        p.t("，其中：")
        values = {"amount": total}
        for i, (name, k) in enumerate((("政府采购货物支出", "goods"), ("政府采购工程支出", "works"),
                                       ("政府采购服务支出", "services"))):
            if i:
                p.t("、")
            p.t(name)
            values[name] = self.money(p, split[k])
        p.claim("parts", start, values, subject="政府采购支出总额",
                parts=["政府采购货物支出", "政府采购工程支出", "政府采购服务支出"])
        p.t("。")
        self.add(p)

    def write_glossary(self) -> None:
        self.heading("第四部分" if self.narrative else "第三部分")
        self.heading("名词解释")
        for i, text in enumerate([
            "财政拨款收入：指单位从同级财政部门取得的财政预算资金。",
            "事业收入：指事业单位开展专业业务活动及辅助活动取得的收入。",
            "其他收入：指单位取得的除上述收入以外的各项收入。",
            "年初结转和结余：指单位以前年度尚未完成、结转到本年按有关规定继续使用的资金。",
            "“三公”经费：指通过财政拨款资金安排的因公出国（境）费、公务用车购置及运行费和公务接待费支出。",
        ], start=1):
            self.doc.blank()
            self.doc.text(f"{_cn_numeral(i)}、{text}")

    # ------------------------------------------------------------------ performance self-evaluation

    def perf_table(self, tid: str, funds: dict[str, tuple[int, int, int]], head: list) -> None:
        """The 绩效自评表 layout: funds block, goals, indicators, 总分."""
        rng, d = self.rng, self.doc
        y = self.year
        for row in head:
            d.row(row)
        d.row(["资金情况 (万元)" if tid == "perf-dept" else "年度项目资金（万元）", "年度资金总额", "年初预算数",
               "全年预算数", "全年执行数", "分值", "执行率", "得分(分值×执行率)"])
        ini, full, exe = funds["合计"]
        weight = 10
        rate = _quantize(Decimal(exe) * 100 / Decimal(full), 2) if full else Decimal(0)
        score = _quantize(Decimal(weight) * rate / 100, 2)
        cells = [_N((tid, "合计", "initial_budget"), _dec(ini), fmt_amount(_dec(ini), compact=True)),
                 _N((tid, "合计", "full_budget"), _dec(full), fmt_amount(_dec(full))),
                 _N((tid, "合计", "executed"), _dec(exe), fmt_amount(_dec(exe))),
                 _N((tid, "合计", "weight"), Decimal(weight), str(weight)),
                 _N((tid, "合计", "rate"), rate, f"{fmt_amount(rate, compact=True)}%"),
                 _N((tid, "合计", "score"), score, fmt_amount(score, compact=True))]
        d.row(["", "合计"] + cells)
        for label, key in (("其中：当年财政拨款", "当年财政拨款"), ("上年结转资金", "上年结转资金"), ("其他资金", "其他资金")):
            a, b, _ = funds[key]
            d.row(["", label, _N((tid, key, "initial_budget"), _dec(a), fmt_amount(_dec(a), compact=True)),
                   _N((tid, key, "full_budget"), _dec(b), fmt_amount(_dec(b), compact=a == 0 and b == 0)), "", "", "", ""])
        d.row(["年度总体目标", "预期目标", "", "", "实际完成情况", "", "", ""])
        d.row(["", "按期完成年度各项工作任务，提升服务质量和效率。", "", "", "年度各项工作任务已按期完成。", "", "", ""])
        d.row(["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"])
        indicators = [("产出指标 (50分)", "数量指标", "完成年度重点工作任务", "100%", "100%", 20),
                      ("", "质量指标", "工作任务合格率", "≥95%", "98%", 15),
                      ("", "时效指标", "各项工作完成时限", f"{y}年12月", f"{y}年12月", 10),
                      ("", "成本指标", "控制在预算范围内", "≤预算", "未超预算", 5),
                      ("效益指标 (30分)", "社会效益指标", "服务对象覆盖面", "持续扩大", "有所扩大", 15),
                      ("", "可持续影响指标", "长效机制建设", "逐步完善", "基本完善", 15),
                      ("满意度指标 (10分)", "服务对象满意度指标", "服务对象满意度", "≥90%", "95%", 10)]
        total_score = score
        for i, (l1, l2, l3, target, actual, w) in enumerate(indicators, start=1):
            s = w if rng.random() < 0.6 else w - rng.randint(1, max(1, w // 5))
            total_score += s
            key = f"indicator-{i}"
            d.row(["", l1, l2, _M((tid, key, "label"), l3), target, actual,
                   _N((tid, key, "weight"), Decimal(w), str(w)), _N((tid, key, "score"), Decimal(s), str(s)),
                   "" if s == w else "个别指标未完全达到预期，下一步加强过程管理。"])
        grade = "优" if total_score >= 90 else "良" if total_score >= 80 else "中"
        d.row(["总分", "", "", "", "", "", _N((tid, "总分", "weight"), Decimal(100), "100"),
               _N((tid, "总分", "score"), total_score, fmt_amount(total_score, compact=True)), f"等级：{grade}"])
        d.blank()
        d.text("备注：1.“执行率”=“全年执行数”/“全年预算数”；")
        d.text("2.总分设置为100分，等级划分为：90分（含）—100分为优，80分（含）—90分为良，60分（含）—80分为中，60分以下为差。")

    def write_performance(self) -> None:
        d, y = self.doc, self.year
        t02, t03 = self.t02["合计"], self.t03["合计"]
        leaves = [c for c in self.t05 if len(c) == 7]
        initial = sum(self.budget05[c] for c in leaves)
        other = t02["total"] - t02["fiscal"]
        self.heading("附件 1")
        self.heading(f"{y} 年度部门整体支出绩效自评表")
        d.blank()
        d.tables["perf-dept"] = {"compact": True, "title_line": len(d.lines) - 1}
        self.perf_table("perf-dept", {
            "合计": (initial, t02["total"] + self.carry_in, t03["total"]),
            "当年财政拨款": (initial, t02["fiscal"], 0),
            "上年结转资金": (0, self.carry_in, 0),
            "其他资金": (0, other, 0)},
            [["部门名称", self.dept, "", "", "", "", "", ""]])
        projects = sorted((c for c in leaves if self.t05[c]["project"]), key=lambda c: -self.t05[c]["project"])
        if projects:
            code = projects[0]
            spent = self.t05[code]["project"]
            full = max(spent, int(spent * self.rng.uniform(1.0, 1.2)))
            name = f"{self.names[code]}专项"
            self.heading("附件 2")
            self.heading(f"{y} 年度项目支出绩效自评表")
            d.blank()
            d.tables["perf-project"] = {"compact": True, "title_line": len(d.lines) - 1, "code": code}
            self.perf_table("perf-project", {
                "合计": (self.budget05[code], full, spent),
                "当年财政拨款": (self.budget05[code], full, 0),
                "上年结转资金": (0, 0, 0),
                "其他资金": (0, 0, 0)},
                [["部门名称", "", self.dept, "", "", "", "", ""],
                 ["项目支出名称", "专项名称", "", name, "", "项目总投资（万元）", "", fmt_amount(_dec(full)), ""]])


def _roll_up(leaves: dict[str, dict[str, int]], cols: list[str]) -> dict[str, dict[str, int]]:
    """Leaf 项 rows -> 合计, 类, 款, 项 rows in print order, parents summing their children."""
    out: dict[str, dict[str, int]] = {"合计": {c: sum(r[c] for r in leaves.values()) for c in cols}}
    for cls in sorted({c[:3] for c in leaves}):
        out[cls] = {c: sum(r[c] for k, r in leaves.items() if k.startswith(cls)) for c in cols}
        for kuan in sorted({k[:5] for k in leaves if k.startswith(cls)}):
            out[kuan] = {c: sum(r[c] for k, r in leaves.items() if k.startswith(kuan)) for c in cols}
            for leaf in sorted(k for k in leaves if k.startswith(kuan)):
                out[leaf] = dict(leaves[leaf])
    return out


# --------------------------------------------------------------------------- edits


def _replace(filing: Filing, pos: Pos, new_text: str) -> tuple[Filing, Pos]:
    """Replace the text at ``pos``; shift every later position on that line."""
    line, col, end = pos
    lines = filing.lines
    old = lines[line - 1]
    lines[line - 1] = old[:col - 1] + new_text + old[end - 1:]
    delta = len(new_text) - (end - col)
    new = copy.deepcopy(filing)
    new.text = "\n".join(lines) + "\n"

    def shift(p: Pos) -> Pos:
        if p[0] == line and p[1] >= end:
            return (p[0], p[1] + delta, p[2] + delta)
        return p

    new.cells = {k: shift(p) for k, p in new.cells.items()}
    new.structure = {k: shift(p) for k, p in new.structure.items()}
    for c in new.claims:
        c["spans"] = {k: shift(p) for k, p in c["spans"].items()}
        if c["line"] == line:
            if c["col"] >= end:
                c["col"] += delta
            if c["end_col"] >= end:
                c["end_col"] += delta
            c["sentence"] = lines[line - 1]
    return new, (line, col, col + len(new_text))


def _plain_value(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except Exception:
        return None


def inject(filing: Filing, table_id: str, row_key: str, column: str, new_value: Decimal | str) -> Filing:
    """A copy of ``filing`` with exactly one table cell rewritten.

    A ``Decimal`` is written in the table's number style; a ``str`` is written as is
    (then :attr:`Filing.values` holds its plain reading, or loses the key when the
    text is not a plain number).  The change is appended to :attr:`Filing.changes`."""
    key = (table_id, row_key, column)
    if key not in filing.cells:
        raise KeyError(f"no cell {key} in this filing")
    pos = filing.cells[key]
    old_text = filing.at(pos)
    if isinstance(new_value, Decimal):
        style = filing.tables.get(table_id, {})
        text = fmt_amount(new_value, compact=style.get("compact", False),
                          thousands="," in old_text or (abs(new_value) >= 1000 and filing.facts.get("thousands", False)))
    else:
        text = new_value
    new, new_pos = _replace(filing, pos, text)
    new.cells[key] = new_pos
    value = _plain_value(text)  # the value as written (a Decimal is rounded to the cell's 2 decimals)
    if value is None:
        new.values.pop(key, None)
    else:
        new.values[key] = value
    new.changes.append({"what": "cell", "key": key, "line": new_pos[0], "col": new_pos[1], "end_col": new_pos[2],
                        "old": old_text, "new": text, "old_value": filing.values.get(key), "new_value": value})
    return new


_FULLWIDTH = str.maketrans("0123456789.,%-", "０１２３４５６７８９．，％－")


def misformat(filing: Filing, table_id: str, row_key: str, column: str, style: str) -> Filing:
    """Rewrite one cell's number irregularly without changing what it means.

    ``style``: "decimal-comma" (``125,27``), "space-in-number" (``186. 67``),
    "fullwidth-digits" (``１２５．２７``).  :attr:`Filing.values` keeps the meant value."""
    key = (table_id, row_key, column)
    old = filing.cell_text(key).replace(",", "")
    if "." not in old:
        old += ".00"
    if style == "decimal-comma":
        text = old.replace(".", ",")
    elif style == "space-in-number":
        text = old.replace(".", ". ")
    elif style == "fullwidth-digits":
        text = old.translate(_FULLWIDTH)
    else:
        raise ValueError(f"unknown style {style!r}")
    value = filing.values[key]
    new = inject(filing, table_id, row_key, column, text)
    new.values[key] = value
    new.changes[-1].update(anomaly=style, new_value=value)
    return new


def inject_narrative(filing: Filing, kind: str, *, role: str | None = None, subject: str | None = None,
                     index: int = 0, new_value: Decimal | str | None = None) -> Filing:
    """A copy of ``filing`` with one number of one narrative claim changed.

    Picks the ``index``-th claim of ``kind`` (and ``subject`` when given) and rewrites
    its ``role`` value (default: "percent" when the claim has one, else "amount").
    Without ``new_value`` the number is moved by a clearly wrong step (one whole
    percentage point or 1 万元 up).  Where it happened is in ``changes[-1]`` and the
    claim's updated ``spans``; the claim records the true value as ``"true_" + role``."""
    candidates = filing.claims_of(kind, subject)
    if not candidates:
        raise KeyError(f"no claim of kind {kind!r}" + (f" about {subject!r}" if subject else ""))
    claim = candidates[index]
    i = filing.claims.index(claim)
    role = role or ("percent" if "percent" in claim["values"] else "amount")
    pos = claim["spans"][role]
    old_text = filing.at(pos)
    old_value = claim["values"][role]
    if new_value is None:
        new_value = old_value + 1
    if isinstance(new_value, Decimal):
        decimals = len(old_text.split(".")[1]) if "." in old_text else 0
        text = f"{new_value:.{decimals}f}"
    else:
        text = new_value
    new, new_pos = _replace(filing, pos, text)
    c = new.claims[i]
    c["spans"][role] = new_pos
    c["texts"][role] = text
    c.setdefault("true", {})[role] = old_value
    value = _plain_value(text)
    c["values"][role] = value
    if c["end_col"] < new_pos[2]:
        c["end_col"] = new_pos[2]
    new.changes.append({"what": "claim", "kind": kind, "subject": c.get("subject"), "role": role,
                        "line": new_pos[0], "col": new_pos[1], "end_col": new_pos[2],
                        "old": old_text, "new": text, "old_value": old_value, "new_value": value})
    return new


def write(filing: Filing, path: str | Path, *, encoding: str = "utf-8", newline: str = "\n",
          bom: bool = False) -> Path:
    """Write the filing; ``encoding`` e.g. "gbk", "gb18030"; ``newline`` "\\r\\n" for CRLF;
    ``bom`` prefixes a UTF-8 byte-order mark."""
    p = Path(path)
    text = filing.text.replace("\n", newline)
    data = text.encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    p.write_bytes(data)
    return p
