"""How the narrative writes its numbers: a rate without its ``%``, a year cut short,
a quotation mark never closed (codes ``F010``…).

These read prose lines only (never table rows, recognized or not) and look past a
page break when a number's unit or sign may stand on the next line.
"""

from __future__ import annotations

import re

from lint.engine.rules import Rule, RuleContext
from lint.model import Block, BlockKind, Severity, Span
from lint.recognize.sentences import paragraphs

from .hygiene import _quote, _spans_of, _table_lines, next_prose


def _prose(ctx: RuleContext) -> list[tuple[int, Block]]:
    """Prose lines outside recognized tables, with their index in ``blocks`` (found once
    per filing: four rules read them)."""
    return ctx.cached("wording.prose", _find_prose)


def _find_prose(ctx: RuleContext) -> list[tuple[int, Block]]:
    in_table = _table_lines(ctx)
    return [(i, b) for i, b in enumerate(ctx.document.blocks) if b.kind is _TEXT and b.line not in in_table]


_TEXT = BlockKind.TEXT  # (an enum member read from its class costs ~20x a global)


def _may_match(ctx: RuleContext, pattern: re.Pattern) -> bool:
    """Could ``pattern`` match on some prose line?  One search over all text lines joined
    (inside tables too: finding the prose lines costs more than the search) rejects most
    filings before any line is looked at on its own; ``pattern`` must find (at least)
    every match of the line-by-line search in the joined text."""
    return pattern.search(_text_lines(ctx)) is not None


def _text_lines(ctx: RuleContext) -> str:
    """The text of every prose block (no table row), joined by newlines."""
    return ctx.cached("wording.text-lines",
                      lambda c: "\n".join([b.text for b in c.document.blocks if b.kind is _TEXT]))


# A rate word, then a number that ends the clause with no % (nor 个百分点, 倍, 万元 …).
_RATE_NO_PERCENT = re.compile(
    r"(?P<word>增长|下降|增幅|降幅|上升|降低|提高|占比?(?:[^，,；;。\d]{0,12}?的)?|完成(?:了)?(?:年初|全年|调整后?)?预算(?:数)?的|"
    r"执行率(?:为|是|达到?)?|完成率(?:为|是)?)\s*(?P<num>\d+(?:\.\d+)?)\s*(?=[。；;，,）)]|$)")


# The same, where ``$`` is the end of any line (for _may_match; its ``\s*`` steps over the
# spaces at the end of a line, which the line-by-line search strips).
_RATE_NO_PERCENT_ANY_LINE = re.compile(_RATE_NO_PERCENT.pattern, re.MULTILINE)


class RateWithoutPercent(Rule):
    """比率缺少百分号

    ## What it does
    Finds a growth rate, share or completion rate written without its ``%``
    (``增长 13.95。``, ``占 76.23；``, ``完成年初预算的 96``), looking at the next line
    (past a page number) when the number ends the line.

    ## Why is this bad?
    ``增长 13.95`` could be 13.95 万元 or 13.95%: the reader cannot tell, and a lost ``%``
    is often a sign the sentence was edited in a hurry.

    ## Example
    ```
    一般公共预算财政拨款支出比上年增长 13.95。
    ```

    ## Known false positives
    A growth stated as a plain count ("增长 3") with its unit in the next clause.
    """

    code = "F010"
    name = "format.rate-without-percent"
    severity = Severity.WARNING
    summary_en = "A rate written without its % sign"

    def check(self, ctx):
        if not _may_match(ctx, _RATE_NO_PERCENT_ANY_LINE):
            return
        blocks = ctx.document.blocks
        for i, b in _prose(ctx):
            text = b.text.rstrip()
            for m in _RATE_NO_PERCENT.finditer(text):
                if m.end() >= len(text) and re.match(r"[%％]|[\d.]*\s*[%％]|万|元|个|倍", next_prose(blocks, i)):
                    continue  # the sign (or the rest of the number) is on the next line
                yield self.finding(
                    ctx, _spans_of(b, m.start("num"), m.end("num")),
                    f"「{_quote(m.group(0))}」中的比率 {m.group('num')} 没有写 %（第{b.line}行）。",
                    f"The rate {m.group('num')} in '{_quote(m.group(0))}' has no % sign (line {b.line}).",
                    label="单位", actual=m.group("num"), expected=f"{m.group('num')}%",
                )


_CUT_YEAR = re.compile(r"(?<![\d.．,，])(?P<y>(?:19|20)\d)\s*年(?!\d)")
# The same without the look-behind, as two patterns that start with a literal: ~20x
# faster to search a whole filing with (for _may_match).
_CUT_YEAR_20 = re.compile(r"20\d\s*年(?!\d)")
_CUT_YEAR_19 = re.compile(r"19\d\s*年(?!\d)")


class TruncatedYear(Rule):
    """年份缺位（如“202 年度”）

    ## What it does
    Finds a year written with three digits (``202 年度``, ``201 年``): a digit was lost
    when the year was typed or filled in from a template.

    ## Why is this bad?
    The reader cannot tell which year the sentence is about, and a template field
    left half-filled suggests the figures beside it were not updated either.

    ## Example
    ```
    202 年度一般公共预算财政拨款支出 88.31 万元。
    ```

    ## Known false positives
    A span of 190-odd or 200-odd years ("历经 200 年") reads as a cut year.
    """

    code = "F011"
    name = "format.truncated-year"
    severity = Severity.WARNING
    summary_en = "A year with a digit missing (202 年度)"

    def check(self, ctx):
        if not (_may_match(ctx, _CUT_YEAR_20) or _may_match(ctx, _CUT_YEAR_19)):
            return
        for _, b in _prose(ctx):
            for m in _CUT_YEAR.finditer(b.text):
                if re.match(r"\s*(?:年度|年)\s*(?:[\u4e00-\u9fff])", b.text[m.end("y"):]) is None:
                    continue
                if re.search(r"(?:历经|历时|超过|近|约|逾|长达|共|有)\s*$", b.text[:m.start()]):
                    continue  # a span of years
                yield self.finding(
                    ctx, _spans_of(b, m.start("y"), m.end("y")),
                    f"年份「{m.group('y')}」只有三位数字，疑似缺了一位（第{b.line}行）。",
                    f"The year '{m.group('y')}' has three digits: one seems lost (line {b.line}).",
                    label="年份", actual=m.group("y"),
                )


_OPEN_Q, _CLOSE_Q = "“", "”"
_QUOTE_MARK = re.compile(f"[{_OPEN_Q}{_CLOSE_Q}]")


class UnmatchedQuote(Rule):
    """引号不成对

    ## What it does
    In each paragraph of the narrative, pairs the Chinese quotation marks ``“`` and
    ``”`` and reports an opening mark never closed (or a closing mark never opened).
    Paragraphs are joined across line and page breaks first, so a quotation that
    spans two lines is fine.

    ## Why is this bad?
    An unclosed quote leaves the reader unsure where a quoted name (“三公”经费, a
    project's title) ends; it usually marks text cut during editing.

    ## Example
    ```
    “三公经费财政拨款支出决算为 0.95 万元。
    ```

    ## Known false positives
    A paragraph the reader split in the middle of a quotation (a table between the
    halves) shows each half unmatched.
    """

    code = "F012"
    name = "format.unmatched-quote"
    severity = Severity.WARNING
    summary_en = "A quotation mark without its pair"

    def check(self, ctx):
        in_table: set[int] | None = None
        for p in paragraphs(ctx.document):
            text = p.text
            if _OPEN_Q not in text and _CLOSE_Q not in text:
                continue  # (most paragraphs quote nothing)
            if in_table is None:
                in_table = _table_lines(ctx)
            if in_table.intersection(p.lines):
                continue
            stack: list[int] = []
            bad: list[int] = []
            for q in _QUOTE_MARK.finditer(text):
                if q.group() == _OPEN_Q:
                    stack.append(q.start())
                elif stack:
                    stack.pop()
                else:
                    bad.append(q.start())
            bad.extend(stack)
            if not bad:
                continue
            at = min(bad)
            line, col = p.positions[at]
            mark = text[at]
            yield self.finding(
                ctx, Span(line, col, line, col + 1),
                f"引号不成对：此处的「{mark}」没有与之配对的{'后' if mark == _OPEN_Q else '前'}引号（第{line}行）。",
                f"Unmatched quotation mark '{mark}' (line {line}).",
                label="引号", actual=mark,
            )


_DOUBLED = re.compile(r"(?<![。.…])([。，；、])\1(?![。.…])")


class DoubledPunctuation(Rule):
    """标点重复（如“。。”“，，”）

    ## What it does
    Finds a full stop, comma, semicolon or 、 written twice in a row in the narrative
    (``支出。。``); three or more full stops are an ellipsis and left to H001.

    ## Why is this bad?
    A doubled mark is a typing slip that survived review; in a published filing it
    reads as carelessness, and it often marks where a sentence was cut.

    ## Example
    ```
    主要用于信息化建设及运行维护等方面的支出。。
    ```

    ## Known false positives
    None known.
    """

    code = "F013"
    name = "format.doubled-punctuation"
    severity = Severity.WARNING
    summary_en = "A punctuation mark written twice in a row"

    def check(self, ctx):
        joined = _text_lines(ctx)
        if not any(mark * 2 in joined for mark in "。，；、"):
            return  # (a search for the pattern itself is ~10x slower)
        for _, b in _prose(ctx):
            for m in _DOUBLED.finditer(b.text):
                yield self.finding(
                    ctx, _spans_of(b, m.start(), m.end()),
                    f"标点「{m.group(1)}」连写了两次（第{b.line}行）。",
                    f"The mark '{m.group(1)}' is written twice (line {b.line}).",
                    label="标点", actual=m.group(0), expected=m.group(1),
                )


RULES = [RateWithoutPercent, TruncatedYear, UnmatchedQuote, DoubledPunctuation]
