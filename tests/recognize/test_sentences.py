"""Narrative paragraphs: joining broken lines, headings, glossary, notes, sections."""

from __future__ import annotations

from lint.model import Document
from lint.readers.text import split_blocks
from lint.recognize.sentences import compact, heading_level, is_title, paragraphs, section_paths, sentences


def doc(text: str) -> Document:
    lines = text.split("\n")
    return Document(path="t.txt", encoding="utf-8", lines=lines, blocks=split_blocks(lines))


def test_heading_levels():
    assert heading_level("第三部分") == 0
    assert heading_level("第3部分 名词解释") == 0
    assert heading_level("一、收入支出决算总体情况说明") == 1
    assert heading_level("（一）财政拨款支出决算总体情况。") == 2
    assert heading_level("(二) 绩效目标和绩效评价报告") == 2
    assert heading_level("1、整体绩效评价报告") == 3
    assert heading_level("- 2. 项目绩效评价报告") == 3
    assert heading_level("（1）互联网+政务服务四级联动系统建设费") == 4
    assert heading_level("①行政运行") == 5
    # A numbered line that runs on into a sentence is a paragraph.
    assert heading_level("1、行政运行（项）。年初预算为 10 万元，支出决算为 9 万元。") is None
    assert heading_level("2020 年度收、支总计 125.46 万元。") is None
    assert heading_level("1.3 万余人在线注册") is None


def test_titles():
    assert is_title("部门决算表")
    assert is_title("2020 年度部门整体支出绩效评价报告")
    assert not is_title("单位：万元")
    assert not is_title("年中预算调整项目互联网+政务服务四级联动系统建设费主要用于支")


def test_lines_join_until_a_sentence_ends():
    ps = paragraphs(doc("本年支出合计 1 万元，其中：\n基本支出 1 万元。\n下一段。"))
    assert [p.text for p in ps] == ["本年支出合计1万元，其中：基本支出1万元。", "下一段。"]
    assert ps[0].lines == [1, 2]


def test_blank_line_page_break_joins_and_keeps_positions():
    d = doc("其中：公务用车\n\n购置费 0 万元。")
    (p,) = paragraphs(d)
    assert p.text == "其中：公务用车购置费0万元。"
    i = p.text.index("购")
    assert p.positions[i] == (3, 1)
    assert p.positions[p.text.index("0")] == (3, 5)


def test_semicolon_ends_a_line_but_not_a_sentence():
    ps = paragraphs(doc("甲 1 万元；\n乙 2 万元。"))
    assert len(ps) == 2


def test_fullwidth_digits_fold_but_commas_stay():
    (p,) = paragraphs(doc("合计１２５．４６万元，其中１，２项。"))
    assert p.text == "合计125.46万元，其中1，2项。"
    assert "".join(p.original).startswith("合计１２５．４６")


def test_rows_break_paragraphs():
    ps = paragraphs(doc("甲 1 万元，\n项目\t1\n乙 2 万元。"))
    assert [p.text for p in ps] == ["甲1万元，", "乙2万元。"]


def test_glossary_and_notes_are_left_out():
    text = "注：本表反映收入，\n单位 3 万元。\n第四部分\n名词解释\n一、财政拨款收入：指资金。\n第五部分\n附件\n正文。"
    assert [p.text for p in paragraphs(doc(text))] == ["第四部分", "第五部分", "附件", "正文。"]


def test_definitions_are_not_sentences():
    assert [s.text for s in sentences(doc("基本支出是指日常支出。人员经费 1 万元。"))] == ["人员经费1万元。"]


def test_sentence_span_covers_the_source():
    (s,) = sentences(doc("  本年收入合计\n125.46 万元。"))
    assert s.text == "本年收入合计125.46万元。"
    assert s.whole_span.line == 1 and s.whole_span.col == 3
    assert (s.whole_span.end_line, s.whole_span.end_col) == (2, 11)
    assert s.source == "本年收入合计125.46 万元。"


def test_section_paths():
    text = "\n".join([
        "第三部分", "2020年度部门决算情况说明", "一、收入决算情况说明", "本年收入合计 1 万元。",
        "（一）细项", "甲 1 万元。", "二、支出决算情况说明", "乙 2 万元。", "第五部分", "附 件", "丙 3 万元。",
    ])
    paths = section_paths(doc(text))
    assert paths[4] == ("第三部分2020年度部门决算情况说明", "一、收入决算情况说明")
    assert paths[6] == ("第三部分2020年度部门决算情况说明", "一、收入决算情况说明", "（一）细项")
    assert paths[8] == ("第三部分2020年度部门决算情况说明", "二、支出决算情况说明")
    assert paths[11] == ("第五部分附件",)


def test_compact():
    assert compact(" 支 出决算　为 ４.２１ ") == "支出决算为4.21"


def test_sentences_keep_printed_form_and_positions_with_full_width_digits_and_invisible_marks():
    # Full-width digits make the printed form differ from the compact text; a zero-width
    # space is left out of compact text but kept in print (the searching paths).
    d = doc("  本年收入合计 １２５．４６ 万元，\n比上年增加 3 万元。下一句 7 人。")
    first, second = sentences(d)
    assert first.text == "本年收入合计125.46万元，比上年增加3万元。"
    assert first.original == "本年收入合计１２５．４６万元，比上年增加3万元。"
    assert first.source == "本年收入合计 １２５．４６ 万元，比上年增加 3 万元。"
    assert (first.whole_span.line, first.whole_span.col) == (1, 3)
    assert (first.whole_span.end_line, first.whole_span.end_col) == (2, 12)
    assert second.text == second.original == "下一句7人。"
    assert second.source == "下一句 7 人。"
    assert second.span(3, 4).col == second.positions[3][1] == 16
    (marked, _) = sentences(doc("  本年收入合计 １２５．４６\u200b万元，\n比上年增加 3 万元。下一句 7 人。"))
    assert marked.text == first.text and marked.original == first.original
    assert marked.source == marked.text  # not located in print: the compact text stands in
    assert list(marked.positions) == list(first.positions)


def test_printed_forms_cut_at_columns_are_what_the_search_finds():
    from lint.recognize.sentences import _Printed, _Sources

    texts = [
        "甲 1 万元。甲 1 万元。\n乙\n\n2 万元；丙 3 万元。",
        "  合计 4,704.35 万元，其中：\n人员经费 1 万元。  公用经费\n2 万元！尾",
        "重复。重复。重复\n。",
    ]
    for text in texts:
        for p in paragraphs(doc(text)):
            fast = [s.source for s in p.sentences()]
            joined = "".join(p.raw)
            printed = _Printed(joined)
            starts = [sum(map(len, p.raw[:i])) for i in range(len(p.raw) + 1)]
            at = p.positions
            searched = []
            for s in p.sentences():
                first = p.lines.index(at[s._start][0])
                last = p.lines.index(at[s._start + len(s.text) - 1][0]) + 1
                searched.append(printed.display(s.text, starts[first], starts[last]))
            assert fast == searched
            assert isinstance(p.sentences()[0]._sources, _Sources)
