#!/usr/bin/env python3
"""Write docs/corpus-review.md: every error and warning filinglint reports on the real
filings in ../shared/corpus, each judged true or false by hand, with precision per rule.

    .venv/bin/python scripts/corpus_review.py            # lint the corpus, write the doc
    .venv/bin/python scripts/corpus_review.py --todo     # only list findings not judged yet

The linting is automatic; the judgments are not.  They live in
``docs/corpus-review.judgments.tsv``, one line per finding::

    key <TAB> true|false <TAB> one-line reason

where ``key`` is ``CODE:file:hash`` — the rule, the file name and a hash of the
message with its line references taken out, so a judgment survives unrelated edits
that move lines.  A finding with no judgment is listed as "unjudged" (and counted
apart); a judgment whose finding is gone is listed at the end as resolved.  The doc
quotes rule messages (short numbers and places), never the filings' text.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / ".." / "shared" / "corpus"
DOC = ROOT / "docs" / "corpus-review.md"
JUDGMENTS = ROOT / "docs" / "corpus-review.judgments.tsv"
NOTES = ROOT / "docs" / "corpus-review.notes.md"
COUNTED = ("error", "warning")


def key_of(finding: dict) -> str:
    message = re.sub(r"[（(]?第\s*[\d–\-]+\s*行[^）)]*[）)]?|line \d+", "", finding.get("message_zh") or finding["message"])
    # A path in the message (the previous year's file) is named by its file name only:
    # the checkout's place on disk must not change the key.
    message = re.sub(r"(?<![^\s（(])\.{0,2}/[^\s（(）)]*/", "", message)
    digest = hashlib.sha1(f"{finding['code']}|{message}".encode("utf-8")).hexdigest()[:10]
    return f"{finding['code']}:{Path(finding['path']).name}:{digest}"


def run_linter() -> dict:
    cmd = [sys.executable, "-m", "lint", "check", "--format", "json", "--fail-on", "error", str(CORPUS.resolve())]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if proc.returncode not in (0, 1):
        sys.exit(f"filinglint failed ({proc.returncode}): {proc.stderr.strip()[:400]}")
    return json.loads(proc.stdout)


def statistics() -> str:
    """The per-rule counts `filinglint check --statistics` prints for the corpus."""
    proc = subprocess.run([sys.executable, "-m", "lint", "check", "--statistics", "--fail-on", "error",
                           str(CORPUS.resolve())], capture_output=True, text=True, cwd=ROOT)
    block = proc.stdout.split("\n\n")[0].strip()
    return block if proc.returncode in (0, 1) and block else ""


def load_judgments() -> dict[str, tuple[bool, str]]:
    out: dict[str, tuple[bool, str]] = {}
    if not JUDGMENTS.exists():
        return out
    for n, line in enumerate(JUDGMENTS.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3 or parts[1] not in ("true", "false"):
            sys.exit(f"{JUDGMENTS.name}:{n}: expected 'key<TAB>true|false<TAB>reason'")
        out[parts[0]] = (parts[1] == "true", parts[2].strip())
    return out


# The corpus holds blank forms (XX placeholders by design) beside real filings; their
# findings are all true and would swamp the figure, so it is given without them too.
BLANK_FORM = re.compile(r"template-blank")


def _without_forms(rows) -> str:
    kept = [v for f, _, v in rows if v is not None and not BLANK_FORM.search(Path(f["path"]).name)]
    forms = sum(1 for f, _, _ in rows if BLANK_FORM.search(Path(f["path"]).name))
    if not kept:
        return ""
    good = sum(1 for v in kept if v[0])
    return (f"Real filings only (without the {forms} findings on the blank template forms): "
            f"**{good} true of {len(kept)} — {100 * good / len(kept):.1f}%**")


def place(f: dict) -> str:
    p = f.get("place") or {}
    if p.get("kind") == "pdf" and p.get("page"):
        return f"p.{p['page']}"
    if p.get("kind") == "xlsx" and p.get("sheet"):
        return f"{p['sheet']}!{p.get('cell', '')}"
    return f"l.{f.get('line')}"


def short(text: str, limit: int = 72) -> str:
    text = re.sub(r"\s+", " ", text).replace("|", "／")
    return text if len(text) <= limit else text[:limit] + "…"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--todo", action="store_true", help="list the findings not judged yet, write nothing")
    ap.add_argument("--json", type=Path, help="use this saved `filinglint check --format json` output")
    ap.add_argument("--no-statistics", action="store_true", help="leave out the `--statistics` block")
    args = ap.parse_args()

    report = json.loads(args.json.read_text(encoding="utf-8")) if args.json else run_linter()
    judged = load_judgments()
    findings = [f for f in report["findings"] if f["severity"] in COUNTED]
    findings.sort(key=lambda f: (Path(f["path"]).name, f.get("line") or 0, f["code"]))
    rows, seen = [], set()
    per_rule: dict[str, Counter] = defaultdict(Counter)
    todo = []
    for f in findings:
        k = key_of(f)
        seen.add(k)
        verdict = judged.get(k)
        if verdict is None:
            todo.append((k, f))
            per_rule[f["code"]]["unjudged"] += 1
        else:
            per_rule[f["code"]]["true" if verdict[0] else "false"] += 1
        rows.append((f, k, verdict))
    if args.todo:
        for k, f in todo:
            print(f"{k}\t{Path(f['path']).name} {place(f)} {f['severity']}\t{short(f.get('message_zh') or f['message'], 160)}")
        print(f"{len(todo)} unjudged of {len(findings)}", file=sys.stderr)
        return

    total = Counter()
    for c in per_rule.values():
        total.update(c)
    judged_n = total["true"] + total["false"]
    lines = [
        "# Corpus review: every error and warning on ../shared/corpus, judged by hand",
        "",
        "Generated by `scripts/corpus_review.py` from a `filinglint check --format json` run over the whole",
        "corpus directory (PDF and XLSX; split `-text`/`-tables` filings are linted as one filing); the",
        "verdicts and reasons are kept by hand in `docs/corpus-review.judgments.tsv` (key: rule, file and",
        "a hash of the message).  Notes are not counted.  Places are pages (PDF), sheet!cell (XLSX) or",
        "lines of the laid-out text.  A finding is *true* when a careful reviewer would want it reported",
        "(the filing really is inconsistent or unfinished there), *false* otherwise.",
        "",
        "## Precision",
        "",
        f"**Overall: {total['true']} true of {judged_n} judged — "
        f"{100 * total['true'] / judged_n:.1f}%**" if judged_n else "**Overall: nothing judged**",
        "" if not total["unjudged"] else f"({total['unjudged']} findings not judged yet.)",
        "",
        _without_forms(rows),
        "",
        "| rule | findings | true | false | precision |",
        "|---|---:|---:|---:|---:|",
    ]
    for code in sorted(per_rule):
        c = per_rule[code]
        n = c["true"] + c["false"]
        prec = f"{100 * c['true'] / n:.0f}%" if n else "—"
        lines.append(f"| {code} | {n + c['unjudged']} | {c['true']} | {c['false']} | {prec} |")
    stats = "" if args.no_statistics else statistics()
    if stats:
        lines += ["", "Counts per rule and severity as `filinglint check --statistics ../shared/corpus` prints them",
                  "(notes included):", "", "```", stats, "```"]
    files = report.get("files", [])
    if files:
        lines += ["", "## Files", "", "| file | status | template | errors+warnings |", "|---|---|---|---:|"]
        count = Counter(Path(f["path"]).name for f in findings)
        for fr in sorted(files, key=lambda x: x["path"]):
            names = [Path(p).name for p in fr["path"].split("+")]
            n = sum(count[nm] for nm in names)
            lines.append(f"| {' + '.join(names)} | {fr.get('status', '')} | {fr.get('template') or '—'} | {n} |")
    lines += ["", "## Findings", "", "| file | place | rule | sev | message | verdict | reason |",
              "|---|---|---|---|---|---|---|"]
    for f, k, verdict in rows:
        v = "unjudged" if verdict is None else ("true" if verdict[0] else "**false**")
        reason = "" if verdict is None else verdict[1]
        lines.append(f"| {Path(f['path']).name} | {place(f)} | {f['code']} | {f['severity']} | "
                     f"{short(f.get('message_zh') or f['message'])} | {v} | {short(reason, 200)} |")
    false_rows = [(f, v) for f, _, v in rows if v is not None and not v[0]]
    if false_rows:
        lines += ["", "## False findings left", ""]
        lines += [f"- {Path(f['path']).name} {place(f)} {f['code']}: {v[1]}" for f, v in false_rows]
    gone = sorted(set(judged) - seen)
    if gone:
        lines += ["", "## Judged earlier, no longer reported", ""]
        lines += [f"- `{k}` ({'true' if judged[k][0] else 'false'}): {judged[k][1]}" for k in gone]
    if NOTES.exists():  # hand-written remarks: what was missed, what the rows cannot say
        lines += ["", NOTES.read_text(encoding="utf-8").strip()]
    DOC.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{DOC.relative_to(ROOT)}: {len(findings)} findings, {total['true']} true, {total['false']} false, "
          f"{total['unjudged']} unjudged")


if __name__ == "__main__":
    main()
