"""The long fuzz run: many damaged filings through the whole CLI, figures at the end.

    .venv/bin/python benchmarks/fuzz.py [--count 10000] [--seed 1] [--keep DIR]
                                        [--mix text=85,docx=6,xlsx=6,pdf=3]

Sources: the five seed filings, three generated filings (``tests/synth/generator.py``),
and one DOCX, one XLSX and one PDF written from them by the test generators
(``tests/synth/office.py``, ``tests/synth/pdf.py``).  Each mutant is made by
``tests/synth/mutate.py`` (line edits, strange numbers, odd Unicode, byte damage,
truncation, encodings; XML edits and broken XML inside DOCX/XLSX; byte damage of the
PDF) and linted in batches through ``lint.cli.main`` with ``--format json``.

A mutant *fails* when an exception escapes the CLI, the exit code is not 0, 1 or 2, a
tool notice appears (a rule, plugin or reader crashed), or the report does not account
for it (no file entry and no input notice).  Failing mutants are written to ``--keep``
with their operations, so each can be replayed with ``filinglint check``.

The same checks run in CI on a few hundred mutants (``tests/test_fuzz.py``).

Last run (2026-12-01, ``--count 10000 --seed 12``, one process at nice 5 on a shared,
loaded 2-core machine): 10,000 mutants (text 8,511, DOCX 596, XLSX 613, PDF 280);
4,403 read and linted (164,845 findings), 5,597 refused with a one-line input error;
57 min (2.9 mutants/s).  3 failing, all one bug: an XLSX cell holding 1e308 or 30+
digits under a number format made the XLSX reader raise InvalidOperation (fixed in
1fbb70c; the three kept mutants replay clean, and tests/test_fuzz.py has the case).
Figures only: nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from synth.mutate import check_batch, pdf_bytes_mutant, text_mutant, zip_mutant  # noqa: E402


def sources(work: Path) -> dict[str, list[tuple[str, object]]]:
    from synth import generator
    from synth.office import text_to_docx, text_to_xlsx
    from synth.pdf import render

    texts = [(p.name[:3], p.read_text(encoding="utf-8")) for p in sorted((ROOT / "fixtures" / "seeds").glob("*.txt"))]
    for i, scale in enumerate(["small", "medium", "large"]):
        texts.append((f"g{i}", generator.generate(100 + i, scale=scale, narrative=True).text))
    base = texts[0][1].split("\n")
    text_to_docx(base, work / "src.docx", numbering=False)
    text_to_xlsx(base, work / "src.xlsx")
    render(generator.generate(7, scale="small").text, work / "src.pdf")
    return {
        "text": texts,
        "docx": [("docx", (work / "src.docx").read_bytes())],
        "xlsx": [("xlsx", (work / "src.xlsx").read_bytes())],
        "pdf": [("pdf", (work / "src.pdf").read_bytes())],
    }


def make(kind: str, name: str, src, seed: int):
    if kind == "text":
        return text_mutant(name, src, seed), ".txt"
    if kind in ("docx", "xlsx"):
        return zip_mutant(name, src, seed), f".{kind}"
    return pdf_bytes_mutant(name, src, seed), ".pdf"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--batch", type=int, default=25)
    ap.add_argument("--mix", default="text=85,docx=6,xlsx=6,pdf=3")
    ap.add_argument("--keep", type=Path, default=ROOT / "benchmarks" / "fuzz-failures")
    ap.add_argument("--progress", type=int, default=500, help="print a line every N mutants")
    args = ap.parse_args()
    mix = {k: float(v) for k, v in (p.split("=") for p in args.mix.split(","))}
    rng = random.Random(args.seed)
    t0 = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="filinglint-fuzz-"))
    srcs = sources(work)
    setup = time.perf_counter() - t0
    kinds: Counter = Counter()
    stats: dict = {}
    failures: list[dict] = []
    t1 = time.perf_counter()
    # SIGTERM or SIGINT (a time limit from outside) ends the run after the current
    # batch, with the figures so far.
    stop: list[bool] = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.append(True))
    done = _loop(args, mix, rng, srcs, work, kinds, stats, failures, stop)
    if done < args.count:
        print("stopped early: figures for the mutants checked so far", flush=True)
    _report(done, kinds, stats, failures, time.perf_counter() - t1, setup, args.keep)
    return 1 if failures else 0


def _loop(args, mix, rng, srcs, work, kinds, stats, failures, stop) -> int:
    done = 0
    t1 = time.perf_counter()
    while done < args.count and not stop:
        batch = []
        for _ in range(min(args.batch, args.count - done)):
            kind = rng.choices(list(mix), list(mix.values()))[0]
            name, src = rng.choice(srcs[kind])
            m, suffix = make(kind, f"{kind}-{name}", src, rng.randrange(10**9))
            path = work / f"{m.name}{suffix}"
            path.write_bytes(m.data)
            batch.append((kind, m, path))
            kinds[kind] += 1
        code, problems = check_batch([str(p) for _, _, p in batch], stats=stats)
        if problems:  # replay one by one to blame the mutant
            for kind, m, p in batch:
                own_code, own = check_batch([str(p)])
                if own:
                    args.keep.mkdir(parents=True, exist_ok=True)
                    kept = args.keep / p.name
                    kept.write_bytes(m.data)
                    failures.append({"file": str(kept), "kind": kind, "ops": m.ops, "problems": own})
        for _, _, p in batch:
            p.unlink()
        done += len(batch)
        if args.progress and done % args.progress < len(batch):
            rate = done / (time.perf_counter() - t1)
            print(f"  {done} mutants, {len(failures)} failing, {rate:.1f}/s", flush=True)
    return done


def _report(done, kinds, stats, failures, elapsed, setup, keep) -> None:
    print(f"mutants: {done} ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))})")
    print(f"inputs linted: {stats.get('linted', 0)} ({stats.get('findings', 0)} findings), refused with an input "
          f"error: {stats.get('refused', 0)}")
    print(f"failing mutants: {len(failures)}")
    print(f"time: {elapsed:.0f} s ({done / max(elapsed, 1e-9):.1f} mutants/s), setup {setup:.0f} s", flush=True)
    if failures:
        (keep / "failures.json").write_text(json.dumps(failures, ensure_ascii=False, indent=1),
                                                 encoding="utf-8")
        for f in failures[:10]:
            print(f"- {f['file']} {f['ops']}: {f['problems'][0][:300]}")


if __name__ == "__main__":
    sys.exit(main())
