"""One flat record per finding, shared by the JSON and SARIF formatters.

Also what both need to agree on: the order findings are reported in, paths made
relative to the report's base directory, and the fingerprint that lets a later run
recognise the same finding after unrelated edits to the file.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import os
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path, PurePath
from typing import Any, Callable, Iterable, Mapping
from urllib.parse import quote

from ..model import FileResult, Finding, Location, Message, Place, RunResult, Severity, Span
from .source import SourceCache

FINGERPRINT_KEY = "filinglint/v1"
SEVERITIES = ("error", "warning", "note")


# --------------------------------------------------------------------------- order


def ordered_files(result: RunResult) -> list[tuple[FileResult, list[Finding]]]:
    """Files in the order they were given, each with its findings in source order.

    Sorting here (rather than trusting the engine) is what makes every format
    byte-for-byte the same for the same findings."""
    return [(fr, sorted(fr.findings, key=lambda f: f.sort_key())) for fr in result.files]


def ordered_findings(result: RunResult) -> list[Finding]:
    return [f for _, findings in ordered_files(result) for f in findings]


def severity_counts(findings: Iterable[Finding]) -> dict[str, int]:
    """``{"error": n, "warning": n, "note": n}``, always all three keys, in that order."""
    counts = Counter(Severity(f.severity).value for f in findings)
    return {s: counts.get(s, 0) for s in SEVERITIES}


# --------------------------------------------------------------------------- file status


def status_record(fr: FileResult) -> dict[str, Any]:
    """What a file was taken for and how far it was read (the ``status`` of every
    input: ``linted``, ``partial``, ``narrative``; see :func:`rejected_records`)."""
    return {
        "status": getattr(fr, "status", "linted"),
        "reason": getattr(fr, "status_reason", ""),
        "kind": getattr(fr, "kind", None),
        "scope": getattr(fr, "scope", None),
        "region": getattr(fr, "region", None),
        "unread": list(getattr(fr, "unread", ())),
    }


def rejected_records(notices: Iterable[Any], linted: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """One entry per input that was not linted (an input error notice naming a file):
    status ``rejected`` with the reason, so a rejected file is never mistaken for a
    clean one.  Files in ``linted`` (already reported) are skipped; when ``linted`` is
    given, a file a tool notice names that is not among them (a file whose check timed
    out or whose worker died) is listed too, with status ``failed``."""
    seen = set(linted or ())
    out = []
    for n in notices:
        kind = getattr(n, "kind", "")
        if not n.path or n.path in seen or (kind != "input" and linted is None):
            continue
        seen.add(n.path)
        out.append({"path": n.path, "template": None, "packs": [], "tables": [], "reasons": [],
                    "problems": 0, "status": "rejected" if kind == "input" else "failed", "reason": n.message,
                    "kind": None, "scope": None, "region": None, "unread": []})
    return out


# --------------------------------------------------------------------------- paths


def _inside(path: str, cwd: str) -> str | None:
    """``path`` relative to ``cwd`` with forward slashes, or ``None`` when outside it."""
    try:
        rel = os.path.relpath(os.path.abspath(path), os.path.abspath(cwd))
    except ValueError:  # different drives on Windows
        return None
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return None
    return PurePath(rel).as_posix()


def relative_path(path: str, cwd: str = ".") -> str:
    """``path`` relative to ``cwd`` with forward slashes; absolute (still with forward
    slashes) when it lies outside ``cwd``."""
    rel = _inside(path, cwd)
    return rel if rel is not None else PurePath(os.path.abspath(path)).as_posix()


def relative_to(path: str, base: str) -> str:
    """``path`` relative to ``base`` with forward slashes, climbing out with ``..`` when
    it lies elsewhere (absolute only when no relative path exists, e.g. another drive)."""
    try:
        return PurePath(os.path.relpath(os.path.abspath(path), os.path.abspath(base))).as_posix()
    except ValueError:
        return PurePath(os.path.abspath(path)).as_posix()


def artifact_uri(path: str, cwd: str = ".") -> tuple[str, bool]:
    """The URI a report uses for ``path``: ``(uri, relative)``.

    Inside ``cwd`` it is a relative reference (percent-encoded UTF-8, so CJK file names
    stay valid URIs), resolved against ``%SRCROOT%``; outside it is an absolute
    ``file://`` URI."""
    rel = _inside(path, cwd)
    if rel is not None:
        return quote(rel, safe="/"), True
    return Path(os.path.abspath(path)).as_uri(), False


def base_uri(cwd: str = ".") -> str:
    """``file://`` URI of ``cwd`` with the trailing slash SARIF requires of a base."""
    uri = Path(os.path.abspath(cwd)).as_uri()
    return uri if uri.endswith("/") else uri + "/"


# --------------------------------------------------------------------------- fingerprints


def fingerprint(rel_path: str, code: str, line_text: str, occurrence: int) -> str:
    """sha256 over the finding's file, rule and the stripped text of what it stands on
    (see :func:`anchor_text`).

    Line numbers are left out on purpose: inserting a line above a finding must not
    change it.  ``occurrence`` tells apart identical (rule, text) pairs in one file
    (the n-th such pair, in source order)."""
    key = "\x00".join((rel_path, code, line_text.strip(), str(occurrence)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


# A field that is an amount (has a decimal point, separator or percent sign), or is
# blank or a dash: not part of what names a row.  Codes and 行次 (plain integers) are.
_AMOUNT_FIELD = re.compile(r"^(?:[-+−]?[\d\s]*[.,，．][\d\s.,，．]*%?|[-+−]?\d[\d\s]*%|[-—–－\s]*)$")


def anchor_text(line_text: str, span: Span) -> str:
    """What a finding's fingerprint hashes in place of its line number.

    On a table row (tab-separated): the row's name (its fields that are not amounts:
    code, label, 行次), the index of the field the finding starts in and that field's
    text — so changing another cell of the row keeps the finding, changing its own
    cell makes it a new one, and two findings of one rule on different cells differ.
    On a line of prose: the stripped line and the spanned text."""
    if "\t" in line_text:
        fields = line_text.split("\t")
        index = line_text.count("\t", 0, max(span.col - 1, 0))
        own = fields[index].strip() if index < len(fields) else ""
        name = "\t".join(f.strip() for f in fields if not _AMOUNT_FIELD.match(f.strip()))
        return "\x1f".join((name, str(index), own))
    end = span.end_col if span.end_line == span.line else len(line_text) + 1
    return "\x1f".join((line_text.strip(), line_text[span.col - 1:end - 1].strip()))


def fingerprints(findings: Iterable[Finding], sources: SourceCache, cwd: str = ".",
                 relative: Callable[[str, str], str] = relative_path) -> dict[int, str]:
    """Fingerprint of each finding, keyed by ``id(finding)``; ``findings`` must be in
    report order (see :func:`ordered_files`) for occurrence numbers to be stable.
    ``relative(path, cwd)`` makes the path that goes into it (baselines pass
    :func:`relative_to`, which may climb with ``..``)."""
    seen: Counter[tuple[str, str, str]] = Counter()
    out: dict[int, str] = {}
    for f in findings:
        rel = relative(f.location.path, cwd)
        text = anchor_text(sources.line(f.location.path, f.location.span.line) or "", f.location.span)
        key = (rel, f.code, text)
        out[id(f)] = fingerprint(rel, f.code, text, seen[key])
        seen[key] += 1
    return out


# --------------------------------------------------------------------------- values


def jsonable(value: Any) -> Any:
    """``value`` as plain JSON data: Decimals as strings (never floats), mappings with
    sorted string keys, sets sorted, dataclasses as dicts."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if isinstance(value, Span):
        return {"line": value.line, "col": value.col, "end_line": value.end_line, "end_col": value.end_col}
    if isinstance(value, Location):
        return location_record(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): jsonable(value[k]) for k in sorted(value, key=str)}
    if isinstance(value, (set, frozenset)):
        return sorted((jsonable(v) for v in value), key=repr)
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return str(value)


# --------------------------------------------------------------------------- records


def place_record(place: Place) -> dict[str, Any]:
    """The place in a PDF/DOCX/XLSX source: only the fields its kind uses."""
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in dataclasses.asdict(place).items()
            if v is not None and v != ""}


def location_record(location: Location) -> dict[str, Any]:
    s = location.span
    record = {"path": location.path, "line": s.line, "col": s.col, "end_line": s.end_line,
              "end_col": s.end_col, "label": location.label}
    if location.place is not None:  # text inputs keep the record they always had
        record["place"] = place_record(location.place)
    return record


def finding_record(finding: Finding, lang: str = "zh", fingerprint: str = "", name: str = "") -> dict[str, Any]:
    """The flat record of ``finding`` (key order is part of the format)."""
    s = finding.location.span
    return {
        "path": finding.location.path,
        "line": s.line,
        "col": s.col,
        "end_line": s.end_line,
        "end_col": s.end_col,
        "code": finding.code,
        "name": finding.rule_name or name,
        "severity": Severity(finding.severity).value,
        "message": finding.message.get(lang),
        "message_zh": finding.message.zh,
        "message_en": finding.message.en,
        "label": finding.location.label,
        "expected": finding.expected,
        "actual": finding.actual,
        "related": [location_record(r) for r in finding.related],
        "properties": jsonable(dict(finding.properties)),
        "fingerprint": fingerprint,
        **({"place": place_record(finding.location.place)} if finding.location.place is not None else {}),
    }


def finding_from_record(record: Mapping[str, Any]) -> Finding:
    """Rebuild the :class:`Finding` a record was made from (for baselines and tests)."""

    def location(r: Mapping[str, Any]) -> Location:
        place = r.get("place")
        if place is not None:
            place = Place(**{k: (tuple(v) if isinstance(v, list) else v) for k, v in place.items()})
        return Location(r["path"], Span(r["line"], r["col"], r["end_line"], r["end_col"]), r.get("label", ""),
                        place)

    return Finding(
        code=record["code"],
        severity=Severity(record["severity"]),
        message=Message(record["message_zh"], record["message_en"]),
        location=location(record),
        related=tuple(location(r) for r in record.get("related", ())),
        expected=record.get("expected"),
        actual=record.get("actual"),
        rule_name=record.get("name", ""),
        properties=dict(record.get("properties") or {}),
    )
