"""Table templates: what tables a kind of filing has, how they are titled and numbered,
and the canonical keys of their columns and named rows.

Templates are the recognizer's data, supplied by rule packs as TOML (see
``rules/core/templates``); nothing hard-codes them.  A regional template ``extends`` a
base one and adds its own numbering, titles or columns.  The model lives here, beside
the recognizer that reads tables with it; the engine imports it from here, never the
other way round.
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Sequence

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from ..errors import PluginError
from ..i18n import tr


@lru_cache(maxsize=1 << 14)
def norm_title(text: str) -> str:
    """Normalize a title or header for matching: no spaces, ASCII brackets and quotes
    folded to their full-width forms, the year (``2020年度…``, ``…（2020年度）``) dropped."""
    t = re.sub(r"\s+", "", text)
    t = t.replace("(", "（").replace(")", "）").replace('"', "“")
    t = re.sub(r"[“”\"'‘’]", "", t)
    t = re.sub(r"^\d{4}年度?", "", t)
    t = re.sub(r"（\d{4}年度?）$", "", t)
    return t


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    names: tuple[str, ...]  # header texts that identify the column (normalized on use)
    doc: str = ""


@dataclass(frozen=True)
class PanelSpec:
    name: str
    columns: tuple[ColumnSpec, ...]
    rows: dict[str, tuple[str, ...]] = field(default_factory=dict)  # alias -> labels
    row_labels: tuple[str, ...] = ()  # rows fixed by the template (two-sided/single-row tables)

    def column_keys(self) -> list[str]:
        return [c.key for c in self.columns]


@dataclass(frozen=True)
class TableSpec:
    id: str
    titles: tuple[str, ...]
    layout: str
    panels: tuple[PanelSpec, ...]
    doc: str = ""
    classification: str = "function"  # "function" (功能分类), "economic" (经济分类), "none"

    def panel(self, name: str) -> PanelSpec | None:
        for p in self.panels:
            if p.name == name:
                return p
        return None


@dataclass
class TemplateSpec:
    id: str
    name: str
    tables: dict[str, TableSpec]
    numbering: dict[str, str]  # table id -> printed number ("03")
    extends: str | None = None
    region: str = ""
    kind: str = "final-accounts"
    years: tuple[int, ...] = ()
    signals: dict[str, list[str]] = field(default_factory=dict)  # detection hints
    abstract: bool = False
    source: str = ""
    # Titles (endings) of tables the template's pack reads with its own code (绩效自评表):
    # such a table is not one of ``tables`` yet never reported as unread.
    pack_tables: tuple[str, ...] = ()


@dataclass(frozen=True)
class TemplateMatch:
    """A plugin's answer to 'is this filing of my template?'."""

    template: str
    score: float
    packs: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()


def _parse_toml(text: str) -> dict:
    """``tomllib.loads``, kept in filinglint's cache (lint/cache.py) by the text's hash:
    every start reads every pack's templates (~10 ms of parsing).  A file with a syntax
    error is parsed, and reported, every time."""
    from .. import cache

    digest = cache.key("template-toml", text)
    raw = cache.load("template-toml", digest)
    if isinstance(raw, dict):
        return raw
    raw = tomllib.loads(text)
    cache.store("template-toml", digest, raw)
    return raw


class TemplateLibrary:
    """All templates contributed by the loaded packs, with inheritance resolved."""

    def __init__(self) -> None:
        self.templates: dict[str, TemplateSpec] = {}
        self._all_specs: dict[str, TableSpec] | None = None

    def load_file(self, path: Path) -> TemplateSpec:
        try:
            raw = _parse_toml(Path(path).read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise PluginError(tr("模板文件语法错误：{error}", error=exc), str(path))
        except OSError as exc:
            raise PluginError(tr("无法读取模板文件：{error}", error=exc), str(path))
        return self.add(raw, str(path))

    def add(self, raw: dict, source: str = "") -> TemplateSpec:
        try:
            head = raw["template"]
            tid = head["id"]
        except (KeyError, TypeError):
            raise PluginError(tr("模板缺少 [template] id"), source)
        if tid in self.templates:
            raise PluginError(tr("模板 {tid} 重复定义（首次定义于 {first}）", tid=repr(tid), first=self.templates[tid].source),
                              source)
        base: TemplateSpec | None = None
        if head.get("extends"):
            base = self.templates.get(head["extends"])
            if base is None:
                raise PluginError(tr("模板 {tid} 继承的 {base} 不存在", tid=repr(tid), base=repr(head["extends"])), source)
        tables = dict(base.tables) if base else {}
        for table_id, t in raw.get("tables", {}).items():
            tables[table_id] = _table_spec(table_id, t, tables.get(table_id), source)
        numbering = dict(base.numbering) if base else {}
        numbering.update({k: str(v) for k, v in raw.get("numbering", {}).items()})
        if "only" in head:  # a regional template may print a subset of the base tables
            tables = {k: v for k, v in tables.items() if k in head["only"]}
            numbering = {k: v for k, v in numbering.items() if k in head["only"]}
        spec = TemplateSpec(
            id=tid, name=head.get("name", tid), tables=tables, numbering=numbering,
            extends=head.get("extends"), region=head.get("region", base.region if base else ""),
            kind=head.get("kind", base.kind if base else "final-accounts"),
            years=tuple(head.get("years", ())), signals=raw.get("signals", {}),
            abstract=bool(head.get("abstract", False)), source=source,
            pack_tables=tuple(raw.get("pack_tables", {}).get("titles", base.pack_tables if base else ())),
        )
        self.templates[tid] = spec
        self._all_specs = None
        return spec

    def get(self, tid: str) -> TemplateSpec | None:
        return self.templates.get(tid)

    def concrete(self) -> list[TemplateSpec]:
        return [t for t in self.templates.values() if not t.abstract]

    def pack_table_titles(self) -> tuple[str, ...]:
        """Every template's ``pack_tables`` titles (see TemplateSpec)."""
        return tuple(sorted({t for spec in self.templates.values() for t in spec.pack_tables}))

    def all_table_specs(self) -> dict[str, TableSpec]:
        """Every table id known to any template: the first template's definition, with
        the titles every template gives that table (a regional title is still found
        before the filing's template is known)."""
        if self._all_specs is not None:
            return self._all_specs
        out: dict[str, TableSpec] = {}
        titles: dict[str, list[str]] = {}
        for t in self.templates.values():
            for tid, spec in t.tables.items():
                out.setdefault(tid, spec)
                known = titles.setdefault(tid, [])
                known.extend(x for x in spec.titles if x not in known)
        self._all_specs = {tid: spec if len(titles[tid]) == len(spec.titles) else replace(spec, titles=tuple(titles[tid]))
                           for tid, spec in out.items()}
        return self._all_specs


def _table_spec(table_id: str, raw: dict, base: TableSpec | None, source: str) -> TableSpec:
    try:
        titles = tuple(raw.get("titles", base.titles if base else ()))
        layout = raw.get("layout", base.layout if base else "classified")
        if "panels" in raw:
            panels = tuple(_panel_spec(name, p) for name, p in raw["panels"].items())
        elif "columns" in raw:
            panels = (_panel_spec("main", raw),)
        elif base:
            panels = base.panels
        else:
            raise KeyError("columns")
        if not titles:
            raise KeyError("titles")
    except (KeyError, TypeError) as exc:
        raise PluginError(tr("模板表 {table} 定义不完整，缺少 {key}", table=table_id, key=exc), source)
    return TableSpec(table_id, titles, layout, panels, raw.get("doc", base.doc if base else ""),
                     raw.get("classification", base.classification if base else "function"))


def _panel_spec(name: str, raw: dict) -> PanelSpec:
    cols = tuple(ColumnSpec(c["key"], tuple(c.get("names", ())), c.get("doc", "")) for c in raw["columns"])
    rows = {alias: tuple(v) if isinstance(v, (list, tuple)) else (v,) for alias, v in raw.get("rows", {}).items()}
    return PanelSpec(name, cols, rows, tuple(raw.get("row_labels", ())))


def iter_template_files(dirs: Iterable[Path]) -> Sequence[Path]:
    files: list[Path] = []
    for d in dirs:
        files.extend(sorted(Path(d).glob("*.toml")))
    return files


def score_template(spec: TemplateSpec, document, tables, packs: Sequence[str] = ()) -> TemplateMatch:
    """A generic fit score of ``spec`` to a filing, with the reasons.

    +1 per recognized table the template has, +1 more when its printed number is
    the template's; +2 per signal phrase (e.g. 功能分类 names of that year's
    classification) found in the text; +1 when the report year is one the template
    is for; -1 per recognized table the template does not have.

    A template of another kind than the filing's (预算 vs 决算, read from its cover by
    lint.recognize.filing) scores 0, and so does a table template none of whose
    tables was recognized: signal phrases alone never make a filing a template's."""
    kind = document.metadata.get("kind")
    if kind and spec.kind and kind != spec.kind:
        return TemplateMatch(spec.id, 0.0, tuple(packs), (tr("表样类型 {template} 与文件类型 {filing} 不同", template=spec.kind, filing=kind),))
    if tables and spec.tables and not spec.signals.get("require_no_tables") \
            and not any(t.id in spec.tables for t in tables):
        return TemplateMatch(spec.id, 0.0, tuple(packs), (tr("没有识别出此表样的表"),))
    score, reasons = 0.0, []
    for t in tables:
        if t.id in spec.tables:
            score += 1
            if t.number and spec.numbering.get(t.id) and int(t.number) == int(spec.numbering[t.id]):
                score += 1
        else:
            score -= 1
            reasons.append(tr("{table} 不在此表样中", table=t.id))
    found = sum(1 for t in tables if t.id in spec.tables)
    if found:
        reasons.append(tr("识别出 {found}/{total} 张表", found=found, total=len(spec.tables)))
    for kind, phrases in sorted(spec.signals.items()):
        if kind == "require_no_tables":
            continue
        flat_text = document.flat_text
        hits = [p for p in phrases if _flat_phrase(p) in flat_text]
        if hits:
            score += 2 * len(hits)
            reasons.append(f"{kind}: {'、'.join(hits)}")
    if spec.signals.get("require_no_tables") and tables:
        return TemplateMatch(spec.id, 0.0, tuple(packs), (tr("有公开表格，不是叙述型模板"),))
    year = document.metadata.get("report_year")
    if year and spec.years and year in spec.years:
        score += 1
        reasons.append(tr("报告年度 {year}", year=year))
    return TemplateMatch(spec.id, score, tuple(packs), tuple(reasons))


@lru_cache(maxsize=4096)  # a template's signal phrases, asked for every filing
def _flat_phrase(phrase: str) -> str:
    return "".join(phrase.split())


@lru_cache(maxsize=64)
def load_template(path: Path, *bases: Path) -> TemplateSpec:
    """One template file (after the files it extends), parsed once per process.

    For a pack's ``filinglint_detect_template``, which runs for every filing and must
    not re-read its TOML each time."""
    lib = TemplateLibrary()
    for base in bases:
        lib.load_file(base)
    return lib.load_file(path)
