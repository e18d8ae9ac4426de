from hypothesis import given, settings
from hypothesis import strategies as st

from lint.report.caret import CONTEXT, CUT, TAB, char_width, display_width, excerpt, render_char, render_line


def _cells(printed: str) -> list[int]:
    """Cell offset at which each printed character starts (plus the end)."""
    offsets = [0]
    for ch in printed:
        offsets.append(offsets[-1] + char_width(ch))
    return offsets


def test_widths_follow_east_asian_width():
    assert char_width("a") == 1
    assert char_width("决") == 2
    assert char_width("，") == 2  # full-width comma (F)
    assert char_width("\u0301") == 0  # combining acute
    assert render_char("\t") == (TAB, 1)
    assert render_char("\x0b") == ("\u240b", 1)
    assert display_width("合计\t76.21") == 4 + 1 + 5


def test_caret_under_cjk_and_tabs():
    line = "合计\t\t本年支出\t76.21"
    ex = excerpt(line, 10, 15)
    assert ex.source == "合计⇥⇥本年支出⇥76.21"
    # 合计 (4 cells) + two tabs (2) + 本年支出 (8) + tab (1) = 15 cells before 76.21
    assert ex.caret == " " * 15 + "^~~~~"


def test_caret_under_cjk_span_covers_both_cells_of_each_character():
    ex = excerpt("项目\t本年支出", 4, 8)
    assert ex.caret == " " * 5 + "^" + "~" * 7


def test_span_past_end_of_line_points_just_after_it():
    ex = excerpt("合计", 9, 10)
    assert ex.caret == " " * 4 + "^"


def test_long_line_is_windowed_around_the_caret():
    line = "甲" * 150 + "\t" + "76.21" + "\t" + "乙" * 150
    col = 152
    ex = excerpt(line, col, col + 5)
    assert ex.source.startswith(CUT) and ex.source.endswith(CUT)
    pad = ex.caret.index("^")
    offsets = _cells(ex.source)
    assert pad in offsets
    assert ex.source[offsets.index(pad):].startswith("76.21")
    assert pad <= len(CUT) + CONTEXT + 1
    assert display_width(ex.source) <= 2 * CONTEXT + 5 + 2 * len(CUT) + 2


def test_short_line_is_not_cut():
    line = "合计\t" + "1" * 50
    assert excerpt(line, 1, 3).source == render_line(line)


_TEXT = st.text(alphabet=st.sampled_from(list("ab1.\t 合计决算，（）\u0301\x0b")), max_size=300)


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.integers(min_value=1, max_value=320), st.integers(min_value=0, max_value=40))
def test_caret_always_starts_on_the_first_spanned_character(text, col, length):
    ex = excerpt(text, col, col + length)
    pad = ex.caret.index("^")
    assert set(ex.caret[:pad]) <= {" "} and set(ex.caret[pad + 1:]) <= {"~"}
    offsets = _cells(ex.source)
    assert pad in offsets, "caret must start on a character boundary"
    start = min(col - 1, len(text))
    rendered_rest = render_line(text[start:])
    printed_rest = ex.source[offsets.index(pad):]
    if printed_rest.endswith(CUT):
        printed_rest = printed_rest[: -len(CUT)]
    # Zero-width characters at the boundary share its cell, so compare from the
    # first character that takes a cell.
    assert rendered_rest.lstrip("\u0301").startswith(printed_rest.lstrip("\u0301")[:1])


# ----------------------------------------------------------------- bounded work per finding

from lint.report import caret  # noqa: E402

_CHARS = st.sampled_from(list("ab1.,\t 合计支出（）") + ["\u0301", "\x07", "\uff10"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_CHARS, min_size=0, max_size=1500).map("".join), st.integers(1, 1600), st.integers(0, 400))
def test_windowed_excerpt_equals_measuring_the_whole_line(text, col, length):
    start = min(max(col - 1, 0), len(text))
    stop = min(max(col + length - 1, start), len(text))
    whole = caret._excerpt(text, start, stop, caret.CONTEXT, False, False)
    assert caret.excerpt(text, col, col + length) == whole


def test_excerpt_work_does_not_grow_with_the_line(monkeypatch):
    calls = []
    real = caret.render_char
    monkeypatch.setattr(caret, "render_char", lambda ch: calls.append(1) or real(ch))
    counts = []
    for size in (1_000, 16_000, 160_000):
        row = "\t".join(["1,234.56"] * (size // 9))
        calls.clear()
        for col in range(1, len(row), max(len(row) // 50, 1)):  # 50 findings along the row
            caret.excerpt(row, col, col + 8)
        counts.append(len(calls))
    assert counts[2] <= counts[0] * 1.5  # bounded per finding, not proportional to the row
