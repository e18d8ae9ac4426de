"""Corpus summaries for reviewers: counts per rule (``--statistics``, as ruff prints
them), per template and per department, and a table of every finding
(``--findings-table out.csv|out.parquet``) to analyse with pandas.

Both are fed file by file as the run streams and keep only counters (statistics) or
one file's rows (the table), so they cost nothing per file once written.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..i18n import tr
from ..model import FileResult, Severity
from .records import SEVERITIES, fingerprints, relative_path
from .source import SourceCache

NONE = "—"  # a filing whose template or department was not recognized


class Statistics:
    """Counts per rule, per template and per department."""

    def __init__(self, rules: dict[str, Any], lang: str = "zh"):
        self.rules, self.lang = rules, lang
        self.by_rule: Counter[str] = Counter()
        self.rule_severity: dict[str, str] = {}
        self.files: Counter[tuple[str, str]] = Counter()  # (kind, key) -> files
        self.findings: dict[tuple[str, str], Counter[str]] = {}
        self.total_files = 0

    def add(self, fr: FileResult) -> None:
        self.total_files += 1
        groups = (("template", fr.template or NONE), ("department", fr.department or NONE))
        for group in groups:
            self.files[group] += 1
            self.findings.setdefault(group, Counter())
        for f in fr.findings:
            severity = Severity(f.severity).value
            self.by_rule[f.code] += 1
            self.rule_severity.setdefault(f.code, severity)
            for group in groups:
                self.findings[group][severity] += 1

    def _name(self, code: str) -> str:
        meta = self.rules.get(code)
        return getattr(meta, "name", "") if meta is not None else ""

    def render(self) -> str:
        lang = self.lang
        out = [tr("各规则问题数：", lang)]
        rows = sorted(self.by_rule.items(), key=lambda kv: (-kv[1], kv[0]))
        width = max((len(str(n)) for _, n in rows), default=1)
        for code, n in rows:
            out.append(f"{n:>{width}}\t{code}\t{self.rule_severity[code]}\t{self._name(code)}".rstrip())
        if not rows:
            out.append("  " + tr("（无）", lang))
        for kind, title in (("template", tr("各表样（文件数、错误、警告、提示）：", lang)),
                            ("department", tr("各部门（文件数、错误、警告、提示）：", lang))):
            out.append("")
            out.append(title)
            keys = sorted(k for g, k in self.files if g == kind)
            for key in keys:
                c = self.findings[(kind, key)]
                counts = "\t".join(str(c.get(s, 0)) for s in SEVERITIES)
                out.append(f"{self.files[(kind, key)]}\t{counts}\t{key}")
        out.append("")
        total = sum(self.by_rule.values())
        out.append(tr("共 {files} 个文件，{total} 个问题", lang, files=self.total_files, total=total))
        return "\n".join(out) + "\n"


COLUMNS = ["path", "department", "report_year", "template", "code", "name", "severity", "line", "col",
           "end_line", "end_col", "label", "message_zh", "message_en", "expected", "actual", "fingerprint"]


class FindingsTable:
    """Every finding as one row, written to CSV (always) or Parquet (with pyarrow).

    Rows are built per file with pandas and appended, so the file grows as the run
    goes and memory holds one file's rows."""

    def __init__(self, path: str, rules: dict[str, Any], cwd: str = "."):
        self.path, self.rules, self.cwd = path, rules, cwd
        suffix = Path(path).suffix.lower()
        if suffix not in (".csv", ".parquet"):
            raise UsageError(tr("--findings-table 的文件应以 .csv 或 .parquet 结尾"),
                             path)
        self.parquet = suffix == ".parquet"
        self._writer: Any = None
        self._schema: Any = None
        self._first = True
        if self.parquet:
            try:
                import pyarrow  # noqa: F401
            except ImportError:
                raise UsageError(tr("写 Parquet 需要 pyarrow：pip install pyarrow，或改用 .csv"), path) from None
        try:  # fail now, not after an hour of linting
            open(path, "wb").close()
        except OSError as exc:
            raise UsageError(tr("无法写入：{error}", error=exc.strerror), path) from None

    def rows(self, fr: FileResult) -> list[dict[str, Any]]:
        findings = sorted(fr.findings, key=lambda f: f.sort_key())
        prints = fingerprints(findings, SourceCache(_one(fr)), self.cwd)
        out = []
        for f in findings:
            s = f.location.span
            meta = self.rules.get(f.code)
            out.append({
                "path": relative_path(fr.path, self.cwd), "department": fr.department or "",
                "report_year": fr.report_year, "template": fr.template or "", "code": f.code,
                "name": f.rule_name or (getattr(meta, "name", "") if meta else ""),
                "severity": Severity(f.severity).value, "line": s.line, "col": s.col,
                "end_line": s.end_line, "end_col": s.end_col, "label": f.location.label,
                "message_zh": f.message.zh, "message_en": f.message.en,
                "expected": "" if f.expected is None else str(f.expected),
                "actual": "" if f.actual is None else str(f.actual), "fingerprint": prints[id(f)],
            })
        return out

    def add(self, fr: FileResult) -> None:
        rows = self.rows(fr)
        if not rows:
            return
        import pandas as pd

        frame = pd.DataFrame(rows, columns=COLUMNS).astype({"report_year": "Int64"})
        if self.parquet:
            self._write_parquet(frame)
        else:
            frame.to_csv(self.path, mode="w" if self._first else "a", header=self._first, index=False,
                         encoding="utf-8", quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        self._first = False

    def _write_parquet(self, frame: Any) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self._writer is None:
            self._schema = _schema()
            self._writer = pq.ParquetWriter(self.path, self._schema)
        self._writer.write_table(pa.Table.from_pandas(frame, schema=self._schema, preserve_index=False))

    def close(self) -> None:
        if self._first:  # no finding at all: still a table with its header
            import pandas as pd

            frame = pd.DataFrame({c: [] for c in COLUMNS}).astype({"report_year": "Int64"})
            if self.parquet:
                self._write_parquet(frame)
            else:
                frame.to_csv(self.path, index=False, encoding="utf-8", lineterminator="\n")
            self._first = False
        if self._writer is not None:
            self._writer.close()
            self._writer = None


def _schema() -> Any:
    import pyarrow as pa

    text = {"path", "department", "template", "code", "name", "severity", "label", "message_zh", "message_en",
            "expected", "actual", "fingerprint"}
    return pa.schema([(c, pa.string() if c in text else pa.int64()) for c in COLUMNS])


def _one(fr: FileResult):
    from ..model import RunResult

    return RunResult([fr])
