"""Command line: ``filinglint check|rules|explain``.

Exit codes: 0 no finding at or above the failure level; 1 findings; 2 usage or input
errors (a file that cannot be read, a rule file that does not compile); 3 the run was
incomplete because a plugin or rule failed (findings of the rest are still printed).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from . import __version__
from .errors import FilinglintError, UsageError, printable
from .i18n import set_language, tr

if TYPE_CHECKING:  # pragma: no cover
    from .config import Config
    from .engine.linter import Linter, LintOptions

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR, EXIT_INCOMPLETE = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse would exit 2 with usage; keep one line
        raise UsageError(tr("参数错误：{message}", message=message))


def _split(values: Sequence[str] | None) -> list[str]:
    out: list[str] = []
    for v in values or ():
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return out


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="filinglint", description=tr("部门决算、预算与绩效自评报告的检查工具"))
    p.add_argument("--version", action="version", version=f"filinglint {__version__}")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)

    def common(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("-p", "--plugin", action="append", default=[], metavar="MODULE",
                        help=tr("为本次运行加载插件模块"))
        sp.add_argument("--rules", action="append", default=[], metavar="FILE",
                        help=tr("为本次运行追加 DSL 规则文件"))
        sp.add_argument("--config", metavar="FILE", help=tr("配置文件（默认：就近的 filinglint.toml 或 pyproject.toml）"))
        sp.add_argument("--lang", choices=("zh", "en"), help=tr("消息语言"))
        sp.add_argument("--no-entry-points", action="store_true", help=argparse.SUPPRESS)

    c = sub.add_parser("check", help=tr("检查文件"))
    c.add_argument("paths", nargs="+", metavar="PATH")
    c.add_argument("--format", help=tr("输出格式：text、json、jsonl、sarif、html、github 或插件提供的格式"))
    c.add_argument("-o", "--output", metavar="FILE", help=tr("写入文件"))
    c.add_argument("--encoding", help=tr("输入编码，如 gbk"))
    c.add_argument("--select", action="append", help=tr("只运行这些规则代码或前缀"))
    c.add_argument("--ignore", action="append", help=tr("忽略这些规则"))
    c.add_argument("--extend-select", action="append", help=tr("在配置之外追加规则"))
    c.add_argument("--severity", action="append", metavar="CODE=LEVEL", help=tr("覆盖严重级别，如 N002=note"))
    c.add_argument("--fail-on", choices=("error", "warning", "note"), help=tr("达到该级别即以 1 退出（默认 warning）"))
    c.add_argument("--pack", action="append", help=tr("强制启用规则包"))
    c.add_argument("--template", help=tr("强制使用表样"))
    c.add_argument("--previous", metavar="FILE",
                   help=tr("同一部门上一年的公开文件，核对“比上年”的增减"))
    c.add_argument("-v", "--verbose", action="store_true", help=tr("显示识别出的表样与表格"))
    c.add_argument("-j", "--jobs", type=int, metavar="N",
                   help=tr("并行检查的进程数，默认为 CPU 核数"))
    c.add_argument("--dask", metavar="ADDRESS",
                   help=tr("在 Dask 集群上检查：tcp://调度器:8786，或 local:N"))
    c.add_argument("--statistics", action="store_true",
                   help=tr("只输出各规则、表样、部门的问题统计"))
    c.add_argument("--findings-table", metavar="FILE",
                   help=tr("把全部问题写成表格 .csv 或 .parquet"))
    c.add_argument("--baseline", metavar="FILE",
                   help=tr("只报告不在此基线中的问题"))
    c.add_argument("--write-baseline", metavar="FILE",
                   help=tr("把当前的问题记为基线"))
    c.add_argument("--max-size", type=float, metavar="MB",
                   help=tr("单个文件的大小上限，默认 8 MB 文本"))
    c.add_argument("--timeout", type=float, metavar="SECONDS",
                   help=tr("单个文件（及加载插件）最长用时，默认 600 秒"))
    common(c)

    r = sub.add_parser("rules", help=tr("列出规则"))
    r.add_argument("--check", action="store_true", help=tr("报告在某表样下不会生效的规则"))
    r.add_argument("--template", help=tr("只检查这个表样"))
    r.add_argument("--markdown", action="store_true", help=tr("输出全部规则文档（Markdown）"))
    common(r)

    e = sub.add_parser("explain", help=tr("显示规则文档"))
    e.add_argument("code")
    common(e)
    return p


def _previous_file(path: str | None) -> str | None:
    if path is not None and not os.path.isfile(path):
        raise UsageError(tr("--previous 指定的文件不存在"), path)
    return path


def _options(args: argparse.Namespace, cfg: Config) -> LintOptions:
    # The engine is imported here, not at the top: --help and --version stay light.
    from .engine.linter import LintOptions
    from .engine.registry import Selection

    def pick(name: str, cfg_key: str, default=None):
        v = getattr(args, name, None)
        return v if v not in (None, []) else cfg.get(cfg_key, default)

    from .config import parse_severity

    severity = {}
    for code, level in (cfg.get("severity") or {}).items():
        severity[code] = parse_severity(level, f"{cfg.path}: severity.{code}")
    for item in _split(getattr(args, "severity", None)):
        code, _, level = item.partition("=")
        if not level:
            raise UsageError(tr("--severity 应写成 CODE=LEVEL，实际为 {item}", item=repr(item)))
        severity[code.strip()] = parse_severity(level.strip(), "--severity")
    select = _split(args.select) if getattr(args, "select", None) else list(cfg.get("select", []))
    ignore = list(cfg.get("ignore", [])) + _split(getattr(args, "ignore", None))
    extend = list(cfg.get("extend-select", [])) + _split(getattr(args, "extend_select", None))
    packs = _split(getattr(args, "pack", None)) or list(cfg.get("packs", cfg.get("pack", [])) or [])
    return LintOptions(
        selection=Selection(select, ignore, extend, severity, origin={
            s: str(cfg.path) for key in ("select", "ignore", "extend-select", "severity")
            for s in (cfg.get(key) or []) if cfg.path}),
        packs=packs,
        template=pick("template", "template"),
        rule_files=[Path(f) for f in list(cfg.get("rules", [])) + list(args.rules or [])],
        plugins=list(cfg.get("plugins", [])) + list(args.plugin or []),
        encoding=_known_encoding(pick("encoding", "encoding")),
        lang=pick("lang", "lang", "zh"),
        use_entry_points=not args.no_entry_points,
        previous=_previous_file(getattr(args, "previous", None)),
        max_size_mb=_positive(getattr(args, "max_size", None), "--max-size"),
        timeout=_positive(getattr(args, "timeout", None), "--timeout") or 600.0,
    )


def _positive(value: float | None, flag: str) -> float | None:
    if value is not None and not value > 0:
        raise UsageError(tr("{flag} 应为正数，实际为 {value}", flag=flag, value=value))
    return value


def _known_encoding(name: str | None) -> str | None:
    if name:
        import codecs

        try:
            codecs.lookup(name)
        except LookupError:
            raise UsageError(tr("--encoding：未知的编码 {encoding}", encoding=repr(name)))
    return name


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except FilinglintError as exc:
        print(f"filinglint: {exc.render()}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:  # pragma: no cover
        return 130
    except BrokenPipeError:  # output piped into `head` and closed early: not an error
        try:
            sys.stdout = open(os.devnull, "w")  # silence the flush at interpreter exit
        except OSError:  # pragma: no cover
            pass
        return EXIT_OK
    except Exception as exc:  # a bug (ours or a plugin's, e.g. a formatter): one line, exit 3
        if os.environ.get("FILINGLINT_DEBUG"):
            raise
        where = _origin_of(exc)
        detail = f"{type(exc).__name__}: {exc}{where}"
        print(printable("filinglint: " + tr("内部错误，运行未完成：{detail} — FILINGLINT_DEBUG=1 可显示回溯",
                                            detail=detail)).replace("\n", " "),
              file=sys.stderr)
        return EXIT_INCOMPLETE


def _origin_of(exc: BaseException) -> str:
    """`` (in module:line)`` of the innermost frame of ``exc`` — names a plugin at fault."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:  # pragma: no cover
        return ""
    return f" (in {tb.tb_frame.f_globals.get('__name__', '?')}:{tb.tb_lineno})"


def _peek_lang(argv: Sequence[str]) -> str | None:
    """``--lang`` before parsing, so --help and argument errors are in that language."""
    for i, a in enumerate(argv):
        if a.startswith("--lang="):
            return a.split("=", 1)[1]
        if a == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
    return None


def _main(argv: Sequence[str] | None) -> int:
    # Loading (plugins, packs, templates, the libraries a check imports) makes many
    # objects and frees almost none: the collector's passes over them are wasted work
    # (~8% of a cold check).  It is off while loading; what was loaded is then frozen
    # out of its scans.
    # The methods dataclasses writes for each class are compiled from a cache meanwhile
    # (lint/cache.py: ~70 ms of a cold start), once the arguments ask for more than --help.
    from .cache import generated_code

    collecting = gc.isenabled()
    gc.disable()
    codes = generated_code()

    def loaded() -> None:
        codes.stop()
        if collecting:
            gc.enable()

    try:
        return _run(argv, codes.start, loaded)
    finally:
        loaded()


def _run(argv: Sequence[str] | None, loading: Callable[[], object], loaded: Callable[[], None]) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    set_language(_peek_lang(argv))  # one language per run (lint/i18n.py)
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_ERROR
    loading()
    from .config import find_config, load_config  # not needed for --help / --version

    cfg = load_config(args.config) if args.config else find_config()
    options = _options(args, cfg)
    set_language(options.lang)  # the config's lang, unless --lang said otherwise
    from .engine.linter import Linter
    from .parallel import FileTimeout, deadline

    try:  # a plugin whose import or hook hangs must not hang the run
        with deadline(options.timeout):
            linter = Linter(options)
    except FileTimeout:
        from .errors import PluginError

        raise PluginError(tr("加载插件与规则包超时（{seconds} 秒），可能有插件卡住",
                             seconds=f"{options.timeout:g}")) from None
    if args.command == "check":  # what linting a file imports (pandas, the recognizers), loaded with the rest
        from .recognize import filing, tables  # noqa: F401
    # Rules, templates and plugins live as long as the run: keep them out of the garbage
    # collector's scans (fewer, shorter GC pauses; forked workers share their pages).
    if not gc.get_freeze_count():  # once per process (tests call main() many times)
        gc.freeze()
    loaded()
    if args.command == "rules":
        return _cmd_rules(linter, args)
    if args.command == "explain":
        return _cmd_explain(linter, args.code)
    return _cmd_check(linter, args, cfg)


def _cmd_check(linter: Linter, args: argparse.Namespace, cfg: Config) -> int:
    """Lint and write the report as each file finishes (see lint.report.stream)."""
    from .parallel import default_jobs, iter_results
    from .progress import Progress
    from .report import FormatOptions
    from .report.stream import open_writer
    from .report.summary import FindingsTable, Statistics

    fmt = args.format or cfg.get("format", "text")
    formatter = linter.formatters.get(fmt)
    if formatter is None:
        raise UsageError(tr("未知的输出格式 {fmt}（可用：{known}）", fmt=repr(fmt),
                            known=", ".join(sorted(linter.formatters))))
    if args.jobs is not None and args.jobs < 0:
        raise UsageError(tr("--jobs 应为正整数（0 = 全部核），实际为 {jobs}", jobs=args.jobs))
    jobs = args.jobs or default_jobs()
    errors: list[FilinglintError] = []

    def on_error(exc: FilinglintError) -> None:
        errors.append(exc)
        print(f"filinglint: {exc.render()}", file=sys.stderr)

    exclude = _refuse_output_over_input(args.output, args.paths)
    options = FormatOptions(lang=linter.options.lang, cwd=os.getcwd(), color=False)
    review = _review(args, cfg, options.cwd)
    # A formatter that draws the tables (html) needs their snapshots from the workers.
    linter.options.snapshots = bool(getattr(getattr(formatter, "stream", None) or formatter, "wants_tables", False))
    rules = linter.rule_metas()
    writer = open_writer(formatter, rules, options)
    stats = Statistics(rules, linter.options.lang) if args.statistics else None
    table = FindingsTable(args.findings_table, rules, options.cwd) if args.findings_table else None
    # --statistics prints the counts instead of the report (as ruff does), unless -o
    # asks for the report in a file as well.
    report_shown = not (stats is not None and not args.output)
    out = _open_output(args.output) if report_shown else None
    from .model import Severity

    fail_on = Severity(args.fail_on or cfg.get("fail-on", "warning"))
    failing = False
    tail = "\n"
    progress = Progress()

    def write(text) -> None:  # a writer returns a string or an iterable of strings
        nonlocal tail
        for part in (text,) if isinstance(text, str) else text:
            if out is not None and part:
                out.write(part)
                tail = part[-1]

    try:
        write(writer.begin())
        for fr in iter_results(linter, args.paths, jobs=jobs, dask=args.dask, on_error=on_error,
                               exclude=exclude, on_path_count=progress.start):
            if args.verbose:
                print(tr("{path}: 表样 {template}，规则包 {packs}，表格 {tables}", path=fr.path,
                         template=fr.template or tr("（未识别）"), packs=",".join(fr.packs),
                         tables=",".join(fr.tables) or "-"), file=sys.stderr)
                for reason in fr.reasons:
                    print(f"  - {reason}", file=sys.stderr)
            fr = review.apply(fr)  # suppressions and --baseline, before anything counts findings
            failing = failing or any(f.severity.rank >= fail_on.rank for f in fr.findings)
            if stats is not None:
                stats.add(fr)
            if table is not None:
                table.add(fr)
            write(writer.file(fr))
            progress.advance()
        progress.stop()
        notices = list(linter.notices)
        options.unused_suppressions[:] = review.unused_records()  # listed by the machine formats
        write(writer.end(notices))
        if tail != "\n":
            write("\n")
    except OSError as exc:
        if args.output and not isinstance(exc, BrokenPipeError):
            raise UsageError(tr("无法写入输出文件：{why}", why=exc.strerror), args.output)
        raise
    finally:
        progress.stop()
        if table is not None:
            table.close()
        if out is not None and out is not sys.stdout:
            out.close()
    if stats is not None:
        sys.stdout.write(stats.render())
    review.finish()
    if review.hidden_by_baseline:
        print("filinglint: " + tr("基线中已有的 {n} 个问题未报告", n=review.hidden_by_baseline), file=sys.stderr)
    for s in review.unused():
        print(printable("filinglint: " + tr("{config}: 未使用的抑制 suppress[{index}]（{what}）没有匹配任何问题",
                                            config=s.origin or "config", index=s.index, what=s.describe())),
              file=sys.stderr)
    if args.output or fmt != "text" or not report_shown:  # the report is not what the user reads: say it here too
        for n in notices:
            if n.kind != "input":  # input errors were printed as they happened
                print(printable(f"filinglint: {tr('工具错误')}: {n.path + ': ' if n.path else ''}{n.message}"
                                + (f" [{n.source}]" if n.source else "")).replace("\n", " "), file=sys.stderr)
    if errors:
        return EXIT_ERROR
    if notices:
        return EXIT_INCOMPLETE
    if failing:
        return EXIT_FINDINGS
    return EXIT_OK


def _review(args: argparse.Namespace, cfg: Config, cwd: str):
    from .report.review import Review, config_dir, suppressions_from_config

    return Review(suppressions_from_config(cfg.get("suppress"), cfg.path), baseline=args.baseline,
                  write_baseline=args.write_baseline, cwd=cwd, config_dir=config_dir(cfg.path))


def _open_output(output: str | None):
    if not output:
        return sys.stdout
    try:
        return open(output, "w", encoding="utf-8")
    except OSError as exc:
        raise UsageError(tr("无法写入输出文件：{why}", why=exc.strerror), output) from None


def _refuse_output_over_input(output: str | None, paths: Sequence[str]) -> list[str]:
    """An ``-o`` file that is one of the inputs would be overwritten by its own report:
    refuse it.  Returned for the walk to skip, so a directory run never lints the report
    an earlier run wrote into it."""
    if not output:
        return []
    from .readers.join import members

    out = os.path.realpath(output)
    for given in paths:
        try:
            parts = members(given) or [given]  # a+b: two files read as one filing
        except FilinglintError:
            parts = [given]
        if any(not os.path.isdir(p) and os.path.realpath(p) == out for p in parts):
            raise UsageError(tr("输出文件就是输入文件之一，写入会覆盖它"), output)
    return [output]


def _cmd_rules(linter: Linter, args: argparse.Namespace) -> int:
    metas = linter.registry.metas()
    if args.check:
        return _check_applicability(linter, metas, args.template)
    if args.markdown:
        sys.stdout.write(rules_markdown(linter))
        return EXIT_OK
    by_pack: dict[str, list] = {}
    for name in linter.packs:
        by_pack.setdefault(name, [])
    for m in metas:
        by_pack.setdefault(m.pack, []).append(m)
    lang = linter.options.lang
    out = []
    for pack in sorted(by_pack, key=lambda k: (k != "core", k)):
        info = linter.packs.get(pack)
        head = f"[{pack}]"
        if info:
            head += " " + tr("{version} — {description}（插件：{plugin}）", version=info.version,
                             description=info.description, plugin=info.plugin)
        out.append(head)
        if not by_pack[pack]:
            templates = [t.id for t in linter.library.concrete() if info and any(
                str(f) == t.source for f in info.template_files)]
            out.append("  " + tr("（无规则；只提供表样：{templates}）", templates=", ".join(templates) or "-"))
        for m in by_pack[pack]:
            summary = m.summary_en if lang == "en" and m.summary_en else m.summary
            out.append(f"  {m.code:<6} {m.name:<40} {m.severity.value:<7} {summary}")
            out.append(f"         ↳ {_rel(m.origin)}")
    print("\n".join(out))
    for n in linter.notices:
        print(f"filinglint: {tr('工具错误')}: {n.message}", file=sys.stderr)
    return EXIT_INCOMPLETE if linter.notices else EXIT_OK


def rules_markdown(linter: Linter) -> str:
    """The rule reference (docs/rules.md): every pack, every rule, its documentation."""
    out = ["# 规则一览 Rule reference", "",
           "Generated by `filinglint rules --markdown`; `filinglint explain CODE` prints one entry.", ""]
    metas = linter.registry.metas()
    for pack in sorted(linter.packs, key=lambda k: (k != "core", k)):
        info = linter.packs[pack]
        out += [f"## {pack} — {info.description}", ""]
        mine = [m for m in metas if m.pack == pack]
        if not mine:
            out += ["（无规则；只提供表样 — templates only）", ""]
        else:
            out += ["| code | name | severity | summary |", "|---|---|---|---|"]
            out += [f"| [{m.code}](#{m.code.lower()}) | `{m.name}` | {m.severity.value} | {m.summary} |" for m in mine]
            out += [""]
        for m in mine:
            body = textwrap.dedent(m.doc).strip()
            # the rule's own section headings sit one level below the rule's heading
            body = "\n".join("##" + line if line.startswith("## ") else line for line in body.splitlines())
            out += [f"### {m.code}", "", f"`{m.name}` · {m.severity.value} · {_rel(m.origin).split(':')[0]}", "",
                    body, ""]
    return "\n".join(out).rstrip() + "\n"


def _check_applicability(linter: Linter, metas, only: str | None) -> int:
    """Which rules cannot apply to which template (the tables they read are not in it).

    A rule none of whose tables any loaded template has can never fire: a warning, and
    exit 1.  Otherwise a note per template that lacks some of the rule's tables."""
    concrete = linter.library.concrete()
    shown = concrete
    if only:
        shown = [t for t in concrete if t.id == only]
        if not shown:
            raise UsageError(tr("未知的表样 {template}（可用：{known}）", template=repr(only),
                                known=", ".join(sorted(t.id for t in concrete))))
    dead = 0
    for m in metas:
        if not m.tables:
            continue
        if not any(set(m.tables) & set(t.tables) for t in concrete):
            dead += 1
            print(f"{_rel(m.origin)}: warning {m.code} "
                  + tr("在任何表样中都不会生效（缺表 {tables}）", tables=", ".join(m.tables)))
            continue
        for t in sorted(shown, key=lambda t: t.id):
            pack = linter.packs.get(m.pack)
            if pack is not None and not pack.applies(t.id):
                continue  # a regional pack's rule does not run on another region's template
            tabs = sorted(set(m.tables) - set(t.tables))
            if not tabs:
                continue
            part = set(tabs) != set(m.tables)
            text = (tr("表样 {template} 没有 {tables}，其中引用这些表的断言不会生效", template=t.id,
                       tables=", ".join(tabs)) if part
                    else tr("表样 {template} 没有 {tables}，整条规则不会生效", template=t.id, tables=", ".join(tabs)))
            print(f"{_rel(m.origin)}: note {m.code} {text}")
    # Per template, the table rules that do apply (their pack runs there and the
    # template has at least one table they read).
    for t in sorted(shown, key=lambda t: t.id):
        codes = [m.code for m in metas if m.tables and set(m.tables) & set(t.tables)
                 and (linter.packs.get(m.pack) is None or linter.packs[m.pack].applies(t.id))]
        print(tr("表样 {template}：适用 {n} 条表格规则：{codes}", template=t.id, n=len(codes), codes=",".join(codes)))
    return EXIT_FINDINGS if dead else EXIT_OK


def _cmd_explain(linter: Linter, code: str) -> int:
    reg = linter.registry.get(code.upper())
    if reg is None:
        from difflib import get_close_matches

        hint = get_close_matches(code.upper(), list(linter.registry.rules), 3)
        raise UsageError(tr("没有规则 {code}", code=repr(code))
                         + (tr("；是否想找 {hint}？", hint=", ".join(hint)) if hint else ""))
    m = reg.meta
    print(f"# {m.code} {m.name}\n")
    print(tr("规则包 {pack} · 默认级别 {severity} · 定义于 {origin}", pack=m.pack, severity=m.severity.value,
             origin=_rel(m.origin)) + "\n")
    print(textwrap.dedent(m.doc).strip())
    return EXIT_OK


def _rel(path: str) -> str:
    if not path:
        return ""
    try:
        return os.path.relpath(path.split(":")[0]) + (":" + path.split(":", 1)[1] if ":" in path else "")
    except ValueError:  # pragma: no cover - other drive on Windows
        return path
