"""Document hygiene: template text left unfilled, the table of contents against the
tables printed, numbering of headings and items, the department named in headers and
text, years out of place, and the way numbers and units are written (codes ``H001``…
and ``F001``…).

These rules read the document as text (and the recognized tables when a check is
about tables); none of them depends on a regional template.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate, islice
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterator

from lint.engine.rules import Rule, RuleContext
from lint.recognize.templates import norm_title
from lint.model import Block, BlockKind, CellText, Finding, Message, Severity, Span, Table
from lint.numbers import find_numbers, parse_number


def _spans_of(block: Block, start: int, end: int) -> Span:
    """Span of ``block.text[start:end]`` (0-based offsets)."""
    return Span(block.line, start + 1, block.line, max(end, start + 1) + 1)


def _text_blocks(ctx: RuleContext) -> Iterator[Block]:
    for b in ctx.document.blocks:
        if b.kind is BlockKind.TEXT:
            yield b


def _pieces(block: Block) -> list[tuple[str, int]]:
    """The texts of a block with their 0-based column: a prose line whole, a table row
    cell by cell (so a match never runs across two cells)."""
    if block.kind is BlockKind.TEXT:
        return [(block.text, 0)]
    return [(c.text, c.span.col - 1) for c in block.cells if c.text]


def _joined(ctx: RuleContext, kind: BlockKind | None = None, text_only: bool = False) -> tuple[str, list[int]]:
    """The document's blocks as one string, each after a line break of its own (a hint
    can start at a line's beginning), and where each block's line break is.  Blocks not
    of ``kind``, and with ``text_only`` the lines of recognized tables, are left empty."""
    def read(ctx: RuleContext) -> tuple[str, list[int]]:
        if kind is None and not text_only:
            texts = [b.text for b in ctx.document.blocks]
        else:
            in_table = _table_lines(ctx) if text_only else frozenset()
            texts = [b.text if (kind is None or b.kind is kind) and b.line not in in_table else ""
                     for b in ctx.document.blocks]
        return "\n" + "\n".join(texts), [0, *accumulate(map((1).__add__, map(len, texts)))][:-1]

    return ctx.cached(f"hygiene.joined.{kind}.{text_only}", read)


def _blocks_where(ctx: RuleContext, key: str, hints: tuple[re.Pattern, ...],
                  kind: BlockKind | None = None, text_only: bool = False) -> list[int]:
    """The indexes, in order, of the blocks (of ``kind``; with ``text_only`` not in a
    recognized table) any of ``hints`` finds something in.

    Most rules here look for something few lines hold.  A scan of the whole document for
    a loose form of it (a hint every finding's line must match) names the few blocks
    worth the exact check, instead of a regex call or more per block.  A hint should
    start with a fixed character or word (the regex engine then skips to it at once;
    a leading character class makes it try every position).  A hint may run on past a
    block's end into the next line: the block it starts in is merely checked for
    nothing; the next block is searched from its own start."""
    def find(ctx: RuleContext) -> list[int]:
        text, starts = _joined(ctx, kind, text_only)
        found: set[int] = set()
        last = len(starts) - 1
        for hint in hints:
            search, pos = hint.search, 0
            while (m := search(text, pos)) is not None:
                i = bisect_right(starts, m.start()) - 1
                found.add(i)
                if i >= last:
                    break
                pos = starts[i + 1]
        return sorted(found)

    return ctx.cached(f"hygiene.where.{key}", find)


def _hints(*patterns: str) -> tuple[re.Pattern, ...]:
    """Compiled hints.  One that starts with a word gets ``(?=)`` after its first
    character: the regex engine then looks for that one character, several times faster
    than it looks for a word."""
    return tuple(re.compile(p[0] + "(?=)" + p[1:] if len(p) > 1 and not _REGEX_SYNTAX.intersection(p[:2]) else p)
                 for p in patterns)


_REGEX_SYNTAX = frozenset("\\[](){}.^$|*+?")


def _led(chars: str, rest: str) -> list[str]:
    """``[chars]rest`` as one hint per character, each led by its fixed character."""
    return [re.escape(c) + rest for c in chars]


def _quote(text: str, limit: int = 30) -> str:
    text = re.sub(r"\s+", " ", text.strip())
    return text if len(text) <= limit else text[:limit] + "…"


# =========================================================================== H001 template leftovers


@dataclass(frozen=True)
class _Pattern:
    kind: str
    regex: re.Pattern
    zh: str
    en: str
    group: str | int = 0  # which part of the match the finding points at
    needs: str = field(kw_only=True)  # every match holds one of these characters
    guard: re.Pattern = field(init=False, repr=False, compare=False)  # finds one of ``needs``

    def __post_init__(self) -> None:
        object.__setattr__(self, "guard", re.compile(f"[{re.escape(self.needs)}]"))


_MONEY_WORDS = r"(?:为|计|达|共|合计|总计|支出|收入|增加|减少|金额|总额|结余|结转|余额|决算|预算|拨款|经费|资金|投资)"
_INSTRUCTION = re.compile(
    r"(?<![申邀提聘宴呈报恳])请(?:根据|按照?|参照|填写|结合|据实|在|对|于|务必|注意|说明|列示|罗列|补充|删除|选择|核实|如实)"
    r"|根据(?:各|本)?部门实际|根据实际(?:情况)?(?:填写|列示|罗列|增减|说明)|增减(?:内容|名词)"
    r"|选取\d+个|均需公开|则只需|若未(?:组织|开展)|如无(?:此|该|相关)?(?:项|内容|情况)|^如有$|^略$"
)
_PATTERNS = (
    _Pattern("alternatives",
             re.compile(r"(?:增加|增长|上升|提高)\s*[/／]\s*(?:减少|下降|降低)|(?:增加|增长)\s*[（(]\s*(?:减少|下降)\s*[)）]"),
             "「增加/减少」两个选项都留着，未按实际选定", "both alternatives ('增加/减少') left in place", needs="/／（("),
    _Pattern("placeholder",
             re.compile(r"(?<![A-Za-z])(?:[XＸ]{2,}|×{2,}|[xｘ]{2,})(?![A-Za-z])|(?<=\d)[XxＸ×]{1,2}(?=\s*年)"
                        r"|(?<![A-Za-z\d])[XＸ](?=\s*(?:年|月|日|万元|元|个|人|项|%|％))"),
             "「XX」类占位符未替换为实际内容", "an 'XX' placeholder was never replaced", needs="XＸ×xｘ"),
    _Pattern("missing-number",
             re.compile(rf"{_MONEY_WORDS}\s*(?:数)?\s*(?P<unit>万元|元(?=\s*(?:[，。；;,、）)]|$)))"),
             "单位前缺少数字", "a unit with no number before it", "unit", needs="元"),
    _Pattern("missing-number",
             re.compile(r"(?:占|占比|比重|比例|增长|下降|降低|完成预算的)\s*(?P<unit>[%％])"),
             "百分号前缺少数字", "a percent sign with no number before it", "unit", needs="%％"),
    _Pattern("missing-number",
             re.compile(r"占\s*(?:比)?\s*(?=[，。；;,]|$)"),
             "「占」后面缺少比例数字", "a share with no number after it", needs="占"),
    _Pattern("missing-number",
             re.compile(r"(?:决算|预算|支出|收入|金额|合计)\s*数?\s*为\s*(?=[，。；;,])"),
             "「…为」后面缺少金额", "'…为' with no amount after it", needs="为"),
    _Pattern("missing-number",
             re.compile(r"(?:主要)?原因(?:是|为|主要是)?\s*[:：]?\s*(?=[。；;])(?<![^\s是为:：])"),
             "「原因是」后面没有写原因", "'原因是' with no reason after it", needs="因"),
    _Pattern("stray-percent",
             re.compile(r"\d\s*(?:万元|[元个人辆项次])\s*(?P<pct>[%％])"),
             "金额或数量后多出「%」，疑似删除比例时留下", "a stray '%' after an amount or count", "pct", needs="%％"),
    _Pattern("stray-digit",
             re.compile(r"(?<=\d)\s*(?:万元|辆|台|套|个|人|项|次|件)\s*(?P<digit>\d+)(?=\s*[；;。，,])"),
             "数量单位后多出数字，疑似模板残留", "a stray digit after an amount's unit", "digit", needs="元辆台套个人项次件"),
)
_ELLIPSIS = re.compile(r"…+|\.{3,}|。{3,}")
_QUOTED = re.compile(r"“[^“”]*”…*")
_OPEN = "（("
_BRACKET = re.compile(r"[（()）]")
_SPACES = re.compile(r"\s+")
_NOT_SPACE = re.compile(r"\S")


# What every finding of H001 holds, loosely (no look-behind, no anchor, any words before
# a unit): the instruction words, an ellipsis, and each pattern's core.
_LEFTOVER_HINTS = _hints(*(
    r"请(?:根据|按照?|参照|填写|结合|据实|在|对|于|务必|注意|说明|列示|罗列|补充|删除|选择|核实|如实)",
    r"根据(?:(?:各|本)?部门实际|实际(?:情况)?(?:填写|列示|罗列|增减|说明))", r"选取\d+个",
    "均需公开", "则只需", r"若未(?:组织|开展)", r"如无(?:此|该|相关)?(?:项|内容|情况)", *_led("（(", r"\s*(?:如有|略)"),
    "…", r"\.(?=)\.\.", "。。。",  # ellipsis
    r"增(?:[加长]\s*[/／（(]|减(?:内容|名词))", r"上升\s*[/／（(]", r"提高\s*[/／（(]",  # alternatives (and 增减…)
    *"XＸ×xｘ",  # placeholder
    # missing-number: a unit right after a money word (the last characters of
    # _MONEY_WORDS) or 数, or after a space not after a number ("12.5 万元"); a share or a
    # stray percent sign likewise
    r"元(?:(?<=[为计达共出入加少额余转算款费金资数]元)|(?<=[为计达共出入加少额余转算款费金资数]万元)"
    r"|(?<=[^\d.．]\s元)|(?<=[^\d.．]\s万元)"
    r"|\s*\d+\s*[；;。，,])",  # (and a stray digit after 元, as below)
    *(f"{p}(?:(?<=[占比重例长降低的元个人辆项次]{p})|(?<=[^\\d.．]\\s{p}))" for p in "%％"),
    r"占\s*比?(?:\s|[，。；;,]|\Z)",  # (a piece ends before white space, a line end or the end)
    r"为\s*[，。；;,]",
    r"原因(?:是|为|主要是)?\s*[:：]?\s*[。；;]",
    *_led("辆台套个人项次件", r"\s*\d+\s*[；;。，,]"),  # stray-digit
))

# Most table cells hold nothing any scan below looks for (a bracket, an ellipsis, a
# pattern's characters) and are passed over at once.
_SUSPECT = re.compile(f"[{re.escape(_OPEN + '…' + ''.join(p.needs for p in _PATTERNS))}]|\\.{{3}}|。{{3}}")


def _parentheticals(text: str) -> Iterator[tuple[int, int]]:
    """Spans of top-level parentheticals, an unclosed one running to the end."""
    start, depth = None, 0
    for m in _BRACKET.finditer(text):
        if start is None:
            if m.group() in _OPEN:
                start, depth = m.start(), 1
            continue
        depth += 1 if m.group() in _OPEN else -1
        if depth == 0:
            yield start, m.end()
            start = None
    if start is not None:
        yield start, len(text)


def next_prose(blocks: list[Block], index: int) -> str:
    """The text of the first prose line after ``blocks[index]``, past page numbers (a
    sentence broken by a page break goes on there); ``""`` if a table comes first."""
    from lint.recognize.sentences import is_page_number

    for b in blocks[index + 1:index + 6]:
        if b.kind is not BlockKind.TEXT:
            return ""
        if b.text.strip() and not is_page_number(b.text):
            return b.text.strip()
    return ""


def _continued(f: Finding, block: Block, text: str, offset: int, blocks: list[Block], index: int) -> bool:
    """A missing number that is on the next line: "……，占" / "15.16%；"."""
    if f.properties.get("kind") != "missing-number" or block.kind is not BlockKind.TEXT:
        return False
    if f.location.span.end_col - 1 - offset < len(text.rstrip()) - 1:
        return False  # the gap is inside the line
    return bool(re.match(r"[\d０-９]", next_prose(blocks, index)))


def group_runs(found: list[tuple[int, Finding]], min_run: int = 3) -> Iterator[Finding]:
    """One finding for a run of consecutive lines with the same problem.

    ``found`` pairs each finding with the index of its block.  A template list left
    unfilled (…（款）…（项）：指…… on every line) or a table written ``186. 67`` on every
    row is one mistake repeated: report the run once, every line a related location."""
    run: list[tuple[int, Finding]] = []

    def flush() -> Iterator[Finding]:
        if len(run) < min_run:
            yield from (f for _, f in run)
        else:
            first, last = run[0][1], run[-1][1]
            a, b = first.location.span.line, last.location.span.line
            yield Finding(
                first.code, first.severity,
                Message(first.message.zh.rsplit("（第", 1)[0] + f"（第{a}–{b}行，连续 {len(run)} 行）。",
                        first.message.en.rsplit(" (line", 1)[0] + f" (lines {a}–{b}, {len(run)} lines in a row)."),
                first.location, tuple(f.location for _, f in run[1:]), first.expected, first.actual,
                first.rule_name, {**first.properties, "lines": len(run)})
        run.clear()

    for index, f in found:
        same_kind = run and f.properties.get("kind") == run[-1][1].properties.get("kind")
        if run and (index != run[-1][0] + 1 or not same_kind):
            yield from flush()
        run.append((index, f))
    yield from flush()


class TemplateLeftover(Rule):
    """疑似未填写的模板文字

    ## What it does
    Looks for text a reporting template contains but a finished filing does not:
    alternatives never chosen (``增加/减少``), ellipses standing for content
    (``…（款）…（项）：指……``), ``XX``/``××`` placeholders, a unit with no number before it
    (``支出决算为万元``, ``占%``), a stray ``%`` or digit after an amount (``2.40万元%``), and
    the template's own instructions left in brackets (``（请根据本单位实际情况
    逐项说明…）``).  Boilerplate definitions and table notes are not reported.

    ## Why is this bad?
    The filing was published with parts of the template never filled in; readers get
    instructions instead of facts, and the missing facts go unnoticed.

    ## Example
    ```
    公务接待费支出决算比上年增加/减少0万元。
    12.卫生健康（类）…（款）…（项）：指……。
    ```

    ## Known false positives
    A placeholder or an ellipsis the text uses on purpose outside quotation marks
    ("以 XX 代替", "等……").
    """

    code = "H001"
    name = "document.template-leftover"
    severity = Severity.WARNING
    summary_en = "Template text that was never filled in"

    def check(self, ctx):
        found: list[tuple[int, Finding]] = []
        blocks = ctx.document.blocks
        for index in _blocks_where(ctx, "leftover", _LEFTOVER_HINTS):
            block = blocks[index]
            if not _SUSPECT.search(block.text):
                continue  # (each piece is part of the line: none of them is suspect either)
            for text, offset in _pieces(block):
                if _SUSPECT.search(text):
                    found.extend((index, f) for f in self._check_text(ctx, block, text, offset)
                                 if not _continued(f, block, text, offset, blocks, index))
        yield from group_runs(found)

    def _check_text(self, ctx, block: Block, text: str, offset: int) -> Iterator[Finding]:
        taken: list[tuple[int, int]] = []

        quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]

        def emit(start: int, end: int, zh: str, en: str, kind: str) -> Finding | None:
            if any(a < end and start < b for a, b in taken):
                return None
            if kind != "instruction" and any(a <= start and end <= b for a, b in quoted):
                return None  # a quotation ("…中“增加（减少）的原因……”") reports the words, it does not leave them
            taken.append((start, end))
            snippet = text[start:end]
            return self.finding(
                ctx, _spans_of(block, offset + start, offset + end),
                f"疑似未填写的模板文字：「{_quote(snippet)}」——{zh}（第{block.line}行）。",
                f"Looks like unfilled template text: '{_quote(snippet)}' — {en} (line {block.line}).",
                label=kind, actual=snippet, kind=kind,
            )

        for a, b in _parentheticals(text):
            inner = text[a + 1:b - 1 if text[b - 1] in "）)" else b].strip()
            if len(inner) >= 2 and _INSTRUCTION.search(inner):
                f = emit(a, b, "括号内是模板的填写说明，应删除或替换为实际内容",
                         "the brackets hold the template's instructions to the preparer", "instruction")
                if f:
                    yield f
        ellipses = list(_ELLIPSIS.finditer(text)) if "…" in text or "..." in text or "。。。" in text else []
        # Dot leaders of a table of contents ("一、部门主要职能 ……………… 3") stand for nothing.
        ellipses = [m for m in ellipses if not (len(m.group()) >= 6 and re.fullmatch(r"[\s\d\-—]*", text[m.end():]))]
        if ellipses:
            f = emit(ellipses[0].start(), ellipses[-1].end(),
                     f"省略号代替了应填写的内容（本行{len(ellipses)}处）" if len(ellipses) > 1 else "省略号代替了应填写的内容",
                     "ellipses stand where content should be", "ellipsis")
            if f:
                yield f
        for p in _PATTERNS:
            if not p.guard.search(text):
                continue
            matches = list(p.regex.finditer(text))
            if p.kind == "placeholder" and len(matches) > 1:
                # A line of a blank form holds many placeholders: one finding says how many.
                f = emit(matches[0].start(), matches[0].end(), f"{p.zh}（本行共{len(matches)}处）",
                         f"{p.en} ({len(matches)} on this line)", p.kind)
                if f:
                    yield f
                continue
            for m in matches:
                start, end = m.span(p.group) if m.group(p.group) is not None else m.span()
                if end <= start:
                    start, end = m.span()
                if end <= start:
                    continue
                f = emit(start, end, p.zh, p.en, p.kind)
                if f:
                    yield f


# =========================================================================== H002 contents vs tables


@dataclass
class _TocEntry:
    title: str
    number: int
    span: Span
    style: str = ""


_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


@lru_cache(maxsize=1 << 10)  # pure; the same few numerals over and over
def cn_number(text: str) -> int | None:
    """``十一`` → 11, ``二十三`` → 23, ``7`` → 7; ``None`` when not a numeral."""
    t = text.strip()
    if t.isdigit():
        return int(t)
    if not t or any(ch not in _CN_DIGITS and ch != "十" for ch in t):
        return None
    if "十" not in t:
        return _CN_DIGITS[t] if len(t) == 1 else None
    head, _, tail = t.partition("十")
    if len(head) > 1 or len(tail) > 1:
        return None
    return (_CN_DIGITS[head] if head else 1) * 10 + (_CN_DIGITS[tail] if tail else 0)


_MARKER = re.compile(
    r"^(?:-\s*)?(?:(?P<cn>[一二三四五六七八九十]{1,3})\s*、|(?P<ar>\d{1,2})\s*(?:[、．]|\.(?!\d)|\.(?=\d{4}年))|"
    r"[（(]\s*(?P<pcn>[一二三四五六七八九十]{1,3})\s*[)）]|[（(]\s*(?P<par>\d{1,2})\s*[)）])\s*"
)


_CONTENTS_HINTS = (re.compile(r"目\s*[录次]"),)
_PAGE_REF = re.compile(r"[\s.．…·]*\d*$")  # dot leaders and a page number
_PART = re.compile(r"^第([一二三四五六七八九十\d]+)部分")


def _toc_entries(ctx: RuleContext) -> list[_TocEntry]:
    blocks = ctx.document.blocks
    start = next((i for i in _blocks_where(ctx, "contents", _CONTENTS_HINTS, BlockKind.TEXT)
                  if _SPACES.sub("", blocks[i].text) in ("目录", "目次")), None)
    if start is None:
        return []
    entries: list[_TocEntry] = []
    seen: set[str] = set()
    parts_seen: set[str] = set()
    following = [b for b in blocks[start + 1:start + 151] if b.kind is BlockKind.TEXT]
    nxt_line = {a.line: b.text.strip() for a, b in zip(following, following[1:])}
    for b in blocks[start + 1:start + 150]:
        if b.kind is BlockKind.ROW:
            break
        raw = b.text.strip()
        k = _SPACES.sub("", raw)
        if k in seen:  # the body starts again with a heading already listed
            break
        seen.add(k)
        part = _PART.match(k) if k[:1] == "第" else None
        if part:
            # The body repeats the part headings the 目录 listed ("第一部分" again).
            if part.group(1) in parts_seen:
                break
            parts_seen.add(part.group(1))
        if entries and len(k) > 60:
            break
        m = _MARKER.match(raw)
        title = raw[m.end():] if m else raw.lstrip("- ")
        if m and not _PAGE_REF.sub("", title).endswith("表") and nxt_line.get(b.line):
            # "十一、一般公共预算“三公”经费、会议费、培训费支" / "出预算表": one entry, wrapped
            tail = nxt_line[b.line]
            if not _MARKER.match(tail) and _PAGE_REF.sub("", tail).endswith("表") and len(tail) <= 20:
                title = title.rstrip() + tail.strip()
        title = _PAGE_REF.sub("", title).strip()  # dot leaders and page numbers
        # A 目录 entry for a table is numbered (一、收入支出决算总表); an unnumbered line
        # ending in 表 is a heading or a table's own title, not an entry.
        if m is None or not title.endswith("表") or "部分" in title or len(title) > 40:
            continue
        no = None
        if m:
            no = cn_number(m.group("cn") or m.group("ar") or m.group("pcn") or m.group("par") or "")
        col = len(b.text) - len(b.text.lstrip()) + 1
        style = next(k for k in ("cn", "ar", "pcn", "par") if m.group(k))
        entries.append(_TocEntry(title, no or len(entries) + 1,
                                 Span(b.line, col, b.line, len(b.text.rstrip()) + 1), style))
    # "五、部门预算表" followed by "1. 2024年部门财务收支预算总表" … names the group of
    # tables, not one table.
    return [e for e, nxt in zip(entries, entries[1:] + [None]) if nxt is None or nxt.style == e.style
            or nxt.span.line != e.span.line + 1]


_TOC_NOISE = re.compile(r"^(?:公开\d{1,2}表[:：]?|[一二三四五六七八九十]{1,3}、|\d{1,2}(?:[、．]|\.(?!\d)))")


@lru_cache(maxsize=1 << 12)  # pure; every 目录 entry is compared with every printed title
def _toc_key(title: str) -> str:
    """A table title as the 目录 and the page may each word it."""
    t = norm_title(title)
    prev = None
    while prev != t:
        prev = t
        t = _TOC_NOISE.sub("", t)
        t = _TOC_YEAR.sub("", t)
        t = _TOC_WHOSE.sub("", t)
    return _TOC_TAIL_PAREN.sub("", t)


_TOC_YEAR = re.compile(r"^\d{4}年度?")
_TOC_WHOSE = re.compile(r"^(?:部门|单位|预算单位)")
_TOC_TAIL_PAREN = re.compile(r"（[^（）]*）$")


_LOOSE = re.compile(r"支出|预算")


@lru_cache(maxsize=1 << 12)  # pure
def _similar(a: str, b: str) -> float:
    from difflib import SequenceMatcher

    return SequenceMatcher(None, _toc_key(a), _toc_key(b)).ratio()


def _printed_for(entry: "_TocEntry", printed: list[Table], by_title: dict[str, list[Table]],
                 listed: frozenset[str] = frozenset()) -> Table | None:
    """The printed table a 目录 entry lists, if any."""
    from difflib import SequenceMatcher

    key = _toc_key(entry.title)
    if key in by_title:
        return by_title[key][0]
    loose = _LOOSE.sub("", key)  # "政府采购支出预算表" lists "政府采购预算表"
    same = [t for t in printed if _LOOSE.sub("", _toc_key(t.title)) == loose]
    if len(same) == 1:
        return same[0]
    # "政府性基金支出预算表" lists "财政拨款政府性基金支出预算表" — unless the longer title
    # is a table the 目录 lists too (then this one is missing).
    within = [t for t in printed if key in _toc_key(t.title) and _toc_key(t.title) not in listed]
    if len(within) == 1:
        return within[0]
    # "“三公”经费、会议费、培训费支出预算表" printed for "一般公共预算“三公”经费…"; the words of
    # "政府性基金财政拨款支出预算表" in another order.
    around = [t for t in printed if len(_toc_key(t.title)) >= 6 and _toc_key(t.title) in key
              and _toc_key(t.title) not in listed]
    if len(around) == 1:
        return around[0]
    same_words = [t for t in printed if sorted(_toc_key(t.title)) == sorted(key)]
    if len(same_words) == 1:
        return same_words[0]
    best, score = None, 0.0
    for t in printed:
        r = SequenceMatcher(None, key, _toc_key(t.title)).ratio()
        if r > score:
            best, score = t, r
    if best is not None and (score >= 0.9 or (score >= 0.85 and _num(best) == entry.number)):
        return best
    return None


_SCOPE = re.compile(r"一般公共预算|政府性基金|国有资本经营|财政拨款|财政专户|基本支出|项目支出|三公|机关运行")


def _scopes(title: str) -> frozenset[str]:
    """The fund or spending scope words of a table title."""
    return frozenset(_SCOPE.findall(title))


def _fingerprint(table: Table) -> tuple:
    values = [c.amount.value for panel in table.panels.values() for c in panel.iter_cells() if c.amount is not None]
    return tuple(values) if sum(1 for v in values if v != 0) >= 3 else ()


def _num(table: Table) -> int | None:
    try:
        return int(table.number) if table.number is not None else None
    except ValueError:
        return None


def _where(table: Table) -> str:
    return f"公开{table.number}表" if table.number else f"第{table.span.line}行的表"


def _where_en(table: Table) -> str:
    return f"table {table.number}" if table.number else f"the table on line {table.span.line}"


_TITLE_END = re.compile(r"(?:编制)?(?:部门|单位)(?:名称)?\s*[:：]")


class ContentsMismatch(Rule):
    """目录与实际印出的表不一致（缺表、多表、编号不符、重复印制）

    ## What it does
    Reads the table titles listed in the 目录 and compares them with the tables the
    filing prints: a listed table that is not printed, a printed table not listed, a
    table whose printed number (公开NN表) differs from its place in the 目录, a table
    printed twice, and two differently titled tables with identical content.

    ## Why is this bad?
    The public-disclosure rules fix which tables a filing contains and in what order;
    a missing or duplicated table means part of the disclosure is absent, and readers
    following the 目录 look up the wrong table.

    ## Example
    ```
    目录 … 一、收入支出决算总表 … 四、财政拨款收入支出决算总表
    财政拨款收入支出决算总表  公开01表   ← 收入支出决算总表 is never printed
    财政拨款收入支出决算总表  公开04表
    ```

    ## Known false positives
    A printed table no template recognizes, whose title shares its line with other words,
    is taken as missing.
    """

    code = "H002"
    name = "document.contents-mismatch"
    summary_en = "Tables listed in the contents differ from the tables printed"

    def check(self, ctx):
        printed = sorted(ctx.tables.all, key=lambda t: (t.span.line, t.span.col))
        if not printed:
            return
        toc = _toc_entries(ctx)
        by_title: dict[str, list[Table]] = {}
        for t in printed:
            by_title.setdefault(_toc_key(t.title), []).append(t)
        toc_titles = {_toc_key(e.title): e for e in toc}
        # A 目录 line and a printed title name one table when they agree once numbering,
        # years, 部门/单位 and a bracketed suffix are set aside, or nearly so.
        listed_as: dict[int, _TocEntry] = {}
        listed = frozenset(toc_titles)
        printed_for = {id(e): _printed_for(e, printed, by_title, listed) for e in toc}
        for e in toc:
            t = printed_for[id(e)]
            if t is not None:
                for c in by_title[_toc_key(t.title)]:
                    listed_as.setdefault(id(c), e)
        reported: set[int] = set()
        prints: dict[int, tuple] = {}

        def fingerprint(t: Table) -> tuple:  # once per table, not once per pair of copies
            if id(t) not in prints:
                prints[id(t)] = _fingerprint(t)
            return prints[id(t)]

        # Printed twice: the copy whose number fits the 目录 (or comes first) is the table.
        for title, copies in by_title.items():
            if len(copies) < 2:
                continue
            entry = toc_titles.get(title)
            primary = next((c for c in copies if entry and _num(c) == entry.number), copies[0])
            for c in copies:
                if c is primary:
                    continue
                reported.add(id(c))
                same = fingerprint(c) and fingerprint(c) == fingerprint(primary)
                extra_zh = "，内容完全相同" if same else ""
                hint_zh = hint_en = ""
                if entry and _num(c) is not None and _num(c) != entry.number:
                    listed = next((e for e in toc if e.number == _num(c)), None)
                    if listed:
                        hint_zh = f"；按目录，公开{c.number}表应为「{listed.title}」"
                        hint_en = f"; by the contents, table {c.number} should be '{listed.title}'"
                yield self.finding(
                    ctx, c.span,
                    f"「{c.title}」印了两次：{_where(c)}（第{c.span.line}行）与{_where(primary)}"
                    f"（第{primary.span.line}行）{extra_zh}{hint_zh}。",
                    f"'{c.title}' is printed twice: {_where_en(c)} (line {c.span.line}) and {_where_en(primary)} "
                    f"(line {primary.span.line}){' with identical content' if same else ''}{hint_en}.",
                    label=c.title, related=[ctx.location(primary.span, primary.title)],
                    expected="printed once", actual="printed twice",
                )

        if toc:
            toc_end = max(e.span.line for e in toc)
            title_lines: set[str] | None = None  # read when an entry is missing
            for e in toc:
                if printed_for[id(e)] is not None:
                    continue
                instead = next((t for t in printed if _num(t) == e.number), None)
                if instead is not None and _similar(e.title, instead.title) >= 0.8 \
                        and len(by_title[_toc_key(instead.title)]) == 1 \
                        and _toc_key(instead.title) not in toc_titles:
                    # (the same table under a reworded title; another listed table printed
                    # under this number is a missing table, reported below)
                    listed_as.setdefault(id(instead), e)
                    yield self.finding(
                        ctx, e.span,
                        f"目录中第{e.number}张表题为「{e.title}」，印出的{_where(instead)}题为「{instead.title}」，名称不一致。",
                        f"The contents call table {e.number} '{e.title}', but {_where_en(instead)} is titled "
                        f"'{instead.title}'.",
                        label=e.title, expected=e.title, actual=instead.title, severity=Severity.WARNING,
                        related=[ctx.location(instead.span, instead.title)])
                    continue
                if title_lines is None:
                    # A title line may run on into the 部门/单位 line ("收入预算总表部门：…单位：万元").
                    title_lines = {_toc_key(_TITLE_END.split(t)[0] if "部门" in t or "单位" in t else t)
                                   for b in ctx.document.blocks
                                   if b.line > toc_end and len((t := b.text).strip()) <= 80} - set(by_title)
                if _toc_key(e.title) in title_lines or any(_similar(e.title, t) >= 0.82 for t in title_lines):
                    continue  # the title is printed; its table was not recognized (H002 cannot compare it)
                tail_zh = f"；公开{instead.number}表印的是「{instead.title}」" if instead else ""
                tail_en = f"; table {instead.number} is '{instead.title}'" if instead else ""
                yield self.finding(
                    ctx, e.span,
                    f"目录列出第{e.number}张表「{e.title}」，但文件中没有印出这张表{tail_zh}。",
                    f"The contents list table {e.number} '{e.title}', but the filing does not print it{tail_en}.",
                    label=e.title, expected=e.title, actual=instead.title if instead else None,
                    related=[ctx.location(instead.span, instead.title)] if instead else [],
                )
            for t in printed:
                key = _toc_key(t.title)
                entry = listed_as.get(id(t))
                if entry is None:
                    if by_title[key][0] is t:
                        yield self.finding(
                            ctx, t.span,
                            f"文件印出的「{t.title}」（{_where(t)}）未列入目录。",
                            f"'{t.title}' ({_where_en(t)}) is printed but not listed in the contents.",
                            label=t.title, severity=Severity.WARNING,
                        )
                    continue
                if id(t) in reported or _num(t) is None or _num(t) == entry.number:
                    continue
                yield self.finding(
                    ctx, t.number_span or t.span,
                    f"「{t.title}」印为公开{t.number}表，但目录中它是第{entry.number}张表（第{entry.span.line}行）。",
                    f"'{t.title}' is numbered {t.number}, but the contents list it as table {entry.number} "
                    f"(line {entry.span.line}).",
                    label=t.title, expected=f"{entry.number:02d}", actual=t.number,
                    related=[ctx.location(entry.span, "目录")], severity=Severity.WARNING,
                )

        # Same numbers under two different titles: one table's content printed as another.
        seen: dict[tuple, Table] = {}
        for t in printed:
            fp = fingerprint(t)
            if not fp or id(t) in reported:
                continue
            other = seen.get(fp)
            if other is not None and norm_title(other.title) != norm_title(t.title) \
                    and _scopes(other.title) == _scopes(t.title):
                # (a table of one fund's money equals the all-funds table when all money
                # comes from that fund: 支出预算总表 and 一般公共预算支出功能分类预算表)
                yield self.finding(
                    ctx, t.span,
                    f"{_where(t)}「{t.title}」与{_where(other)}「{other.title}」（第{other.span.line}行）"
                    f"的数字完全相同，疑似把同一张表印在了两个编号下。",
                    f"{_where_en(t)} '{t.title}' has exactly the same numbers as {_where_en(other)} "
                    f"'{other.title}' (line {other.span.line}); one table seems printed under two numbers.",
                    label=t.title, related=[ctx.location(other.span, other.title)],
                )
            seen.setdefault(fp, t)


# =========================================================================== H003 numbering


_ITEM_STYLES = (
    ("part", re.compile(r"^第\s*(?P<n>[一二三四五六七八九十]{1,3})\s*部分"), "cn", "第一部分"),
    ("part", re.compile(r"^第\s*(?P<n>\d{1,2})\s*部分"), "ar", "第1部分"),
    ("、", re.compile(r"^(?P<n>[一二三四五六七八九十]{1,3})\s*、"), "cn", "一、"),
    ("()", re.compile(r"^[（(]\s*(?P<n>[一二三四五六七八九十]{1,3})\s*[)）]"), "cn", "（一）"),
    ("、", re.compile(r"^(?P<n>\d{1,2})\s*、"), "ar", "1、"),
    (".", re.compile(r"^(?P<n>\d{1,2})\s*(?:．|\.(?!\d))"), "ar", "1."),
    ("()", re.compile(r"^[（(]\s*(?P<n>\d{1,2})\s*[)）]"), "ar", "（1）"),
    ("circ", re.compile(r"^(?P<n>[①-⑳])"), "circ", "①"),
)
_INLINE_START = re.compile(r"^(?:附件|备注|注|说明|其中)\s*[:：]\s*")
# The usual hierarchy of Chinese official documents: 第一部分 > 一、 > （一） > 1、/1. > （1） > ①.
_RANK = {("part", "cn"): 0, ("part", "ar"): 0, ("、", "cn"): 1, ("()", "cn"): 2, ("、", "ar"): 3, (".", "ar"): 3,
         ("()", "ar"): 4, ("circ", "circ"): 5}


def _siblings(a: tuple[str, str], b: tuple[str, str]) -> bool:
    """Could two styles number one list (a writer switching style midway)?"""
    return a[0] == b[0] or (a[1] == b[1] and {a[0], b[0]} <= {"、", "."})


class _Item:
    """A numbered heading or item (a plain class: one is made per numbered line)."""

    __slots__ = ("delim", "cls", "sample", "n", "marker", "span", "style")

    def __init__(self, delim: str, cls: str, sample: str, n: int, marker: str, span: Span):
        self.delim, self.cls, self.n, self.span = delim, cls, n, span
        self.sample = sample  # the style's canonical look, for messages
        self.marker = marker  # as printed
        self.style = delim, cls


@dataclass
class _Level:
    style: tuple[str, str]
    last: _Item
    items: list[_Item] = field(default_factory=list)  # the current run, for the style check


# _ITEM_STYLES' patterns in one, the number of each style's group named after the style.
_ITEM_START = re.compile("|".join(f"(?P<s{i}>{rx.pattern.replace('(?P<n>', f'(?P<n{i}>')})"
                                  for i, (_, rx, _, _) in enumerate(_ITEM_STYLES)))
_ITEM_GROUPS = {f"s{i}": (f"n{i}", delim, cls, sample) for i, (delim, _, cls, sample) in enumerate(_ITEM_STYLES)}


def _item(block: Block) -> _Item | None:
    if block.kind is BlockKind.ROW:
        # A text line the export ended with a tab is still a heading; table rows are not.
        if not block.cells or not block.cells[0].text or any(c.text for c in block.cells[1:]):
            return None
    raw = block.text
    lead = len(raw) - len(raw.lstrip())
    text = raw.strip()
    if text.startswith("-"):
        stripped = text[1:].lstrip()
        lead += len(text) - len(stripped)
        text = stripped
    m0 = _INLINE_START.match(text) if text[:1] in "附备注说其" else None
    if m0:
        lead += m0.end()
        text = text[m0.end():]
    m = _ITEM_START.match(text)  # (the first style whose pattern matches, as in _ITEM_STYLES' order)
    if m:
        number, delim, cls, sample = _ITEM_GROUPS[m.lastgroup]
        g = m.group(number)
        n = ord(g) - ord("①") + 1 if cls == "circ" else cn_number(g)
        if n is None:
            return None
        if m0 and n != 1:
            return None  # "附件：2、…" mid-sentence is not a list start
        whole = m.group(0)
        return _Item(delim, cls, sample, n, whole.strip(), Span(block.line, lead + 1, block.line, lead + len(whole.rstrip()) + 1))
    return None


_MID_ITEM = re.compile(
    r"(?<=[。；;：:])\s*(?:(?P<cn>[一二三四五六七八九十]{1,3})\s*、|(?P<ar>\d{1,2})\s*(?:[、．]|\.(?!\d))|"
    r"[（(]\s*(?P<pcn>[一二三四五六七八九十]{1,3})\s*[)）]|[（(]\s*(?P<par>\d{1,2})\s*[)）])")


def _mid_line_items(block: Block) -> list[_Item]:
    """List items that start inside a prose line, after a full stop, semicolon or colon."""
    if block.kind is not BlockKind.TEXT:
        return []
    out = []
    for m in _MID_ITEM.finditer(block.text):
        if m.start() < 2:
            continue
        if m.group("cn"):
            delim, cls, sample, g = "、", "cn", "一、", m.group("cn")
        elif m.group("ar"):
            delim, cls, sample, g = ("、" if "、" in m.group(0) else "."), "ar", "1、", m.group("ar")
        elif m.group("pcn"):
            delim, cls, sample, g = "()", "cn", "（一）", m.group("pcn")
        else:
            delim, cls, sample, g = "()", "ar", "（1）", m.group("par")
        n = cn_number(g)
        if n is not None:
            span = Span(block.line, m.start() + 1, block.line, m.end() + 1)
            out.append(_Item(delim, cls, sample, n, m.group(0).strip(), span))
    return out


def _item_text(block: Block) -> str:
    return re.sub(r"\s+", "", block.text)[:60]


def _tables_between(ctx: RuleContext, first: int, last: int) -> bool:
    """Are tables printed between two lines (recognized, or a run of table rows)?"""
    if any(first < t.span.line < last for t in ctx.tables.all):
        return True
    rows = sum(1 for b in ctx.document.blocks if first < b.line < last and b.kind is BlockKind.ROW)
    return rows >= 5


def _table_lines(ctx: RuleContext) -> frozenset[int]:
    """The lines of every recognized table, title to last row (read once per filing:
    several rules ask)."""
    def read(ctx: RuleContext) -> frozenset[int]:
        lines: set[int] = set()
        for t in ctx.tables.all:
            lines.update(range(t.span.line + 1, t.last_line + 1))
        return frozenset(lines)

    return ctx.cached("hygiene.table-lines", read)


# Where a numbered item can be: at the start of a line (past a dash and 附件：…) or after
# a stop inside one.  Both hints are loose forms of _ITEM_STYLES' and _MID_ITEM's patterns.
_ITEM_MARK = (r"(?:第\s*[一二三四五六七八九十\d]|[一二三四五六七八九十]{1,3}\s*、|\d{1,2}\s*[、．.]"
              r"|[（(]\s*(?:[一二三四五六七八九十]{1,3}|\d{1,2})\s*[)）]|[①-⑳])")
# (a table row's first cell starts it: no tab comes first; a dash or 附件：… may)
_ITEM_START_HINTS = _hints(r"\n[^\S\t\n]*(?:" + _ITEM_MARK + r"|[-附备注说其])")
_MID_ITEM_HINTS = _hints(*_led("。；;：:", r"[^\S\n]*" + _ITEM_MARK))


def _in_other_table(blocks: list[Block], index: int) -> bool:
    """Is ``blocks[index]`` a row of a table no template recognized (a row next to it
    holds more than a first cell)?"""
    return blocks[index].kind is BlockKind.ROW and any(
        0 <= j < len(blocks) and blocks[j].kind is BlockKind.ROW and any(c.text for c in blocks[j].cells[1:])
        for j in (index - 1, index + 1))


class NumberingBroken(Rule):
    """标题或条目编号跳号、重复、错乱或样式混用

    ## What it does
    Follows the numbered headings and items of the text (第一部分, 一、, （一）, 1、, 1., （1）,
    ①) level by level and reports a number skipped (一、二、四、), repeated (三、 twice),
    going backwards, a list that does not start at one, and a list that mixes numbering
    styles (``1、 2、 3、 四、 五、``).

    ## Why is this bad?
    Broken numbering shows a section was deleted, duplicated or pasted from another
    document, and cross-references (“详见第三部分”) no longer point where they should.

    ## Example
    ```
    3.教育支出（类）…
    5.农林水支出（类）…        ← 4. is missing
    ```

    ## Known false positives
    Items a PDF repeats in a hidden text layer with other words than the printed ones; a
    list numbered on in an unusual way.  (Items repeated word for word are taken as a copied
    block and not reported: a block really printed twice is missed.)
    """

    code = "H003"
    name = "document.numbering-broken"
    severity = Severity.WARNING
    summary_en = "Heading or item numbers skip, repeat, go backwards or mix styles"

    def check(self, ctx):
        stack: list[_Level] = []
        runs: list[list[_Item]] = []
        last_of: dict[tuple[str, str], _Item] = {}  # the last item of each style, lists ended or not
        in_table = _table_lines(ctx)
        current_part = ""
        pending: list[_Item] = []  # items inside the previous line, taken after its own item
        texts: dict[tuple, str] = {}  # the text of each item, to tell a copied block from a slip

        def text_of(item: _Item, block: Block) -> None:
            # (the first time an item of this style and number is seen)
            if (item.style, item.n) not in texts:
                texts[item.style, item.n] = _item_text(block)

        def pop_to(size: int) -> None:
            while len(stack) > size:
                runs.append(stack.pop().items)

        def skipped(index: int) -> bool:
            # a table's row labels ("二、政府性基金预算财政拨款") are not the text's
            # numbering, nor are those of a table no template recognized
            return blocks[index].line in in_table or _in_other_table(blocks, index)

        blocks = ctx.document.blocks
        done = -1  # the last block read
        # Only lines that may hold an item are read; any other line (not skipped) ends
        # the items pending from the line before it.
        starts = _blocks_where(ctx, "item-starts", _ITEM_START_HINTS, text_only=True)
        inside = _blocks_where(ctx, "mid-items", _MID_ITEM_HINTS, text_only=True)
        starts_set, inside_set = set(starts), set(inside)
        for index in sorted(starts_set.union(inside)):
            if skipped(index):
                continue
            block = blocks[index]
            if pending and any(not skipped(j) for j in range(done + 1, index)):
                pending = []
            done = index
            mids, pending = pending, _mid_line_items(block) if index in inside_set else []
            item = _item(block) if index in starts_set else None
            if item is not None and item.delim == "part":
                heading = re.sub(r"\s+", "", block.text)
                if heading == current_part:
                    item = None  # the part heading the template prints again on every table page
                current_part = heading
            for mid in mids:
                # "具体包括：1. 本部" / "…准则。（八）负责…": an item inside a line numbers
                # the list too, though nothing is reported at it.
                self_level = next((lv for lv in reversed(stack) if lv.style == mid.style), None)
                if self_level is not None and mid.n == self_level.last.n + 1:
                    self_level.last = mid
                elif mid.n == 1 and self_level is None:
                    keep = len(stack)
                    while keep and _RANK[stack[keep - 1].style] >= _RANK[mid.style]:
                        keep -= 1
                    pop_to(keep)
                    stack.append(_Level(mid.style, mid, []))
                last_of[mid.style] = mid
            if item is None:
                continue
            style = item.style
            last_of_style = last_of.get(style)
            last_of[style] = item
            idx = len(stack) - 1  # the innermost level of this style, if any
            while idx >= 0 and stack[idx].style != style:
                idx -= 1
            if idx < 0:
                idx = None
                text_of(item, block)
            if idx is not None:
                pop_to(idx + 1)
                level = stack[idx]
                prev = level.last
                if item.n == prev.n + 1:
                    pass
                elif item.n == 1:
                    runs.append(level.items)
                    level.items = []
                elif item.n <= prev.n and texts.get((item.style, item.n)) == _item_text(block):
                    # The same item word for word again: a copied block of text (in PDFs
                    # often a hidden text layer), not a numbering slip.
                    pass
                else:
                    if not (item.delim == "part" and item.n > prev.n and
                            _tables_between(ctx, prev.span.line, item.span.line)):
                        # (a part made of the tables alone may print no heading of its own)
                        yield self._sequence_finding(ctx, item, prev)
                text_of(item, block)
                level.last = item
                level.items.append(item)
                continue
            sib = next((i for i in range(len(stack) - 1, -1, -1)
                        if item.n > 1 and stack[i].last.n == item.n - 1 and _siblings(stack[i].style, item.style)),
                       None)
            if sib is not None:
                pop_to(sib + 1)
                level = stack[sib]
                level.style = item.style
                level.last = item
                level.items.append(item)
                continue
            # A new list: levels at its own rank or below it have ended.
            keep = len(stack)
            while keep and _RANK[stack[keep - 1].style] >= _RANK[item.style]:
                keep -= 1
            pop_to(keep)
            stack.append(_Level(item.style, item, [item]))
            if item.n != 1 and not (last_of_style is not None and last_of_style.n == item.n - 1):
                # (a list numbered on across sub-headings, "（二）… 5." after "（一）… 4.", goes on)
                first = "第一部分" if item.delim == "part" else item.sample
                yield self.finding(
                    ctx, item.span,
                    f"编号未从头开始：本组第一项是「{item.marker}」，应为「{first}」样式的第1项（第{block.line}行）。",
                    f"Numbering does not start at one: the first item of this list is '{item.marker}' "
                    f"(line {block.line}).",
                    label=item.marker, expected="1", actual=str(item.n),
                )
        pop_to(0)
        for run in sorted((r for r in runs if r), key=lambda r: (r[0].span.line, r[0].span.col)):
            yield from self._style_findings(ctx, run)

    def _sequence_finding(self, ctx, item: _Item, prev: _Item) -> Finding:
        if item.n == prev.n:
            zh = f"编号重复：「{item.marker}」与第{prev.span.line}行的「{prev.marker}」编号相同。"
            en = f"Repeated number: '{item.marker}' repeats '{prev.marker}' of line {prev.span.line}."
        elif item.n > prev.n:
            zh = (f"编号不连续：上一项是第{prev.span.line}行的「{prev.marker}」，此处应为第{prev.n + 1}项，"
                  f"却是「{item.marker}」。")
            en = (f"Numbering skips: after '{prev.marker}' (line {prev.span.line}) item {prev.n + 1} is expected, "
                  f"found '{item.marker}'.")
        else:
            zh = f"编号倒退：上一项是第{prev.span.line}行的「{prev.marker}」，此处却是「{item.marker}」。"
            en = f"Numbering goes backwards: '{item.marker}' follows '{prev.marker}' (line {prev.span.line})."
        return self.finding(ctx, item.span, zh, en, label=item.marker, expected=str(prev.n + 1),
                            actual=str(item.n), related=[ctx.location(prev.span, prev.marker)])

    def _style_findings(self, ctx, run: list[_Item]) -> Iterator[Finding]:
        if len(run) < 2 or all(i.style == run[0].style for i in run):
            return
        counts = Counter(i.style for i in run)
        if len(counts) < 2:
            return
        top = max(counts.values())
        majority = next(i.style for i in run if counts[i.style] == top)
        odd = [i for i in run if i.style != majority]
        sample = next(i for i in run if i.style == majority)
        lines = "、".join(str(i.span.line) for i in odd)
        yield self.finding(
            ctx, odd[0].span,
            f"编号样式混用：同一组编号多数为「{sample.marker}」样式，第{lines}行却用了「{odd[0].marker}」等其他样式。",
            f"Mixed numbering styles: most items of this list look like '{sample.marker}', but line(s) {lines} "
            f"use another style ('{odd[0].marker}').",
            label=odd[0].marker, related=[ctx.location(i.span, i.marker) for i in odd[1:]],
        )


# =========================================================================== H004/H005 department


_DEPT_LINE = re.compile(r"^\s*(?:部门|部门名称|单位名称|预算单位|编制部门|编制单位)\s*[:：]\s*(?P<name>\S.*?)\s*$")
_UNIT_WORDS = ("万元", "元", "千元", "亿元", "万", "人", "个")
# Row labels only: a bare 部门 can head a column of a table listing several bodies.
_DEPT_LABELS = ("部门名称", "单位名称", "预算单位", "预算部门")
_COLUMN_WORDS = {"备注", "序号", "金额", "单位", "说明", "类型", "性质", "级次", "单位性质", "单位类型", "单位级次",
                 "经费形式", "单位代码", "项目", "合计"}


@dataclass(frozen=True)
class _DeptMention:
    name: str
    span: Span


_WHOLE_SUFFIX = re.compile(r"[（(]?(?:本级|本部|机关本级|汇总|部门汇总|单位汇总|本级汇总)[)）]?$")
_UNIT_LABEL_AFTER = re.compile(r"(单位|金额单位)[:：].*$")
_LABEL_NOISE = re.compile(r"[\s:：]")


def _clean_name(text: str) -> str:
    t = _SPACES_RE.sub("", text)
    t = _WHOLE_SUFFIX.sub("", t)
    t = _UNIT_LABEL_AFTER.sub("", t)  # "部门：X  单位：万元" on one line
    return t


_SPACES_RE = re.compile(r"\s+")


def _header_departments(ctx: RuleContext) -> list[_DeptMention]:
    # H004 and H005 both need them (twice, through expected_department): read once.
    return ctx.cached("hygiene.header-departments", _read_header_departments)


# The lines that may name the department: a 部门：… line, or a row with a label cell
# (its white space and colons set aside).
_DEPT_HINTS = _hints(*(
    r"部门(?:名称)?\s*[:：]", r"单位名称\s*[:：]", r"预算单位\s*[:：]", r"编制(?:部门|单位)\s*[:：]",
    r"名[\s:：]*称", r"预[\s:：]*算[\s:：]*[单部]"))


def _read_header_departments(ctx: RuleContext) -> list[_DeptMention]:
    found: dict[int, _DeptMention] = {}
    for t in ctx.tables.all:
        if t.department and t.department_span is not None:
            found.setdefault(t.department_span.line, _DeptMention(_clean_name(t.department), t.department_span))
    blocks = ctx.document.blocks
    for index in _blocks_where(ctx, "department-labels", _DEPT_HINTS):
        b = blocks[index]
        if b.line in found:
            continue
        if b.kind is BlockKind.TEXT:
            m = _DEPT_LINE.match(b.text)
            if m:
                name = _clean_name(m.group("name"))
                if name and name not in _UNIT_WORDS:
                    found[b.line] = _DeptMention(name, Span(b.line, m.start("name") + 1, b.line, m.end("name") + 1))
            continue
        cells = list(b.cells)
        for i, c in enumerate(cells):
            # (every label has 称 or 算: a cheap test before cleaning each cell)
            if ("称" in c.text or "算" in c.text) and _LABEL_NOISE.sub("", c.text) in _DEPT_LABELS:
                value = next((v for v in cells[i + 1:] if v.text), None)
                # "序号 | 单位名称 | 备注" heads a list of units: its next cell is a column name.
                if value is not None and len(_clean_name(value.text)) >= 2 \
                        and _clean_name(value.text) not in _COLUMN_WORDS:
                    found[b.line] = _DeptMention(_clean_name(value.text), value.span)
                break
    return [found[k] for k in sorted(found)]


def expected_department(ctx: RuleContext) -> str | None:
    """The filing's department: the name most table headers give (metadata first)."""
    meta = ctx.document.metadata.get("department")
    if isinstance(meta, str) and meta.strip():
        return _clean_name(meta)
    names = [m.name for m in _header_departments(ctx)]
    if not names:
        return None
    counts = Counter(names)
    top = max(counts.values())
    return next(n for n in names if counts[n] == top)


class DepartmentNameMismatch(Rule):
    """表头“部门”名称与本文件部门不一致或被截断

    ## What it does
    Collects the department each table header names (``部门：…``, ``部门名称``, ``预算单位``)
    and compares it with the filing's department (the name most headers give): a
    different name, or one cut short (``部门：示例市``), is reported.  A shortened form that
    only drops the region prefix (``某某区财政局`` for ``示例市某某区财政局``) is
    accepted.

    ## Why is this bad?
    Every table of a filing belongs to one department; another name in a header means
    the table was copied from another filing, or the header was damaged, and the reader
    cannot be sure the numbers are this department's.

    ## Example
    ```
    部门：示例市市场监督管理局      (most tables)
    部门：示例市市场监督管理中心    ← another name
    部门：示例市                    ← cut short
    ```

    ## Known false positives
    A header that names one unit of the department on purpose (a unit's own table).
    """

    code = "H004"
    name = "document.department-mismatch"
    summary_en = "A table header names another or a truncated department"

    def check(self, ctx):
        expected = expected_department(ctx)
        if not expected:
            return
        cover = cover_department(ctx)
        for m in _header_departments(ctx):
            n = m.name
            if n == expected or expected in n or (len(n) >= 4 and expected.endswith(n)):
                continue
            if cover and _level_dropped(cover, n):
                continue  # H007 says which level of the name is missing
            if expected.startswith(n) and _wrapped(ctx, m.span.line, expected[len(n):], n):
                continue  # the name wraps in its cell: the rest is printed on the next line
            if expected.startswith(n):
                yield self.finding(
                    ctx, m.span,
                    f"表头部门名称被截断：只写了「{n}」，本文件部门为「{expected}」（第{m.span.line}行）。",
                    f"The header's department is cut short: '{n}' instead of '{expected}' (line {m.span.line}).",
                    label="部门", expected=expected, actual=n,
                )
            else:
                yield self.finding(
                    ctx, m.span,
                    f"表头部门名称「{n}」与本文件部门「{expected}」不一致（第{m.span.line}行）。",
                    f"The header names the department '{n}', but this filing is '{expected}' (line {m.span.line}).",
                    label="部门", expected=expected, actual=n,
                )


_COVER_DEPT = re.compile(r"^\s*(?:预算主管部门|主管部门|部门名称|单位名称|编制部门|编制单位|预算单位)\s*[:：]\s*(?P<name>\S+?)\s*$")
_COVER_TITLE = re.compile(r"^(?P<name>\S{4,40}?(?:局|厅|委员会|委|办公室|办公厅|办事处|院|所|站|中心|队|处|会|馆|校|部|社))"
                          r"(?:[（(][^）)]*[）)])?\s*(?:\d{4}\s*年度?)?\s*(?:部门|单位)?\s*(?:预算|决算|$)")
_LEVEL = "省市区县州旗盟镇乡"


def cover_department(ctx: RuleContext) -> str | None:
    """The department named on the cover (the first lines of the filing)."""
    def read(ctx: RuleContext) -> str | None:
        for b in islice(_text_blocks(ctx), 15):
            m = _COVER_DEPT.match(b.text) or _COVER_TITLE.match(re.sub(r"\s+", "", b.text))
            if m:
                return _clean_name(m.group("name"))
        return None

    return ctx.cached("hygiene.cover-department", read)


def _level_dropped(cover: str, name: str) -> str | None:
    """The administrative level ``name`` leaves out of ``cover`` from inside the name
    (``甲市审计局`` for ``甲市乙区审计局`` drops ``乙区``), or ``None``.  Leaving
    out the leading levels (``乙区审计局``) is the usual short form, not a drop."""
    if len(name) >= len(cover) or not name:
        return None
    for i in range(1, len(name)):
        if cover[:i] != name[:i]:
            break
        if cover[i - 1] not in _LEVEL:
            continue
        rest = name[i:]
        j = len(cover) - len(rest)
        if j > i and cover[j:] == rest and cover[j - 1] in _LEVEL:
            return cover[i:j]
    return None


class DepartmentLevelMissing(Rule):
    """表头部门名称缺少一级行政区划（与封面名称相比）

    ## What it does
    Compares the department each table header names with the name on the cover and
    reports a header name that leaves out a level from inside it — the district of a
    district bureau (``甲市审计局`` on the tables of ``甲市乙区审计局``).  Leaving out
    the leading levels (``乙区审计局``) is the usual short form and is not reported.

    ## Why is this bad?
    Without the district the header names another body — the city's bureau — and a
    reader of the table alone attributes the numbers to it.

    ## Example
    ```
    封面：甲市乙区审计局2026年度部门预算
    部门：甲市审计局                         ← 乙区 missing
    ```

    ## Known false positives
    A body whose proper name has no district although the cover adds one is reported.
    """

    code = "H007"
    name = "document.department-level-missing"
    summary_en = "A table header drops a level (e.g. the district) of the department's name"

    def check(self, ctx):
        cover = cover_department(ctx)
        if not cover:
            return
        for m in _header_departments(ctx):
            dropped = _level_dropped(cover, m.name)
            if dropped is None:
                continue
            yield self.finding(
                ctx, m.span,
                f"表头部门名称「{m.name}」比封面「{cover}」少了「{dropped}」一级，成了另一个单位的名称（第{m.span.line}行）。",
                f"The header names '{m.name}', which drops '{dropped}' from the cover's '{cover}' and names another "
                f"body (line {m.span.line}).",
                label="部门", expected=cover, actual=m.name,
            )


_ORG_SUFFIX = "局厅委办院所站馆队处会中心室组部社校场"


_ALIAS = re.compile(r"(?:加挂|挂牌|同时挂|挂|合署办公|又名|亦称|简称)[^。]*$")


def _wrapped(ctx: RuleContext, line: int, rest: str, name: str = "") -> bool:
    """Is ``rest`` (the part of the name a header lacks) printed on the next lines, or
    after the unit that the layout set in the middle of the name ("…办 单位：万元公厅")?"""
    rest = re.sub(r"\s+", "", rest)
    if not rest:
        return False
    unit = re.compile(r"(?:金额|计量)?单位\s*[:：]\s*(?:万元|千元|亿元|元)")
    here = unit.sub("", re.sub(r"\s+", "", ctx.document.lines[line - 1])) if 0 < line <= len(ctx.document.lines) else ""
    if name and re.sub(r"\s+", "", name) + rest in here:
        return True
    for t in ctx.document.lines[line:line + 2]:
        t = unit.sub("", re.sub(r"\s+", "", t))
        if t.startswith(rest):
            return True
    return False


def _hamming(a: str, b: str) -> int:
    return sum(1 for x, y in zip(a, b) if x != y) + abs(len(a) - len(b))


class DepartmentNameVariant(Rule):
    """正文中的部门名称与本文件部门名称相近但不同

    ## What it does
    Looks in the text for names that start like the filing's department but differ in
    one or two characters (``示例市市场监督管里局`` for ``示例市市场监督管理局``,
    ``…监督服务局`` for ``…监督管理局``) and reports each variant once.

    ## Why is this bad?
    A near-miss name is either a typo in the department's own name or text copied from
    another body's report; both undermine what the filing says about whom it covers.

    ## Example
    ```
    示例市市场监督服务局部门决算包括：示例市市场监督管里局本级决算。
    ```

    ## Known false positives
    A sister body whose name differs from the department's in one or two characters, named
    without 加挂/合署/简称 before it.
    """

    code = "H005"
    name = "document.department-name-variant"
    severity = Severity.WARNING
    summary_en = "The text names the department slightly differently"

    def check(self, ctx):
        expected = expected_department(ctx)
        if not expected or len(expected) < 6:
            return
        anchor = expected[:4]
        variants: dict[str, list[Span]] = {}
        blocks = ctx.document.blocks
        # (the lines that hold the anchor, white space inside it set aside)
        hint = re.compile(r"\s*".join(map(re.escape, anchor)))
        for index in _blocks_where(ctx, f"anchor.{anchor}", (hint,), BlockKind.TEXT):
            block = blocks[index]
            text = _SPACES.sub("", block.text)
            if anchor not in text:
                continue
            cols = [m.start() for m in _NOT_SPACE.finditer(block.text)]  # of each character of ``text``
            for m in re.finditer(re.escape(anchor), text):
                window = text[m.start():m.start() + len(expected)]
                if len(window) < len(expected) or window == expected:
                    continue
                d = _hamming(window, expected)
                if d == 0 or d > 2 or window[-1] not in _ORG_SUFFIX:
                    continue
                if _ALIAS.search(text[max(0, m.start() - 80):m.start()]):
                    continue  # "加挂示例区经济委员会牌子": another name the body carries, not a typo
                start, end = cols[m.start()], cols[m.start() + len(window) - 1] + 1
                variants.setdefault(window, []).append(_spans_of(block, start, end))
        for name, spans in variants.items():
            more_zh = f"，共{len(spans)}处" if len(spans) > 1 else ""
            yield self.finding(
                ctx, spans[0],
                f"正文写作「{name}」，与本文件部门名称「{expected}」不一致{more_zh}。",
                f"The text names '{name}', which differs from the filing's department '{expected}'"
                f"{f' ({len(spans)} places)' if len(spans) > 1 else ''}.",
                label="部门", expected=expected, actual=name,
                related=[ctx.location(s, name) for s in spans[1:]],
            )


# =========================================================================== H006 years


_Y = r"(?P<y>(?:19|20)\d{2})"
_YEAR_AT_END = re.compile(rf"截\s*[至止]\s*{_Y}\s*年\s*(?:底|末|年底|年末|12\s*月\s*(?:31\s*日|底|末))")
_YEAR_STOCK = re.compile(rf"{_Y}\s*年\s*(?:年末|年底|末)\s*(?:实有|共有|在职|在编|保有)")
_YEAR_COMPARE = re.compile(rf"(?:与|较|比|同)\s*{_Y}\s*年度?\s*(?:同期)?\s*(?:相比|比较|增加|减少|下降|增长|上升|持平|的|减|增|多|少)")
_YEAR_REPORT = re.compile(rf"{_Y}\s*年度?\s*(?:部门|单位|项目支出|部门整体支出|整体支出)?\s*(?:决算|绩效自评|绩效评价)")


# Loose forms of the four, led by a fixed character.
_YEAR_HINTS = _hints(*(
    r"截\s*[至止]\s*(?:19|20)\d{2}", r"年\s*(?:年末|年底|末)\s*(?:实有|共有|在职|在编|保有)",
    *_led("与较比同", r"\s*(?:19|20)\d{2}"),
    r"年度?\s*(?:部门|单位|项目支出|部门整体支出|整体支出)?\s*(?:决算|绩效自评|绩效评价)"))


_COMPARE_OWN_BUDGET = re.compile(r"\s*年度?\s*(?:的)?\s*(?:年初|全年|调整后?)?\s*预算")
_BUDGET_COVER = re.compile(r"(?:部门|单位)(?:整体)?预算(?!单位)|预算(?:公开|编制说明)")
_FINAL_COVER = re.compile(r"(?:部门|单位)(?:整体)?决算|决算(?:公开|说明)")


def is_budget(ctx: RuleContext) -> bool:
    """Is the filing a budget (预算) rather than a final account or a report on the past?"""
    def read(ctx: RuleContext) -> bool:
        try:
            from lint.recognize.filing import read_kind
        except ImportError:  # pragma: no cover - older tree: read the cover here
            read_kind = None
        if read_kind is not None:
            return read_kind(ctx.document, list(ctx.tables.all)).kind == "budget"
        cover = "".join(re.sub(r"\s+", "", b.text) for b in islice(_text_blocks(ctx), 12))
        b, f = _BUDGET_COVER.search(cover), _FINAL_COVER.search(cover)
        return bool(b) and (not f or b.start() < f.start())

    return ctx.cached("hygiene.is-budget", read)


class YearOutOfContext(Rule):
    """年份与报告年度不符

    ## What it does
    Knowing the report year (from the title), checks the years the text ties to it: a
    year-end date (``截至2023年底``, ``截止2022年12月31日``), a year-end head count
    (``2021年年末实有在职人数``), the year a 决算 or 绩效自评 is of (``2022年度部门决算``)
    — all must be the report year — and the year compared with (``比2021年增加``), which
    must be the year before.

    ## Why is this bad?
    A wrong year usually means text carried over from another year's filing without
    being updated; the figures beside it may be stale too.

    ## Example
    ```
    （2022年度决算）… 公务接待费支出决算比2020年减少0.46万元。
    ```

    ## Known false positives
    A year-end figure stated on purpose for another year than the report's (a budget that
    quotes the year before last).
    """

    code = "H006"
    name = "document.year-out-of-context"
    summary_en = "A year in the text does not fit the report year"

    def check(self, ctx):
        year = ctx.report_year
        if not year:
            return
        # A budget is published before its year: its year-end figures (assets, staff)
        # are those of the year before, and last year's 决算 is not its own.
        budget = is_budget(ctx)
        checks = [(_YEAR_AT_END, year - 1 if budget else year, "年末时点", "a year-end date", None),
                  (_YEAR_STOCK, year - 1 if budget else year, "年末时点", "a year-end figure", None),
                  (_YEAR_COMPARE, year - 1, "对比年份（上年）", "the comparison year (the year before)", Severity.WARNING)]
        if not budget:
            checks.append((_YEAR_REPORT, year, "决算（自评）年度", "the year reported on", None))
        blocks = ctx.document.blocks
        for index in _blocks_where(ctx, "years", _YEAR_HINTS, BlockKind.TEXT):
            block = blocks[index]
            text = block.text
            done: list[tuple[int, int]] = []
            for rx, want, what_zh, what_en, sev in checks:
                for m in rx.finditer(text):
                    if any(a <= m.start("y") < b for a, b in done):
                        continue
                    done.append(m.span("y"))
                    if rx is _YEAR_REPORT and re.search(r"(?:与|较|比|同|上年|上一年度?)\s*$", text[max(0, m.start() - 4):m.start()]):
                        continue
                    got = int(m.group("y"))
                    if got == want:
                        continue
                    if rx is _YEAR_COMPARE and got == year and _COMPARE_OWN_BUDGET.match(text, m.end("y")):
                        continue  # "与 2020 年度预算相比" in a 2020 report: this year's budget
                    yield self.finding(
                        ctx, _spans_of(block, m.start("y"), m.end("y")),
                        f"年份不符：「{_quote(m.group(0))}」中的{got}年是{what_zh}，本报告为{year}年度，应为{want}年。",
                        f"Year out of place: in '{_quote(m.group(0))}' {got} is {what_en}; this is a {year} report, "
                        f"so {want} is expected.",
                        label="年份", expected=str(want), actual=str(got), severity=sev,
                    )


# =========================================================================== F001-F003 number writing


_ANOMALY_TEXT = {
    "decimal-comma": ("F001", "小数点误写为逗号", "a decimal comma instead of a decimal point"),
    "space-in-number": ("F002", "数字中间夹有空格", "a space inside the number"),
    "fullwidth-digits": ("F003", "使用了全角数字", "full-width digits"),
}
_UNIT_AFTER = re.compile(r"^\s*(?:万元|元|亿元|%|％)")
# lint.numbers.find_numbers reads "236,52" in prose as 236 followed by text; a decimal
# comma before a unit is looked for directly.
_PROSE_DECIMAL_COMMA = re.compile(r"(?<![\d.,])\d+,\d{1,2}(?![\d,])(?=\s*(?:万元|元|亿元|%|％))")
_FULLWIDTH_RUN = re.compile(r"[０-９][０-９．，]*")
_SPACED_HINT = re.compile(r"\d\.\s\d")  # lint.numbers.NUMBER_IN_TEXT's only way to a spaced number
# The prose lines that may write a number each way (each prose scan's own condition).
_PROSE_HINTS = {
    "fullwidth-digits": tuple(re.compile(d) for d in "０１２３４５６７８９"),
    "decimal-comma": (re.compile(r",(?<=\d,)\d"),),
    "space-in-number": (re.compile(r"\.(?<=\d\.)\s\d"),),
}
# A table cell holds a number written wrongly (a comma for the point, a space inside,
# full-width or other odd characters) only if it has a character other than plain ASCII
# and the marks of row labels, or a comma, or a space beside a point: a cell with an
# ideograph or one of （）、： is no number, and plain ASCII reads as itself.  A cell
# lint.numbers.number_problem finds fault with (F007) has such a character too, or is
# plain ASCII and then a spreadsheet error or NaN/Infinity, an exponent, a number in
# brackets, or one with more digits than any amount.  One scan serves both.
_ODD_NUMBER_HINTS = (
    re.compile(r"[^\t\n\x20-\x2b\x2d-\x7e\u4e00-\u9fff（）、：]"),
    *_hints(",", r"\.(?:\s|(?<=\s\.)|(?<=\d{16}\.)|\d{11})",
            "#", *_led("nN", "[aA][nN]"), *_led("iI", "[nN][fF]"), *_led("eE", "(?<=[\\d.][eE])"),
            *_led("（(", r"\s*\d")),
)


class _NumberFormat(Rule):
    """Shared scan: anomalous numbers in table cells (per row) and in prose."""

    anomaly: str = ""
    severity = Severity.WARNING

    def check(self, ctx):
        _, zh_what, en_what = _ANOMALY_TEXT[self.anomaly]
        rows: list[tuple[int, Finding]] = []
        prose: list[Finding] = []
        anomalous = ctx.cached("hygiene.cell-anomalies", _cell_anomalies)
        blocks = ctx.document.blocks
        for index, cells in anomalous.items():  # (table rows, in order)
            block = blocks[index]
            bad = [c for c, anomaly in cells if anomaly == self.anomaly]
            if bad:
                more = f"等{len(bad)}个单元格" if len(bad) > 1 else ""
                rows.append((index, self.finding(
                    ctx, Span(block.line, bad[0].span.col, block.line, bad[-1].span.end_col),
                    f"表中数字「{bad[0].text}」{more}{zh_what}（第{block.line}行）。",
                    f"The number '{bad[0].text}'{f' and {len(bad) - 1} more' if len(bad) > 1 else ''} in this "
                    f"row is written with {en_what} (line {block.line}).",
                    label="数字格式", actual=bad[0].text, cells=len(bad), kind="row",
                )))
        for index in _blocks_where(ctx, f"prose.{self.anomaly}", _PROSE_HINTS[self.anomaly], BlockKind.TEXT):
            if blocks[index].kind is BlockKind.TEXT:
                prose.extend(self._prose(ctx, blocks[index], zh_what, en_what))
        # A whole table written the same wrong way is one finding, not one per row.
        yield from sorted([*group_runs(rows), *prose], key=Finding.sort_key)

    def _prose(self, ctx, block: Block, zh_what: str, en_what: str) -> Iterator[Finding]:
        text = block.text
        for start, end in self._prose_numbers(text):
            written = text[start:end]
            yield self.finding(
                ctx, _spans_of(block, start, end),
                f"正文数字「{written}」{zh_what}（第{block.line}行）。",
                f"The number '{written}' is written with {en_what} (line {block.line}).",
                label="数字格式", actual=written,
            )

    def _prose_numbers(self, text: str) -> Iterator[tuple[int, int]]:
        """Where ``text`` writes a number with this rule's anomaly."""
        if self.anomaly == "fullwidth-digits":
            return (m.span() for m in _FULLWIDTH_RUN.finditer(text))
        if self.anomaly == "decimal-comma":
            return (m.span() for m in _PROSE_DECIMAL_COMMA.finditer(text))
        if self.anomaly == "space-in-number" and not _SPACED_HINT.search(text):
            return iter(())  # find_numbers reads a number with a space only from "<digit>. <digit>"
        # In prose only a number followed by a unit is surely one number, not a list.
        return ((start, end) for start, end, amount in find_numbers(text)
                if amount.anomaly == self.anomaly and _UNIT_AFTER.match(text[end:]))


def _cell_anomalies(ctx: RuleContext) -> dict[int, list[tuple[CellText, str]]]:
    """For each table row (by block index), its cells whose number is written wrongly,
    with the anomaly: read once for the rules of every anomaly."""
    out: dict[int, list[tuple[CellText, str]]] = {}
    blocks = ctx.document.blocks
    for index in _blocks_where(ctx, "odd-numbers", _ODD_NUMBER_HINTS, BlockKind.ROW):
        block = blocks[index]
        if block.kind is BlockKind.ROW:
            bad = [(c, a.anomaly) for c in block.cells if c.text and (a := parse_number(c.text)) and a.anomaly]
            if bad:
                out[index] = bad
    return out


class DecimalComma(_NumberFormat):
    """数字的小数点误写为逗号

    ## What it does
    Reports numbers written with a comma where the decimal point belongs (``236,52``),
    in table cells and, before a unit, in the text.  Thousands separators (``1,367.76``)
    are fine.

    ## Why is this bad?
    ``236,52`` reads as twenty-three thousand six hundred fifty-two by a machine
    and as a typo by a person; either way the amount is not stated clearly.

    ## Example
    ```
    20106⇥财政事务⇥103,20⇥103,20
    ```

    ## Known false positives
    A list of two small numbers written with a comma and no space before a unit ("1,25 万元").
    """

    code = "F001"
    name = "format.decimal-comma"
    summary_en = "A decimal comma instead of a decimal point"
    anomaly = "decimal-comma"


class SpaceInNumber(_NumberFormat):
    """数字中间夹有空格

    ## What it does
    Reports numbers broken by a space (``158. 40``), in table cells and, before a unit,
    in the text.

    ## Why is this bad?
    Copying or searching the amount fails, and a reader may take the parts for two
    numbers.

    ## Example
    ```
    合计⇥⇥236. 84⇥158. 40⇥78. 44
    ```

    ## Known false positives
    Two amounts a table cell holds on purpose, separated by one space.
    """

    code = "F002"
    name = "format.space-in-number"
    summary_en = "A space inside a number"
    anomaly = "space-in-number"


class FullwidthDigits(_NumberFormat):
    """数字使用了全角字符

    ## What it does
    Reports numbers written with full-width digits (``２３６．５２``) in table cells and text.

    ## Why is this bad?
    Full-width digits look like numbers but are not: they break copying into
    spreadsheets and every automatic check of the amounts.

    ## Example
    ```
    本年收入合计２３６．８４万元
    ```
    """

    code = "F003"
    name = "format.fullwidth-digits"
    summary_en = "Full-width digits in a number"
    anomaly = "fullwidth-digits"


# =========================================================================== F007 odd numbers


def _visible(text: str) -> str:
    """``text`` with invisible characters and combining marks shown as ``<U+200B>``."""
    import unicodedata

    return "".join(f"<U+{ord(ch):04X}>" if unicodedata.category(ch) in ("Cf", "Mn", "Me", "Cc") else ch
                   for ch in text)


class OddNumber(Rule):
    """表格数字中夹有异常字符或无法确定数值

    ## What it does
    Reports a table cell whose number carries an invisible character (zero-width
    space, right-to-left mark, BOM), a combining mark or non-Latin digits — the value
    is still read and checked — or that cannot be read as an amount at all: a
    superscript or circled digit inside it (``49.06²``), parentheses (``(49.06)``),
    scientific notation (``1e308``), ``NaN``/``Infinity`` or a spreadsheet error
    (``#DIV/0!``), or more digits than any amount has.

    ## Why is this bad?
    A number that looks right on screen but is not a plain number drops out of
    copying, searching and every automatic check; one whose value is unclear cannot
    be checked at all.

    ## Example
    ```
    2010301⇥行政运行⇥49.06​⇥49.06
    ```
    (a zero-width space after the first 49.06)

    ## Known problems
    A plain run of 16 or more digits is taken for a code or an ID, not an amount,
    and is not reported.
    """

    code = "F007"
    name = "format.odd-number"
    severity = Severity.WARNING
    summary_en = "A number with an invisible or odd character, or one whose value is unclear"

    def check(self, ctx):
        from lint.numbers import PROBLEMS, number_problem

        blocks = ctx.document.blocks
        for index in _blocks_where(ctx, "odd-numbers", _ODD_NUMBER_HINTS, BlockKind.ROW):
            block = blocks[index]
            if block.kind is not BlockKind.ROW:
                continue
            for cell in block.cells:
                problem = number_problem(cell.text) if cell.text else None
                if problem is None:
                    continue
                zh_what, en_what = PROBLEMS[problem]
                shown = _visible(cell.text)
                read = parse_number(cell.text)
                zh_tail = f"，按 {read.value} 检查" if read is not None else "，未参与检查"
                en_tail = f"; checked as {read.value}" if read is not None else "; not checked"
                yield self.finding(
                    ctx, cell.span,
                    f"表中数字「{shown}」{zh_what}（第{block.line}行）{zh_tail}。",
                    f"The number '{shown}' has {en_what} (line {block.line}){en_tail}.",
                    label="数字格式", actual=shown, problem=problem,
                )


class UndecodableBytes(Rule):
    """文件中有无法解码的字节

    ## What it does
    Reports each place where the reader met bytes that are not valid in the file's
    encoding (a damaged byte, a last character cut off).  The file is read with those
    bytes replaced by U+FFFD (�) and linted as usual; only the damaged places are lost.

    ## Why is this bad?
    A damaged byte usually sits inside a character or a number: whatever stood there
    is gone, and a check that involves it cannot be trusted.

    ## Example
    ```
    2010301⇥行政运行⇥49.�6
    ```

    ## Known problems
    The first 50 places of a file are reported one by one; the last finding then
    says how many more there are.
    """

    code = "F008"
    name = "format.undecodable-bytes"
    severity = Severity.ERROR
    summary_en = "Bytes that cannot be decoded in the file's encoding"

    def check(self, ctx):
        places = ctx.document.metadata.get("undecodable") or []
        total = ctx.document.metadata.get("undecodable_count", len(places))
        enc = ctx.document.encoding
        for i, (line, col, hexbytes) in enumerate(places):
            more_zh = more_en = ""
            if i == len(places) - 1 and total > len(places):
                more_zh = f"；此外还有 {total - len(places)} 处"
                more_en = f"; {total - len(places)} more places besides"
            yield self.finding(
                ctx, Span.on_line(line, col, 1),
                f"第{line}行第{col}列的字节 {hexbytes} 无法按 {enc} 解码，已替换为 �{more_zh}。",
                f"Bytes {hexbytes} at line {line}, column {col} cannot be decoded as {enc}; replaced by "
                f"U+FFFD{more_en}.",
                label="无法解码", actual=hexbytes,
            )


# =========================================================================== F004 blank vs zero


class BlankAndZeroMixed(Rule):
    """同一栏中空白与“0.00”混用

    ## What it does
    In each column of each recognized table, looks at the rows that have a name and
    reports the column when some of them are left blank and others say 0 (``0.00``).

    ## Why is this bad?
    A blank can mean "nothing", "not applicable" or "not filled in"; mixing it with
    explicit zeros in one column makes the reader guess which blanks are which.

    ## Example
    ```
    十、节能环保支出⇥24⇥0.00
    十一、城乡社区支出⇥25⇥
    ```
    """

    code = "F004"
    name = "format.blank-and-zero-mixed"
    # The official reporting software prints 0.00 in some columns and leaves others
    # blank: a mixed column is normal output, worth a note, not a warning.
    severity = Severity.NOTE
    summary_en = "One column mixes blank cells and explicit zeros"

    def check(self, ctx):
        for table in sorted(ctx.tables.all, key=lambda t: t.span.line):
            for panel in table.panels.values():
                named = [r for r in panel.rows if r.label.strip()]
                mixed = []
                for col in panel.columns:
                    zeros: list = []
                    blanks: list = []
                    for r in named:  # (one pass over the column)
                        c = panel.cell(r.key, col)
                        if c is None:
                            continue
                        if c.amount is not None and c.amount.value == 0:
                            zeros.append(c)
                        if c.blank:
                            blanks.append((r, c))
                    if zeros and blanks:
                        mixed.append((col, zeros, blanks))
                if not mixed:
                    continue
                col, zeros, blanks = mixed[0]
                r0, c0 = blanks[0]
                # A blank last cell starts right after the line's end: point at the tab
                # before it instead, so the region stays on the line.
                text = ctx.document.lines[c0.span.line - 1] if 0 < c0.span.line <= len(ctx.document.lines) else ""
                span = c0.span
                if span.end_col > len(text) + 1:
                    start = min(span.col, max(len(text), 1))
                    span = Span(span.line, start, span.line, max(start, len(text)) + 1 if text else start)
                side = _SIDE.get(panel.name, "") if len(table.panels) > 1 else ""  # (never a raw key)
                cols = "、".join(panel.header(m[0]) for m in mixed)
                yield self.finding(
                    ctx, span,
                    f"{_where(table)}「{table.title}」{side}的{len(mixed)}栏（{cols}）中，有的单元格填0、有的留空"
                    f"（如“{panel.header(col)}”栏{len(zeros)}个填0、{len(blanks)}个留空，第{r0.line}行「{r0.label}」为空），"
                    f"空白与0混用。",
                    f"In {_where_en(table)} '{table.title}'{' (' + panel.name + ' side)' if side else ''}, "
                    f"{len(mixed)} column(s) ({cols}) mix zeros and blanks (e.g. '{col}': {len(zeros)} zeros, "
                    f"{len(blanks)} blanks; line {r0.line} '{r0.label}' is blank).",
                    label=col, related=[ctx.location(zeros[0].span, "0")],
                )


# The sides of a two-sided table as the message names them ("use": the expense by use,
# the third side of Jiangsu's 收支预算总表).
_SIDE = {"income": "收入侧", "expense": "支出侧", "use": "支出（按用途）侧", "main": ""}


# =========================================================================== F005 amount without unit


_NO_UNIT = re.compile(
    r"(?:决算数|预算数|支出数|收入数|决算|预算|支出|收入|合计|总计|金额|总额)\s*(?:为|是|达|共)?\s*"
    r"(?P<num>\d+\.\d{1,2})(?=\s*(?:[，,。；;）)]|$))"
)


_NO_UNIT_HINTS = tuple(re.compile(h) for h in _led("数算出入计额", r"\s*[为是达共]?\s*\d+\.\d"))  # (the words' ends)
_PROSE = re.compile(r"[，。；：][^\d\s]")


class AmountWithoutUnit(Rule):
    """正文金额缺少单位

    ## What it does
    Finds amounts in the text that follow a money word (决算数, 预算, 支出, 合计 …) but
    carry no unit (``决算数为84.26，``), looking at the next line too when the line ends
    with the number.

    ## Why is this bad?
    Without 万元 the reader cannot know the amount's scale; tables are in 万元 but the text
    often switches to 元.

    ## Example
    ```
    2022年一般公共预算支出决算数为84.26，完成预算96.35%。
    ```

    ## Known false positives
    A count or a code after a money word ("项目支出为 3") in a prose line.
    """

    code = "F005"
    name = "format.amount-without-unit"
    severity = Severity.WARNING
    summary_en = "An amount in the text has no unit"

    def check(self, ctx):
        blocks = ctx.document.blocks
        in_table = _table_lines(ctx)
        for i in _blocks_where(ctx, "no-unit", _NO_UNIT_HINTS, BlockKind.TEXT):
            block = blocks[i]
            if block.kind is not BlockKind.TEXT or block.line in in_table:
                continue
            text = block.text.rstrip()
            if not _PROSE.search(text):
                continue  # "其他人大事务支出 580.00": a table row laid out as text, not prose
            for m in _NO_UNIT.finditer(text):
                if m.end() >= len(text) and _UNIT_AFTER.match(next_prose(blocks, i)):
                    continue  # the unit is on the next line (or page)
                yield self.finding(
                    ctx, _spans_of(block, m.start("num"), m.end("num")),
                    f"金额「{m.group('num')}」没有写单位（第{block.line}行），应注明万元或元。",
                    f"The amount '{m.group('num')}' has no unit (line {block.line}); 万元 or 元 is expected.",
                    label="单位", actual=m.group("num"),
                )


# =========================================================================== F006 unit line cut


_UNIT_LINE = re.compile(r"^\s*(?P<label>[^\s:：]{0,6})\s*[:：]\s*(?P<unit>万元|元|千元|亿元|万)\s*$")
_UNIT_LABELS = ("单位", "金额单位", "计量单位", "货币单位")
_UNIT_LINE_HINTS = tuple(re.compile(h) for h in _led(":：", r"\s*[万元千亿]"))


class UnitLineCut(Rule):
    """“单位：万元”一行残缺

    ## What it does
    Reports a table's unit line that lost characters (``位：万元``, ``额单位：万元``,
    ``金额单位：万`` with ``元`` on the next line).

    ## Why is this bad?
    The unit line is how the reader knows the table is in 万元; a damaged one is a sign
    the table was cut when copied, and may be misread.

    ## Example
    ```
    公开01表
    位：万元
    ```
    """

    code = "F006"
    name = "format.unit-line-cut"
    severity = Severity.WARNING
    summary_en = "A damaged 单位：万元 line"

    def check(self, ctx):
        blocks = ctx.document.blocks
        for index in _blocks_where(ctx, "unit-lines", _UNIT_LINE_HINTS):
            block = blocks[index]
            if "：" not in block.text and ":" not in block.text:
                continue  # a unit line has its colon
            for text, offset in _pieces(block):
                m = _UNIT_LINE.match(text)
                if not m:
                    continue
                label, unit = m.group("label"), m.group("unit")
                cut_label = label not in _UNIT_LABELS and label and any(
                    full.endswith(label) or full.startswith(label) for full in _UNIT_LABELS)
                cut_unit = label in _UNIT_LABELS and unit == "万"
                if not (cut_label or cut_unit):
                    continue
                start = offset + len(text) - len(text.lstrip())
                yield self.finding(
                    ctx, _spans_of(block, start, offset + len(text.rstrip())),
                    f"单位行残缺：「{text.strip()}」，应为「单位：万元」之类的完整写法（第{block.line}行）。",
                    f"The unit line '{text.strip()}' is cut short; '单位：万元' or similar is expected "
                    f"(line {block.line}).",
                    label="单位", actual=text.strip(), expected="单位：万元",
                )


RULES = [
    TemplateLeftover,
    ContentsMismatch,
    NumberingBroken,
    DepartmentNameMismatch,
    DepartmentNameVariant,
    DepartmentLevelMissing,
    YearOutOfContext,
    DecimalComma,
    SpaceInNumber,
    FullwidthDigits,
    BlankAndZeroMixed,
    AmountWithoutUnit,
    UnitLineCut,
    OddNumber,
    UndecodableBytes,
]
