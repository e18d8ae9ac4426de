"""The review workflow between the linter and the report: suppressions and baselines.

* **Suppressions** (``[[tool.filinglint.suppress]]`` in the config, each with a
  mandatory ``reason``) take matching findings out of a file's result into
  ``FileResult.suppressed``: the text report leaves them out; JSON lists them apart
  (``suppressed``, each with its reason), SARIF among the results with
  ``suppressions[].justification``; none counts in the totals or the exit code.  A
  suppression that matched nothing in the run is reported (stderr, JSON
  ``unused_suppressions``, SARIF ``toolConfigurationNotifications``), so stale ones do
  not pile up.
* **Baselines**: ``--write-baseline FILE`` records the fingerprint of every current
  finding; ``--baseline FILE`` then reports only findings whose fingerprint is not in
  it.  Fingerprints (:func:`lint.report.records.fingerprints`) leave out line numbers
  and anything outside the finding's own row, so edits elsewhere in a filing keep old
  findings old.  The paths in them are relative to the baseline file's directory, so
  a baseline works from any working directory (and in another checkout, kept beside
  the filings); a ``filinglint-baseline/1`` file (paths relative to the working
  directory it was written from) is still read, from that directory.

Both work one file result at a time (:meth:`Review.apply`), so a streamed run stays
streamed; :meth:`Review.finish` writes the baseline and lists the unused suppressions.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import json
import os
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any, Iterable, Mapping, Sequence

from ..errors import UsageError
from ..i18n import tr
from ..model import FileResult, Finding, Location, RunResult, Suppressed
from .records import FINGERPRINT_KEY, fingerprints, ordered_files, relative_path, relative_to
from .source import SourceCache

BASELINE_FORMAT = "filinglint-baseline/2"  # /2: paths relative to the baseline's directory
_OLD_FORMAT = "filinglint-baseline/1"  # paths relative to the working directory


# --------------------------------------------------------------------------- suppressions


@dataclass
class Suppression:
    """One ``[[tool.filinglint.suppress]]`` entry.

    ``rule``: a code or prefix (``T002``, ``T``); ``file``: a glob over the filing's
    path relative to the config file's directory (``*`` crosses directories);
    ``match``: text that the finding's line, one of its places (label, ``line:col``,
    page/cell) or its message (either language) must contain; ``reason``: why this is
    not a mistake — required, it is the point of a suppression."""

    rule: str
    reason: str
    file: str | None = None
    match: str | None = None
    index: int = 0  # position in the config, for messages
    origin: str = ""  # the config file
    used: int = 0

    def describe(self) -> str:
        parts = [f"rule={self.rule}"]
        if self.file:
            parts.append(f"file={self.file}")
        if self.match:
            parts.append(f"match={self.match}")
        return ", ".join(parts)

    def record(self, cwd: str = ".") -> dict[str, Any]:
        """What the machine formats say about this suppression when it matched nothing."""
        config = relative_path(self.origin, cwd) if self.origin else None
        return {"config": config, "index": self.index, "rule": self.rule, "file": self.file, "match": self.match,
                "reason": self.reason, "message": self.unused_message()}

    def unused_message(self) -> str:
        return tr("{config}: 未使用的抑制 suppress[{index}]（{what}）没有匹配任何问题",
                  config=self.origin or "config", index=self.index, what=self.describe())

    def matches(self, finding: Finding, rel_path: str, line_text: str) -> bool:
        code = finding.code
        if not (self.rule == "ALL" or code == self.rule or code.startswith(self.rule)):
            return False
        if self.file and not _glob(rel_path, self.file):
            return False
        if self.match:
            m = self.match
            haystacks = [line_text, finding.message.zh, finding.message.en]
            for loc in (finding.location, *finding.related):
                haystacks += _place_words(loc)
            if not any(m in h for h in haystacks if h):
                return False
        return True


def _place_words(loc: Location) -> list[str]:
    out = [loc.label, f"{loc.span.line}:{loc.span.col}"]
    if loc.place is not None:
        out += [loc.place.describe("zh"), loc.place.describe("en"), loc.place.text]
        if loc.place.cell:
            out.append(f"{loc.place.sheet}!{loc.place.cell}")
    return out


def _glob(rel_path: str, pattern: str) -> bool:
    pattern = pattern.replace("\\", "/")
    if pattern.startswith("./"):
        pattern = pattern[2:]
    # "**/" may stand for no directory at all, as in gitignore.
    candidates = {pattern, pattern.replace("**/", "")}
    return any(fnmatch.fnmatchcase(rel_path, p) for p in candidates) or fnmatch.fnmatchcase(
        PurePath(rel_path).name, pattern)


def suppressions_from_config(entries: Iterable[Mapping[str, Any]] | None, origin: str | None) -> list[Suppression]:
    """The config's ``suppress`` entries (already shape-checked by lint.config)."""
    out = []
    for i, e in enumerate(entries or ()):
        reason = str(e.get("reason") or "").strip()
        if not reason or not e.get("rule"):  # lint.config refuses these; a caller building
            raise UsageError(tr("suppress[{index}]：需要 rule 与非空的 reason", index=i),
                             origin)  # config by hand gets the same rule
        out.append(Suppression(rule=str(e["rule"]), reason=reason, file=e.get("file") or None,
                               match=e.get("match") or None, index=i, origin=origin or ""))
    return out


# --------------------------------------------------------------------------- baseline


def read_baseline(path: str) -> set[str]:
    """The fingerprints a baseline file holds; a missing or malformed file is a usage
    error naming it (a typo must not silently report everything as new)."""
    return load_baseline(path)[0]


def load_baseline(path: str, cwd: str = ".") -> tuple[set[str], str, bool]:
    """The fingerprints of a baseline file, the directory their paths are relative to
    and whether they may climb out of it with ``..``: the file's own directory (yes),
    or ``cwd`` for an old (``/1``) baseline (no: paths outside it were absolute)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(tr("基线文件不存在"), path)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise UsageError(tr("无法读取基线文件：{error}", error=exc), path)
    if not isinstance(data, dict) or data.get("format") not in (BASELINE_FORMAT, _OLD_FORMAT) or not isinstance(
            data.get("findings"), list):
        raise UsageError(tr("不是 filinglint 基线文件（应为 {format} 格式）", format=BASELINE_FORMAT),
                         path)
    current = data["format"] == BASELINE_FORMAT
    prints = {str(f.get("fingerprint")) for f in data["findings"] if isinstance(f, dict)}
    return prints, (baseline_dir(path) if current else cwd), current


def baseline_dir(path: str) -> str:
    """What the paths in the baseline ``path`` are relative to: its directory."""
    return os.path.dirname(os.path.abspath(path))


def baseline_entry(finding: Finding, print_: str, rel_path: str) -> dict[str, Any]:
    return {"fingerprint": print_, "path": rel_path, "code": finding.code, "line": finding.location.span.line,
            "message": finding.message.zh}


# --------------------------------------------------------------------------- review


class Review:
    """Applies suppressions and a baseline to each file's result (see the module doc)."""

    def __init__(self, suppressions: Sequence[Suppression] = (), baseline: str | None = None,
                 write_baseline: str | None = None, cwd: str = ".", config_dir: str | None = None):
        self.suppressions = list(suppressions)
        self.known, self.known_base, climbs = load_baseline(baseline, cwd) if baseline else (None, cwd, True)
        self.known_relative = relative_to if climbs else relative_path
        self.write_path = write_baseline
        self.write_base = baseline_dir(write_baseline) if write_baseline else cwd
        self.cwd = cwd
        self.config_dir = config_dir or cwd
        self.recorded: list[dict[str, Any]] = []
        self.hidden_by_baseline = 0

    @property
    def active(self) -> bool:
        return bool(self.suppressions or self.known is not None or self.write_path)

    def apply(self, fr: FileResult) -> FileResult:
        """``fr`` with suppressed findings moved to ``suppressed`` and baseline findings
        dropped; the baseline being written records every finding not suppressed."""
        if not self.active or not fr.findings:
            return fr
        ((_, findings),) = ordered_files(RunResult([fr]))
        sources = SourceCache(RunResult([fr]))
        by_base: dict[tuple, dict[int, str]] = {}

        def prints(base: str, relative=relative_to) -> dict[int, str]:  # paths relative to the baseline's directory
            if (base, relative) not in by_base:
                by_base[(base, relative)] = fingerprints(findings, sources, base, relative)
            return by_base[(base, relative)]

        rel = relative_to(fr.path, self.write_base)
        rel_cfg = relative_path(fr.path, self.config_dir)
        kept: list[Finding] = []
        suppressed: list[Suppressed] = list(fr.suppressed)
        for f in findings:
            line = sources.line(f.location.path, f.location.span.line) or ""
            rule = next((s for s in self.suppressions if s.matches(f, rel_cfg, line)), None)
            if rule is not None:
                rule.used += 1
                suppressed.append(Suppressed(f, rule.reason, rule.rule))
                continue
            if self.write_path:
                self.recorded.append(baseline_entry(f, prints(self.write_base)[id(f)], rel))
            if self.known is not None and prints(self.known_base, self.known_relative)[id(f)] in self.known:
                self.hidden_by_baseline += 1
                continue
            kept.append(f)
        return dataclasses.replace(fr, findings=kept, suppressed=tuple(suppressed))

    def unused(self) -> list[Suppression]:
        return [s for s in self.suppressions if not s.used]

    def unused_records(self) -> list[dict[str, Any]]:
        """The unused suppressions as report records (config path relative to ``cwd``)."""
        return [s.record(self.cwd) for s in self.unused()]

    def finish(self) -> None:
        """Write the baseline file (when asked), sorted so it diffs well."""
        if not self.write_path:
            return
        records = sorted(self.recorded, key=lambda r: (r["path"], r["line"], r["code"], r["fingerprint"]))
        data = {"format": BASELINE_FORMAT, "fingerprint": FINGERPRINT_KEY, "findings": records}
        try:
            Path(self.write_path).write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        except OSError as exc:
            raise UsageError(tr("无法写入基线文件：{why}", why=exc.strerror), self.write_path)


def config_dir(config_path: str | None) -> str:
    return os.path.dirname(os.path.abspath(config_path)) if config_path else os.getcwd()
