"""SARIF 2.1.0 report, built with the ``sarif_om`` object model.

Choices a consumer can rely on:

* ``driver.rules`` lists every rule passed in (plus any code a finding carries
  without metadata), sorted by code; each result's ``ruleIndex`` points into it.
* URIs are relative to ``%SRCROOT%`` (``FormatOptions.cwd``, given in
  ``originalUriBaseIds``) and percent-encoded; files outside it get ``file://`` URIs.
* Columns count code points (``columnKind: unicodeCodePoints``), as spans do.
* ``region.snippet`` is the spanned text; ``contextRegion`` carries the whole line.
* ``partialFingerprints["filinglint/v1"]`` hashes path, rule and the finding's row
  name and own cell (see ``records.anchor_text``), not line numbers, so a finding keeps
  its fingerprint when lines are inserted above it or other cells change.
* Findings taken out by a ``[[tool.filinglint.suppress]]`` entry are still listed, with
  ``suppressions: [{kind: "external", status: "accepted", justification: reason}]``.
  An entry that matched nothing in the run is a ``warning`` in the invocation's
  ``toolConfigurationNotifications`` (SARIF's place for conditions of the tool's
  configuration), located at the config file, with ``properties.kind:
  "unused-suppression"``; it does not make the run unsuccessful.
* Where the expected value is known and the finding's region (in a text input) holds
  exactly the actual value, the result has a ``fixes`` entry replacing it.
* Every result states its ``level`` even when it is SARIF's default ``warning``:
  otherwise a reader falls back to the rule's default level, which a finding may
  have overridden.
"""

from __future__ import annotations

import json
import os
import re
import sys
import textwrap
from typing import Any, Iterator, Sequence

import attr
import sarif_om as om
from jschema_to_python.to_json import to_json

from ...engine.rules import RuleMeta
from ...model import FileResult, Finding, Location, Place, RunResult, Severity, Span, ToolNotice
from ..options import FormatOptions
from ..records import (FINGERPRINT_KEY, artifact_uri, base_uri, fingerprints, jsonable, place_record,
                       rejected_records, relative_path, status_record)
from ..records import _inside
from ..source import SourceCache
from ..stream import Spool, whole_report
from ...i18n import tr

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"


def _full_description(meta: RuleMeta) -> str:
    """The first paragraph under "## What it does", else the doc's first paragraph."""
    doc = meta.doc.strip()
    section = re.search(r"^##\s*What it does\s*$(.*?)(?=^##\s|\Z)", doc, re.M | re.S)
    body = section.group(1).strip() if section else doc
    paragraph = re.split(r"\n\s*\n", body, maxsplit=1)[0].strip() if body else ""
    return paragraph or meta.summary or meta.name or meta.code


def _origin(origin: str, cwd: str) -> str:
    """A rule's defining file, never as an absolute machine path: relative to ``cwd``
    when it lies inside it, else to the import root holding it (site-packages, a
    checkout: ``lint/rules/core/tables.rules:12``), else its file name."""
    if not origin or not os.path.isabs(origin):
        return origin
    inside = _inside(origin, cwd)
    if inside is not None:
        return inside
    best = None
    for entry in sys.path:
        if entry and os.path.isabs(entry) and os.path.isdir(entry):
            rel = _inside(origin, entry)
            if rel is not None and (best is None or len(rel) < len(best)):
                best = rel
    return best or os.path.basename(origin)


def _descriptor(meta: RuleMeta, lang: str, cwd: str) -> om.ReportingDescriptor:
    summary = (meta.summary_en if lang == "en" and meta.summary_en else meta.summary) or meta.name or meta.code
    properties: dict[str, Any] = {"pack": meta.pack, "origin": _origin(meta.origin, cwd)}
    if meta.summary_en:
        properties["summary_en"] = meta.summary_en
    if meta.tables:
        properties["tables"] = list(meta.tables)
    return om.ReportingDescriptor(
        id=meta.code,
        name=meta.name or None,
        short_description=om.MultiformatMessageString(text=summary),
        full_description=om.MultiformatMessageString(text=_full_description(meta)),
        help=om.MultiformatMessageString(text=meta.doc or summary, markdown=meta.doc or summary),
        default_configuration=om.ReportingConfiguration(level=Severity(meta.severity).value),
        properties=properties,
    )


def _bare_descriptor(finding: Finding) -> om.ReportingDescriptor:
    # A finding whose rule metadata was not passed in still gets a descriptor, so its
    # ruleIndex is valid.
    return om.ReportingDescriptor(
        id=finding.code,
        name=finding.rule_name or None,
        short_description=om.MultiformatMessageString(text=finding.rule_name or finding.code),
        default_configuration=om.ReportingConfiguration(level=Severity(finding.severity).value),
    )


class _Artifacts:
    """The run's artifacts list, one entry per file, in first-mention order (the entries
    wait on disk until the end of the run; only each path's index stays in memory)."""

    def __init__(self, cwd: str):
        self.cwd = cwd
        self.index: dict[str, int] = {}
        self.items = Spool()

    def location(self, path: str) -> om.ArtifactLocation:
        uri, relative = artifact_uri(path, self.cwd)
        if path not in self.index:
            self.index[path] = self.items.count
            location = {"uri": uri, "uriBaseId": SRCROOT} if relative else {"uri": uri}
            self.items.add({"location": location, "roles": ["analysisTarget"]})
        return om.ArtifactLocation(uri=uri, uri_base_id=SRCROOT if relative else None,
                                   index=self.index[path])


def _region(span: Span, sources: SourceCache, path: str) -> tuple[om.Region, om.Region | None]:
    # The schema wants 1-based, non-inverted regions; a rule's off-by-one must not make
    # the whole log invalid.
    span = Span(max(span.line, 1), max(span.col, 1), max(span.end_line, span.line, 1), max(span.end_col, 1))
    if span.end_line == span.line and span.end_col < span.col:
        span = Span(span.line, span.col, span.end_line, span.col)
    region = om.Region(start_line=span.line, start_column=span.col, end_line=span.end_line,
                       end_column=span.end_col)
    lines = sources.lines(path)
    if lines is None or not 0 < span.line <= len(lines):
        return region, None
    last = min(max(span.end_line, span.line), len(lines))
    chunk = lines[span.line - 1:last]
    if len(chunk) == 1:
        spanned = chunk[0][span.col - 1:span.end_col - 1]
    else:
        spanned = "\n".join([chunk[0][span.col - 1:], *chunk[1:-1], chunk[-1][:span.end_col - 1]])
    region.snippet = om.ArtifactContent(text=spanned)
    context = om.Region(start_line=span.line, end_line=last, start_column=1,
                        end_column=len(chunk[-1]) + 1, snippet=om.ArtifactContent(text="\n".join(chunk)))
    return region, context


def _place_region(place: Place) -> om.Region:
    """A region for a place in a PDF, DOCX or XLSX file (see docs/formats.md).

    SARIF regions count lines and columns of text; these sources have none, so the
    region's line is the page (PDF), the sheet row (XLSX, with the column number) or
    the paragraph / table row (DOCX), its snippet is the text there, and the exact
    place (page and box, sheet and A1 cell, table/row/column) is in its properties."""
    if place.kind == "pdf":
        line, col = place.page or 1, None
    elif place.kind == "xlsx":
        line, col = _a1_row_col(place.cell or "A1")
    else:
        line, col = (place.row if place.table is not None else place.paragraph) or 1, place.column
    region = om.Region(start_line=max(line, 1), snippet=om.ArtifactContent(text=place.text) if place.text else None)
    if col:
        region.start_column, region.end_column = col, col + 1
    region.properties = {"filinglint/place": place_record(place)}
    return region


def _a1_row_col(a1: str) -> tuple[int, int]:
    letters = "".join(ch for ch in a1 if ch.isalpha()).upper()
    digits = "".join(ch for ch in a1 if ch.isdigit())
    col = 0
    for ch in letters:
        col = col * 26 + (ord(ch) - 64)
    return int(digits or 1), max(col, 1)


def _location(loc: Location, sources: SourceCache, artifacts: _Artifacts, *, id: int | None = None,
              with_label: bool = False) -> om.Location:
    if loc.place is not None:
        region, context = _place_region(loc.place), None
        path = loc.place.file or loc.path
        return om.Location(
            id=id if id is not None else -1,
            physical_location=om.PhysicalLocation(artifact_location=artifacts.location(path), region=region),
            message=om.Message(text=loc.label) if with_label and loc.label else None,
        )
    region, context = _region(loc.span, sources, loc.path)
    return om.Location(
        id=id if id is not None else -1,
        physical_location=om.PhysicalLocation(
            artifact_location=artifacts.location(loc.path), region=region, context_region=context),
        message=om.Message(text=loc.label) if with_label and loc.label else None,
    )


# Expected values that are bounds or words, not a value to write in the cell.
_NOT_A_VALUE = re.compile(r"[≤≥<>—…]|^printed")


def _fixes(f: Finding, sources: SourceCache, artifacts: _Artifacts, lang: str) -> list[om.Fix] | None:
    """A fix replacing the cell's text with the expected value: only for text inputs,
    a one-line region whose text is exactly the finding's actual value."""
    loc, expected = f.location, f.expected
    if loc.place is not None or expected is None or f.actual is None or not expected.strip():
        return None
    if _NOT_A_VALUE.search(expected) or expected.strip() == f.actual.strip():
        return None
    s = loc.span
    line = sources.line(loc.path, s.line)
    if line is None or s.end_line != s.line or not 1 <= s.col < s.end_col <= len(line) + 1:
        return None
    if line[s.col - 1:s.end_col - 1].strip() != f.actual.strip():
        return None
    text = tr("将 {actual} 改为 {expected}", lang, actual=f.actual, expected=expected)
    return [om.Fix(
        description=om.Message(text=text),
        artifact_changes=[om.ArtifactChange(
            artifact_location=artifacts.location(loc.path),
            replacements=[om.Replacement(
                deleted_region=om.Region(start_line=s.line, start_column=s.col, end_line=s.line,
                                         end_column=s.end_col),
                inserted_content=om.ArtifactContent(text=expected))])])]


def _result(f: Finding, rule_index: int, fingerprint: str, sources: SourceCache, artifacts: _Artifacts,
            lang: str) -> om.Result:
    properties: dict[str, Any] = jsonable(dict(f.properties))
    if f.expected is not None:
        properties["expected"] = f.expected
    if f.actual is not None:
        properties["actual"] = f.actual
    if f.rule_name:
        properties["ruleName"] = f.rule_name
    return om.Result(
        rule_id=f.code,
        rule_index=rule_index,
        level=Severity(f.severity).value,
        message=om.Message(text=f.message.get(lang), properties={"zh": f.message.zh, "en": f.message.en}),
        locations=[_location(f.location, sources, artifacts, with_label=True)],
        related_locations=[_location(r, sources, artifacts, id=i, with_label=True)
                           for i, r in enumerate(f.related, start=1)] or None,
        partial_fingerprints={FINGERPRINT_KEY: fingerprint},
        properties={k: properties[k] for k in sorted(properties)} or None,
        fixes=_fixes(f, sources, artifacts, lang),
    )


class SarifWriter:
    """The SARIF 2.1.0 report (``--format sarif``), UTF-8 JSON, one document.

    Results are written as each file finishes; the run's other members (``tool`` with
    its rules, ``invocations``, ``artifacts`` …) follow the results, once every code a
    finding used is known.  Rules passed in are indexed in code order; a code a finding
    carries without metadata gets a bare descriptor after them, in first-use order."""

    name = "sarif"

    def __init__(self, rules: dict[str, RuleMeta], options: FormatOptions):
        self.options = options
        self.lang = "en" if options.lang == "en" else "zh"
        self.descriptors = {code: _descriptor(rules[code], self.lang, options.cwd) for code in sorted(rules)}
        self.rule_index = {code: i for i, code in enumerate(self.descriptors)}
        self.artifacts = _Artifacts(options.cwd)
        self.files = Spool()  # every input's entry in the run properties, on disk until the end
        self.count = 0

    def begin(self) -> str:
        head = json.dumps({"$schema": SCHEMA_URI, "version": "2.1.0"}, indent=2)
        return head[:-2] + ',\n  "runs": [\n    {\n      "results": ['

    def file(self, fr: FileResult) -> str:
        suppressed = {id(s.finding): s.reason for s in getattr(fr, "suppressed", ())}
        every = [*fr.findings, *(s.finding for s in getattr(fr, "suppressed", ()))]
        findings = sorted(every, key=lambda f: f.sort_key())
        sources = SourceCache(RunResult([fr]))
        prints = fingerprints(findings, sources, self.options.cwd)
        self.artifacts.location(fr.path)
        self.files.add({
            "path": relative_path(fr.path, self.options.cwd),
            "template": fr.template,
            "packs": sorted(fr.packs),
            "tables": sorted(fr.tables),
            "reasons": list(getattr(fr, "reasons", ())),
            **status_record(fr),
        })
        out = []
        for f in findings:
            if f.code not in self.descriptors:
                self.descriptors[f.code] = _bare_descriptor(f)
                self.rule_index[f.code] = len(self.rule_index)
            res = _result(f, self.rule_index[f.code], prints[id(f)], sources, self.artifacts, self.lang)
            data = _plain(res)
            if id(f) in suppressed:  # sarif_om names the 2.1.0 ``status`` field ``state``: write it here
                data["suppressions"] = [{"kind": "external", "status": "accepted",
                                         "justification": suppressed[id(f)]}]
            # to_json drops attributes equal to the object model's defaults; a result's
            # level must stay explicit (see the module docstring).
            data.setdefault("level", Severity(f.severity).value)
            text = textwrap.indent(json.dumps(data, ensure_ascii=False, indent=2), " " * 8)
            out.append(("\n" if self.count == 0 else ",\n") + text)
            self.count += 1
        return "".join(out)

    def _unused_notification(self, record: dict[str, Any]) -> om.Notification:
        """An unused suppression (:meth:`lint.report.review.Suppression.record`)."""
        properties = {"kind": "unused-suppression", "index": record["index"], "rule": record["rule"],
                      "reason": record["reason"]}
        properties.update({k: record[k] for k in ("file", "match") if record.get(k)})
        return om.Notification(message=om.Message(text=record["message"]), level="warning",
                               locations=_unused_location(record, self.options.cwd), properties=properties)

    def end(self, notices: Sequence[ToolNotice]) -> Iterator[str]:
        notifications = []
        for notice in notices:
            properties = {"source": notice.source} if notice.source else {}
            if notice.kind != "tool":
                properties["kind"] = notice.kind  # "input": a file that could not be read
            locations = None
            if notice.path:
                region = om.Region(start_line=notice.line, start_column=notice.col) if notice.line else None
                locations = [om.Location(physical_location=om.PhysicalLocation(
                    artifact_location=self.artifacts.location(notice.path), region=region))]
            properties = properties or None
            notifications.append(om.Notification(message=om.Message(text=notice.message), level="error",
                                                 locations=locations, properties=properties))
        configuration = [self._unused_notification(r) for r in self.options.unused_suppressions]
        lang = self.lang
        run = om.Run(
            tool=om.Tool(driver=om.ToolComponent(
                name="filinglint",
                version=self.options.tool_version,
                semantic_version=self.options.tool_version,
                language="zh-CN" if lang == "zh" else "en-US",
                rules=list(self.descriptors.values()),
            )),
            invocations=[om.Invocation(execution_successful=not notices,
                                       tool_execution_notifications=notifications or None,
                                       tool_configuration_notifications=configuration or None)],
            original_uri_base_ids={SRCROOT: om.ArtifactLocation(uri=base_uri(self.options.cwd))},
            artifacts=_ARTIFACTS,  # placeholders: the spooled lists are written in their place
            column_kind="unicodeCodePoints",
            language="zh-CN" if lang == "zh" else "en-US",
            properties={"filinglint": {"files": _FILES}},
        )
        # Every input with its status; one that could not be linted is "rejected".
        for r in rejected_records(notices):
            self.files.add({**{k: v for k, v in r.items() if k != "problems"},
                            "path": relative_path(r["path"], self.options.cwd)})
        data = json.loads(to_json(run))
        data.pop("results", None)
        rest = textwrap.indent(json.dumps(data, ensure_ascii=False, indent=2), " " * 4)
        text = ("\n      ]" if self.count else "]") + "," + rest.lstrip()[1:] + "\n  ]\n}\n"
        spools = {json.dumps(_ARTIFACTS): (self.artifacts.items, 6), json.dumps(_FILES): (self.files, 10)}
        while spools:
            mark = min(spools, key=lambda m: text.find(m))
            head, _, text = text.partition(mark)
            spool, indent = spools.pop(mark)
            yield head
            yield from spool.json_chunks(indent)
            spool.close()
        yield text


def _unused_location(record: dict[str, Any], cwd: str) -> list[om.Location] | None:
    if not record.get("config"):
        return None
    config = record["config"]  # relative to cwd (or absolute when outside it)
    uri, relative = artifact_uri(config if os.path.isabs(config) else os.path.join(cwd, config), cwd)
    return [om.Location(physical_location=om.PhysicalLocation(
        artifact_location=om.ArtifactLocation(uri=uri, uri_base_id=SRCROOT if relative else None)))]


def _plain(obj: Any) -> Any:
    """``json.loads(to_json(obj))`` for a ``sarif_om`` object, without to_json's deep copy
    of every object and the JSON round trip (those cost ~2 ms per result): attributes
    equal to their defaults dropped, Python names renamed to the schema's (a renamed
    key moves after the others, as to_json leaves it), anything else JSON cannot hold
    written as ``str``."""
    if obj is None or isinstance(obj, (str, int, float)):
        return obj
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    shape = _SHAPES.get(type(obj))
    if shape is None:
        if not attr.has(type(obj)):
            return str(obj)
        shape = _SHAPES[type(obj)] = [
            (f.name, f.metadata.get("schema_property_name") or f.name,
             f.default.factory() if isinstance(f.default, attr.Factory) else f.default)
            for f in attr.fields(type(obj))]
    values = dict(obj.__dict__)
    for name, _, default in shape:
        if name in values and values[name] == default:
            del values[name]
    for name, schema, _ in shape:
        if schema != name and name in values:
            values[schema] = values.pop(name)
    return {k: _plain(v) for k, v in values.items()}


_SHAPES: dict[type, list[tuple[str, str, Any]]] = {}

_ARTIFACTS = "\x00filinglint-artifacts\x00"
_FILES = "\x00filinglint-files\x00"


format_sarif = whole_report(SarifWriter)
