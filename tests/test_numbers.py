"""lint.numbers: numbers read as written, irregular writings flagged, never guessed."""

from __future__ import annotations

import string
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from lint.model import Amount
from lint.numbers import find_numbers, fmt, is_code, normalize_width, parse_number

PROPS = settings(max_examples=200, deadline=None)

PLACES = st.integers(min_value=0, max_value=4)


@st.composite
def decimals(draw, min_value=-10**9, max_value=10**9):
    """(value, places): a Decimal written with exactly ``places`` decimals."""
    places = draw(PLACES)
    value = draw(st.decimals(min_value=min_value, max_value=max_value, places=places,
                             allow_nan=False, allow_infinity=False))
    return value, places


def plain(value: Decimal, places: int) -> str:
    return f"{value:.{places}f}"


# --------------------------------------------------------------------------- parse_number


@PROPS
@given(decimals())
def test_plain_numbers_round_trip_with_their_decimals(vp):
    value, places = vp
    a = parse_number(plain(value, places))
    assert a is not None
    assert a.value == value and a.decimals == places
    assert a.anomaly is None and a.percent is False
    assert a.text == plain(value, places)


@PROPS
@given(decimals(min_value=1000, max_value=10**12))
def test_thousands_separators_are_valid(vp):
    value, places = vp
    text = f"{value:,.{places}f}"
    assert "," in text
    a = parse_number(text)
    assert a == Amount(value, places, text, None, False)


@PROPS
@given(decimals(min_value=0, max_value=10**6).filter(lambda vp: vp[1] in (1, 2)))
def test_decimal_comma_is_read_and_flagged(vp):
    value, places = vp
    text = plain(value, places).replace(".", ",")
    a = parse_number(text)
    assert a is not None
    assert (a.value, a.decimals, a.anomaly) == (value, places, "decimal-comma")


def test_three_digits_after_a_comma_are_thousands_not_a_decimal_comma():
    a = parse_number("1,234")
    assert (a.value, a.decimals, a.anomaly) == (Decimal(1234), 0, None)


@PROPS
@given(decimals(min_value=0, max_value=10**6).filter(lambda vp: vp[1] > 0),
       st.sampled_from([". ", " .", " . ", ".  "]))
def test_space_in_number_is_read_and_flagged(vp, dot):
    value, places = vp
    text = plain(value, places).replace(".", dot)
    a = parse_number(text)
    assert a is not None
    assert (a.value, a.decimals, a.anomaly) == (value, places, "space-in-number")


_TO_FULLWIDTH = str.maketrans("0123456789.%-", "０１２３４５６７８９．％－")


@PROPS
@given(decimals(), st.booleans())
def test_fullwidth_digits_are_read_and_flagged(vp, percent):
    value, places = vp
    text = (plain(value, places) + ("%" if percent else "")).translate(_TO_FULLWIDTH)
    a = parse_number(text)
    assert a is not None
    assert (a.value, a.decimals, a.anomaly, a.percent) == (value, places, "fullwidth-digits", percent)
    assert a.text == text


@PROPS
@given(decimals())
def test_percent_sign_sets_the_flag_and_keeps_the_value(vp):
    value, places = vp
    a = parse_number(plain(value, places) + "%")
    assert a.percent is True and a.value == value and a.decimals == places


@pytest.mark.parametrize("text, value", [
    ("-5.00", Decimal("-5.00")), ("−5.00", Decimal("-5.00")), ("+5", Decimal(5)),
    ("-1,367.76", Decimal("-1367.76")), ("-12.5%", Decimal("-12.5")),
])
def test_signed_numbers(text, value):
    a = parse_number(text)
    assert a.value == value and a.anomaly is None


def test_surrounding_whitespace_is_ignored_but_not_kept():
    a = parse_number("  \t125.27  ")
    assert a.value == Decimal("125.27") and a.text == "125.27"


@pytest.mark.parametrize("text", [
    "", "   ", "合计", "栏次", "项 目", "2020年", "12a", "a12", "1.2.3", "--5", "5.", ".5", "1 000",
    "1,234,5", "12,345.", "—", "%", "1-2", "2010301 行政运行", "0x1F", "1e5", "NaN", "Infinity",
])
def test_non_numbers_are_none(text):
    assert parse_number(text) is None


@PROPS
@given(st.text(alphabet=st.characters(blacklist_categories=("Nd", "No", "Nl", "Cs"))))
def test_text_without_digits_is_never_a_number(text):
    assert parse_number(text) is None


# --------------------------------------------------------------------------- rounding


@PROPS
@given(decimals())
def test_rounding_is_half_a_unit_of_the_last_written_decimal(vp):
    value, places = vp
    a = parse_number(plain(value, places))
    if value == 0:
        assert a.rounding == 0
    else:
        assert a.rounding == Decimal(5) / Decimal(10) ** (places + 1)
        # any true value within the tolerance is written the same way when rounded
        assert (value + a.rounding - Decimal("1e-12")).quantize(Decimal(1).scaleb(-places)) == value


@pytest.mark.parametrize("text, rounding", [
    ("125.27", Decimal("0.005")), ("0.5", Decimal("0.05")), ("10", Decimal("0.5")), ("99.99%", Decimal("0.005")),
    ("0.00", Decimal(0)), ("0", Decimal(0)), ("-0.00", Decimal(0)), ("1,367.76", Decimal("0.005")),
    ("125,27", Decimal("0.005")), ("186. 67", Decimal("0.005")),
])
def test_rounding_examples(text, rounding):
    assert parse_number(text).rounding == rounding


# --------------------------------------------------------------------------- codes


@PROPS
@given(st.sampled_from([3, 5, 7]), st.data())
def test_classification_codes_are_codes(length, data):
    code = data.draw(st.text(alphabet=string.digits, min_size=length, max_size=length))
    assert is_code(code) and is_code(f" {code} ")


@PROPS
@given(st.sampled_from([1, 2, 4, 6, 8, 9]), st.data())
def test_other_digit_runs_are_not_codes(length, data):
    text = data.draw(st.text(alphabet=string.digits, min_size=length, max_size=length))
    assert not is_code(text)


@pytest.mark.parametrize("text", ["201.00", "2010301 ", "20103a", "", "合计", "201,03", "-201"])
def test_code_lookalikes(text):
    assert is_code(text) == (text.strip() == "2010301")


# --------------------------------------------------------------------------- find_numbers

_FILLERS = ["本年收入合计", "万元，占", "其中：", "增长", "，与上年相比减少", "（类）支出", "。", "；", "亿元 ", "共计 "]


@st.composite
def sentences(draw):
    """A sentence of prose with numbers in it, and the numbers as written."""
    n = draw(st.integers(min_value=1, max_value=6))
    parts, numbers = [draw(st.sampled_from(_FILLERS))], []
    for _ in range(n):
        value, places = draw(decimals(min_value=-10**7, max_value=10**7))
        style = draw(st.sampled_from(["plain", "thousands", "percent"]))
        if style == "thousands" and abs(value) >= 1000:
            text = f"{value:,.{places}f}"
        elif style == "percent":
            text = plain(value, places) + "%"
        else:
            text = plain(value, places)
        numbers.append((text, value, places, style == "percent"))
        parts.append(text)
        parts.append(draw(st.sampled_from(_FILLERS)))
    return "".join(parts), numbers


@PROPS
@given(sentences())
def test_find_numbers_finds_what_was_written_where_it_was_written(sentence):
    text, numbers = sentence
    found = list(find_numbers(text))
    assert [(a.value, a.decimals, a.percent) for _, _, a in found] == [(v, p, pct) for _, v, p, pct in numbers]
    position = 0
    for (start, end, amount), (written, *_rest) in zip(found, numbers):
        assert text[start:end] == written
        assert start >= position
        position = end
        assert parse_number(text[start:end]) == amount


def test_find_numbers_in_a_real_sentence():
    text = "本年支出合计 125.46 万元，其中：基本支出 49.25 万元，占 39.3%；项目支出 1,076.21 万元，占 60.7%。"
    found = [(text[s:e], a.value, a.percent) for s, e, a in find_numbers(text)]
    assert found == [("125.46", Decimal("125.46"), False), ("49.25", Decimal("49.25"), False),
                     ("39.3%", Decimal("39.3"), True), ("1,076.21", Decimal("1076.21"), False),
                     ("60.7%", Decimal("60.7"), True)]


def test_find_numbers_space_before_percent_and_space_in_number():
    text = "增长 12.5 %，支出 186. 67 万元"
    found = list(find_numbers(text))
    assert [(text[s:e], a.value, a.percent, a.anomaly) for s, e, a in found] == [
        ("12.5 %", Decimal("12.5"), True, None), ("186. 67", Decimal("186.67"), False, "space-in-number")]


def test_find_numbers_does_not_read_ranges_as_negatives():
    text = "每家300-600元，1-2个窗口"
    assert [a.value for _, _, a in find_numbers(text)] == [300, 600, 1, 2]


def test_find_numbers_needs_width_normalised_text_and_offsets_survive_it():
    text = "支出１２５．２７万元，占１００％"
    norm = normalize_width(text)
    assert len(norm) == len(text)
    found = [(s, e, a.value, a.percent) for s, e, a in find_numbers(norm)]
    assert found == [(2, 8, Decimal("125.27"), False), (12, 16, Decimal(100), True)]
    assert text[2:8] == "１２５．２７"


# --------------------------------------------------------------------------- fmt


@PROPS
@given(decimals(), st.integers(min_value=0, max_value=4))
def test_fmt_writes_fixed_decimals_without_exponent(vp, places):
    value, _ = vp
    out = fmt(value.normalize(), places)
    assert "E" not in out and (places == 0 or len(out.split(".")[1]) == places)
    assert abs(Decimal(out) - value) <= Decimal(5) / Decimal(10) ** (places + 1)


def test_fmt_of_nothing():
    assert fmt(None) == "（空）"
    assert fmt(Decimal("1E+2")) == "100.00"


# --------------------------------------------------------------------------- generated filings


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=0, max_value=2**31), st.sampled_from(["hunan-2020", "hunan-2018"]), st.booleans())
def test_every_number_of_a_generated_filing_parses_to_its_value(synth, seed, template, thousands):
    f = synth.generate(seed, template, thousands=thousands, scale="large" if thousands else None)
    for key, pos in f.cells.items():
        a = parse_number(f.at(pos))
        assert a is not None and a.value == f.values[key] and a.anomaly is None, (key, f.at(pos))
    for claim in f.claims:
        for role, pos in claim["spans"].items():
            assert parse_number(f.at(pos)).value == claim["values"][role]


def test_misformatted_cells_of_a_generated_filing_are_flagged(synth):
    f = synth.generate(0, scale="medium", thousands=False)
    key = ("table03", "合计", "total")
    for style in ("decimal-comma", "space-in-number", "fullwidth-digits"):
        g = synth.misformat(f, *key, style)
        a = parse_number(g.cell_text(key))
        assert (a.value, a.anomaly) == (f.values[key], style)


# Arabic-Indic digits are read (and flagged as odd): tests/test_numbers_odd.py
@pytest.mark.parametrize("text", ["①", "②", "²", "½", "𝟏", "Ⅻ"])
def test_circled_superscript_and_other_script_digits_are_not_numbers(text):
    assert parse_number(text) is None


def test_find_numbers_flags_a_decimal_comma_in_prose():
    text = "财政拨款收入 125,27 万元，其中 1,367.76 万元"
    found = [(text[s:e], a.value, a.anomaly) for s, e, a in find_numbers(text)]
    assert found == [("125,27", Decimal("125.27"), "decimal-comma"), ("1,367.76", Decimal("1367.76"), None)]


def test_find_numbers_space_in_number_before_a_percent_sign():
    text = "占 12. 5 %"
    found = [(text[s:e], a.value, a.percent, a.anomaly) for s, e, a in find_numbers(text)]
    assert found == [("12. 5 %", Decimal("12.5"), True, "space-in-number")]


def test_in_wanyuan_scales_value_and_rounding():
    from lint.numbers import in_wanyuan

    a = in_wanyuan(parse_number("12,345.67"), "元")
    assert a.value == Decimal("1.234567") and a.rounding == Decimal("0.0000005")
    assert in_wanyuan(parse_number("1.25"), "亿元").value == Decimal("12500")
    assert in_wanyuan(parse_number("1.25"), "万元") == parse_number("1.25")
    assert in_wanyuan(parse_number("1.25"), None) == parse_number("1.25")


@PROPS
@given(st.text(alphabet="0123456789.,-−% 元万年，、（）一\u0663", max_size=16))
def test_find_numbers_reads_the_matches_of_the_prose_pattern(text):
    # find_numbers tries the pattern only where a number can start: it must find exactly
    # the matches a scan of the whole text finds (the look-behind sees before the start).
    from lint.numbers import NUMBER_IN_TEXT

    expected = []
    for m in NUMBER_IN_TEXT.finditer(text):
        amount = parse_number(m.group("num") + ("%" if m.group("pct") else ""))
        if amount is not None:
            expected.append((m.start(), m.end(), amount))
    assert find_numbers(text) == expected
