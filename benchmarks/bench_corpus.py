"""A corpus: warm throughput per core, --jobs scaling, memory against the number of files,
and time against the size of one filing.

    .venv/bin/python benchmarks/bench_corpus.py [--small 500] [--large 5000] [--skip-large]

1. warm, in process: the seeds linted over and over by one Linter; filings per second;
2. `filinglint check --jobs 1` and `--jobs 2` over SMALL copies of the seeds: wall time,
   filings per second, speed-up (the output of both is compared: it must be identical);
3. peak memory (max RSS of the run and its workers) for SMALL and LARGE filings
   (``--memory-jobs``, default 1: the largest process is then the whole run);
4. each seed repeated 16 times as one filing: time against the seed (best of 3).

Figures only: nothing here asserts on time.  The machine's load average is printed with
each section, as other work on the machine skews every figure.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SEEDS = sorted((ROOT / "fixtures" / "seeds").glob("*.txt"))
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def load() -> str:
    return f"(load average {os.getloadavg()[0]:.1f})"


def warm(rounds: int) -> None:
    from lint.engine.linter import Linter, LintOptions

    linter = Linter(LintOptions())
    gc.freeze()
    for s in SEEDS:
        linter.lint_file(str(s))
    best, cpu = [], []
    for _ in range(rounds):
        t, c = time.perf_counter(), time.process_time()
        for s in SEEDS:
            linter.lint_file(str(s))
        best.append(len(SEEDS) / (time.perf_counter() - t))
        cpu.append(len(SEEDS) / (time.process_time() - c))
    # CPU time is what one core gives when the machine is shared; wall time is what was seen.
    print(f"warm, in process, one core: {max(cpu):.1f} filings per CPU-second (best; median "
          f"{sorted(cpu)[len(cpu) // 2]:.1f}); wall clock best {max(best):.1f} filings/s, over {rounds} rounds "
          f"of the {len(SEEDS)} seeds {load()}")


def corpus(n: int, where: Path) -> Path:
    """N filings: the seeds over and over (hard links where the file system allows:
    5,000 files in a moment and no disk)."""
    d = where / f"corpus{n}"
    d.mkdir()
    for i in range(n):
        seed, target = SEEDS[i % len(SEEDS)], d / f"f{i:06d}.txt"
        try:
            os.link(seed, target)
        except OSError:
            shutil.copy(seed, target)
    return d


def run(args: list[str]) -> tuple[float, int, float]:
    """Wall time, peak RSS (MiB, the largest of the run's processes) and CPU seconds
    (the run and its workers)."""
    code = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
            "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
            "r = resource.getrusage(resource.RUSAGE_CHILDREN); "
            "print(time.perf_counter() - t, r.ru_maxrss, r.ru_utime + r.ru_stime)")
    out = subprocess.run([sys.executable, "-c", code, sys.executable, "-m", "lint", *args], cwd=ROOT, env=ENV,
                         capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), int(out[1]) // 1024, float(out[2])


_SPIN = "x = 0\nfor i in range(15_000_000):\n    x += i * i % 7\n"


def ceiling() -> float:
    """What two processes get on this machine right now: two independent CPU-bound
    processes run one after the other, then side by side (no IPC at all).  The ratio
    is the most any --jobs 2 can show while the others' load stays as it is."""
    t = time.perf_counter()
    for _ in range(2):
        subprocess.run([sys.executable, "-c", _SPIN], check=True)
    serial = time.perf_counter() - t
    t = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-c", _SPIN]) for _ in range(2)]
    for p in procs:
        p.wait()
    return serial / (time.perf_counter() - t)


def jobs(d: Path, n: int, tmp: Path) -> None:
    print(f"two independent processes side by side: {ceiling():.2f}x one after the other "
          f"(the machine's ceiling for --jobs 2 now) {load()}")
    times, cpus = {}, {}
    for j in (1, 2):
        out = tmp / f"jobs{j}.jsonl"
        t, rss, cpu = run(["check", "--format", "jsonl", "-j", str(j), "-o", str(out), str(d)])
        times[j], cpus[j] = t, cpu
        print(f"--jobs {j} on {n} filings: {t:.1f} s, {n / t:.1f} filings/s, {cpu:.1f} CPU-s, "
              f"peak RSS {rss} MiB {load()}")
    same = (tmp / "jobs1.jsonl").read_bytes() == (tmp / "jobs2.jsonl").read_bytes()
    print(f"--jobs 2 / --jobs 1 throughput: {times[1] / times[2]:.2f}x (wall clock); outputs identical: {same}")
    # On a shared machine the wall clock says how many cores the others left free; the
    # CPU the two runs spent says what the pool costs: on idle cores, the speed-up is
    # about 2 x cpu(jobs 1) / cpu(jobs 2).
    print(f"CPU spent: --jobs 2 {cpus[2]:.1f} s vs --jobs 1 {cpus[1]:.1f} s "
          f"(on 2 idle cores: about {2 * cpus[1] / cpus[2]:.2f}x)")


def memory(dirs: dict[int, Path], tmp: Path, formats: list[str], jobs: int) -> None:
    for fmt in formats:
        peaks = {}
        for n, d in dirs.items():
            t, rss, cpu = run(["check", "--format", fmt, "-j", str(jobs), "-o", str(tmp / f"m{n}.{fmt}"), str(d)])
            peaks[n] = rss
            print(f"peak RSS, --format {fmt} --jobs {jobs}, {n} filings: {rss} MiB ({t:.1f} s, {cpu:.1f} CPU-s) "
                  f"{load()}")
        if len(peaks) == 2:
            (a, pa), (b, pb) = peaks.items()
            print(f"  {b} vs {a} filings: {pb / pa:.2f}x the memory")


def sixteen() -> None:
    from lint.engine.linter import Linter, LintOptions

    linter = Linter(LintOptions())
    with tempfile.TemporaryDirectory() as tmp:
        for s in SEEDS:
            text = s.read_text(encoding="utf-8").rstrip("\n") + "\n"
            big = Path(tmp) / f"{s.stem}_x16.txt"
            big.write_text(text * 16, encoding="utf-8")
            linter.lint_file(str(s))
            one = min(_time(linter, s) for _ in range(3))
            many = min(_time(linter, big) for _ in range(3))
            print(f"16x input {s.name}: {one * 1000:.0f} ms -> {many * 1000:.0f} ms CPU, {many / one:.1f}x {load()}")


def writers(sizes: list[int]) -> None:
    """The reporting side alone, in process: each seed's real result, renamed, pushed
    through every writer SIZE times (to /dev/null); peak traced memory per size.  What
    grows here grows with the number of files (the linting side frees each file)."""
    import tracemalloc
    from dataclasses import replace

    from lint.engine.linter import Linter, LintOptions
    from lint.parallel import rebase
    from lint.report import FormatOptions
    from lint.report.formatters.json import JsonLinesWriter, JsonWriter
    from lint.report.formatters.sarif import SarifWriter
    from lint.report.formatters.text import TextWriter

    def put(out, part) -> None:  # as the CLI writes: chunk by chunk
        for chunk in (part,) if isinstance(part, str) else part:
            out.write(chunk)

    linter = Linter(LintOptions())
    results = [linter.lint_file(str(s)) for s in SEEDS]
    rules = linter.rule_metas()
    for cls in (TextWriter, JsonWriter, JsonLinesWriter, SarifWriter)[:int(os.environ.get("BENCH_WRITERS", 4))]:
        peaks = {}
        for n in sizes:
            gc.collect()
            tracemalloc.start()
            w = cls(rules, FormatOptions(cwd=str(ROOT)))
            with open(os.devnull, "w", encoding="utf-8") as out:
                put(out, w.begin())
                for i in range(n):
                    fr = results[i % len(results)]
                    name = f"corpus/f{i:06d}.txt"
                    put(out, w.file(replace(rebase(fr, fr.path, name), source_lines=fr.source_lines)))
                put(out, w.end([]))
            peaks[n] = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
        print(f"{cls.name:>5} writer, peak traced memory: "
              + ", ".join(f"{n} files {p:.1f} MiB" for n, p in peaks.items()))


def _time(linter, path: Path) -> float:
    """CPU seconds (a shared machine's load does not inflate them as it does wall time)."""
    t = time.process_time()
    linter.lint_file(str(path))
    return time.process_time() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--small", type=int, default=500)
    ap.add_argument("--large", type=int, default=5000)
    ap.add_argument("--skip-large", action="store_true")
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--only", choices=("warm", "jobs", "memory", "sixteen", "writers"))
    ap.add_argument("--formats", default="sarif,jsonl", help="formats of the memory runs")
    ap.add_argument("--memory-jobs", type=int, default=1, help="--jobs of the memory runs")
    a = ap.parse_args()
    if a.only in (None, "warm"):
        warm(a.rounds)
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        if a.only in (None, "jobs", "memory"):
            small = corpus(a.small, tmp)
        if a.only in (None, "jobs"):
            jobs(small, a.small, tmp)
        if a.only in (None, "memory"):
            dirs = {a.small: small}
            if not a.skip_large:
                dirs[a.large] = corpus(a.large, tmp)
            memory(dirs, tmp, a.formats.split(","), a.memory_jobs)
    if a.only in (None, "sixteen"):
        sixteen()
    if a.only in (None, "writers"):
        writers([a.small, a.large])


if __name__ == "__main__":
    main()
