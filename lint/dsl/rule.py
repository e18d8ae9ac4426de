"""A compiled rule: its metadata, its statements, and how a failed assertion
instance becomes a :class:`~lint.model.Finding` with locations and a bilingual
message."""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Iterator

from ..engine.rules import RuleContext, RuleMeta
from ..model import Finding, Message, Span
from . import values as V
from .evaluate import Env, Failure, RowVal, Stmt, row_span
from .vocabulary import Vocabulary

#: Placeholders every message may use.
PLACEHOLDERS = ("expected", "actual", "diff", "tolerance", "where", "where_en", "row", "code", "label",
                "table", "column", "expr")

DEFAULT_MESSAGE_ZH = "{where}：{expr} 不成立：左边为 {actual}，右边为 {expected}（相差 {diff}，超出尾数误差 {tolerance}）"
DEFAULT_MESSAGE_EN = ("{where_en}: {expr} does not hold: left side is {actual}, right side is {expected} "
                      "(off by {diff}, more than rounding allows: {tolerance})")
DEFAULT_FACT_ZH = "{where}：{expr} 不成立"
DEFAULT_FACT_EN = "{where_en}: {expr} does not hold"


class _Keep(dict):
    """Unknown placeholders stay as written rather than failing at run time."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(template: str, values: dict[str, str]) -> str:
    try:
        return string.Formatter().vformat(template, (), _Keep(values))
    except (ValueError, IndexError, KeyError):  # a malformed template is shown as written
        return template


@dataclass
class CompiledRule:
    """A rule from a rule file, ready to run: ``check(ctx)`` yields findings."""

    meta: RuleMeta
    statements: list[Stmt]
    vocab: Vocabulary
    message: str = ""
    message_en: str = ""

    @property
    def code(self) -> str:
        return self.meta.code

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        env = Env(ctx, self.vocab)
        for stmt in self.statements:
            for failure in stmt.run(env):
                yield self._finding(failure)

    # ----------------------------------------------------------------- findings

    def _finding(self, f: Failure) -> Finding:
        env = f.env
        ctx = env.ctx
        comp = f.comparison
        sources: tuple[V.Source, ...] = f.sources
        if comp is not None:
            sources = V.merge_sources(comp.left.sources, comp.right.sources)
        located = [s for s in sources if s.span is not None]
        primary = None
        if comp is not None and len(comp.left.sources) == 1 and comp.left.sources[0].span is not None:
            primary = comp.left.sources[0]
        elif located:
            nonblank = [s for s in located if not s.blank] or located
            primary = min(nonblank, key=V.Source.sort_key)
        related = []
        seen = {primary.span} if primary else set()
        for s in sorted(located, key=V.Source.sort_key):
            if s.blank or s.span in seen:
                continue
            seen.add(s.span)
            related.append(ctx.location(s.span, s.label))

        values = self._placeholders(f, primary)
        if primary is not None:
            location = ctx.location(primary.span, primary.label)
        else:
            location = ctx.location(self._fallback_span(env), values.get("where", ""))

        zh_t = self.message or (DEFAULT_MESSAGE_ZH if comp else DEFAULT_FACT_ZH)
        en_t = self.message_en or (DEFAULT_MESSAGE_EN if comp else DEFAULT_FACT_EN)
        props: dict[str, object] = {"expression": f.stmt.text}
        expected = actual = None
        if comp is not None:
            expected, actual = values["expected"], values["actual"]
            props.update(within_rounding=False, tolerance=values["tolerance"], difference=values.pop("difference"))
        return Finding(
            code=self.meta.code, severity=self.meta.severity,
            message=Message(render(zh_t, values), render(en_t, values)),
            location=location, related=tuple(related), expected=expected, actual=actual,
            rule_name=self.meta.name, properties=props,
        )

    def _fallback_span(self, env: Env) -> Span:
        if env.row is not None:
            return row_span(env, env.row)
        if env.claim is not None:
            return env.claim.span
        for tid in self.meta.tables:
            t = env.ctx.tables.get(tid)
            if t is not None:
                return t.span
        return Span(1, 1, 1, 2)

    def _placeholders(self, f: Failure, primary: V.Source | None) -> dict[str, str]:
        env = f.env
        values: dict[str, str] = {"expr": f.stmt.text}
        comp = f.comparison
        if comp is not None:
            pct = comp.left.percent or comp.right.percent
            if pct:  # percentages show two decimals, or as many as one was written with
                dec = max([2] + [n.decimals for n in (comp.left, comp.right) if n.percent])
            else:
                dec = V.display_decimals(comp.left, comp.right)
            values.update(
                expected=V.show(comp.right, dec, pct), actual=V.show(comp.left, dec, pct),
                diff=V.show_plain(abs(comp.difference), dec, pct),
                difference=V.show_plain(comp.difference, dec, pct),
                tolerance=V.show_tolerance(comp.tolerance, dec, pct),
            )
        row = env.row
        if row is not None:
            tz, te = env.table_labels(row.table)
            info = row.info
            name = info.code or info.label or info.key
            values.update(table=tz, row=name, code=info.code or "", label=info.label or "")
            if info.code and info.label:
                values.update(where=f"{tz} {info.code}（{info.label}）", where_en=f"{te} {info.code} ({info.label})")
            else:
                values.update(where=f"{tz} {name}", where_en=f"{te} {name}")
        elif env.claim is not None:
            c = env.claim
            values.update(where=f"第{c.span.line}行" + (f"（{c.subject}）" if c.subject else ""),
                          where_en=f"line {c.span.line}" + (f" ({c.subject})" if c.subject else ""),
                          label=c.subject or "", row="", code="", table="")
        elif primary is not None:
            values.update(where=primary.where, where_en=primary.where_en, table=primary.table, row=primary.row,
                          code=primary.code, label=primary.row_label)
        else:
            values.update(where="", where_en="", table="", row="", code="", label="")
        if env.col is not None:
            values["column"] = env.col.name
        else:
            values["column"] = primary.column if primary is not None else ""
        if env.claim is not None:
            for role, amount in (env.claim.values or {}).items():
                values.setdefault(role, amount.text)
            for attr in ("subject", "base", "kind", "sentence"):
                v = getattr(env.claim, attr, None)
                if v:
                    values.setdefault(attr, v)
        for name, v in env.vars.items():
            if name in values:
                continue
            if isinstance(v, RowVal):
                values[name] = v.info.code or v.info.label
            elif hasattr(v, "name") and hasattr(v, "key"):
                values[name] = v.name
        return values
