"""What evaluation keeps per filing (cells, loop-invariant filters, lookups) and the
shortcuts it takes (truth without comparisons, sources merged when asked for) give
the same answers as doing the work every time, and never leak between filings."""

from __future__ import annotations

import itertools
import random
from decimal import Decimal

import pytest

from lint.dsl import DslFunction, Vocabulary, compile_rules
from lint.dsl import evaluate as E
from lint.dsl import values as V
from lint.model import Span

from .conftest import T03_COLUMNS, table03_rows

D = Decimal


def _source(i: int, blank: bool = False) -> V.Source:
    return V.Source(Span(i, 1, i, 3), f"s{i}", f"s{i}", blank=blank)


# ------------------------------------------------------------------ values


def test_holds_is_compare_ok_for_every_operator_and_tolerance():
    rng = random.Random(7)
    ops = ("==", "!=", "<", "<=", ">", ">=")
    for _ in range(400):
        a = V.Num(D(rng.randint(-300, 300)) / 100, D(rng.choice((0, 5, 50))) / 1000)
        b = V.Num(D(rng.randint(-300, 300)) / 100, D(rng.choice((0, 5, 50))) / 1000)
        tolerance = rng.choice((None, D(0), D("0.05")))
        relative = rng.choice((None, None, D("0.01")))
        for op in ops:
            want = V.compare(op, a, b, tolerance, relative).ok
            assert V.holds(op, a, b, tolerance, relative) is want, (op, a.value, b.value, tolerance, relative)


def test_sources_of_sums_merge_as_if_merged_at_once():
    # equal-by-value sources that are different objects count once, as before
    s = [_source(i) for i in range(6)]
    twin = _source(2)
    assert twin == s[2] and twin is not s[2] and hash(twin) == hash(s[2])
    nums = [V.Num(D(i), D("0.005"), (src,), 2) for i, src in enumerate(s)] + [V.Num(D(9), D(0), (twin,), 2)]
    eager: tuple = ()
    chained = V.Num.exact(0)
    for n in nums:
        eager = V.merge_sources(eager, n.sources)
        chained = V.add(chained, n)
    assert chained.sources == eager == tuple(s)
    total = V.total_of(nums)
    assert total.sources == tuple(s) and total.value == sum(D(i) for i in range(6)) + 9
    # a sum of sums, a difference, a product: the sources in first-seen order
    mixed = V.sub(V.mul(V.add(nums[3], nums[1]), nums[3]), V.total_of([nums[0], nums[1], nums[4]]))
    assert mixed.sources == (s[3], s[1], s[0], s[4])
    assert V.neg(mixed).sources == mixed.sources


def test_blank_follows_the_merged_sources():
    blank = V.Num(D(0), D(0), (_source(1, blank=True),))
    other = V.Num(D(0), D(0), (_source(2, blank=True),))
    assert V.add(blank, other).blank
    assert not V.add(blank, V.Num(D(1), D(0), (_source(3),))).blank
    assert not V.total_of([]).blank and not V.Num.exact(0).blank


# --------------------------------------------------------------- evaluation


@pytest.fixture
def office(filing):
    filing.table("table03", "03", {"main": (T03_COLUMNS, table03_rows())}, "支出决算表")
    return filing


def test_cell_sources_name_the_cell_as_an_eager_source_would(vocab, office):
    ctx = office.context()
    env = E.Env(ctx, vocab)
    t = ctx.tables.get("table03")
    row = env.rowval(t, t.main, t.main.row_info("2010399"), vocab.tables["table03"])
    assert env.rowval(t, t.main, row.info, row.vocab) is row  # one per row per filing
    num = env.cell(row, "basic")
    assert env.cell(row, "basic") is num
    (src,) = num.sources
    cell = t.main.cell("2010399", "basic")
    eager = V.Source(cell.span, "公开03表 2010399 基本支出", "table 03 2010399 basic", False,
                     "公开03表 2010399（其他政府办公厅（室）及相关机构事务支出）",
                     "table 03 2010399 (其他政府办公厅（室）及相关机构事务支出)", "公开03表", "2010399", "2010399",
                     "其他政府办公厅（室）及相关机构事务支出", "基本支出")
    assert src.fields() == eager.fields()
    assert src == eager and eager == src and hash(src) == hash(eager)
    assert num.value == D("49.06") and num.tol == D("0.005") and num.decimals == 2


def test_a_loop_invariant_filter_is_evaluated_once_per_filing(vocab, office, monkeypatch):
    (r,) = compile_rules("rule T900 t\n"
                         "  for each column c in table03:\n"
                         "    for each row in table03 where exists(children(row)):\n"
                         "      assert row[c] == sum(children(row)[c])\n", "t.rules", vocab)
    calls = []
    real = E.Exists.eval
    monkeypatch.setattr(E.Exists, "eval", lambda self, env: calls.append(1) or real(self, env))
    (loop,) = r.statements
    inner = loop.body[0]
    assert loop.gen.closed and inner.gen.closed
    assert not inner.body[0].expr.right.gen.closed  # children(row): read per row
    findings = list(r.check(office.context()))
    assert [f.location.label for f in findings] == ["公开03表 20103 基本支出"]
    assert len(calls) == len(table03_rows())  # once per row, not once per row per column
    calls.clear()
    list(r.check(office.context()))  # a new filing: found again
    assert len(calls) == len(table03_rows())


def test_closed_generators(vocab):
    functions = {"f": DslFunction("f", 1, 1, lambda x: x)}
    v = Vocabulary(vocab.tables, {**vocab.functions, **functions})
    (r,) = compile_rules("rule T900 t\n"
                         "  for each column c in table03:\n"
                         "    for each row in table03 where row.level == 1:\n"
                         "      assert row[c] == sum(children(row)[c])\n"
                         "    for each row in table03 where row[c] > 0:\n"
                         "      assert row[c] >= 0\n"
                         "    for each row in table03 where f(row.total) > 0:\n"
                         "      assert row[c] >= 0\n", "t.rules", v)
    (outer,) = r.statements
    by_level, by_cell, by_plugin = (s.gen for s in outer.body)
    assert outer.gen.closed and by_level.closed
    assert not by_cell.closed  # reads the column variable
    assert not by_plugin.closed  # a plugin function need not be pure
    body = outer.body[0].body[0].expr.right
    assert isinstance(body, E.Aggregate) and body.cells and not body.gen.closed
    assert E.free_vars(body) == {"row", "c"}


def test_caches_do_not_leak_between_filings(vocab, filing, office):
    (r,) = compile_rules("rule T900 t\n"
                         "  for each column c in table03:\n"
                         "    for each row in table03 where exists(children(row)):\n"
                         "      assert row[c] == sum(children(row)[c])\n"
                         '  assert table03["2010399"].basic == 0 + table03.total.project - table03.total.project\n',
                         "t.rules", vocab)
    broken = office.context()
    first = [(f.location.label, f.expected, f.actual) for f in r.check(broken)]
    assert first == [("公开03表 20103 基本支出", "98.12", "49.06"),
                     ("公开03表 2010399 基本支出", "0.00", "49.06")]
    from .conftest import Filing

    fixed = Filing()
    fixed.table("table03", "03", {"main": (T03_COLUMNS, table03_rows(r2010399_basic="0.00"))}, "支出决算表")
    assert list(r.check(fixed.context())) == []
    again = [(f.location.label, f.expected, f.actual) for f in r.check(broken)]  # its cache kept
    assert again == first


def test_each_failure_keeps_its_own_row_and_column(run, vocab, filing):
    rows = [("201", "一般公共服务支出", "10.00", "1.00", "9.00", "0.00", "0.00", "0.00"),
            ("20101", "人大事务", "5.00", "1.00", "3.00", "0.00", "0.00", "0.00"),
            ("20102", "政协事务", "3.00", "2.00", "1.00", "0.00", "0.00", "0.00")]
    filing.table("table03", "03", {"main": (T03_COLUMNS, rows)}, "支出决算表")
    text = ('rule T900 t\n  message: "{where} {column} {c}"\n'
            "  for each column c in table03:\n"
            "    for each row in table03:\n"
            "      assert row[c] == row[c] * 0 + sum(children(row)[c]) or not exists(children(row))\n")
    findings = run(text, filing)
    assert [f.message.zh for f in findings] == [
        "公开03表 201（一般公共服务支出） 本年支出合计 本年支出合计",
        "公开03表 201（一般公共服务支出） 基本支出 基本支出",
        "公开03表 201（一般公共服务支出） 项目支出 项目支出",
    ]
    assert [f.expected for f in findings] == ["8.00", "3.00", "4.00"]
    # the failures of one statement, kept together: each still has its own bindings
    (r,) = compile_rules(text, "t.rules", vocab)
    failures = [f for stmt in r.statements for f in stmt.run(E.Env(filing.context(), vocab))]
    assert [(f.env.vars["c"].key, f.env.vars["row"].info.code, f.env.col.key, f.env.row.info.code)
            for f in failures] == [("total", "201", "total", "201"), ("basic", "201", "basic", "201"),
                                   ("project", "201", "project", "201")]


def test_where_filters_count_as_comparing_each_cell_would(run, office):
    # every operator in a loop-invariant where, against comparing each cell on its own
    # (stated to two decimals: within 0.005 of the literal counts as equal)
    cells = [V.Num(D(r[3]), D("0.005")) for r in table03_rows()]  # 基本支出
    for op, limit in itertools.product(("==", "!=", "<", "<=", ">", ">="), ("0.19", "49.06", "100")):
        text = f"rule T900 t\n  assert count(r for each r in table03 where r.basic {op} {limit}) == -1\n"
        (f,) = run(text, office)
        want = sum(1 for n in cells if V.compare(op, n, V.Num.exact(D(limit))).ok)
        assert f.actual == f"{want}.00", (op, limit)
    assert want == 0  # (> 100: none, so the counts above are not all the same)
