"""Claims read from the narrative (情况说明): the numbers the prose states, by role.

Each sentence is read as a run of numbers with the text between them.  A number's
unit says what it is (``万元``/``元``/``亿元`` money, ``%`` a rate, ``个``/``人``/``辆`` … a
count, ``年`` a year); the words just before it say its role:

* ``本年收入合计 236.84 万元``                      an amount of a subject
* ``…，占 98%`` / ``占基本支出的 83.1%``            a share of a whole
* ``增加 18.34 万元，增长 8.4%``                    a change (delta and rate)
* ``与 2021 年的收入 218.50 万元相比``              the previous value of a change
* ``年初预算为 B，支出决算为 A，完成年初预算的 P%`` a completion rate
* ``其中：A x 万元；B y 万元`` / ``X 中，A …``      parts of a whole

Money is normalised to 万元 in ``Claim.values`` (``Amount.decimals`` shifts with the
unit, so the rounding of ``3.27 亿元`` stays 50 万元); ``Claim.unit`` keeps the unit as
written (``None`` when the filing left ``万元`` out).  Counts are claims of their own
kind and never mix with money.

Every value keeps its exact source span (``Claim.spans`` by role); ``Claim.span``
runs from the subject to the last value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache
from operator import attrgetter

from ..model import Amount, Claim, Document, Span
from ..numbers import NUMBER_IN_TEXT, NUMBER_START, parse_number
from .sentences import _DEFINITION, CLAUSE_PUNCT, Sentence, paragraphs
from .subjects import (BUDGET, clean_subject, compose, is_generic, normalize_subject,
                       split_role)

__all__ = ["extract_claims", "money_value"]

_MONEY_UNITS: tuple[tuple[str, Decimal], ...] = (
    ("万元", Decimal(1)), ("亿元", Decimal(10000)), ("千元", Decimal("0.1")), ("元", Decimal("0.0001")),
)
_COUNT_UNITS = tuple(sorted((
    "台（套）", "台(套)", "个工作日", "人次", "批次", "班次", "辆次", "个", "人", "名", "辆", "项", "台",
    "套", "家", "件", "次", "户", "份", "条", "批", "篇", "场", "期", "所", "处", "间", "册", "本", "天",
    "座", "栋", "幢", "张", "部", "架", "艘", "公里", "平方米", "亩", "吨", "小时", "课时", "周", "届", "支",
    "万余人", "万人", "万余", "万多",
), key=len, reverse=True))
_COUNT_UNIT = re.compile("|".join(map(re.escape, _COUNT_UNITS)))  # longest first, as listed
_DATE_UNITS = ("年", "月", "日", "号", "时", "季度", "分", "岁", "倍", "级", "类", "星")

_PUNCT = set(CLAUSE_PUNCT)
_THRESHOLD = re.compile(r"(?:及)?(?:以上|以下|以内|左右|上下|起)")
_MONEY_CONTEXT = re.compile(r"(?:预算|决算|支出|收入|经费|资金|金额|总额|拨款|结余|结转|合计|总计)(?:数|额)?(?:为|是|[:：])?$")
_DELTA = re.compile(r"(?:各)?(增加/减少|减少/增加|增加|减少|增长|下降|降低|上升|提高|节约|节省|压减|增|减)了?$")
_DELTA_LAST = frozenset("少加长降低升高约省减增")  # the last characters of _DELTA's words: no search without one
_GROWTH = re.compile(r"(增加/减少|增长|下降|降低|上升|提高|减少|增加|增幅|降幅|增|减)(?:了|率|幅度)?(?:为|是|达到|达)?$")
_APPROX = re.compile(r"(?:约|近|超过|超|逾|大约|大概)$")
_COMPLETION = re.compile(
    r"(?:完成了?(?:年初|全年|调整后?|年度)?(?:预算|计划)(?:数)?的?|(?:预算)?执行率(?:为|是|达到|达)?|完成率(?:为|是)?|"
    r"执行进度(?:为|是)?)$")
# The characters each of these can end in (compact text holds no newline for "$" to stop before).
_GROWTH_LAST = frozenset("少长降低升高加幅增减了率度为是到达")
_APPROX_LAST = frozenset("约近过超逾概")
_COMPLETION_LAST = frozenset("算划数的率为是到达度")
_SHARE = re.compile(r"占(比)?(?P<base>[^，,；;：:。]*?)(?:的)?(?:比重|比例)?(?:为|是|达到|达)?$")
_PARTS = re.compile(r"其中|主要用于以下方面|主要用于以下几个方面|主要用于|分别为|分别是|包括[:：]|如下[:：]|构成[:：]")
_LIST_AHEAD = re.compile(r"(?:其中|如下|分别为|以下方面)[:：]?[。.]?$")
_NAMED_WHOLE = re.compile(r"^(?P<name>.+?[^其])中[，,：:]")
_COMPARISON = re.compile(
    r"(?:与|较|比|同)(?P<basis>上年度?同期|上年度?|上一年度?|去年|\d{4}年度?|年初预算数?|全年预算数?|调整后?预算数?|预算数?)"
    r"(?:的[^，,；;。]*?)?(?:相比|比较)?|同比")
_NOT_A_NAME = re.compile(_COMPARISON.pattern + r"|相比|比较|相较")
_PREVIOUS_LEAD = re.compile(r"(?:与|较|比)(?P<rest>.*)$")
_AFTER_PREVIOUS = re.compile(r"^(?:相比|比较|相较)|^(?:相比)?[，,]?(?:各)?(?:增加|减少|增长|下降|降低)")
_BUDGET_BASE = re.compile(r"^(?:年初|全年|调整后?)?预算(?:数)?$")
_TOTAL_WORDS = {"总收入", "收入总额", "总支出", "支出总额", "总额", "合计", "总计", "收入合计", "支出合计"}
_SYNONYMS = {"总收入": "收入合计", "收入总额": "收入合计", "总支出": "支出合计", "支出总额": "支出合计"}
_TOTAL_SUFFIX = re.compile(r"(?:总额|金额|总计|合计|总数)$")
_YEAR = re.compile(r"(19|20)\d\d")
_YEAR_OF = re.compile(r"(\d{4})年")
_FOUR_DIGITS = re.compile(r"(\d{4})")
# A list item's marker just before a subject, by level (as sentences.heading_level counts):
# "一、" 1, "（一）" 2, "1、"/"1." 3, "（1）" 4, "①" 5.
_ITEM_MARKERS = tuple((level, re.compile(pattern)) for level, pattern in (
    (2, r"[（(][一二三四五六七八九十]{1,3}[）)]$"), (1, r"(?<![一二三四五六七八九十])[一二三四五六七八九十]{1,3}、$"),
    (4, r"[（(]\d{1,2}[）)]$"), (3, r"(?<![\d.])\d{1,2}[、.．]$"), (5, r"[①-⑳]$"),
))
_MARKER_ENDS = frozenset("）)、.．" + "".join(map(chr, range(ord("①"), ord("⑳") + 1))))  # last characters of those
_FLAT = re.compile(r"(?:与|较|比|同)[^，,；;。与较比]{2,30}?(?:相比|比较)?[，,]?(?:基本)?(?P<word>持平|相同|一致|相等|保持不变|不变|无变化|没有变化)")
_CHANGE_CONTEXT = re.compile(r"比|较|相比|同比|上年|去年|上一年|年初")
_TOTAL_RESTATED = {"合计", "总计", "共计", "小计", "合计金额", "总额", "共"}
# "比 2023 年预算执行数减少 57.14%": the quantity compared with, named in full.
_BASIS_PHRASE = re.compile(r"(?:与|较|比|同)(?P<phrase>[^，,；;。：:与较比]{2,30}?)(?:相比|比较|相较)?[，,]?(?:各)?$")


def money_value(amount: Amount, factor: Decimal) -> Amount:
    """``amount`` (written in a unit worth ``factor`` 万元) expressed in 万元.  The
    decimals shift with the unit so the rounding stays that of the written number."""
    if factor == 1:
        return amount
    shift = -factor.adjusted()
    return Amount(amount.value * factor, amount.decimals + shift, amount.text, amount.anomaly)


@dataclass(slots=True)
class _Token:
    start: int  # first character of the number (sentence offsets)
    num_end: int  # after the number (and its % sign)
    end: int  # after the unit
    amount: Amount
    kind: str  # money, percent, count, year, date, other
    unit: str | None = None
    wan: Amount | None = None
    aside: bool = False  # inside parentheses


@dataclass
class _Amt:
    """An ordinary money amount of the sentence being read."""

    token: _Token
    subject: str
    role: str | None
    head: str
    subject_start: int
    claim: Claim | None = None
    aside: bool = False
    part: bool = False
    level: int | None = None  # the list marker before the subject ("（二）" → 2)


@dataclass
class _Whole:
    subject: str
    amt: _Amt | None  # None when the whole is named without an amount ("X 中，")
    value: Amount | None
    span: Span | None
    start: int
    sentence: Sentence
    parts: list = field(default_factory=list)  # (_Amt, share Claim | None)
    role: str | None = None

    def total(self) -> Decimal:
        total = Decimal(0)
        for a, _ in self.parts:
            total += a.token.wan.value
        return total


@dataclass(frozen=True)
class _Carry:
    subject: "_Amt | None"  # an elliptical change in the next sentence is about this
    list_base: "_Amt | None"  # a list opening the next sentence ("其中：…") breaks this down


_NOTHING_CARRIED = _Carry(None, None)
# Claims in source order: (line, col, end_line, end_col, kind).
_SOURCE_ORDER = attrgetter("span.line", "span.col", "span.end_line", "span.end_col", "kind")


@dataclass
class _Change:
    delta: _Token | None
    direction: str | None
    name: str
    basis: str | None
    basis_year: tuple[int, int, int] | None  # (year, start, end) within the sentence
    previous: tuple[_Token, str] | None
    start: int
    percent: _Token | None = None
    previous_claim: Claim | None = None  # last year's value, stated in an earlier clause or sentence


class _Reader:
    def __init__(self, document: Document):
        self.document = document
        self.claims: list[Claim] = []
        # Lists whose item opened a list of its own ("（二）X 9.98 万元，其中：…"): the outer
        # list goes on at the next item of its level ("（三）…").
        self.suspended: list[_Whole] = []
        self.history: list[tuple[str, Claim, int]] = []  # (normalized subject, claim, paragraph)

    # ------------------------------------------------------------------ tokens

    def tokens(self, s: Sentence) -> list[_Token]:
        """The numbers of ``s`` that make claims: amounts, shares (percent) and counts.
        Years, dates and ordinals stay part of the text around them."""
        text = s.text
        if not _DIGIT.search(text):
            return []  # most sentences state no number at all
        # How many parentheses are open around each number (``aside``): the brackets
        # before it, opened and closed in order (an unmatched closing one closes nothing).
        brackets = [(m.start(), m.group() in "（(") for m in _PAREN.finditer(text)] \
            if "（" in text or "(" in text or "）" in text or ")" in text else ()  # (most have none)
        k, depth, n_brackets = 0, 0, len(brackets)
        refold = s.original != text  # full-width digits were folded somewhere in the sentence
        out: list[_Token] = []
        # numbers.find_numbers, with the unit after each number matched in the same go.
        at = 0
        while (c := NUMBER_START.search(text, at)) is not None:
            start = c.start()
            m = _NUMBER_AND_UNIT.match(text, start)
            if m is None:
                at = start + 1
                continue
            number, percent = m.group("num", "pct")
            at = end = m.end("pct") if percent else m.end("num")
            amount = parse_number(number + "%" if percent else number)
            if amount is None:
                continue
            while k < n_brackets and brackets[k][0] < start:
                depth = depth + 1 if brackets[k][1] else max(depth - 1, 0)
                k += 1
            if refold:
                written = s.original[start:end]
                if written != text[start:end]:
                    amount = replace(amount, text=written, anomaly=amount.anomaly or "fullwidth-digits")
            if amount.percent:
                out.append(_Token(start, end, end, amount, "percent", None, None, depth > 0))
                continue
            unit_end, kind, unit, wan = _classify(text, start, end, amount, m)
            if kind in _VALUED:
                out.append(_Token(start, end, unit_end, amount, kind, unit, wan, depth > 0))
        return out

    # ------------------------------------------------------------------ document

    def read(self) -> list[Claim]:
        open_whole: _Whole | None = None
        for p in paragraphs(self.document):
            text = p.text
            if self.suspended and _names_section(text):
                for w in self.suspended:
                    self._close_whole(w)
                self.suspended = []
            if not _DIGIT.search(text):
                # No number in any of its sentences: the paragraph claims nothing, and its
                # first sentence ends the open list (see _no_values; nothing is carried
                # into a paragraph, so none of them opens one).
                if open_whole is not None:
                    open_whole = self._close_whole(open_whole)
                continue
            # What the paragraph's last sentence was about, and the amount a list opening
            # the next sentence belongs to.
            carry = _NOTHING_CARRIED
            # A definition is found within one sentence ("：指", "是指" span no sentence end).
            definitions = "指" in text and _DEFINITION.search(text) is not None
            for s in p.sentences():
                if definitions and _DEFINITION.search(s.text):  # is_definition(s.text)
                    open_whole = self._close_whole(open_whole)
                    continue
                carry, open_whole = self.sentence(s, carry, open_whole)
        self._close_whole(open_whole)
        for w in self.suspended:
            self._close_whole(w)
        self.claims.sort(key=_SOURCE_ORDER)
        return self.claims

    # ------------------------------------------------------------------ sentence

    def sentence(self, s: Sentence, carried: _Carry, open_whole: _Whole | None):
        valued = self.tokens(s)
        if not valued:
            return self._no_values(s, carried, open_whole)
        carry = carried.subject
        text = s.text
        frame: list[_Amt] = []
        topic = ""
        change: _Change | None = None
        completion_from = 0
        prev_end = 0
        first_money = True
        pending_previous: tuple[_Token, str] | None = None  # last year's value, waiting for its change
        waiting: _Whole | None = None  # a list paused by an item of a deeper level
        whole = self._named_whole(s, valued)

        for tok in valued:
            gap = text[prev_end:tok.start]
            seg = _segment(gap)
            if tok.kind == "money" and _PARTS.search(gap):
                # A list opening a sentence ("。其中：…") belongs to the previous sentence's
                # amount; a list after a numbered item ("（二）X 9.98 万元，其中：") to that item.
                base = (_last_whole_candidate(frame)
                        or (frame[-1] if frame and frame[-1].level is not None and not frame[-1].aside else None)
                        or (carried.list_base if not frame and _PARTS.match(text) else None))
                outer = None
                if base is not None and base.part and base.level is not None:
                    outer = next((w for w in (whole, open_whole)
                                  if w is not None and any(e[0] is base for e in w.parts)), None)
                if whole is not None and whole is not outer and (whole.parts or whole.amt is not None):
                    self._close_whole(whole)
                if open_whole is not None and open_whole is not outer:  # a new list: the previous one has ended
                    self._close_whole(open_whole)
                open_whole = None
                if outer is not None:  # the item's own list: the outer list waits for its next item
                    self.suspended.append(outer)
                    if whole is outer:
                        whole = None
                if base is not None and base.claim is not None:
                    whole = _Whole(base.subject, base, base.token.wan, base.claim.spans.get("amount"),
                                   base.subject_start, s, role=base.role)
                elif whole is None or whole.amt is not None:
                    whole = None  # a named whole ("X 中，其中：") stays
            if tok.kind == "money":
                lead = seg
                d = _DELTA.search(lead) if (lead[-2:-1] if lead[-1:] == "了" else lead[-1:]) in _DELTA_LAST else None
                if d and lead[:d.start()] and not _CHANGE_CONTEXT.search(text[:tok.start - len(lead) + d.start()]):
                    d = None  # "支持商销稳增长 30.00 万": a name that ends in a direction word
                if d:
                    if change is not None:
                        self._emit_change(s, change, frame, carry)
                    change = _Change(tok, _direction(d.group(1)), clean_subject(_NOT_A_NAME.sub("", lead[: d.start()])),
                                     *_basis(text, tok.start), previous=None, start=tok.start)
                    if pending_previous is not None:
                        change.previous, pending_previous = pending_previous, None
                    else:
                        change.previous_claim = self._named_previous(s, tok.start - len(lead) + d.start(), frame)
                    prev_end = tok.end
                    continue
                pm = _PREVIOUS_LEAD.search(lead)
                if pm and _AFTER_PREVIOUS.search(text[tok.end:]):
                    pending_previous = (tok, clean_subject(pm.group("rest")))
                    prev_end = tok.end
                    continue
                if change is not None:
                    self._emit_change(s, change, frame, carry)
                    change = None
                # An ordinary amount.
                amt = self._amount(s, tok, seg, topic)
                if not amt.aside and not is_generic(amt.subject):
                    head = split_role(amt.subject)[0]
                    if not is_generic(head):
                        topic = head
                resumed = self._resume(amt) if self.suspended and not amt.aside else None
                if resumed is not None:
                    for w in (whole, open_whole):
                        if w is not None and w is not resumed:
                            self._close_whole(w)
                    open_whole = None
                    whole = resumed
                    whole.parts.append([amt, None])
                    amt.part = True
                elif first_money and open_whole is not None:
                    if self._continues(open_whole, amt):
                        whole = open_whole
                        whole.parts.append([amt, None])
                        amt.part = True
                    elif _deeper(open_whole, amt):
                        waiting = open_whole  # "1、…" under "（一）…": the list goes on after it
                    else:
                        self._close_whole(open_whole)
                    open_whole = None
                elif whole is not None and whole.parts and _is_restated_total(amt):
                    pass  # "…，合计 1170.00 万元": the whole said again, not one of its parts
                elif whole is not None and not amt.aside and _role_fits(whole.role, amt.role):
                    if whole.role == BUDGET and amt.role is None:
                        # A part of a budget is a budget: "预算数合计 12 万元，其中公务接待费 5 万元".
                        amt.subject, amt.role = amt.subject + "预算", BUDGET
                    whole.parts.append([amt, None])
                    amt.part = True
                    whole.role = whole.role or amt.role
                first_money = False
                frame.append(amt)
                self._emit_amount(s, amt)
            elif tok.kind == "percent":
                lead = seg
                last = lead[-1:]  # each pattern below ends in "$": no search without its last character
                if last in _APPROX_LAST and _APPROX.search(lead):
                    prev_end = tok.end
                    continue
                g = _GROWTH.search(lead) if last in _GROWTH_LAST else None
                c = _COMPLETION.search(lead) if last in _COMPLETION_LAST else None
                sh = _SHARE.search(lead) if "占" in lead else None
                if g and not c and not sh:
                    if change is not None and change.percent is None:
                        change.percent = tok
                    else:
                        if change is not None:
                            self._emit_change(s, change, frame, carry)
                        change = _Change(None, _direction(g.group(1)), "", *_basis(text, tok.start),
                                         previous=pending_previous, start=tok.start)
                        if pending_previous is None:
                            change.previous_claim = self._named_previous(s, tok.start - len(lead) + g.start(), frame)
                        pending_previous = None
                        change.percent = tok
                elif c or (sh and _BUDGET_BASE.match(clean_subject(sh.group("base") or ""))
                           and any(a.role == BUDGET for a in frame[completion_from:])):
                    self._emit_completion(s, tok, frame[completion_from:], topic)
                    completion_from = len(frame)
                elif sh and not clean_subject(lead[: lead.index("占")]):
                    # "两类合计占 12.4%" states the share of something else than the last amount.
                    self._emit_share(s, tok, frame, whole, sh.group("base") or "")
            else:
                self._emit_count(s, tok, seg)
            prev_end = tok.end

        if change is not None:
            self._emit_change(s, change, frame, carry)
        self._flat_changes(s, frame)
        if waiting is not None and whole is None:
            open_whole = waiting
        elif whole is not None and whole.value is not None and whole.parts and not _list_ahead(text, prev_end) \
                and whole.total() < whole.value.value:
            open_whole = whole  # the list may go on in the next sentence
        elif whole is None and open_whole is None and _list_ahead(text, prev_end) \
                and (base := _last_whole_candidate(frame) or (None if frame else carried.list_base)) is not None \
                and base.claim is not None:
            # "…5,836.27 万元，其中：" ends the sentence: the list is in what follows.
            open_whole = _Whole(base.subject, base, base.token.wan, base.claim.spans.get("amount"),
                                base.subject_start, s, role=base.role)
        else:
            self._close_whole(whole)
            if open_whole is not None and open_whole is not whole:
                self._close_whole(open_whole)
            open_whole = None
        subject = _sentence_subject(frame)
        return _Carry(subject or carry, _last_whole_candidate(frame) or subject or carried.list_base), open_whole

    def _named_whole(self, s: Sentence, valued: list[_Token]) -> _Whole | None:
        """The whole a sentence opens by name before its first value ("X 中，…")."""
        m = _NAMED_WHOLE.match(s.text) if "中" in s.text else None
        if m and (not valued or m.end() <= valued[0].start) and not _COMPARISON.search(m.group("name")):
            name = clean_subject(m.group("name"))
            if name and not is_generic(name):
                value, span = self.lookup(name, s.paragraph)
                return _Whole(name, None, value, span, m.start("name"), s, role=split_role(name)[1])
        return None

    def _no_values(self, s: Sentence, carried: _Carry, open_whole: _Whole | None):
        """:meth:`sentence` for a sentence without an amount, share or count (most of
        them): it claims nothing; it only ends the open list, or opens the list its
        "其中：" announces for the previous sentence's amount."""
        base = carried.list_base
        if open_whole is None and base is not None and base.claim is not None \
                and _list_ahead(s.text) and self._named_whole(s, []) is None:
            return carried, _Whole(base.subject, base, base.token.wan, base.claim.spans.get("amount"),
                                   base.subject_start, s, role=base.role)
        if open_whole is not None:
            self._close_whole(open_whole)
        return carried, None

    # ------------------------------------------------------------------ pieces

    def _amount(self, s: Sentence, tok: _Token, seg: str, topic: str) -> _Amt:
        raw = clean_subject(seg)
        subject = raw
        head, role, role_text = split_role(raw)
        if not normalize_subject(head) and topic and role is not None:
            subject = compose(topic, role_text)
            head = topic
        start = tok.start - len(seg) + max(seg.rfind(raw), 0) if raw else tok.start
        return _Amt(tok, subject, role, head, start, aside=tok.aside, level=_marker_level(s.text, start))

    def _emit_amount(self, s: Sentence, amt: _Amt) -> None:
        tok = amt.token
        spans = {"amount": s.span(tok.start, tok.end)}
        if amt.subject_start < tok.start:
            spans["subject"] = s.span(amt.subject_start, tok.start)
        claim = Claim("amount", s.span(amt.subject_start, tok.end), s.source, amt.subject,
                      {"amount": tok.wan}, unit=tok.unit, spans=spans)
        amt.claim = claim
        self.claims.append(claim)
        key = normalize_subject(amt.subject)
        if key:
            self.history.append((key, claim, s.paragraph))

    def _emit_count(self, s: Sentence, tok: _Token, seg: str) -> None:
        subject = clean_subject(seg)
        start = tok.start - len(seg) + max(seg.rfind(subject), 0) if subject else tok.start
        self.claims.append(Claim("count", s.span(start, tok.end), s.source, subject or None,
                                 {"count": tok.amount}, unit=tok.unit,
                                 spans={"count": s.span(tok.start, tok.end)}))

    def _emit_share(self, s: Sentence, tok: _Token, frame: list[_Amt], whole: _Whole | None, base_text: str) -> None:
        if not frame:
            return
        amt = frame[-1]
        base_name = clean_subject(base_text) or None
        value = span = None
        base_subject = None
        part_of = None
        if whole is not None:
            for entry in whole.parts:
                if entry[0] is amt:
                    part_of = whole
        if base_name:
            base_subject = base_name
            if part_of is not None and _names_match(base_name, part_of.subject):
                value, span = part_of.value, part_of.span
            else:
                value, span = self.lookup(base_name, s.paragraph, before=amt.claim)
                if value is None and part_of is not None and base_name in _TOTAL_WORDS:
                    value, span = part_of.value, part_of.span
        elif part_of is not None:
            base_subject, value, span = part_of.subject, part_of.value, part_of.span
        values = {"amount": amt.token.wan, "percent": tok.amount}
        spans = {"amount": s.span(amt.token.start, amt.token.end), "percent": s.span(tok.start, tok.num_end)}
        if value is not None:
            values["base"] = value
            if span is not None:
                spans["base"] = span
        claim = Claim("share", s.span(amt.subject_start, tok.num_end), s.source, amt.subject, values,
                      base=base_subject, unit=amt.token.unit, spans=spans)
        self.claims.append(claim)
        if part_of is not None:
            for entry in part_of.parts:
                if entry[0] is amt:
                    entry[1] = claim

    def _emit_completion(self, s: Sentence, tok: _Token, frame: list[_Amt], topic: str) -> None:
        usable = [a for a in frame if not a.aside]
        budget = next((a for a in reversed(usable) if a.role == BUDGET), None)
        after = usable[usable.index(budget) + 1:] if budget else usable
        actual = next((a for a in reversed(after) if a.role != BUDGET), None)
        if budget is None and actual is None:
            return
        values: dict[str, Amount] = {"percent": tok.amount}
        spans = {"percent": s.span(tok.start, tok.num_end)}
        first = budget or actual
        for role, a in (("budget", budget), ("actual", actual)):
            if a is not None:
                values[role] = a.token.wan
                spans[role] = s.span(a.token.start, a.token.end)
        subject = (budget or actual).head or topic or None
        self.claims.append(Claim("completion", s.span(first.subject_start, tok.num_end), s.source, subject,
                                 values, unit=first.token.unit, spans=spans))

    def _emit_change(self, s: Sentence, ch: _Change, frame: list[_Amt], carry: _Amt | None) -> None:
        current = self._current(ch, frame, carry)
        values: dict[str, Amount] = {}
        spans: dict[str, Span] = {}
        start = ch.start
        if current is not None:
            values["current"] = current.token.wan
            spans["current"] = (s.span(current.token.start, current.token.end) if current in frame
                                else current.claim.spans["amount"])
            if current in frame:
                start = min(start, current.subject_start)
        if ch.delta is not None:
            values["delta"] = ch.delta.wan
            spans["delta"] = s.span(ch.delta.start, ch.delta.end)
        if ch.percent is not None:
            values["percent"] = ch.percent.amount
            spans["percent"] = s.span(ch.percent.start, ch.percent.num_end)
        if ch.previous is not None:
            values["previous"] = ch.previous[0].wan
            spans["previous"] = s.span(ch.previous[0].start, ch.previous[0].end)
            start = min(start, ch.previous[0].start)
        elif ch.previous_claim is not None:
            values["previous"] = ch.previous_claim.values["amount"]
            if "amount" in ch.previous_claim.spans:
                spans["previous"] = ch.previous_claim.spans["amount"]
        if ch.basis_year is not None:
            year, ys, ye = ch.basis_year
            values["compared_year"] = Amount(Decimal(year), 0, str(year))
            spans["compared_year"] = s.span(ys, ye)
        if current is not None and current in frame:
            off = _clause_start(s.text, current.subject_start)
            ym = _YEAR_OF.search(s.text[off:current.token.start])
            if ym:
                values["year"] = Amount(Decimal(ym.group(1)), 0, ym.group(1))
                spans["year"] = s.span(off + ym.start(1), off + ym.end(1))
        if not values.get("delta") and not values.get("percent"):
            return
        end = max(sp_end for sp_end in (ch.delta.end if ch.delta else 0, ch.percent.num_end if ch.percent else 0))
        subject = ch.name or (current.subject if current else None)
        self.claims.append(Claim("change", s.span(start, end), s.source, subject, values, base=ch.basis,
                                 direction=ch.direction, unit=(ch.delta.unit if ch.delta else None), spans=spans))

    def _current(self, ch: _Change, frame: list[_Amt], carry: _Amt | None) -> _Amt | None:
        before = [a for a in frame if a.token.start < ch.start and not a.aside
                  and (ch.previous_claim is None or a.claim is not ch.previous_claim)]
        wanted = None
        if ch.previous is not None and ch.previous[1]:
            wanted = normalize_subject(ch.previous[1])
        elif ch.name:
            wanted = normalize_subject(ch.name)
        if wanted:
            for a in reversed(before):
                if normalize_subject(a.subject) == wanted:
                    return a
        wholes = [a for a in before if not a.part]
        if wholes:
            return wholes[-1]
        if before:
            return before[-1]
        return carry

    def _named_previous(self, s: Sentence, at: int, frame: list[_Amt]) -> Claim | None:
        """The earlier value a change names as its basis ("比 2023 年预算执行数减少 …" finds
        "2023 年当年预算执行数为 60.13 万元"), in this sentence or earlier in the paragraph."""
        m = _BASIS_PHRASE.search(s.text[max(0, at - 32):at])
        if not m or is_generic(m.group("phrase")):
            return None
        key = normalize_subject(m.group("phrase"))
        if not key or key.startswith(("上年", "上一年", "去年")) and key in ("上年", "上一年", "去年"):
            return None
        for a in reversed(frame):
            if a.claim is not None and not a.aside and normalize_subject(a.subject) == key:
                return a.claim
        for k, claim, par in reversed(self.history):
            if par != s.paragraph:
                break
            if k == key:
                return claim
        return None

    def _flat_changes(self, s: Sentence, frame: list[_Amt]) -> None:
        """"2024 年预算安排 10.00 万元，比 2023 年预算执行数持平": a change of zero, stated
        in words, read when the compared value was stated too."""
        text = s.text
        if not ("持平" in text or "相同" in text or "一致" in text or "相等" in text or "不变" in text
                or "变化" in text):
            return  # none of the words _FLAT ends in (保持不变, 无变化 … hold these)
        for m in _FLAT.finditer(s.text):
            previous = self._named_previous(s, m.start("word"), frame)
            if previous is None:
                continue
            current = next((a for a in reversed(frame) if a.token.start < m.start() and not a.aside
                            and a.claim is not previous and a.claim is not None), None)
            if current is None:
                continue
            self.claims.append(Claim(
                "change", s.span(current.subject_start, m.end()), s.source, current.subject,
                {"current": current.token.wan, "previous": previous.values["amount"]}, direction="flat",
                unit=current.token.unit, spans={"current": s.span(current.token.start, current.token.end),
                                                "previous": previous.spans.get("amount", previous.span),
                                                "direction": s.span(m.start("word"), m.end())}))

    def _resume(self, amt: _Amt) -> _Whole | None:
        """The suspended list ``amt`` is the next item of (same marker level), if any;
        lists nested deeper than it have ended and are closed."""
        if amt.level is None:
            return None
        for i in range(len(self.suspended) - 1, -1, -1):
            if _list_level(self.suspended[i]) == amt.level:
                for inner in self.suspended[i + 1:]:
                    self._close_whole(inner)
                whole = self.suspended[i]
                del self.suspended[i:]
                return whole
        return None

    def _continues(self, whole: _Whole, amt: _Amt) -> bool:
        """Does ``amt`` (the first amount of a sentence) carry on the parts list of the
        previous sentence?  Only when it fits in what the list still lacks, and is an
        item of the list's own level."""
        if whole.value is None or amt.aside or amt.role not in (None, whole.role):
            return False
        if _is_restated_total(amt) or (whole.parts and amt.level != _list_level(whole)):
            return False
        if amt.level is not None:
            return True  # the first or next item of a numbered list, whatever its amount
        missing = whole.value.value - whole.total()
        slack = whole.value.rounding + sum((a.token.wan.rounding for a, _ in whole.parts), Decimal(0)) \
            + amt.token.wan.rounding
        return Decimal(0) < amt.token.wan.value <= missing + slack

    def _close_whole(self, whole: _Whole | None) -> None:
        if whole is None or not whole.parts:
            return None
        if whole in self.suspended:
            return None  # still waiting for its next item
        # Items of a numbered list are its parts; items numbered one level deeper
        # ("（一）人员经费 … 1、工资福利支出 …") are parts of those parts.
        level = _list_level(whole)
        items = [(a, share) for a, share in whole.parts if level is None or a.level in (level, None)]
        if level is not None and any(a.level is None for a, _ in items) and any(a.level == level for a, _ in items):
            items = [(a, share) for a, share in items if a.level == level]
        parts = tuple(share or a.claim for a, share in items if (share or a.claim) is not None)
        if not parts:
            return None
        s = whole.sentence
        values = {"amount": whole.value} if whole.value is not None else {}
        spans = {"amount": whole.span} if whole.span is not None else {}
        if whole.amt is not None and whole.amt.claim is not None:
            begin = (whole.amt.claim.span.line, whole.amt.claim.span.col)
        else:
            begin = s.positions[min(whole.start, len(s.positions) - 1)]
        last = parts[-1].span
        span = Span(begin[0], begin[1], last.end_line, last.end_col)
        self.claims.append(Claim("parts", span, s.source, whole.subject, values,
                                 unit=parts[0].unit, parts=parts, spans=spans))
        return None

    def lookup(self, name: str, paragraph: int, before: Claim | None = None) -> tuple[Amount | None, Span | None]:
        """The amount stated earlier for ``name`` (same paragraph first, then anywhere
        before); ``…支出金额`` finds ``…支出总额`` when nothing has the exact name."""
        for key_of in (_lookup_key, _loose_key):
            key = key_of(name)
            if not key:
                continue
            found = None
            for k, claim, par in reversed(self._history_by(key_of).get(key, ())):
                if claim is before:
                    continue
                if key_of(k) == key:
                    if par == paragraph:
                        return claim.values["amount"], claim.spans.get("amount")
                    found = found or claim
            if found is not None:
                return found.values["amount"], found.spans.get("amount")
        return None, None

    def _history_by(self, key_of) -> dict[str, list[tuple[str, Claim, int]]]:
        """``self.history`` grouped by ``key_of`` of each subject (kept up to date as the
        history grows), so a lookup reads only the entries with its key instead of the
        whole history: linear, not quadratic, in the length of the narrative."""
        indexes = self.__dict__.setdefault("_history_indexes", {})
        seen, index = indexes.get(key_of, (0, {}))
        for entry in self.history[seen:]:
            index.setdefault(key_of(entry[0]), []).append(entry)
        indexes[key_of] = (len(self.history), index)
        return index


@lru_cache(maxsize=1 << 14)  # pure; every lookup keys the whole history again
def _lookup_key(name: str) -> str:
    n = normalize_subject(name)
    return normalize_subject(_SYNONYMS.get(n, n))


@lru_cache(maxsize=1 << 14)  # pure, as above
def _loose_key(name: str) -> str:
    n = _TOTAL_SUFFIX.sub("", _lookup_key(name))
    return "" if is_generic(n) else n


# ---------------------------------------------------------------------- helpers


_PAIRED = re.compile(r"(?<=[收支])、(?=[收支])")
# Up to the last clause punctuation: matched from the start, ".*" runs to the end and
# backs off to it, rather than a search trying every punctuation mark on the way.
_TO_LAST_PUNCT = re.compile(f".*[{re.escape(CLAUSE_PUNCT)}]", re.DOTALL)
_PAREN = re.compile(r"[（()）]")


def _segment(gap: str) -> str:
    """The text after the last clause punctuation of ``gap`` (``收、支总计`` is one name;
    a subject introduced by a colon, ``建设费：42.60 万元``, is the text before it)."""
    m = _TO_LAST_PUNCT.match(_PAIRED.sub("\x00", gap) if "、" in gap else gap)  # _last_punct, inline
    cut = m.end() - 1 if m else -1
    seg = gap[cut + 1:]
    if not seg and cut >= 0 and gap[cut] in ":：":
        return _segment(gap[:cut])
    return seg


_LIST_AHEAD_LAST = frozenset("中下为面:：。.")  # what _LIST_AHEAD can end in


def _list_ahead(text: str, start: int = 0) -> bool:
    """Does ``text[start:]`` end by announcing a list ("……，其中：")?"""
    return text[-1:] in _LIST_AHEAD_LAST and _LIST_AHEAD.search(text, start) is not None


def _clause_start(text: str, index: int) -> int:
    return _last_punct(text, index) + 1


def _last_punct(text: str, end: int | None = None) -> int:
    """Where the last clause punctuation of ``text[:end]`` stands, or -1."""
    m = _TO_LAST_PUNCT.match(text, 0, len(text) if end is None else end)
    return m.end() - 1 if m else -1


_DIGIT = re.compile(r"\d")  # any digit find_numbers reads (Arabic-Indic ones too)
_VALUED = ("money", "percent", "count")  # the kinds of token a claim is made of
# What may follow a number, in the order _classify tries them, as one match: a money
# unit (and a threshold word after it: "单价 100 万元以上" is no amount), the level of a
# 功能分类 code ("（208类）"), a count unit, a bare 万 that ends its clause, a date unit.
_MONEY_AFTER = rf"(?P<money>{'|'.join(unit for unit, _ in _MONEY_UNITS)})(?P<threshold>{_THRESHOLD.pattern})?"
_CODE_AFTER = r"(?P<code>[类款项][）)])"
_OTHER_AFTER = (rf"(?P<count>{_COUNT_UNIT.pattern})|(?P<wan>万)(?=[{re.escape(CLAUSE_PUNCT)}]|\Z)"
                rf"|(?P<date>{'|'.join(map(re.escape, _DATE_UNITS))})")
_UNIT_AFTER = f"{_MONEY_AFTER}|{_CODE_AFTER}|{_OTHER_AFTER}"
_UNIT_GROUPS = frozenset(("money", "threshold", "code", "count", "wan", "date"))
_UNIT_AFTER_NO_CODE = re.compile(_OTHER_AFTER)  # after "01项）" when no bracket opens it
# A number as numbers.NUMBER_IN_TEXT reads it and what follows it, in one match: the
# optional unit at the end never changes how the number itself is matched.
_NUMBER_AND_UNIT = re.compile(f"{NUMBER_IN_TEXT.pattern}(?:{_UNIT_AFTER})?")
_MONEY_FACTORS = dict(_MONEY_UNITS)


def _classify(text: str, start: int, end: int, amount: Amount,
              m: re.Match | None) -> tuple[int, str, str | None, Amount | None]:
    """What the number at ``text[start:end]`` is, by the unit after it (``m``, a match
    of _NUMBER_AND_UNIT): ``(end after the unit, kind, unit, value in 万元)``; the kind
    is money, count, year, date or other."""
    if m.lastgroup not in _UNIT_GROUPS:
        m = None
    elif m.lastgroup == "code" and not text[:start].endswith(("（", "(")):
        m = _UNIT_AFTER_NO_CODE.match(text, end)
    if m is not None:
        kind = m.lastgroup
        if kind == "threshold" or kind == "code":
            return end, "other", None, None  # "（01项）", "（208类）": a 功能分类 code, not a count
        unit = m.group(kind)
        if kind == "money":
            return end + len(unit), "money", unit, amount if unit == "万元" else money_value(amount, _MONEY_FACTORS[unit])
        if kind == "count":
            return end + len(unit), "count", unit, None
        if kind == "wan":
            return end + 1, "money", "万", amount
        if unit == "年" and _YEAR.fullmatch(amount.text):
            return end, "year", None, None
        return end, "date", None, None
    if (end == len(text) or text[end] in _PUNCT) and amount.value >= 0:
        lead = _segment(text[:start])
        if _MONEY_CONTEXT.search(lead) and not lead.endswith(("第", "公开")):
            return end, "money", None, amount
    return end, "other", None, None


def _direction(word: str) -> str | None:
    if "/" in word:
        return None
    if word in ("增加", "增长", "上升", "提高", "增", "增幅"):
        return "increase"
    return "decrease"


_BASIS_WINDOW = 2000  # characters; a comparison phrase is stated within its sentence


def _basis(text: str, index: int) -> tuple[str | None, tuple[int, int, int] | None]:
    """The comparison the change at ``index`` is made against (nearest before it)."""
    # Searched in a window before the change, not the whole text before it: a sentence
    # with many changes would otherwise be rescanned once per change (quadratic).
    m = None
    for m in _COMPARISON.finditer(text, max(0, index - _BASIS_WINDOW), index):
        pass
    if m is None:
        return None, None
    basis = m.group("basis") or "上年"
    year = None
    ym = _FOUR_DIGITS.match(basis)
    if ym:
        year = (int(ym.group(1)), m.start("basis"), m.start("basis") + 4)
        # "与 2020 年度预算相比" compares with that year's budget, not with that year.
        budget = re.match(r"[^，,；;。]{0,4}?(?:年初|全年|调整后?)?预算", text[m.end("basis"):index])
        basis = ym.group(1) + "年" + ("预算" if budget else "")
    elif basis.startswith(("上年", "上一年", "去年")):
        basis = "上年"
    return basis, year


def _marker_level(text: str, start: int) -> int | None:
    """The level of the list marker just before ``text[start:]``, or ``None``."""
    before = text[max(0, start - 6):start]
    if before[-1:] not in _MARKER_ENDS:
        return None  # every marker ends in one of these (and compact text has no newline for "$")
    for level, pattern in _ITEM_MARKERS:
        if pattern.search(before):
            return level
    return None


def _list_level(whole: _Whole) -> int | None:
    """The marker level of a list's items: the shallowest level among its parts."""
    levels = [a.level for a, _ in whole.parts if a.level is not None]
    return min(levels) if levels else None


def _deeper(whole: _Whole, amt: _Amt) -> bool:
    """Is ``amt`` an item numbered one level below the items of ``whole``'s list?"""
    level = _list_level(whole)
    return level is not None and amt.level is not None and amt.level > level


def _is_restated_total(amt: _Amt) -> bool:
    return normalize_subject(split_role(amt.subject)[0]) in _TOTAL_RESTATED


def _names_section(text: str) -> bool:
    """A paragraph that is a heading naming a new section (no amount in it)."""
    from .sentences import is_heading

    return len(text) <= 40 and is_heading(text) and not re.search(r"\d(?:万元|元|亿元)", text)


def _sentence_subject(frame: list[_Amt]) -> _Amt | None:
    """What an elliptical next sentence ("与上年相比减少 108.56 万元") is about: the
    sentence's first amount (its subject), or the whole its first amount is a part of
    when that whole was stated in the same sentence."""
    for head in frame:
        if not head.aside:
            break
    else:
        return None
    if head.part:
        return _last_whole_candidate(frame) or head
    return head


def _last_whole_candidate(frame: list[_Amt]) -> _Amt | None:
    for a in reversed(frame):
        if not a.aside and not a.part:
            return a
    return None


def _role_fits(whole_role: str | None, part_role: str | None) -> bool:
    return whole_role is None or part_role is None or whole_role == part_role


def _names_match(base: str, whole: str) -> bool:
    b, w = normalize_subject(base), normalize_subject(whole)
    return bool(b) and (b == w or w.endswith(b) or normalize_subject(_SYNONYMS.get(b, b)) == w)


def extract_claims(document: Document) -> list[Claim]:
    """All claims of ``document``'s narrative, in source order."""
    return _Reader(document).read()
