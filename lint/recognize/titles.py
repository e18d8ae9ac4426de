"""Which template table a printed title names, and how sure we are.

Filings print the same table under titles that differ a little: a number (``公开03表``,
``表3``, ``3.``, ``三、``), a year (``2026年``), a scope (``部门``, ``预算单位``), a
department's name, quotes “” or "", spaces, a qualifier such as ``（功能科目）``.  The
title is cleaned of these, then looked up; what had to be dropped decides the score:

* 1.0   the cleaned title is a template title;
* 0.95  after a prefix ending in a year, 部门 or 单位 (``2025年部门收入预算总表``);
* 0.9   after dropping a trailing qualifier in brackets (``…预算表（功能科目）``);
* 0.85  after a department's name;
* 0.8   the template title's characters all stand in it, in order, with a few more;
* <0.8  a near spelling (difflib ratio ≥ 0.85, scaled by 0.9).

Never across 决算/预算: a 决算 title matches only 决算 titles, and the reverse.

A cleaned title must end in 表 unless it is a template title itself, so headings such
as ``关于收支预算总表的说明`` and sentences never match.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping

from .templates import TableSpec, norm_title

# 公开03表 / 公开 03 表 (most provinces), 附表3 / 表 3 (others).
NUMBER_RE = re.compile(r"公开\s*0?(\d{1,2})\s*表|(?:^|附)表\s*0?(\d{1,2})(?!\d)")
_ORDINAL = re.compile(r"^(?:[（(]?[一二三四五六七八九十]+[)）]?|\d{1,2})\s*[、.．:：]\s*|^表\s*[一二三四五六七八九十\d]+\s*[:：]?")
_PUNCT = re.compile(r"[\s:：、“”\"'‘’「」《》]")
_YEAR_SUFFIX = re.compile(r"[（(]\d{4}年度?[)）]$")
_YEAR_PREFIX = re.compile(r"^\d{4}年度?")
_QUALIFIER = re.compile(r"[（(]([^（）()]{1,12})[)）]$")
_SCOPE_PREFIX = re.compile(r"(?:\d{4}年度?|部门|单位|预算单位|本部门|本单位)$")

# A department's name before the title (某某市某区审计局…): ends like an organization
# and says nothing about funds.
_ORG_PREFIX = re.compile(r"(?:局|委|委员会|办公室|办公厅|院|厅|会|室|处|中心|街道|政府|馆|所|站|队|学校|部|署|社|团|协会|镇|乡)$")
_FISCAL_WORDS = re.compile(r"预算|决算|财政|拨款|基金|资本|支出|收入|经费|采购|项目")

MAX_TITLE = 60  # longer lines are sentences, not titles


@dataclass(frozen=True)
class TitleMatch:
    spec: TableSpec
    score: float
    matched: str  # the template title (normalized) it matched
    how: str  # "exact", "prefix", "qualifier", "name-prefix", "near"


@lru_cache(maxsize=1 << 14)  # pure; every template title for every filing, every candidate line
def clean_title(text: str) -> str:
    """The title without number, ordinal, year, punctuation and spaces."""
    t = NUMBER_RE.sub("", text.strip())
    t = _ORDINAL.sub("", t.strip())
    t = _PUNCT.sub("", t)
    t = _ORDINAL.sub("", t)  # "公开03表：" leaves "：一、…" in some exports
    t = _YEAR_SUFFIX.sub("", t)
    return norm_title(t)


# Lines remembered per index (titles recur from filing to filing; prose rarely does).
_MATCH_CACHE = 4096
# Indexes remembered, by the table specs they were built of.
_INDEXES = 16
_indexes: dict[tuple, "TitleIndex"] = {}
_UNSEEN = object()


def title_index(specs: Mapping[str, TableSpec]) -> "TitleIndex":
    """The :class:`TitleIndex` of ``specs``, built once per set of table specs (all the
    templates' tables, or one template's) rather than once per filing, so its matches
    serve every filing.  Specs are frozen: the same ids and spec objects are the same
    index."""
    key = tuple((tid, id(spec)) for tid, spec in specs.items())
    index = _indexes.get(key)
    if index is None:
        if len(_indexes) >= _INDEXES:
            _indexes.clear()
        index = _indexes[key] = TitleIndex(specs)
    return index


class TitleIndex:
    """Template titles (normalized) → table spec; where two tables share a title, the
    one with the longest title of all wins (as before)."""

    def __init__(self, specs: Mapping[str, TableSpec]):
        self.specs = dict(specs)  # (keeps the spec objects, and so their ids, alive)
        self.index: dict[str, TableSpec] = {}
        for spec in sorted(specs.values(), key=lambda s: (-max(len(t) for t in s.titles), s.id)):
            for t in spec.titles:
                self.index.setdefault(clean_title(t), spec)
        self.keys = sorted(self.index, key=lambda k: (-len(k), k))
        self._cache: dict[str, TitleMatch | None] = {}
        # Cleaning only drops characters, so a line without 表 cleans to a title without
        # it: when every template title has one, such a line (most prose) is no title.
        self.needs_biao = all("表" in k for k in self.index)

    def match(self, text: str) -> TitleMatch | None:
        if len(text) > MAX_TITLE * 2 or (self.needs_biao and "表" not in text):
            return None
        cache = self._cache
        found = cache.get(text, _UNSEEN)
        if found is _UNSEEN:
            if len(cache) >= _MATCH_CACHE:  # shared by every filing: kept bounded
                cache.clear()
            found = cache[text] = self._match(text)
        return found

    def _match(self, text: str) -> TitleMatch | None:
        t = clean_title(text)
        if not t or len(t) > MAX_TITLE:
            return None
        if t in self.index:
            return TitleMatch(self.index[t], 1.0, t, "exact")
        if not t.endswith("表"):
            q = _QUALIFIER.search(t)
            if q is None or not t[:q.start()].endswith("表"):
                return None
            inner = self._match_clean(t[:q.start()])
            if inner is None:
                return None
            return TitleMatch(inner.spec, min(inner.score, 0.9), inner.matched, "qualifier")
        return self._match_clean(t)

    def _match_clean(self, t: str) -> TitleMatch | None:
        if t in self.index:
            return TitleMatch(self.index[t], 1.0, t, "exact")
        # The longest template title the cleaned title ends with, after a prefix.
        for i in range(1, len(t) - 2):
            rest = t[i:]
            if rest in self.index:
                prefix = t[:i]
                bare = _YEAR_PREFIX.sub("", prefix)
                if not bare or _SCOPE_PREFIX.search(prefix):
                    return TitleMatch(self.index[rest], 0.95, rest, "prefix")
                if "表" in prefix or len(prefix) > 30:
                    return None
                if _ORG_PREFIX.search(bare) and not _FISCAL_WORDS.search(bare):
                    return TitleMatch(self.index[rest], 0.85, rest, "name-prefix")
                break  # a prefix that qualifies the table (政府性基金预算…) changes what it is
        return _contains(t, self.keys, self.index) or _near(t, self.keys, self.index)


def _is_subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(ch in it for ch in small)


def _contains(t: str, keys: list[str], index: Mapping[str, TableSpec]) -> TitleMatch | None:
    """A template title whose characters all stand, in order, in the printed one, with
    a few more (``一般公共预算“三公”经费、会议费、培训费支出预算表`` has the words of
    ``“三公”经费、会议费、培训费支出预算表``): the longest such title, when no other
    table's title is as long."""
    t = _YEAR_PREFIX.sub("", t)
    fits = [k for k in keys if len(k) >= 6 and len(t) - len(k) <= 10 and ("决算" in k) == ("决算" in t)
            and _is_subsequence(k, t)]
    if not fits:
        return None
    best = max(len(k) for k in fits)
    top = {index[k].id for k in fits if len(k) == best}
    if len(top) > 1 or best < len(t) * 0.6:
        return None
    k = next(k for k in fits if len(k) == best)
    return TitleMatch(index[k], 0.8, k, "contains")


def _near(t: str, keys: list[str], index: Mapping[str, TableSpec]) -> TitleMatch | None:
    t = _YEAR_PREFIX.sub("", t)
    close = difflib.get_close_matches(t, [k for k in keys if ("决算" in k) == ("决算" in t)], n=3, cutoff=0.85)
    if not close:
        return None
    ratio = difflib.SequenceMatcher(None, t, close[0]).ratio()
    rivals = [k for k in close[1:] if index[k].id != index[close[0]].id
              and difflib.SequenceMatcher(None, t, k).ratio() >= ratio - 0.02]
    if rivals:  # two tables fit as well: not a match
        return None
    return TitleMatch(index[close[0]], round(ratio * 0.9, 3), close[0], "near")


@lru_cache(maxsize=4096)
def title_similarity(text: str, title: str) -> float:
    """How alike a printed title and a template title are (0..1), after cleaning."""
    a, b = clean_title(text), clean_title(title)
    if not a or not b:
        return 0.0
    if a == b or a.endswith(b):
        return 1.0
    return difflib.SequenceMatcher(None, a, b).ratio()
