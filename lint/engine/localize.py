"""Point at the wrong cell when several identities break on it.

A single mistyped cell usually breaks two identities at once: its row (本年支出合计 =
基本 + 项目 …) and its column (款 = Σ 项).  Each identity alone can only say "these
cells do not add up"; together they name the one cell both share.  This pass merges
table-identity findings that share a cell into one finding located at that cell, so
a reviewer sees one problem where there is one mistake.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from ..model import Finding, Location, Message

# Table identities (T) and cross-table agreements (X) are built from cell locations.
MERGEABLE_PREFIXES = ("T", "X")


def _cells(f: Finding) -> list[Location]:
    return [f.location, *f.related]


def localize(findings: Iterable[Finding]) -> list[Finding]:
    findings = list(findings)
    candidates = [i for i, f in enumerate(findings)
                  if f.code.startswith(MERGEABLE_PREFIXES) and not f.properties.get("merged")]
    used: set[int] = set()
    merged: list[Finding] = []
    while True:
        by_cell: dict[tuple, list[int]] = defaultdict(list)
        for i in candidates:
            if i in used:
                continue
            for loc in _cells(findings[i]):
                key = (loc.path, loc.span)
                if i not in by_cell[key]:
                    by_cell[key].append(i)
        shared = [(k, v) for k, v in by_cell.items() if len(v) >= 2]
        if not shared:
            break
        # The cell shared by most findings first; ties by position, for determinism.
        (path, span), members = max(shared, key=lambda kv: (len(kv[1]), -kv[0][1].line, -kv[0][1].col))
        group = [findings[i] for i in members]
        merged.append(_merge(group, path, span))
        used.update(members)
    rest = [f for i, f in enumerate(findings) if i not in used]
    return sorted(rest + merged, key=Finding.sort_key)


def _merge(group: list[Finding], path: str, span) -> Finding:
    group = sorted(group, key=lambda f: (f.code, f.location.sort_key()))
    label = next((loc.label for f in group for loc in _cells(f) if loc.span == span and loc.label), "")
    here = Location(path, span, label)
    related: list[Location] = []
    for f in group:
        for loc in _cells(f):
            if loc.span != span and all(loc.span != r.span for r in related):
                related.append(loc)
    codes = "、".join(dict.fromkeys(f.code for f in group))
    head_zh = f"{label or '此单元格'}可能填错：它同时使 {len(group)} 项勾稽不成立（{codes}）。"
    head_en = f"{label or 'this cell'} is probably wrong: {len(group)} identities that share it fail ({codes.replace('、', ', ')})."
    zh = head_zh + "；".join(f.message.zh for f in group)
    en = head_en + " " + "; ".join(f.message.en for f in group)
    first = group[0]
    severity = max((f.severity for f in group), key=lambda s: s.rank)
    return Finding(
        code=first.code, severity=severity, message=Message(zh, en), location=here,
        related=tuple(sorted(related, key=Location.sort_key)), expected=first.expected, actual=first.actual,
        rule_name=first.rule_name,
        properties={"merged": [f.code for f in group], "merged_locations": [str(f.location.span) for f in group]},
    )
