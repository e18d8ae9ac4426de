"""Point at the wrong cell when several identities break on it.

A single mistyped cell usually breaks two identities at once: its row (本年支出合计 =
基本 + 项目 …) and its column (款 = Σ 项).  Each identity alone can only say "these
cells do not add up"; together they name the one cell both share.  This pass merges
table-identity findings that share a cell into one finding located at that cell, so
a reviewer sees one problem where there is one mistake.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal, InvalidOperation
from typing import Iterable, Sequence

from ..model import Finding, Location, Message, Span
from ..numbers import fmt, parse_number

# Table identities (T) and cross-table agreements (X) are built from cell locations,
# and so are the budget ones (B, and the Jiangsu pack's JS).
MERGEABLE_PREFIXES = ("T", "X", "B", "JS")


def _cells(f: Finding) -> list[Location]:
    return [f.location, *f.related]


def localize(findings: Iterable[Finding], lines: Sequence[str] = ()) -> list[Finding]:
    """Merge identity findings sharing a cell; ``lines`` (the source) lets the merged
    finding say which value the cell should hold when the identities agree on it."""
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
        merged.append(_merge(group, path, span, lines))
        used.update(members)
    rest = [f for i, f in enumerate(findings) if i not in used]
    return sorted(rest + merged, key=Finding.sort_key)


def _merge(group: list[Finding], path: str, span: Span, lines: Sequence[str]) -> Finding:
    group = sorted(group, key=lambda f: (f.code, f.location.sort_key()))
    label = next((loc.label for f in group for loc in _cells(f) if loc.span == span and loc.label), "")
    here = Location(path, span, label)
    related: list[Location] = []
    for f in group:
        for loc in _cells(f):
            if loc.span != span and all(loc.span != r.span for r in related):
                related.append(loc)
    codes = "、".join(dict.fromkeys(f.code for f in group))
    current = _value_at(lines, span)
    implied = _implied_value(group, span, current)
    if implied is not None:
        tail_zh = f"按这 {len(group)} 项勾稽推算，此处应为 {fmt(implied)}，实际为 {fmt(current)}。"
        tail_en = f" All {len(group)} identities imply {fmt(implied)} here; found {fmt(current)}."
    else:
        tail_zh = tail_en = ""
    head_zh = f"{label or '此单元格'}可能填错：它同时使 {len(group)} 项勾稽不成立（{codes}）。{tail_zh}"
    head_en = (f"{label or 'this cell'} is probably wrong: {len(group)} identities that share it fail "
               f"({codes.replace('、', ', ')}).{tail_en}")
    zh = head_zh + "；".join(f.message.zh for f in group)
    en = head_en + " " + "; ".join(f.message.en for f in group)
    first = group[0]
    severity = max((f.severity for f in group), key=lambda s: s.rank)
    return Finding(
        code=first.code, severity=severity, message=Message(zh, en), location=here,
        related=tuple(sorted(related, key=Location.sort_key)),
        # expected/actual describe the cell pointed at, or nothing: each identity's own
        # expected/actual (about other cells) stay in the message.
        expected=fmt(implied) if implied is not None else None,
        actual=fmt(current) if implied is not None and current is not None else None,
        rule_name=first.rule_name,
        properties={"merged": [f.code for f in group], "merged_locations": [str(f.location.span) for f in group]},
    )


def _value_at(lines: Sequence[str], span: Span) -> Decimal | None:
    if not (0 < span.line <= len(lines)):
        return None
    amount = parse_number(lines[span.line - 1][span.col - 1:span.end_col - 1])
    return amount.value if amount is not None else None


def _implied_value(group: list[Finding], span: Span, current: Decimal | None) -> Decimal | None:
    """The value each identity needs at the shared cell, if they all agree.

    An identity ``lhs == rhs`` that is off by d = lhs − rhs is restored by changing the
    cell by −d when it is the left side (the finding's primary location) and by +d
    when it is a term of the right side.  Terms that are subtracted would need the
    opposite sign; then the identities disagree and no value is claimed."""
    if current is None:
        return None
    implied: set[Decimal] = set()
    for f in group:
        try:
            d = Decimal(str(f.properties["difference"])) if "difference" in f.properties else \
                Decimal(f.actual) - Decimal(f.expected)
        except (InvalidOperation, TypeError, ValueError):
            return None
        implied.add(current - d if f.location.span == span else current + d)
    return implied.pop() if len(implied) == 1 else None
