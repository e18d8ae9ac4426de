"""What a filing is: its kind (预算, 决算, 绩效自评) and scope (部门 or 单位).

Read from the cover first (the document's title: ``某某市某区2025年区级单位预算``,
``某某省审计厅2018年度部门\\n预算公开``), else from how often the text names
each kind, else from the kinds of the templates its recognized tables belong to.
Template detection then only considers templates of that kind, and the report says
what the filing was taken for.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Mapping, Sequence

from ..i18n import tr
from ..model import BlockKind, Document, Span, Table

KIND_WORDS = {"预算": "budget", "决算": "final-accounts"}
SCOPE_WORDS = {"部门": "department", "单位": "unit"}
KIND_NAMES = {"budget": "预算", "final-accounts": "决算", "performance": "绩效自评"}
SCOPE_NAMES = {"department": "部门", "unit": "单位"}

_COVER_BLOCKS = 12
# 部门预算 / 单位决算 / 部门整体支出…; "预算单位" (a budget unit) is not a scope+kind.
_KIND_RE = re.compile(r"(部门|单位)(?:整体)?(预算|决算)(?!单位)")
_PERFORMANCE_RE = re.compile(r"绩效(?:自评|自我评价|评价)(?:报告|表)")


@dataclass(frozen=True)
class FilingKind:
    kind: str | None = None  # "budget", "final-accounts", "performance"
    scope: str | None = None  # "department", "unit"
    evidence: str = ""  # what it was read from
    span: Span | None = None

    def describe(self) -> str:
        """The kind in words, in the run's language (``部门预算`` / ``department budget``)."""
        if not self.kind:
            return tr("未确定类型")
        name = _LABELS.get((self.scope, self.kind))
        return tr(name) if name else f"{SCOPE_NAMES.get(self.scope or '', '')}{KIND_NAMES.get(self.kind, self.kind)}"


# The kinds in words (Chinese message ids, through tr()).
_LABELS = {
    ("department", "budget"): "部门预算", ("unit", "budget"): "单位预算", (None, "budget"): "预算",
    ("department", "final-accounts"): "部门决算", ("unit", "final-accounts"): "单位决算",
    (None, "final-accounts"): "决算", (None, "performance"): "绩效自评",
}


def read_kind(document: Document, tables: Sequence[Table] = (),
              table_kinds: Mapping[str, str] | None = None) -> FilingKind:
    """The filing's kind and scope (see the module docstring)."""
    cover = [b for b in document.blocks[:_COVER_BLOCKS * 2] if b.kind is BlockKind.TEXT][:_COVER_BLOCKS]
    # A cover title may be broken over lines ("…2018年度部门" / "预算公开"): read them joined.
    text, starts = "", []
    for b in cover:
        starts.append((len(text), b))
        text += "".join(b.text.split())
    m_perf = _PERFORMANCE_RE.search(text)
    m_kind = _KIND_RE.search(text)
    if m_perf and (not m_kind or m_perf.start() < m_kind.start()) and not tables:
        return FilingKind("performance", None, tr("封面：{title}", title=m_perf.group(0)), _span_at(starts, m_perf.start()))
    if m_kind:
        return FilingKind(KIND_WORDS[m_kind.group(2)], SCOPE_WORDS[m_kind.group(1)], tr("封面：{title}", title=m_kind.group(0)),
                          _span_at(starts, m_kind.start()))
    counts: Counter = Counter()
    for b in document.blocks:
        if b.kind is BlockKind.TEXT and "算" in b.text:  # (预算 or 决算, maybe spaced out)
            for m in _KIND_RE.finditer("".join(b.text.split())):
                counts[(KIND_WORDS[m.group(2)], SCOPE_WORDS[m.group(1)])] += 1
    if counts:
        (kind, scope), n = max(sorted(counts.items()), key=lambda kv: kv[1])
        return FilingKind(kind, scope, tr("正文 {n} 处提到{kind}", n=n, kind=FilingKind(kind, scope).describe()))
    kinds = Counter(k for t in tables if (k := (table_kinds or {}).get(t.id)))
    if kinds:
        kind, n = max(sorted(kinds.items()), key=lambda kv: kv[1])
        return FilingKind(kind, None, tr("{n} 张表属于{kind}表样", n=n, kind=FilingKind(kind).describe()))
    if _PERFORMANCE_RE.search(document.flat_text):
        return FilingKind("performance", None, tr("正文：绩效自评"))
    return FilingKind()


def _span_at(starts: list, offset: int) -> Span | None:
    block = None
    for start, b in starts:
        if start <= offset:
            block = b
    if block is None:
        return None
    text = block.text
    lead = len(text) - len(text.lstrip())
    return Span.on_line(block.line, lead + 1, len(text.strip()))


def table_kinds(templates) -> dict[str, str]:
    """Table id → the kind of the templates defining it (first template wins)."""
    out: dict[str, str] = {}
    for t in templates:
        for tid in t.tables:
            out.setdefault(tid, t.kind)
    return out
