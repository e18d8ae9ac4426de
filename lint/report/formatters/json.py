"""JSON report: files, flat finding records, tool notices and a summary.

Keys keep a fixed order and non-ASCII text is written as is (UTF-8), so the output is
both diffable and readable.  Each record's ``fingerprint`` is the same value SARIF
puts in ``partialFingerprints``.
"""

from __future__ import annotations

import json
from typing import Any

from ...engine.rules import RuleMeta
from ...model import RunResult
from ..options import FormatOptions
from ..records import fingerprints, finding_record, ordered_files, severity_counts
from ..source import SourceCache


def report_data(result: RunResult, rules: dict[str, RuleMeta], options: FormatOptions) -> dict[str, Any]:
    """The report as plain data (what :func:`format_json` serialises)."""
    sources = SourceCache(result)
    files = ordered_files(result)
    findings = [f for _, ff in files for f in ff]
    prints = fingerprints(findings, sources, options.cwd)
    lang = "en" if options.lang == "en" else "zh"
    return {
        "tool": "filinglint",
        "version": options.tool_version,
        "files": [
            {
                "path": fr.path,
                "template": fr.template,
                "packs": sorted(fr.packs),
                "tables": sorted(fr.tables),
                "reasons": list(getattr(fr, "reasons", ())),
                "problems": len(ff),
            }
            for fr, ff in files
        ],
        "findings": [
            finding_record(f, lang, prints[id(f)], rules[f.code].name if f.code in rules else "")
            for f in findings
        ],
        "notices": [
            {"message": n.message, "source": n.source, "path": n.path} for n in result.notices
        ],
        "summary": severity_counts(findings),
    }


def format_json(result: RunResult, rules: dict[str, RuleMeta], options: FormatOptions) -> str:
    """The machine-readable report (``--format json``)."""
    return json.dumps(report_data(result, rules, options), ensure_ascii=False, indent=2) + "\n"
