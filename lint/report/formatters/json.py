"""JSON report: files, flat finding records, tool notices and a summary.

Keys keep a fixed order and non-ASCII text is written as is (UTF-8), so the output is
both diffable and readable.  Each record's ``fingerprint`` is the same value SARIF
puts in ``partialFingerprints`` (a baseline written in the working directory
records the same values; elsewhere its paths are relative to its own directory).

Findings a configured suppression took out are listed apart, under ``suppressed``:
the same records, each with ``"suppressed": {"rule": …, "reason": …}``; they count
neither in ``summary`` nor in a file's ``problems``.  ``unused_suppressions`` lists
the configured suppressions that matched nothing in the run.
"""

from __future__ import annotations

import json
import textwrap
from typing import Any, Iterator, Sequence

from ...engine.rules import RuleMeta
from ...model import FileResult, RunResult, Severity, ToolNotice
from ..options import FormatOptions
from ..records import SEVERITIES, fingerprints, finding_record, ordered_files, rejected_records, status_record
from ..source import SourceCache
from ..stream import Spool, whole_report


def _dump(value: Any, indent: str = "") -> str:
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return textwrap.indent(text, indent) if indent else text


def file_entry(fr: FileResult, problems: int) -> dict[str, Any]:
    return {
        "path": fr.path,
        "template": fr.template,
        "packs": sorted(fr.packs),
        "tables": sorted(fr.tables),
        "reasons": list(getattr(fr, "reasons", ())),
        "problems": problems,
        **status_record(fr),
    }


def notice_entry(n: ToolNotice) -> dict[str, Any]:
    # kind "input": a file that could not be read (exit 2); "tool": a plugin or rule failed
    return {"message": n.message, "source": n.source, "path": n.path, "kind": n.kind, "line": n.line, "col": n.col}


class JsonWriter:
    """The machine-readable report (``--format json``): one JSON document.

    Findings are written as each file finishes; the short per-file entries, the
    notices and the summary follow them, so a run over many files never holds its
    findings in memory.  The bytes are those ``json.dumps(..., indent=2)`` would give
    for the whole document (keys: tool, version, findings, files, notices, summary)."""

    name = "json"

    def __init__(self, rules: dict[str, RuleMeta], options: FormatOptions):
        self.rules, self.options = rules, options
        self.lang = "en" if options.lang == "en" else "zh"
        self.files = Spool()  # the per-file entries, on disk until the end
        self.suppressed = Spool()  # the suppressed findings' records, likewise
        self.count = 0
        self.counts = {s: 0 for s in SEVERITIES}

    def begin(self) -> str:
        head = _dump({"tool": "filinglint", "version": self.options.tool_version})
        return head[:-2] + ',\n  "findings": ['

    def records(self, fr: FileResult) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """The file's entry and its finding records (in report order, with fingerprints)."""
        entry, records, _ = self.all_records(fr)
        return entry, records

    def all_records(self, fr: FileResult) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
        """The file's entry, its finding records and its suppressed findings' records.
        Fingerprints are taken over both, as the baseline and SARIF take them."""
        ((_, findings),) = ordered_files(RunResult([fr]))
        hidden = sorted(getattr(fr, "suppressed", ()) or (), key=lambda s: s.finding.sort_key())
        every = sorted([*findings, *(s.finding for s in hidden)], key=lambda f: f.sort_key())
        prints = fingerprints(every, SourceCache(RunResult([fr])), self.options.cwd)
        for f in findings:
            self.counts[Severity(f.severity).value] += 1
        return file_entry(fr, len(findings)), [self._record(f, prints[id(f)]) for f in findings], [
            {**self._record(s.finding, prints[id(s.finding)]), "suppressed": {"rule": s.rule, "reason": s.reason}}
            for s in hidden]

    def _record(self, f, fingerprint: str) -> dict[str, Any]:
        return finding_record(f, self.lang, fingerprint, self.rules[f.code].name if f.code in self.rules else "")

    def file(self, fr: FileResult) -> str:
        entry, records, hidden = self.all_records(fr)
        for record in hidden:
            self.suppressed.add(record)
        self.files.add(entry)
        out = []
        for record in records:
            out.append(("\n" if self.count == 0 else ",\n") + _dump(record, "    "))
            self.count += 1
        return "".join(out)

    def end(self, notices: Sequence[ToolNotice]) -> Iterator[str]:
        # Every input is listed: one that could not be linted with status "rejected".
        for entry in rejected_records(notices, (f["path"] for f in self.files)):
            self.files.add(entry)
        yield ("\n  ]" if self.count else "]") + ',\n  "suppressed": '
        yield from self.suppressed.json_chunks(2)
        self.suppressed.close()
        yield ',\n  "files": '
        yield from self.files.json_chunks(2)
        self.files.close()
        tail = _dump({"notices": [notice_entry(n) for n in notices],
                      "unused_suppressions": list(self.options.unused_suppressions), "summary": dict(self.counts)})
        yield ",\n" + tail[2:] + "\n"


format_json = whole_report(JsonWriter)


def report_data(result: RunResult, rules: dict[str, RuleMeta], options: FormatOptions) -> dict[str, Any]:
    """The report as plain data (what :func:`format_json` writes)."""
    return json.loads(format_json(result, rules, options))


class JsonLinesWriter(JsonWriter):
    """JSON Lines (``--format jsonl``): one compact JSON object per line, written as each
    file finishes.  Every line has a ``type``: ``finding`` (the record of the JSON
    report), ``suppressed`` (a suppressed finding's record, with its reason), ``file``
    (one per linted file, after its findings), ``notice``, ``unused_suppression`` and,
    last, ``summary``.  A consumer can process a national run line by line."""

    name = "jsonl"

    def begin(self) -> str:
        return ""

    @staticmethod
    def _line(kind: str, data: dict[str, Any]) -> str:
        return json.dumps({"type": kind, **data}, ensure_ascii=False, separators=(",", ":")) + "\n"

    def file(self, fr: FileResult) -> str:
        entry, records, hidden = self.all_records(fr)
        out = [self._line("finding", r) for r in records]
        out += [self._line("suppressed", r) for r in hidden]
        out.append(self._line("file", entry))
        return "".join(out)

    def end(self, notices: Sequence[ToolNotice]) -> str:
        out = [self._line("file", r) for r in rejected_records(notices)]
        out += [self._line("notice", notice_entry(n)) for n in notices]
        out += [self._line("unused_suppression", r) for r in self.options.unused_suppressions]
        out.append(self._line("summary", {"tool": "filinglint", "version": self.options.tool_version,
                                          **self.counts}))
        return "".join(out)


format_jsonl = whole_report(JsonLinesWriter)
