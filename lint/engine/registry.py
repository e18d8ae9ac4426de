"""Packs and the rule registry: which rules exist, where they came from, which run.

Selection is ruff-style: ``--select``/``--ignore``/``--extend-select`` take full codes
or prefixes (``T`` selects ``T001`` … ``T999``); the most specific selector wins."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from ..errors import PluginError, UsageError
from ..i18n import tr
from ..model import Severity
from .rules import CODE_RE, Rule, RuleMeta


@dataclass
class Pack:
    """A rule pack as a plugin contributes it (its manifest plus its contents)."""

    name: str
    version: str = "0"
    description: str = ""
    applies_to: Sequence[str] = ()  # template ids or "*" (always)
    rule_files: Sequence[Path] = ()  # DSL rule files
    python_rules: Sequence[type[Rule]] = ()
    template_files: Sequence[Path] = ()  # TOML table templates
    data: dict[str, Any] = field(default_factory=dict)  # e.g. {"subjects": {...}}
    plugin: str = ""  # filled by the manager: which plugin contributed the pack

    def applies(self, template: str | None) -> bool:
        if not self.applies_to or "*" in self.applies_to:
            return True
        return template is not None and template in self.applies_to


@dataclass
class RegisteredRule:
    meta: RuleMeta
    rule: Any  # an object with check(ctx) -> Iterable[Finding]


class Registry:
    def __init__(self) -> None:
        self.rules: dict[str, RegisteredRule] = {}

    def add(self, meta: RuleMeta, rule: Any) -> None:
        if not CODE_RE.match(meta.code):
            raise PluginError(tr("规则代码 {code} 不合规范（应为 1–3 个大写字母加 3 位数字）", code=repr(meta.code)),
                              meta.origin or None)
        if meta.code in self.rules:
            other = self.rules[meta.code].meta
            raise PluginError(
                tr("规则代码 {code} 重复：规则包 {first}（{first_origin}）与 {second}（{second_origin}）", code=meta.code,
                   first=repr(other.pack), first_origin=other.origin, second=repr(meta.pack), second_origin=meta.origin),
                meta.origin or None)
        self.rules[meta.code] = RegisteredRule(meta, rule)

    def metas(self) -> list[RuleMeta]:
        return [r.meta for r in sorted(self.rules.values(), key=lambda r: r.meta.code)]

    def get(self, code: str) -> RegisteredRule | None:
        return self.rules.get(code)


@dataclass
class Selection:
    select: Sequence[str] = ()  # empty: everything
    ignore: Sequence[str] = ()
    extend_select: Sequence[str] = ()
    severity: dict[str, Severity] = field(default_factory=dict)  # code or prefix -> severity
    origin: dict[str, str] = field(default_factory=dict)  # selector -> where it was written (config file)

    def enabled(self, code: str) -> bool:
        chosen = list(self.select) + list(self.extend_select)
        sel = _best(code, chosen) if chosen else ""
        if chosen and sel is None:
            return False
        ign = _best(code, self.ignore)
        if ign is None:
            return True
        # The more specific selector wins: --select T001 --ignore T keeps T001.
        return len(sel or "") > len(ign)

    def severity_for(self, code: str, default: Severity) -> Severity:
        best = _best(code, list(self.severity))
        return self.severity[best] if best is not None else default

    def check(self, codes: Iterable[str]) -> None:
        """Every selector must name a known rule or a prefix of one: ``--select ZZZ``
        selecting nothing would make a typo a green run.  Raises :class:`UsageError`
        with the closest known codes or prefixes."""
        from difflib import get_close_matches

        codes = sorted(codes)
        prefixes = sorted({c[:i] for c in codes for i in range(1, len(c) + 1)})
        for option, selectors in (("select", self.select), ("extend-select", self.extend_select),
                                  ("ignore", self.ignore), ("severity", list(self.severity))):
            for s in selectors:
                if s == "ALL" or any(c.startswith(s) for c in codes):
                    continue
                hint = get_close_matches(s.upper(), prefixes if len(s) < 4 else codes, 3, 0.5)
                if s.upper() != s and s.upper() in prefixes:
                    hint = [s.upper()]
                where = self.origin.get(s)
                raise UsageError(
                    (f"{where}: " if where else "")
                    + tr("{option}：未知的规则代码或前缀 {code}", option=option, code=repr(s))
                    + (tr("；是否想找 {hint}？", hint=", ".join(hint)) if hint else ""))


def _best(code: str, selectors: Iterable[str]) -> str | None:
    best = None
    for s in selectors:
        if s == "ALL" or code.startswith(s):
            key = "" if s == "ALL" else s
            if best is None or len(key) > len(best):
                best = key
    return best
