"""The linter: packs and rules loaded once, then each filing read, recognized and checked.

    file --reader--> Document --recognizer--> Tables + Claims --rules--> Findings

Rules are isolated: one that raises becomes a tool notice naming it; the others run.
"""

from __future__ import annotations

import errno
import gc
import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from ..errors import FilinglintError, InputError, PluginError, RuleFileError
from ..i18n import set_language, tr
from ..model import Document, FileResult, Finding, Location, RunResult, Severity, ToolNotice
from ..plugins.manager import PLUGIN_FAILURES, LoadedPlugins, check_hook_result, load_plugins
from .localize import localize
from .registry import Pack, Registry, Selection
from .rules import RuleContext, RuleMeta, TableSet
from ..recognize.templates import TemplateLibrary, TemplateMatch


@dataclass
class LintOptions:
    selection: Selection = field(default_factory=Selection)
    packs: Sequence[str] = ()  # --pack: force these packs (and their templates)
    template: str | None = None  # --template: force a template
    rule_files: Sequence[Path] = ()  # --rules: extra DSL files for this run
    plugins: Sequence[str] = ()  # -p MODULE
    encoding: str | None = None
    lang: str = "zh"
    use_entry_points: bool = True
    snapshots: bool = False  # keep a TableSnapshot of each table (a formatter draws them)
    max_size_mb: float | None = None  # --max-size: input size limit (lint/limits.py)
    timeout: float | None = 600.0  # --timeout: seconds one file may take (lint/parallel.py)
    # Cross-year checks (lint/engine/crossyear.py): --previous FILE is last year's filing
    # of the department; otherwise it is looked for among the run's other inputs.
    previous: str | None = None
    run_inputs: Sequence[str] = ()
    pair_years: bool = True


def call_each(loaded: LoadedPlugins, hook: str, notices: list[ToolNotice], **kwargs: Any) -> list[tuple[str, Any]]:
    """Call every implementation of ``hook`` separately so one plugin's exception is
    reported against that plugin and does not hide the others' answers."""
    out = []
    caller = getattr(loaded.pm.hook, hook)
    for impl in reversed(caller.get_hookimpls()):  # registration order
        path = kwargs.get("document").path if kwargs.get("document") is not None else None
        try:
            result = impl.function(**{k: v for k, v in kwargs.items() if k in impl.argnames})
        except PLUGIN_FAILURES as exc:
            notices.append(ToolNotice(
                tr("插件 {plugin} 的 {hook} 出错：{error}", plugin=repr(impl.plugin_name), hook=hook,
                   error=f"{type(exc).__name__}: {exc}"),
                impl.plugin_name, path))
            continue
        if result is None:
            continue
        problem = check_hook_result(hook, result)
        if problem:
            notices.append(ToolNotice(
                tr("插件 {plugin} 的 {hook} 返回值类型不对，已忽略：{problem}，实际为 {type}",
                   plugin=repr(impl.plugin_name), hook=hook, problem=problem, type=type(result).__name__),
                impl.plugin_name, path))
            continue
        out.append((impl.plugin_name, result))
    return out


class Linter:
    def __init__(self, options: LintOptions | None = None):
        self.options = options or LintOptions()
        set_language(self.options.lang)  # messages of this process (workers too) follow --lang
        self.notices: list[ToolNotice] = []
        t0 = time.perf_counter()
        self.plugins = load_plugins(self.options.plugins, self.options.use_entry_points)
        self.notices.extend(self.plugins.notices)
        self.packs: dict[str, Pack] = {}
        self.library = TemplateLibrary()
        self.registry = Registry()
        self.readers: list[Any] = []
        self.formatters: dict[str, Callable] = {}
        self.layouts: dict[str, Callable] = {}
        self.functions: dict[str, Any] = {}
        self.rule_pack: dict[str, str] = {}
        self._collect()
        self.options.selection.check(self.registry.rules)
        self.load_seconds = time.perf_counter() - t0

    # ------------------------------------------------------------------ loading

    def _collect(self) -> None:
        n = self.notices
        for plugin, packs in call_each(self.plugins, "filinglint_packs", n):
            for pack in packs:
                pack.plugin = plugin
                if pack.name in self.packs:
                    raise PluginError(tr("规则包 {pack} 被两个插件定义：{first} 与 {second}", pack=repr(pack.name),
                                         first=repr(self.packs[pack.name].plugin), second=repr(plugin)))
                self.packs[pack.name] = pack
        for _, readers in call_each(self.plugins, "filinglint_readers", n):
            self.readers.extend(readers)
        for _, fmts in call_each(self.plugins, "filinglint_formatters", n):
            self.formatters.update(fmts)
        for _, lays in call_each(self.plugins, "filinglint_table_layouts", n):
            self.layouts.update(lays)
        for _, funcs in call_each(self.plugins, "filinglint_dsl_functions", n):
            self.functions.update(funcs)
        # Templates first (base templates before the ones extending them), then rules,
        # whose names are checked against the templates' vocabulary.  A pack whose
        # files do not load is dropped with a notice; the other packs still run.
        for name in self._load_templates():
            self._drop_pack(name)
        from ..dsl import Vocabulary, load_rule_file  # the DSL is only needed once templates exist

        try:
            self.vocab = Vocabulary.from_library(self.library, self.functions)
        except PluginError as exc:  # a plugin's DSL function is malformed: run without plugin functions
            self.notices.append(ToolNotice(tr("插件提供的规则函数无效，已忽略：{error}", error=exc)))
            self.functions = {}
            self.vocab = Vocabulary.from_library(self.library)
        for pack in self._ordered_packs():
            try:
                rules = [r for path in pack.rule_files for r in load_rule_file(path, self.vocab, pack=pack.name)]
                for rule in rules:
                    self._add_rule(rule.meta, rule, pack.name)
                for cls in pack.python_rules:
                    self._add_rule(cls.meta(pack.name), cls(pack.name), pack.name)
            except RuleFileError as exc:
                self.notices.append(ToolNotice(tr("规则包 {pack} 的规则文件有错，已跳过该包：{error}",
                                                  pack=repr(pack.name), error=exc.render()), pack.name))
                self._drop_pack(pack.name)
        for path in self.options.rule_files:  # the user's own file: an error here ends the run
            for rule in load_rule_file(path, self.vocab, pack="--rules"):
                self._add_rule(rule.meta, rule, "--rules")
        if self.options.template and self.library.get(self.options.template) is None:
            from difflib import get_close_matches

            known = sorted(t.id for t in self.library.concrete())
            hint = get_close_matches(self.options.template, known, 1)
            raise FilinglintError(tr("未知的表样 {template}（可用：{known}）", template=repr(self.options.template),
                                     known=", ".join(known))
                                  + (tr("；是否想找 {hint}？", hint=repr(hint[0])) if hint else ""))
        for forced in self.options.packs:
            if forced not in self.packs:
                from difflib import get_close_matches

                hint = get_close_matches(forced, list(self.packs), 1)
                raise FilinglintError(tr("未知的规则包 {pack}（可用：{known}）", pack=repr(forced),
                                         known=", ".join(sorted(self.packs)))
                                      + (tr("；是否想找 {hint}？", hint=repr(hint[0])) if hint else ""))

    def _ordered_packs(self) -> list[Pack]:
        return [self.packs[k] for k in sorted(self.packs, key=lambda k: (k != "core", k))]

    def _load_templates(self) -> list[str]:
        """Load every pack's templates; return the packs whose templates failed."""
        pending = [(p, f) for p in self._ordered_packs() for f in p.template_files]
        failed: list[str] = []
        # A template may extend one from another pack: retry while progress is made.
        while pending:
            progress, rest = False, []
            for pack, path in pending:
                try:
                    self.library.load_file(path)
                    progress = True
                except PluginError as exc:
                    rest.append((pack, path, exc))
            if not progress:
                for pack, path, exc in rest:
                    self.notices.append(ToolNotice(tr("规则包 {pack} 的表样文件无法加载，已跳过该包：{error}",
                                                      pack=repr(pack.name), error=exc), pack.name))
                    failed.append(pack.name)
                break
            pending = [(p, f) for p, f, _ in rest]
        return sorted(set(failed))

    def _drop_pack(self, name: str) -> None:
        self.__dict__.pop("_plan", None)
        self.packs.pop(name, None)
        for code in [c for c, p in self.rule_pack.items() if p == name]:
            self.registry.rules.pop(code, None)
            self.rule_pack.pop(code, None)

    def _add_rule(self, meta: RuleMeta, rule: Any, pack: str) -> None:
        self.__dict__.pop("_plan", None)
        if meta.pack != pack:
            meta = RuleMeta(**{**meta.__dict__, "pack": pack})
        self.registry.add(meta, rule)
        self.rule_pack[meta.code] = pack

    def rule_metas(self) -> dict[str, RuleMeta]:
        return {m.code: m for m in self.registry.metas()}

    # ------------------------------------------------------------------ per file

    def read(self, path: str) -> Document:
        """The reader is chosen by content, then suffix (lint.readers.select_reader);
        ``a.pdf+b.pdf`` reads both files as one filing."""
        from ..limits import check_document, check_file
        from ..readers import read_document

        check_file(path, self.options.max_size_mb)  # documented limits: see lint/limits.py
        document = read_document(path, self.readers, self.options.encoding)
        check_document(document, self.options.max_size_mb)
        return document

    def detect(self, document: Document, tables: list) -> TemplateMatch | None:
        if self.options.template:
            return TemplateMatch(self.options.template, 1.0, (), ("--template",))
        matches = [m for _, m in call_each(self.plugins, "filinglint_detect_template", self.notices,
                                           document=document, tables=tables) if m and m.score > 0]
        if not matches:
            return None
        return max(matches, key=lambda m: (m.score, m.template))

    def lint_file(self, path: str) -> FileResult:
        # A filing's blocks, cells and spans all live until it is done: the collector's
        # full passes over them grew faster than the filing (~40% of the time of a filing
        # 16 times a seed, ~2% of a seed's).  Reference counting frees them; the collector
        # is paused for the file and afterwards sees only what survived, once.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._lint_file(path)
        finally:
            if collecting:
                gc.enable()

    def _lint_file(self, path: str) -> FileResult:
        from ..recognize import read_metadata, recognize_tables  # pandas: not needed to list rules
        from ..recognize.filing import read_kind
        from ..recognize.tables import apply_numbering, read_unclaimed

        document = self.read(path)
        specs = self.library.all_table_specs()
        tables = recognize_tables(document, specs, None, self.layouts)
        # Report year, department and kind first: detection weighs the year and only
        # considers templates of the filing's kind.
        document.metadata.update(read_metadata(document, tables))
        filing = read_kind(document, tables, self._table_kinds())
        document.metadata.update(kind=filing.kind, scope=filing.scope)
        match = self.detect(document, tables)
        template = self.library.get(match.template) if match else None
        if template is not None:
            if all(specs.get(tid) is spec for tid, spec in template.tables.items()):
                # Same table definitions as the first pass: keep its result, only drop
                # tables the template lacks and check the numbering against it.
                tables = [t for t in tables if t.id in template.tables]
                apply_numbering(tables, template.numbering)
            else:
                tables = recognize_tables(document, template.tables, template.numbering, self.layouts)
            by_header, unread = read_unclaimed(document, tables, template.tables, self.layouts,
                                               self.library.pack_table_titles())
        else:
            kinds = self._table_kinds()
            same_kind = {tid: s for tid, s in specs.items() if not filing.kind or kinds.get(tid) == filing.kind}
            tables = [t for t in tables if t.id in same_kind]
            by_header, unread = read_unclaimed(document, tables, same_kind, self.layouts,
                                               self.library.pack_table_titles())
        tables = sorted([*tables, *by_header], key=lambda t: t.span.line)
        for t in tables:
            t.template_id = template.id if template else ""
        claims = [c for _, cs in call_each(self.plugins, "filinglint_extract_claims", self.notices,
                                           document=document, tables=tables) for c in cs]
        if match is None and not tables and not claims and not filing.kind:
            raise InputError(tr("不是财政公开文件：未识别出任何表格、已知的报告版式或财政叙述"), path)
        status, reason = _status(template, tables, unread, by_header, filing)
        previous = self._previous_of(path, document.metadata, claims)
        tid = template.id if template else None
        enabled = {"core", *(match.packs if match else ()), *self.options.packs}
        enabled |= {name for name, p in self.packs.items() if p.applies_to and p.applies(tid)}
        if self.options.rule_files:
            enabled.add("--rules")
        data = self._pack_data(enabled)
        if previous is not None:
            data["previous"] = previous
        ctx = RuleContext(document=document, tables=TableSet(tables), claims=claims,
                          template=template.id if template else None,
                          report_year=document.metadata.get("report_year"),
                          data=data, lang=self.options.lang)
        try:
            findings = list(self._run_rules(ctx, enabled))
        finally:
            # The rules' derived views refer back to the context (and a kept exception to
            # the frames that raised it): cycles that would keep the whole filing alive
            # until the collector finds them.  Without them reference counting frees it.
            ctx.cache.clear()
        if document.places:
            findings = [_placed(f, document) for f in findings]
        return FileResult(path=path, findings=findings, template=ctx.template, packs=sorted(enabled - {"--rules"}),
                          tables=[f"{t.id}@{t.span.line}" for t in tables], source_lines=document.lines,
                          reasons=(*(match.reasons if match else ()), *([tr("类型 {kind}（{evidence}）", kind=filing.describe(), evidence=filing.evidence)]
                                                                      if filing.kind else [])),
                          snapshots=_snapshots(document, tables) if self.options.snapshots else (),
                          department=document.metadata.get("department"),
                          report_year=document.metadata.get("report_year"),
                          status=status, status_reason=reason, kind=filing.kind or (template.kind if template else None),
                          scope=filing.scope, region=(template.region or None) if template else None,
                          unread=tuple(unread))

    def profile(self, path: str):
        """Last year's view of a filing: read, recognized, its claims (no rules run)."""
        from ..recognize import read_metadata, recognize_tables
        from ..recognize.filing import read_kind
        from .crossyear import profile_from

        document = self.read(path)
        tables = recognize_tables(document, self.library.all_table_specs(), None, self.layouts)
        document.metadata.update(read_metadata(document, tables))
        filing = read_kind(document, tables, self._table_kinds())
        document.metadata.update(kind=filing.kind, scope=filing.scope)
        claims = [c for _, cs in call_each(self.plugins, "filinglint_extract_claims", [],
                                           document=document, tables=tables) for c in cs]
        return profile_from(path, document.metadata, claims)

    def _previous_of(self, path: str, metadata: dict, claims: list):
        """The previous year's profile for this filing: --previous, else the run's input
        of the same department, kind and scope for the year before (None if none)."""
        from .crossyear import previous_among, profile_from, remember

        current = profile_from(path, metadata, claims)
        remember(self, current)
        if self.options.previous:
            if self.options.previous == path:
                return None
            given = self.__dict__.get("_given_previous")
            if given is None or given.path != self.options.previous:
                given = self._given_previous = self.profile(self.options.previous)
            return given
        others = [p for p in self.options.run_inputs if p != path]
        if not self.options.pair_years or not others or not current.year or not current.department:
            return None
        if not any(c.kind == "change" for c in claims):  # nothing stated against last year: no need to look
            return None
        return previous_among(self, current, others)

    def _table_kinds(self) -> dict[str, str]:
        if getattr(self, "_kinds", None) is None:
            from ..recognize.filing import table_kinds

            self._kinds = table_kinds(t for t in self.library.templates.values())
        return self._kinds

    def _pack_data(self, enabled: Iterable[str]) -> dict:
        data: dict = {}
        for name in sorted(enabled, key=lambda k: (k != "core", k)):
            pack = self.packs.get(name)
            if pack is None:
                continue
            for key, value in pack.data.items():
                data[key] = _merge_data(data.get(key), value)
        return data

    def _rule_plan(self) -> list[tuple[RuleMeta, Any, Severity]]:
        """The selected rules in code order, each with its severity for this run: the
        same for every file, so worked out once (and again when a pack comes or goes)."""
        plan = self.__dict__.get("_plan")
        if plan is None:
            sel, rules = self.options.selection, self.registry.rules
            plan = self._plan = [(m, rules[m.code].rule, sel.severity_for(m.code, m.severity))
                                 for m in self.registry.metas() if sel.enabled(m.code)]
        return plan

    def _run_rules(self, ctx: RuleContext, enabled: set[str]) -> Iterable[Finding]:
        sel = self.options.selection
        out: list[Finding] = []
        for meta, rule, severity in self._rule_plan():
            if meta.pack not in enabled:
                continue
            try:
                found = list(rule.check(ctx))
            except PLUGIN_FAILURES as exc:  # a broken rule must not take the others down
                self.notices.append(ToolNotice(
                    tr("规则 {code}（{pack}）运行出错：{error}", code=meta.code, pack=meta.pack,
                       error=f"{type(exc).__name__}: {exc}"),
                    meta.code, ctx.path))
                continue
            for f in found:
                if sel.severity and f.severity == meta.severity and severity != meta.severity:
                    f = Finding(**{**f.__dict__, "severity": severity})
                out.append(f)
        return localize(_dedupe(sorted(out, key=Finding.sort_key)), ctx.document.lines)

    def run(self, paths: Sequence[str], on_error: Callable[[FilinglintError], None] | None = None,
            exclude: Sequence[str] = ()) -> RunResult:
        """Lint every file ``paths`` names.  With ``on_error``, a file that cannot be read
        is passed to it and recorded as an input notice (every format shows it); without,
        the error ends the run.  ``exclude``: files never linted (the report being written)."""
        result = RunResult(files=[], notices=self.notices)

        def failed(exc: FilinglintError) -> None:
            if on_error is None:
                raise exc
            self.notices.append(input_notice(exc))
            on_error(exc)

        for path in expand_paths(paths, self._suffixes(), on_error=failed, exclude=exclude):
            try:
                result.files.append(self.lint_file(path))
            except FilinglintError as exc:
                failed(exc)
        return result

    def _suffixes(self) -> tuple[str, ...]:
        return tuple(s for r in self.readers for s in getattr(r, "suffixes", ()))


def _status(template, tables: list, unread: list, by_header: list, filing) -> tuple[str, str]:
    """How far a filing was read: ``linted``, ``partial`` or ``narrative`` (see FileResult)."""
    notes = []
    if by_header:
        notes.append(tr("{n} 张表按表头识别（标题不是已知表样的）", n=len(by_header)))
    if unread:
        notes.append(tr("{n} 个表格未能识别，未检查", n=len(unread)))
    if not tables:
        kind = tr("（{kind}）", kind=filing.describe()) if filing.kind else ""
        if template is not None:
            return ("partial" if unread else "linted"), tr("；").join(
                [tr("叙述型报告{kind}，表样 {template}", kind=kind, template=template.id), *notes])
        return "narrative", tr("；").join([tr("没有识别出表格{kind}：只检查叙述", kind=kind), *notes])
    if template is None:
        return "partial", tr("；").join([tr("表样未识别：按识别出的 {n} 张表检查适用的规则", n=len(tables)), *notes])
    if unread or by_header:
        return "partial", tr("；").join(notes)
    return "linted", ""


def _snapshots(document: Document, tables: list) -> tuple:
    from ..recognize.snapshot import snapshot_tables

    return snapshot_tables(document, tables)


def _placed(finding: Finding, document: Document) -> Finding:
    """Give each location of ``finding`` its place in the source file (page and box,
    paragraph or table cell, sheet and cell); rules speak in text spans only."""
    def place(loc: Location) -> Location:
        if loc.place is not None or loc.path != document.path:
            return loc
        return replace(loc, place=document.place_of(loc.span))

    return replace(finding, location=place(finding.location), related=tuple(place(r) for r in finding.related))


def _merge_data(base: Any, extra: Any) -> Any:
    """Regional packs extend the core's data: tables merge key by key, lists append,
    anything else is replaced."""
    if isinstance(base, dict) and isinstance(extra, dict):
        out = dict(base)
        for k, v in extra.items():
            out[k] = _merge_data(base.get(k), v)
        return out
    if isinstance(base, list) and isinstance(extra, list):
        return base + [x for x in extra if x not in base]
    return extra


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen, out = set(), []
    for f in findings:
        key = (f.code, f.location, f.message.zh)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def input_notice(exc: FilinglintError) -> ToolNotice:
    """An input error as a notice, so the report itself says the file was not checked."""
    return ToolNotice(exc.message, "", exc.path, kind="input", line=exc.line, col=exc.col)


def _same_file_key(path: str) -> str:
    try:
        return os.path.realpath(path)
    except (OSError, ValueError):  # pragma: no cover - unresolvable: compare as written
        return path


def expand_paths(paths: Sequence[str], suffixes: Sequence[str],
                 on_error: Callable[[FilinglintError], None] | None = None,
                 exclude: Sequence[str] = ()) -> list[str]:
    """Files as given; directories walked for supported suffixes (sorted, so the
    output order never depends on the file system).

    Every input is a regular file: a FIFO or device would block the run forever, so it
    is refused.  A walk follows linked directories once; a link loop or a dangling link
    inside it is reported through ``on_error`` (raised without it), never skipped in
    silence.  A file reached twice (a directory given twice, a link) is linted once;
    files in ``exclude`` (the report being written) never are."""

    def fail(exc: FilinglintError) -> None:
        if on_error is None:
            raise exc
        on_error(exc)

    seen = {_same_file_key(x) for x in exclude}
    out: list[str] = []

    def add(path: str) -> None:
        key = _same_file_key(path)
        if key not in seen:
            seen.add(key)
            out.append(path)

    for p in paths:
        if os.path.isdir(p):
            found, problems = _walk(p, suffixes)
            for exc in problems:
                fail(exc)
            if not found and not problems:
                fail(InputError(tr("目录中没有可检查的文件（{suffixes}）", suffixes=", ".join(suffixes)), p))
            from ..readers.join import pair_members  # a split filing's -text/-tables files: one filing

            for f in pair_members(found):
                add(f)
            continue
        if os.path.lexists(p) and not os.path.exists(p):
            fail(InputError(tr("符号链接指向不存在的文件"), p))
            continue
        if os.path.exists(p) and not os.path.isfile(p):
            fail(InputError(tr("不是普通文件（管道、设备或套接字），不予读取"), p))
            continue
        add(p)
    return out


def _walk(root: str, suffixes: Sequence[str]) -> tuple[list[str], list[InputError]]:
    """Supported files below ``root`` (sorted) and the problems met on the way."""
    found: list[str] = []
    problems: list[InputError] = []
    visited: set[str] = set()
    stack = [root]
    while stack:
        d = stack.pop()
        real = _same_file_key(d)
        if real in visited:
            problems.append(InputError(tr("符号链接形成循环或重复指向同一目录，已跳过"), d))
            continue
        visited.add(real)
        try:
            entries = sorted(os.scandir(d), key=lambda e: e.name)
        except OSError as exc:
            problems.append(InputError(tr("无法读取目录：{why}", why=exc.strerror), d))
            continue
        for e in entries:
            path = os.path.join(d, e.name)
            try:
                if e.is_symlink() and not os.path.exists(path):
                    if _loops(path):
                        problems.append(InputError(tr("符号链接形成循环，已跳过"), path))
                    else:
                        problems.append(InputError(tr("符号链接指向不存在的目标"), path))
                    continue
                if e.is_dir():
                    stack.append(path)
                elif Path(e.name).suffix.lower() in suffixes:
                    if e.is_file():
                        found.append(path)
                    else:
                        problems.append(InputError(
                            tr("不是普通文件（管道、设备或套接字），不予读取"), path))
            except OSError as exc:  # e.g. ELOOP on a link pointing at itself
                problems.append(InputError(tr("无法访问：{why}", why=exc.strerror), path))
    return sorted(found), sorted(problems, key=lambda x: x.path or "")


def _loops(path: str) -> bool:
    try:
        os.stat(path)
        return False
    except OSError as exc:
        return exc.errno == errno.ELOOP
