"""Rounding-aware numbers: tolerances, their propagation, and comparisons."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from lint.dsl import values as V
from lint.dsl.values import Absent, Num, Source
from lint.numbers import parse_number


def stated(text: str, label: str = "") -> Num:
    return Num.stated(parse_number(text), Source(None, label or text, label or text))


def blank() -> Num:
    return Num.stated(None, Source(None, "blank", "blank", blank=True))


def test_stated_numbers_carry_half_a_unit_of_their_last_decimal():
    assert stated("49.06").tol == D("0.005")
    assert stated("20.1").tol == D("0.05")
    assert stated("20").tol == D("0.5")
    assert stated("0.00").tol == 0 and stated("0").tol == 0  # a stated zero is exact
    assert stated("49.06").decimals == 2


def test_percent_is_a_fraction_with_its_own_rounding():
    n = stated("39.3%")
    assert n.value == D("0.393") and n.tol == D("0.0005") and n.percent


def test_blank_counts_as_zero_without_tolerance():
    b = blank()
    assert b.value == 0 and b.tol == 0 and b.blank
    s = V.add(b, stated("1.00"))
    assert s.value == D("1.00") and not s.blank
    assert not Num.exact(0).blank  # a literal is not blank


def test_sums_add_tolerances_and_keep_sources_in_order():
    a, b, c = stated("36.21", "a"), stated("7.10", "b"), stated("43.30", "c")
    s = V.add(a, b)
    assert s.value == D("43.31") and s.tol == D("0.010")
    assert [x.label for x in V.add(s, a).sources] == ["a", "b"]  # deduplicated
    cmp = V.compare("==", c, s)
    assert cmp.ok and cmp.tolerance == D("0.015") and cmp.within_rounding


def test_one_cent_beyond_the_bound_fails():
    s = V.add(stated("36.21"), stated("7.10"))  # 43.31, and 43.30 would carry 0.015 in all
    assert V.compare("==", stated("43.30"), s).ok
    assert V.compare("==", stated("43.32"), s).ok
    assert not V.compare("==", stated("43.29"), s).ok
    assert not V.compare("==", stated("43.33"), s).ok


def test_bound_is_inclusive_and_exclusive_beyond():
    s = V.add(V.add(stated("10.00"), stated("10.00")), stated("10.00"))  # 30.00 ± 0.015
    assert V.compare("==", stated("30.01"), s).ok  # 0.01 <= 0.02
    assert V.compare("==", stated("30.02"), s).ok  # 0.02 <= 0.02 (boundary holds)
    assert not V.compare("==", stated("30.03"), s).ok


def test_products_and_quotients_propagate_tolerance():
    a, b = stated("10.00"), stated("2.0")
    p = V.mul(a, b)
    assert p.value == D("20.000") and p.tol == D("10.00") * D("0.05") + D("2.0") * D("0.005") + D("0.005") * D("0.05")
    q = V.div(a, b)
    assert q.value == 5
    expected = (D("10.00") * D("0.05") + D("2.0") * D("0.005")) / (D("2.0") * (D("2.0") - D("0.05")))
    assert q.tol == expected
    assert V.div(Num.exact(1), Num.exact(4)).tol == 0  # literals are exact


def test_division_by_zero_and_by_a_rounded_zero():
    with pytest.raises(Absent):
        V.div(stated("1.00"), stated("0.00"))
    q = V.div(stated("1.00"), V.sub(stated("1.00"), stated("0.99")))  # 0.01 ± 0.01 could be zero
    assert q.tol.is_infinite()
    assert V.compare("==", q, Num.exact(999)).ok


@pytest.mark.parametrize("op,a,b,ok", [
    ("<=", "10.01", "10.00", True),   # within rounding
    ("<=", "10.02", "10.00", False),
    ("<", "10.00", "10.00", True),    # could be 9.995 < 10.005
    ("<", "10.01", "10.00", False),
    (">=", "9.99", "10.00", True),
    (">", "9.99", "10.00", False),
    ("!=", "10.01", "10.00", False),  # not clearly different
    ("!=", "10.02", "10.00", True),
    ("==", "0", "0.00", True),
])
def test_comparisons_give_the_benefit_of_the_doubt(op, a, b, ok):
    assert V.compare(op, stated(a), stated(b)).ok is ok


def test_exact_and_within_override():
    a, b = stated("10.01"), stated("10.00")
    assert not V.compare("==", a, b, tolerance=D(0)).ok
    assert V.compare("==", stated("10.04"), b, tolerance=D("0.05")).ok
    assert not V.compare("==", stated("10.06"), b, tolerance=D("0.05")).ok
    assert V.compare("==", stated("100.9"), stated("100.0"), relative=D("0.01")).ok
    assert not V.compare("==", stated("101.1"), stated("100.0"), relative=D("0.01")).ok


def test_round_abs_and_formatting():
    r = V.round_to(stated("2.345"), 2)
    assert r.value == D("2.35")
    assert V.show(stated("49.06"), 2) == "49.06"
    assert V.show(stated("39.3%"), 2, as_percent=True) == "39.30%"
    assert V.show_plain(D("-49.06"), 2) == "-49.06"
    assert V.show_plain(V.INFINITY, 2) == "∞"
    assert V.show_tolerance(D("0.015"), 2) == "0.015"
    assert V.show_tolerance(D("0.01"), 2) == "0.01"
    assert V.show_tolerance(D("0.0005"), 2, as_percent=True) == "0.05%"
    assert V.display_decimals(stated("1.234"), stated("2.00")) == 3
    assert V.display_decimals(stated("1"), stated("2.0")) == 2


def test_total_and_pick():
    assert V.total([]).value == 0
    t = V.total([stated("1.00"), stated("2.00")])
    assert t.value == 3 and t.tol == D("0.010")


amounts = st.decimals(min_value=D("-1000000"), max_value=D("1000000"), places=2, allow_nan=False,
                      allow_infinity=False)


@given(st.lists(amounts, min_size=1, max_size=12))
def test_a_correctly_rounded_total_never_fails(parts):
    # True amounts with more decimals, each printed rounded to cents, and the printed
    # total also rounded from the true sum: the check must hold.
    extra = [p + D("0.004") for p in parts]
    # A printed zero is taken as exact (Amount.rounding), so only non-zero prints here.
    assume(all(x.quantize(D("0.01")) != 0 for x in extra))
    printed = [stated(str(x.quantize(D("0.01")))) for x in extra]
    total = stated(str(sum(extra).quantize(D("0.01"))))
    assert V.compare("==", total, V.total(printed)).ok
