"""The synthetic filing generator keeps its promises: every identity holds in the
text it writes, positions point at the numbers, edits change exactly one thing."""

from __future__ import annotations

import random
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lint.readers.text import decode_bytes, read_text_file, split_blocks

from . import generator as gen

SEEDS = st.integers(min_value=0, max_value=2**31)
TEMPLATES = st.sampled_from(gen.TEMPLATES)
FAST = settings(max_examples=25, deadline=None)


def read(text: str) -> Decimal:
    """A cell as written (``1,367.76`` or ``0.5``) -> its value."""
    return Decimal(text.replace(",", ""))


def table(filing: gen.Filing, tid: str) -> dict[str, dict[str, Decimal]]:
    """Values of one table as read back from the text, not from ``filing.values``."""
    out: dict[str, dict[str, Decimal]] = {}
    for (t, row, col), pos in filing.cells.items():
        if t == tid:
            out.setdefault(row, {})[col] = read(filing.at(pos))
    return out


def rounded(exact: Decimal, text: str) -> Decimal:
    decimals = len(text.split(".")[1]) if "." in text else 0
    return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def children(rows: dict, code: str) -> list[str]:
    return [c for c in rows if c != code and c.startswith(code) and len(c) == len(code) + 2]


# --------------------------------------------------------------------------- positions


@FAST
@given(SEEDS, TEMPLATES)
def test_every_cell_position_holds_its_value(seed, template):
    f = gen.generate(seed, template, performance=True)
    assert f.cells.keys() == f.values.keys()
    for key, pos in f.cells.items():
        text = f.at(pos)
        assert text, key
        assert read(text.rstrip("%")) == f.values[key], (key, text)


@FAST
@given(SEEDS, TEMPLATES)
def test_positions_agree_with_the_reader(seed, template):
    f = gen.generate(seed, template, performance=True, quirks=True)
    blocks = {b.line: b for b in split_blocks(f.lines)}
    for key, (line, col, end) in {**f.cells, **f.structure}.items():
        spans = {(c.span.col, c.span.end_col): c.text for c in blocks[line].cells}
        assert spans.get((col, end)) == f.at((line, col, end)), key


def test_text_ends_with_one_newline_and_has_no_stray_characters():
    f = gen.generate(7)
    assert f.text.endswith("\n") and not f.text.endswith("\n\n")
    assert "\r" not in f.text and "\x00" not in f.text


# --------------------------------------------------------------------------- arithmetic


@FAST
@given(SEEDS, TEMPLATES)
def test_classified_tables_sum_up(seed, template):
    f = gen.generate(seed, template)
    row_identities = {
        "table02": ("total", ["fiscal", "upper", "business", "operating", "subsidiary", "other"]),
        "table03": ("total", ["basic", "project", "upper", "business", "subsidiary"]),
        "table05": ("subtotal", ["basic", "project"]),
    }
    for tid, (total_col, part_cols) in row_identities.items():
        rows = table(f, tid)
        classes = [c for c in rows if len(c) == 3]
        assert classes, tid
        for col in rows["合计"]:
            assert rows["合计"][col] == sum(rows[c][col] for c in classes), (tid, col)
            for code in rows:
                kids = children(rows, code) if code != "合计" else []
                if kids:
                    assert rows[code][col] == sum(rows[k][col] for k in kids), (tid, code, col)
        for code, r in rows.items():
            assert r[total_col] == sum(r[c] for c in part_cols), (tid, code)
        assert all(len(c) == 7 or children(rows, c) for c in rows if c != "合计"), "every 类/款 has children"


@FAST
@given(SEEDS, TEMPLATES)
def test_tables_agree_with_each_other(seed, template):
    f = gen.generate(seed, template)
    t01, t02, t03, t04, t05, t06, t07 = (table(f, f"table0{i}") for i in range(1, 8))
    zero = Decimal(0)
    # 01 against 02/03
    assert t01["本年收入合计"]["income.amount"] == t02["合计"]["total"]
    assert t01["本年支出合计"]["expense.amount"] == t03["合计"]["total"]
    assert t01["一般公共预算财政拨款收入"]["income.amount"] == t02["合计"]["fiscal"]
    assert t01["其他收入"]["income.amount"] == t02["合计"]["other"]
    assert t01["事业收入"]["income.amount"] == t02["合计"]["business"]
    income_total = t01["本年收入合计"]["income.amount"] + t01["使用非财政拨款结余"]["income.amount"] \
        + t01["年初结转和结余"]["income.amount"]
    expense_total = t01["本年支出合计"]["expense.amount"] + t01["结余分配"]["expense.amount"] \
        + t01["年末结转和结余"]["expense.amount"]
    assert t01["总计"]["income.amount"] == income_total == expense_total == t01["总计"]["expense.amount"]
    for code, name in gen.catalog.CLASSES[template]:
        written = t01.get(name, {}).get("expense.amount")
        expected = t03.get(code, {}).get("total", zero)
        assert written in (None, expected) and (written is not None or expected == 0), (code, name)
    # 04 against 02/05
    assert t04["本年收入合计"]["income.amount"] == t02["合计"]["fiscal"]
    assert t04["本年支出合计"]["expense.total"] == t05["合计"]["subtotal"]
    assert t04["本年支出合计"]["expense.general_budget"] == t05["合计"]["subtotal"]
    assert t04["总计"]["income.amount"] == t04["本年收入合计"]["income.amount"] + t04["年初财政拨款结转和结余"]["income.amount"]
    assert t04["总计"]["expense.total"] == t04["本年支出合计"]["expense.total"] + t04["年末财政拨款结转和结余"]["expense.total"]
    assert t04["总计"]["income.amount"] == t04["总计"]["expense.total"]
    assert t04["年初财政拨款结转和结余/一般公共预算财政拨款"]["income.amount"] == t04["年初财政拨款结转和结余"]["income.amount"]
    for code, name in gen.catalog.CLASSES[template]:
        if name in t04 and "expense.general_budget" in t04[name]:
            assert t04[name]["expense.general_budget"] == t05.get(code, {}).get("subtotal", zero), code
    # 05 is the general-budget part of 03
    for code, r in t05.items():
        assert r["basic"] <= t03[code]["basic"] and r["project"] <= t03[code]["project"], code
    # 06 against 05 and 07
    assert t06["人员经费合计"]["amount"] + t06["公用经费合计"]["amount"] == t05["合计"]["basic"]
    assert t06["人员经费合计"]["amount"] == t06["301"]["amount"] + t06["303"]["amount"]
    assert t06["公用经费合计"]["amount"] == sum(t06[c]["amount"] for c in ("302", "307", "310", "399"))
    for cls in ("301", "302", "303", "307", "310", "399"):
        assert t06[cls]["amount"] == sum(r["amount"] for c, r in t06.items() if len(c) == 5 and c.startswith(cls))
    for side in ("budget", "final"):
        r = t07[side]
        assert r["car_subtotal"] == r["car_purchase"] + r["car_operation"]
        assert r["total"] == r["abroad"] + r["car_subtotal"] + r["reception"]
    assert t07["final"]["reception"] == t06["30217"]["amount"]
    assert t07["final"]["car_operation"] == t06["30231"]["amount"]
    assert t07["final"]["abroad"] == t06["30212"]["amount"]


def test_empty_tables_have_a_total_row_and_a_note_but_no_cells():
    f = gen.generate(11)
    for tid in ("table08", "table09"):
        assert not [k for k in f.cells if k[0] == tid]
        title = f.tables[tid]["title_line"]
        tail = f.lines[title:title + 20]
        assert any(re.match(r"合 ?计\t", ln) for ln in tail)
        assert any(ln.startswith("注：本单位没有") and ln.endswith("故本表无数据。") for ln in tail)
    assert "table09" not in gen.generate(11, "hunan-2018").tables


@FAST
@given(SEEDS, TEMPLATES)
def test_narrative_numbers_are_right(seed, template):
    f = gen.generate(seed, template)
    kinds = {c["kind"] for c in f.claims}
    assert {"amount", "share", "change", "completion", "parts"} <= kinds
    for c in f.claims:
        for role, pos in c["spans"].items():
            assert f.at(pos) == c["texts"][role]
            assert read(c["texts"][role]) == c["values"][role], (c["subject"], role)
        for role, key in c.get("refs", {}).items():
            if role in c["values"]:
                assert c["values"][role] == f.values[key], (c["subject"], role, key)
            elif role == "current":
                assert c["exact"]["current"] == f.values[key]
        pct = c["texts"].get("percent")
        if pct is not None:
            assert c["values"]["percent"] == rounded(c["exact"]["percent"], pct), c["sentence"]
            if c["values"]["amount" if "amount" in c["values"] else "actual"] != 0:
                assert c["values"]["percent"] != 0, "a non-zero share is never written as 0%"
        if c["kind"] == "change":
            ex = c["exact"]
            assert c["values"]["amount"] == abs(ex["current"] - ex["previous"])
            assert (c["direction"] == "increase") == (ex["current"] > ex["previous"])
            assert ex["percent"] == abs(ex["current"] - ex["previous"]) * 100 / ex["previous"]
        if c["kind"] == "completion" and "percent" in c["values"]:
            assert c["exact"]["percent"] == c["values"]["actual"] * 100 / c["values"]["budget"]
        if c["kind"] == "share" and "percent" in c["values"] and c["subject"] != "财政拨款支出":
            base = next(p for p in f.claims if p["kind"] == "parts" and p["subject"] == c["base"]) \
                if c["base"] in ("本年收入合计", "本年支出合计") else None
            if base:
                assert c["exact"]["percent"] == c["values"]["amount"] * 100 / base["values"]["amount"]
    for c in f.claims_of("parts"):
        shares = [s for s in f.claims if s["kind"] == "share" and s["line"] == c["line"]]
        if shares:
            assert sum(s["values"]["amount"] for s in shares) == c["values"]["amount"]
        else:
            assert sum(v for k, v in c["values"].items() if k != "amount") == c["values"]["amount"]


def test_budget_completion_items_add_up_to_the_total():
    f = gen.generate(2)
    items = [c for c in f.claims_of("completion") if "code" in c]
    total = f.claims_of("completion", "财政拨款支出")[0]
    assert sum(c["values"]["budget"] for c in items) == total["values"]["budget"]
    assert sum(c["values"]["actual"] for c in items) == total["values"]["actual"]


@FAST
@given(SEEDS, TEMPLATES)
def test_item_headings_three_public_and_totals_say_what_the_tables_print(seed, template):
    f = gen.generate(seed, template)
    labels = {k[1]: f.at(p) for k, p in f.structure.items() if k[0] == "table05" and k[2] == "label"}
    heads = [ln for ln in f.lines if re.match(r"\d+、.*（\d*项）", ln)]
    assert len(heads) == len([c for c in labels if len(c) == 7])
    for ln in heads:
        coded = re.findall(r"([^（）、\d]+(?:（室）[^（）]*)?)（(\d*)(类|款|项)）", ln)
        assert [lvl for _, _, lvl in coded] == ["类", "款", "项"]
        if f.facts["item_codes"]:
            cls, kuan, xiang = (c for _, c, _ in coded)
            assert labels[cls] == coded[0][0] and labels[cls + kuan] == coded[1][0]
            assert labels[cls + kuan + xiang] == coded[2][0]
        else:
            assert all(c == "" for _, c, _ in coded)
    heads_with_amount = [c for c in f.claims_of("amount") if "code" in c]
    assert len(heads_with_amount) == (len(heads) if f.facts["item_amounts"] else 0)
    for c in heads_with_amount:  # restated as 决算数 in the paragraph after the heading
        again = next(r for r in f.claims_of("completion") if r.get("code") == c["code"])
        assert again["line"] > c["line"] and again["values"]["actual"] == c["values"]["amount"]
        assert "决算数为" in again["sentence"]
    final = {k[2]: v for k, v in f.values.items() if k[:2] == ("table07", "final")}
    named = "".join(c["sentence"] for c in f.claims if c["section"] == "七")
    if f.facts["three_public_spent_only"] and final["total"]:
        assert ("因公出国" in named) == bool(final["abroad"])
        assert ("公务接待费支出" in named) == bool(final["reception"])
    else:
        assert "因公出国" in named and "公务接待费支出" in named
    totals = f.claims_of("amount", "收入总计") + f.claims_of("amount", "支出总计")
    assert len(totals) == (2 if f.facts["grand_totals"] else 0)
    assert all(c["values"]["amount"] == f.values[("table01", "总计", "income.amount")] for c in totals)


def test_performance_tables_are_consistent():
    f = gen.generate(4, performance=True)
    for tid in ("perf-dept", "perf-project"):
        v = {k[1:]: x for k, x in f.values.items() if k[0] == tid}
        for col in ("initial_budget", "full_budget"):
            assert v[("合计", col)] == sum(v[(r, col)] for r in ("当年财政拨款", "上年结转资金", "其他资金"))
        rate = (v[("合计", "executed")] * 100 / v[("合计", "full_budget")]).quantize(Decimal("0.01"), ROUND_HALF_UP)
        assert v[("合计", "rate")] == rate
        indicators = [x for (r, c), x in v.items() if r.startswith("indicator-") and c == "score"]
        assert v[("总分", "score")] == v[("合计", "score")] + sum(indicators)
        assert v[("总分", "weight")] == v[("合计", "weight")] + sum(
            x for (r, c), x in v.items() if r.startswith("indicator-") and c == "weight")
    assert "perf-dept" not in gen.generate(4).tables


# --------------------------------------------------------------------------- layout variety


def test_layout_varies_like_real_exports():
    number_lines, orders, units = set(), set(), set()
    for seed in range(30):
        f = gen.generate(seed)
        for tid, info in f.tables.items():
            if not tid.startswith("table"):
                continue
            number_lines.add(" " in f.lines[info["number_line"] - 1])
            units.add(f.lines[info["unit_line"] - 1])
            orders.add(tuple(sorted(("number", "unit", "department"), key=lambda w: info[f"{w}_line"])))
    assert number_lines == {True, False}  # 公开 03 表 and 公开03表
    assert {"单位：万元", "金额单位：万元"} <= units
    assert len(orders) >= 3


def test_2018_flavour_uses_the_old_names_and_eight_tables():
    texts = [gen.generate(s, "hunan-2018") for s in range(20)]
    assert all(sorted(t for t in f.tables if t.startswith("table")) == [f"table0{i}" for i in range(1, 9)] for f in texts)
    joined = "".join(f.text for f in texts)
    assert "医疗卫生与计划生育支出" in joined and "卫生健康支出" not in joined
    assert "国土海洋气象等支出" in joined and "灾害防治及应急管理支出" not in joined
    f = texts[0]
    assert "expense.state_capital" not in {k[2] for k in f.cells if k[0] == "table04"}
    assert "expense.state_capital" in {k[2] for k in gen.generate(0).cells if k[0] == "table04"}


def test_department_names_are_invented(seeds_dir):
    seed_text = "".join(p.read_text(encoding="utf-8") for p in seeds_dir.glob("*.txt"))
    names = {gen.generate(s, t).department for s in range(40) for t in gen.TEMPLATES}
    assert len(names) > 20
    assert not [n for n in names if n in seed_text]


def test_large_filings_can_use_thousands_separators():
    f = gen.generate(1, scale="large", thousands=True)
    big = [k for k, v in f.values.items() if v >= 1000]
    assert big and all("," in f.cell_text(k) for k in big)
    plain = gen.generate(1, scale="large", thousands=False)
    assert not [k for k in plain.cells if "," in plain.cell_text(k)]


def test_quirks_split_the_total_label_and_the_unit_line():
    found_split_total = found_split_unit = False
    for seed in range(20):
        f = gen.generate(seed, "hunan-2018", quirks=True)
        found_split_total |= any(ln.startswith("合\t计\t") for ln in f.lines)
        found_split_unit |= any(ln in ("单位：万", "金额单位：万") for ln in f.lines)
    assert found_split_total and found_split_unit
    assert not any(ln.startswith("合\t计") for ln in gen.generate(0, "hunan-2018").lines)


# --------------------------------------------------------------------------- determinism


@settings(max_examples=10, deadline=None)
@given(SEEDS, TEMPLATES)
def test_same_seed_same_filing(seed, template):
    a, b = gen.generate(seed, template), gen.generate(seed, template)
    assert a.text == b.text and a.cells == b.cells and a.claims == b.claims


def test_different_seeds_differ():
    assert len({gen.generate(s).text for s in range(10)}) == 10


def test_unknown_template_is_refused():
    with pytest.raises(ValueError, match="unknown template"):
        gen.generate(0, "hunan-1999")


# --------------------------------------------------------------------------- edits


def _diff_lines(a: gen.Filing, b: gen.Filing) -> list[int]:
    la, lb = a.lines, b.lines
    assert len(la) == len(lb)
    return [i + 1 for i, (x, y) in enumerate(zip(la, lb)) if x != y]


@FAST
@given(SEEDS, TEMPLATES, st.randoms(use_true_random=False), st.sampled_from([Decimal("1"), Decimal("1234.5"), Decimal("-0.01")]))
def test_inject_changes_exactly_one_cell(seed, template, rnd, delta):
    f = gen.generate(seed, template)
    key = rnd.choice(sorted(f.cells))
    new_value = f.values[key] + delta
    g = gen.inject(f, *key, new_value)
    line, col, end = g.cells[key]
    assert _diff_lines(f, g) == [line]
    assert g.values[key] == new_value and read(g.cell_text(key)) == new_value
    assert {k: v for k, v in g.values.items() if k != key} == {k: v for k, v in f.values.items() if k != key}
    for k in f.cells:
        if k != key:
            assert g.cell_text(k) == f.cell_text(k), k
    old_line, new_line = f.lines[line - 1], g.lines[line - 1]
    old_end = f.cells[key][2]
    assert new_line[:col - 1] == old_line[:col - 1] and new_line[end - 1:] == old_line[old_end - 1:]
    assert g.changes[-1]["key"] == key and g.changes[-1]["old_value"] == f.values[key]
    assert f.changes == [] and f.text != g.text, "the original is left alone"


def test_inject_keeps_the_rest_of_the_row_readable_by_the_reader():
    f = gen.generate(3)
    g = gen.inject(f, "table03", "合计", "basic", Decimal("123456.78"))
    line = g.cells[("table03", "合计", "basic")][0]
    block = next(b for b in split_blocks(g.lines) if b.line == line)
    row = {(c.span.col, c.span.end_col) for c in block.cells}
    assert all(pos[1:] in row for k, pos in g.cells.items() if pos[0] == line)
    assert g.cell_text(("table03", "合计", "basic")) == "123456.78"


def test_inject_a_string_writes_it_verbatim():
    f = gen.generate(0)
    g = gen.inject(f, "table05", "合计", "basic", "abc")
    assert g.cell_text(("table05", "合计", "basic")) == "abc"
    assert ("table05", "合计", "basic") not in g.values
    with pytest.raises(KeyError):
        gen.inject(f, "table05", "no-such-row", "basic", Decimal(1))


@pytest.mark.parametrize("style, pattern", [
    ("decimal-comma", r"^\d+,\d\d$"),
    ("space-in-number", r"^\d+\. \d\d$"),
    ("fullwidth-digits", r"^[０-９]+．[０-９]{2}$"),
])
def test_misformat_writes_an_irregular_number_meaning_the_same(style, pattern):
    f = gen.generate(0, scale="medium", thousands=False)
    key = ("table02", "合计", "fiscal")
    g = gen.misformat(f, *key, style)
    assert re.match(pattern, g.cell_text(key)), g.cell_text(key)
    assert g.values[key] == f.values[key]
    assert g.changes[-1]["anomaly"] == style
    assert len(_diff_lines(f, g)) == 1


@pytest.mark.parametrize("kind, role", [("share", "percent"), ("change", "percent"), ("change", "amount"),
                                        ("completion", "percent"), ("amount", "amount")])
def test_inject_narrative_changes_one_number(kind, role):
    f = gen.generate(9)
    g = gen.inject_narrative(f, kind, role=role)
    change = g.changes[-1]
    assert _diff_lines(f, g) == [change["line"]]
    claim = g.claims_of(kind)[0]
    assert claim["spans"][role] == (change["line"], change["col"], change["end_col"])
    assert read(g.at(claim["spans"][role])) == claim["values"][role] == change["new_value"]
    assert claim["true"][role] == change["old_value"] != change["new_value"]
    for before, after in zip(f.claims, g.claims):  # every other number still where it says
        for r, pos in after["spans"].items():
            if after is not claim or r != role:
                assert g.at(pos) == before["texts"][r]


def test_inject_narrative_by_subject_and_value():
    f = gen.generate(9)
    before = f.claims_of("share", "人员经费")[0]
    decimals = len(before["texts"]["percent"].partition(".")[2])
    g = gen.inject_narrative(f, "share", subject="人员经费", new_value=Decimal("12.3456"))
    after = g.claims_of("share", "人员经费")[0]
    assert g.at(after["spans"]["percent"]) == f"{Decimal('12.3456'):.{decimals}f}"
    assert after["values"]["percent"] == read(after["texts"]["percent"])
    with pytest.raises(KeyError):
        gen.inject_narrative(f, "share", subject="没有这一项")


def test_inject_writes_the_value_it_records():
    f = gen.generate(9)
    g = gen.inject(f, "table03", "合计", "total", Decimal("1.005"))
    assert g.values[("table03", "合计", "total")] == read(g.cell_text(("table03", "合计", "total")))


def test_table_extents_are_recorded():
    f = gen.generate(6, performance=True)
    for tid in (f"table0{i}" for i in range(1, 10)):
        info = f.tables[tid]
        first, last = info["row_lines"]
        assert info["title_line"] < first <= last < info["note_line"]
        assert all(info["title_line"] < pos[0] <= last for k, pos in f.cells.items() if k[0] == tid)
        assert f.lines[info["note_line"] - 1].startswith("注")


# --------------------------------------------------------------------------- writing


@pytest.mark.parametrize("encoding, newline, bom", [
    ("utf-8", "\n", False), ("utf-8", "\r\n", True), ("gbk", "\n", False), ("gb18030", "\r\n", False),
])
def test_write_encodings_round_trip(tmp_path, encoding, newline, bom):
    f = gen.generate(5, performance=True)
    path = gen.write(f, tmp_path / "f.txt", encoding=encoding, newline=newline, bom=bom)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") == bom
    assert (b"\r\n" in data) == (newline == "\r\n")
    text, _ = decode_bytes(data, str(path))
    assert text.replace("\r\n", "\n") == f.text
    doc = read_text_file(path)
    assert doc.lines == f.lines


def test_random_edits_keep_positions_consistent():
    f = gen.generate(21)
    rnd = random.Random(0)
    for _ in range(15):
        key = rnd.choice(sorted(f.cells))
        f = gen.inject(f, *key, f.values[key] * 3 + Decimal("1000"))
    for key, pos in f.cells.items():
        assert read(f.at(pos)) == f.values[key]
    assert len(f.changes) == 15
