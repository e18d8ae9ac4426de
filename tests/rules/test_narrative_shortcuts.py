"""The shortcuts the narrative and wording rules take for speed give the answers of the
plain way: the class names found from their codes, the subject map kept across filings,
the one-search rejections of a filing, and the quotation marks paired."""

from __future__ import annotations

import copy
import re
from pathlib import Path

from lint.engine.rules import RuleContext, TableSet
from lint.model import Document
from lint.readers.text import split_blocks
from lint.recognize.claims import extract_claims
from lint.rules.core import narrative, wording
from lint.rules.core.narrative import _CLASS_NAMED, _classes_named, _names_a_code, load_subjects, subject_map

SUBJECTS = load_subjects(Path(__file__).resolve().parents[2] / "rules" / "core" / "subjects.toml")


def doc(text: str) -> Document:
    lines = text.split("\n")
    return Document(path="t.txt", encoding="utf-8", lines=lines, blocks=split_blocks(lines))


def codes(text: str, rule) -> list[tuple[str, int, int]]:
    d = doc(text)
    ctx = RuleContext(document=d, tables=TableSet([]), claims=extract_claims(d), report_year=2022,
                      data={"subjects": SUBJECTS})
    return [(f.code, f.location.span.line, f.location.span.col) for f in rule().check(ctx)]


# ---------------------------------------------------------------------- N015 class names


CLASS_TEXTS = [
    "卫生健康支出（210类）行政事业单位医疗（11款）行政单位医疗（01项）",
    "一般公共服务支出(201类)人大事务(01款)行政运行(01项)支出 12.00 万元",
    # a name longer than 30 characters, then one that fits: only the last 30 can be a name
    "这是一个非常非常非常非常非常非常非常非常非常非常非常长的科目名称（210类）教育支出（205类）",
    # codes without a name before them, adjacent codes, a bracket inside the name's reach
    "（210类）（11款）",
    "支出（类）（210类）合计（12款",
    "医疗（2101类款）卫生（210类）",
    "一、社会保障和就业支出（208类）11.00万元，二、教育（205类）和科学技术支出（206类）",
    "数字12（208类）名称（2081款）",
    "",
]


def test_class_names_from_their_codes_are_the_regex_matches():
    for text in CLASS_TEXTS:
        want = [(m.start(), m.end(), m.group("name"), m.group("code")) for m in _CLASS_NAMED.finditer(text)]
        got = [(m.start(), m.end(), m.group("name"), m.group("code")) for m in _classes_named(text)]
        assert got == want, text
    assert any(list(_CLASS_NAMED.finditer(t)) for t in CLASS_TEXTS)  # (the texts do name classes)


def test_a_text_names_a_code_only_with_a_digit_before_the_level():
    assert _names_a_code("卫生健康支出（210类）")
    assert _names_a_code("行政运行(01项)")
    assert not _names_a_code("社会保障和就业（类）支出、行政运行（项）")
    assert not _names_a_code("")
    assert _names_a_code("类）在前（05款）")  # an ending at the very start is passed over
    # every text the regex finds a name in passes the shortcut
    assert all(_names_a_code(t) for t in CLASS_TEXTS if list(_CLASS_NAMED.finditer(t)))


# ---------------------------------------------------------------------- subject map


def test_the_subject_map_is_built_once_for_equal_data_and_anew_for_changed_data():
    first = subject_map(SUBJECTS)
    assert subject_map(SUBJECTS) is first
    assert subject_map(copy.deepcopy(SUBJECTS)) is first  # a regional pack's merged copy
    changed = copy.deepcopy(SUBJECTS)
    name = sorted(changed["subjects"])[0]
    changed["subjects"][name]["variants"] = [*changed["subjects"][name].get("variants", ()), "某某新名称"]
    other = subject_map(changed)
    assert other is not first
    assert other.entry_for("某某新名称", ()) is not None and first.entry_for("某某新名称", ()) is None
    assert subject_map(changed) is other and subject_map(SUBJECTS) is first
    assert subject_map(None).entries == [] and subject_map(None) is subject_map(None)


def test_the_subject_maps_memory_is_bounded(monkeypatch):
    monkeypatch.setattr(narrative, "_MEMO_LIMIT", 10)
    m = narrative.SubjectMap(SUBJECTS)
    for i in range(25):
        m.entry_for(f"主体{i}", ("一、情况说明",))
    assert len(m._entries_for) <= 10
    assert m.entry_for("本年收入合计", ()) is not None


# ---------------------------------------------------------------------- wording


def test_a_rate_ending_a_line_with_spaces_after_it_is_still_read():
    text = "一般公共预算财政拨款支出比上年增长 13.95   \n下一行没有百分号。"
    assert codes(text, wording.RateWithoutPercent) == [("F010", 1, 19)]
    assert codes("支出比上年增长 13.95%。", wording.RateWithoutPercent) == []


def test_a_cut_year_and_doubled_marks_are_found_at_either_end_of_a_line():
    assert [c[:2] for c in codes("202 年度支出 88.31 万元。\n支出，，\n，，收入", wording.TruncatedYear)] == [("F011", 1)]
    assert [c[:2] for c in codes("202 年度支出 88.31 万元。\n支出，，\n，，收入", wording.DoubledPunctuation)] == [
        ("F013", 2), ("F013", 3)]
    # a doubled mark split over two lines is no doubled mark; 2022 年 is no cut year
    assert codes("支出，\n，收入 2022 年。", wording.DoubledPunctuation) == []
    assert codes("支出，\n，收入 2022 年。", wording.TruncatedYear) == []


def test_quotation_marks_are_paired_as_before():
    def plain(text: str) -> int | None:  # the first unmatched mark, character by character
        stack, bad = [], []
        for i, ch in enumerate(text):
            if ch == "“":
                stack.append(i)
            elif ch == "”":
                (stack.pop() if stack else bad.append(i))
        bad.extend(stack)
        return min(bad) if bad else None

    for text in ["“三公”经费“", "”开头", "“a“b”c”", "没有引号", "““”", "a”b“c"]:
        found = codes(text, wording.UnmatchedQuote)
        at = plain(re.sub(r"\s", "", text))
        assert (found[0][2] - 1 if found else None) == at, text
