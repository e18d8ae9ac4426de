"""Subjects of narrative claims: the name a number is stated for, and its normal form.

The same quantity is written many ways: ``2020 年度财政拨款支出决算数``,
``财政拨款支出``, ``“三公”经费财政拨款支出决算`` …  ``normalize_subject`` removes what
does not change the quantity (years, quotes, ``（类）``, self-references such as
``本部门``) and folds role words (``决算数`` → ``决算``), but never drops a qualifier:
``财政拨款基本支出`` and ``基本支出`` stay different subjects.

``split_role`` separates a subject into its head and its role (budget or actual), so
that an elliptical ``支出决算为 0 万元`` can take its head from the sentence's topic.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .sentences import compact

BUDGET, ACTUAL = "budget", "actual"

_QUOTES = re.compile(r"[“”\"‘’'「」『』《》]")
_CONNECTORS = re.compile(
    r"^(?:"
    r"[（(]\d{1,2}[）)]|[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}[、.．](?!\d)|[①-⑳]|[一二三四五六七八九十]+、|"
    r"其中|另外|此外|以及|并且|同时|及|和|与|即|含|包括|主要用于以下方面|主要用于|分别为|分别是|的|"
    r"[:：,，、；;（(.．]"
    r")+"
)
# What locates a quantity in time or in the filing without changing it.
_QUALIFIERS = re.compile(
    r"^(?:"
    r"\d{4}年(?:度)?(?:\d{1,2}[-—~至]\d{1,2}月)?|\d{1,2}[-—~至]\d{1,2}月|截至\d{4}年\d{1,2}月\d{1,2}日|"
    r"本年度|本年|今年|全年度|当年|"
    r"本部门|本单位|我单位|我部门|本局|我局|全局|本中心|我中心|单位|部门|的"
    r")+"
)
_CLASS_MARK = re.compile(r"[（(](?:类|款|项)[）)]")
_TRAILING = re.compile(r"(?:共计|为|是|达到|达|约|了|的|:|：)+$")
_TOTAL = re.compile(r"(?:合计|总计|总额|小计)$")
# Role words folded to their short form, applied in this order (支出决算数 → 支出决算 → 支出).
_FOLDS = tuple((re.compile(pattern), short) for pattern, short in (
    (r"决算数$", "决算"), (r"预算数$", "预算"), (r"执行数$", "执行"), (r"支出决算$", "支出"),
))

# Role words at the end of a subject, longest first.
_ROLES: tuple[tuple[str, str], ...] = tuple(sorted((
    ("年初预算数", BUDGET), ("年初预算", BUDGET), ("全年预算数", BUDGET), ("全年预算", BUDGET),
    ("调整预算数", BUDGET), ("调整后预算数", BUDGET), ("支出预算数", BUDGET), ("支出预算", BUDGET),
    ("预算数", BUDGET), ("预算", BUDGET), ("预算安排", BUDGET),
    ("支出决算数", ACTUAL), ("支出决算", ACTUAL), ("决算数", ACTUAL), ("决算", ACTUAL),
    ("全年执行数", ACTUAL), ("执行数", ACTUAL), ("实际执行数", ACTUAL), ("实际支出数", ACTUAL),
    ("实际支出", ACTUAL), ("支出数", ACTUAL), ("实际数", ACTUAL), ("实际收入数", ACTUAL),
    ("支出执行数", ACTUAL), ("执行", ACTUAL),
), key=lambda r: -len(r[0])))

# Heads that name no particular quantity on their own.
GENERIC_HEADS = frozenset({
    "", "支出", "收入", "项目", "合计", "小计", "总计", "其中", "总额", "金额", "资金", "涉及资金",
    "总金额", "共", "全年", "实际", "本项目", "该项目", "项目资金", "年末结余", "结余", "剩余",
    "余额", "经费", "费用", "资金总额", "年度", "当年", "上年", "增加", "减少", "新增",
})


@lru_cache(maxsize=1 << 16)  # pure, and asked for the same text by several readers
def clean_subject(text: str) -> str:
    """The subject as written, without the connectors around it."""
    t = compact(text)
    prev = None
    while prev != t:
        prev = t
        t = _CONNECTORS.sub("", t)
        t = _TRAILING.sub("", t)
    return t.strip("，,；;：:、")


@lru_cache(maxsize=1 << 16)  # pure; the subject map asks for the same subjects repeatedly
def normalize_subject(text: str | None) -> str:
    """The normal form of a subject, for grouping and for the subject map."""
    if not text:
        return ""
    t = compact(text)
    t = _QUOTES.sub("", t)
    t = t.replace("(", "（").replace(")", "）")
    t = _CLASS_MARK.sub("", t)
    t = clean_subject(t)
    prev = None
    while prev != t:
        prev = t
        t = clean_subject(_QUALIFIERS.sub("", t))
    t = t.replace("、", "")  # 收、支总计 → 收支总计
    for pattern, short in _FOLDS:
        t = pattern.sub(short, t)
    return t


@lru_cache(maxsize=1 << 16)  # pure; every amount of the narrative asks
def split_role(subject: str) -> tuple[str, str | None, str]:
    """``(head, role, role_text)``: ``公务接待费支出预算`` → (``公务接待费支出``, budget, ``预算``);
    a total after the role (``预算数合计``) keeps the role."""
    s = clean_subject(subject)
    core = _TOTAL.sub("", s) or s
    for word, role in _ROLES:
        if core.endswith(word):
            return core[: len(core) - len(word)], role, word
    return s, None, ""


@lru_cache(maxsize=1 << 16)  # pure
def is_generic(subject: str | None) -> bool:
    """A subject that does not name a quantity by itself (``支出决算``, ``合计``)."""
    if not subject:
        return True
    head = normalize_subject(split_role(subject)[0])
    return head in GENERIC_HEADS or len(head) < 2


def role_of(subject: str | None) -> str | None:
    return split_role(subject or "")[1]


def compose(topic: str, role_text: str) -> str:
    """Head of the topic plus an elliptical role: (``公务接待费支出``, ``支出决算``) →
    ``公务接待费支出决算``."""
    if topic.endswith("支出") and role_text.startswith("支出"):
        return topic + role_text[2:]
    return topic + role_text
