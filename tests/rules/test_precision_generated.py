"""Issue 11 on generated filings: a consistent filing is silent; one injected error of
each new kind gives exactly that finding, at that place."""

from __future__ import annotations

import re

import pytest

from lint.engine.linter import Linter, LintOptions

from synth import generator as g


@pytest.fixture(scope="module")
def linter():
    return Linter(LintOptions())


def _lint(linter, filing, tmp_path, name="f.txt"):
    return [(f.code, f.location.span.line, f.location.span.col)
            for f in linter.lint_file(str(g.write(filing, tmp_path / name))).findings if f.severity.value != "note"]


def _find(filing, pattern: str, group: int = 0):
    """The first narrative match of ``pattern``: (line, col, end_col) of ``group``."""
    for i, line in enumerate(filing.lines, 1):
        m = re.search(pattern, line)
        if m and "\t" not in line:
            return i, m.start(group) + 1, m.end(group) + 1
    raise AssertionError(f"no line matches {pattern!r}")


@pytest.mark.parametrize("seed", [1, 2, 6])
def test_generated_filings_are_silent(linter, tmp_path, seed):
    assert _lint(linter, g.generate(seed=seed, template="hunan-2020"), tmp_path) == []


@pytest.mark.parametrize("seed", [1, 2])
def test_direction_word_flipped_is_n010_there(linter, tmp_path, seed):
    filing = g.generate(seed=seed, template="hunan-2020")
    line, col, end = _find(filing, r"决算数(小于|大于)", 1)
    word = filing.at((line, col, end))
    bad, _ = g._replace(filing, (line, col, end), "大于" if word == "小于" else "小于")
    assert _lint(linter, bad, tmp_path) == [("N010", line, col)]


def test_percent_sign_dropped_is_f010_there(linter, tmp_path):
    filing = g.generate(seed=1, template="hunan-2020")
    line, col, end = _find(filing, r"(?:增长|下降)(\d+(?:\.\d+)?)%", 1)
    bad, _ = g._replace(filing, (line, end, end + 1), "")
    assert _lint(linter, bad, tmp_path) == [("F010", line, col)]


def test_year_cut_short_is_f011_there(linter, tmp_path):
    filing = g.generate(seed=1, template="hunan-2020")
    line, col, end = _find(filing, r"(\d{4})年度收、支总计", 1)
    bad, _ = g._replace(filing, (line, col, end), filing.at((line, col, end))[:3])
    assert _lint(linter, bad, tmp_path) == [("F011", line, col)]


def test_closing_quote_lost_is_f012_there(linter, tmp_path):
    filing = g.generate(seed=1, template="hunan-2020")
    line, col, end = _find(filing, r"“三公(”)经费")
    close = (line, end - 3, end - 2)  # the ” of “三公”经费
    assert filing.at(close) == "”"
    bad, _ = g._replace(filing, close, "")
    found = _lint(linter, bad, tmp_path)
    assert [c for c, _, _ in found] == ["F012"] and found[0][1] == line


def test_full_stop_doubled_is_f013_there(linter, tmp_path):
    filing = g.generate(seed=2, template="hunan-2020")
    line, col, end = _find(filing, r"万元(。)", 1)
    bad, _ = g._replace(filing, (line, col, end), "。。")
    assert _lint(linter, bad, tmp_path) == [("F013", line, col)]


def test_rate_on_the_adjusted_budget_is_n011_there(linter, tmp_path):
    """One error of substance: the rate called 年初 is taken on a 全年预算 the text also states."""
    filing = g.generate(seed=1, template="hunan-2020")
    c = next(c for c in filing.claims_of("completion") if c["values"]["actual"] != c["values"]["budget"])
    line = c["line"]
    actual = filing.at(c["spans"]["actual"])
    pl, pc, pe = c["spans"]["percent"]
    bad, _ = g._replace(filing, (pl, pc, pe), "100.0")  # the rate on a 全年预算 equal to the actual
    bl, bc, be = c["spans"]["budget"]
    bad, _ = g._replace(bad, (bl, be + 2, be + 2), f"，全年预算为{actual}万元")
    found = _lint(linter, bad, tmp_path)
    assert [(code, ln) for code, ln, _ in found] == [("N011", line)]


# --------------------------------------------------------------------------- N012–N015, H007
#
# The generator writes the shapes these checks read (generator.py: ``item_codes``,
# ``item_amounts``, ``three_public_spent_only``, ``grand_totals`` in ``Filing.facts``; a
# district department on the cover and in every table header).  Each test takes the
# first seeds whose filing has the shape, so it runs whatever the random draw.

TEMPLATES = ("hunan-2020", "hunan-2018")


def _seeds(template: str, has, n: int = 2) -> list[int]:
    out = []
    for seed in range(1, 80):
        if has(g.generate(seed=seed, template=template)):
            out.append(seed)
            if len(out) == n:
                return out
    raise AssertionError(f"fewer than {n} {template} seeds with the shape")


def _cases(has, n: int = 2) -> list[tuple[str, int]]:
    return [(t, s) for t in TEMPLATES for s in _seeds(t, has, n)]


def _all_shapes(f) -> bool:
    return all(f.facts[k] for k in ("item_codes", "item_amounts", "three_public_spent_only", "grand_totals")) \
        and "区" in f.department


@pytest.mark.parametrize("template, seed", _cases(_all_shapes, 1) + [("hunan-2020", 7), ("hunan-2018", 3)])
def test_filings_with_the_new_shapes_are_silent(linter, tmp_path, template, seed):
    assert _lint(linter, g.generate(seed=seed, template=template), tmp_path) == []


def _unspent_abroad(f) -> bool:
    return f.values[("table07", "budget", "abroad")] > 0 and f.values[("table07", "final", "abroad")] == 0


@pytest.mark.parametrize("template, seed", _cases(lambda f: f.facts["grand_totals"]))
def test_narrative_grand_total_off_is_n012_there(linter, tmp_path, template, seed):
    """支出总计 — a wording the subject map does not tie to a cell, so N012 alone compares it
    with the tables' 总计; its sentence has no rate, so nothing else follows from it."""
    filing = g.generate(seed=seed, template=template)
    claim = filing.claims_of("amount", "支出总计")[0]
    bad = g.inject_narrative(filing, "amount", subject="支出总计", new_value=claim["values"]["amount"] + 7)
    ch = bad.changes[-1]
    assert _lint(linter, bad, tmp_path) == [("N012", ch["line"], ch["col"])]


@pytest.mark.parametrize("seed", [1, 6])
def test_grand_total_the_subject_map_knows_is_n005_not_also_n012(linter, tmp_path, seed):
    """收、支总计 is tied to 收入支出决算总表 总计 by the subject map: N005 compares it with
    that cell and N012 stands aside (one wrong number, one finding for that comparison).

    N002 is kept: the sentence's growth rate was computed from the true total, so with the
    total changed its three numbers (total, increase, rate) no longer agree among
    themselves — a second inconsistency, in the text alone, that a reader without the
    tables would also see.  Its place is the rate, not the amount."""
    filing = g.generate(seed=seed, template="hunan-2020")
    claim = filing.claims_of("amount", "收、支总计")[0]
    bad = g.inject_narrative(filing, "amount", subject="收、支总计", new_value=claim["values"]["amount"] + 7)
    ch = bad.changes[-1]
    rate = next(c for c in bad.claims_of("change", "收、支总计"))["spans"]["percent"]
    assert _lint(linter, bad, tmp_path) == [("N005", ch["line"], ch["col"]), ("N002", rate[0], rate[1])]


@pytest.mark.parametrize("template, seed", _cases(lambda f: _unspent_abroad(f) and f.facts["three_public_spent_only"]))
def test_three_public_budget_with_blank_actual_is_n013_there(linter, tmp_path, template, seed):
    """A trip budgeted and called off: 0.00 in the 决算数 column is fine; left blank, with a
    narrative that names only the items with spending, it is unexplained."""
    filing = g.generate(seed=seed, template=template)
    assert "因公出国" not in "".join(c["sentence"] for c in filing.claims if c["section"] == "七")
    bad = g.inject(filing, "table07", "final", "abroad", "")
    ch = bad.changes[-1]
    assert _lint(linter, bad, tmp_path) == [("N013", ch["line"], ch["col"])]


@pytest.mark.parametrize("template, seed", _cases(lambda f: _unspent_abroad(f) and not f.facts["three_public_spent_only"], 1))
def test_blank_actual_the_narrative_states_as_zero_is_explained(linter, tmp_path, template, seed):
    filing = g.generate(seed=seed, template=template)
    said = filing.claims_of("completion", "因公出国（境）费")[0]
    assert said["values"]["actual"] == 0
    assert _lint(linter, g.inject(filing, "table07", "final", "abroad", ""), tmp_path) == []


@pytest.mark.parametrize("template, seed", _cases(lambda f: f.facts["item_amounts"]))
def test_item_heading_amount_off_is_n014_at_the_restatement(linter, tmp_path, template, seed):
    """The item's heading states its amount, its 决算数 restates it: change the heading's
    (no rate is computed from it) and N014 reports the restatement that disagrees."""
    filing = g.generate(seed=seed, template=template)
    head = next(c for c in filing.claims_of("amount") if "code" in c)
    restated = next(c for c in filing.claims_of("completion") if c.get("code") == head["code"])
    bad = g.inject_narrative(filing, "amount", subject=head["subject"], new_value=head["values"]["amount"] + 7)
    line, col, _ = restated["spans"]["actual"]
    assert _lint(linter, bad, tmp_path) == [("N014", line, col)]


_CLASS_HEAD = re.compile(r"^\d+、(?P<name>[^（]+)（(?P<code>\d{3})类）")


@pytest.mark.parametrize("template, seed", _cases(lambda f: f.facts["item_codes"]))
def test_class_named_otherwise_is_n015_there(linter, tmp_path, template, seed):
    """The class of a numbered item under another name: its name in the other template's
    catalogue where that differs (医疗卫生与计划生育支出 for 210), else a neighbour's."""
    from synth import catalog
    from rules.core.narrative import _same_label

    filing = g.generate(seed=seed, template=template)
    line, m = next((i, m) for i, text in enumerate(filing.lines, 1) if (m := _CLASS_HEAD.match(text)))
    code, name = m.group("code"), m.group("name")
    other = "hunan-2018" if template == "hunan-2020" else "hunan-2020"
    old = dict(catalog.CLASSES[other]).get(code)
    if old is None or _same_label(old, name):
        old = next(n for c, n in catalog.CLASSES[template] if c != code)
    bad, _ = g._replace(filing, (line, m.start("name") + 1, m.end("name") + 1), old)
    assert _lint(linter, bad, tmp_path) == [("N015", line, m.start("name") + 1)]


@pytest.mark.parametrize("template, seed", _cases(lambda f: "区" in f.department))
def test_header_dropping_the_district_is_h007_there(linter, tmp_path, template, seed):
    filing = g.generate(seed=seed, template=template)
    line = filing.tables["table03"]["department_line"]
    text = filing.lines[line - 1]
    district = re.search(r"市(?P<d>[^市]+?区)", text)
    bad, _ = g._replace(filing, (line, district.start("d") + 1, district.end("d") + 1), "")
    name_col = text.index(filing.department) + 1
    assert _lint(linter, bad, tmp_path) == [("H007", line, name_col)]
