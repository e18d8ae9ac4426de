"""Lint every seed filing N times in one process; print ms per filing and peak memory.

    .venv/bin/python benchmarks/bench_lint.py [N] [SEED_DIR]

Per filing: the median CPU time (``time.process_time``: on a shared machine wall time
mostly measures the neighbours) and the median wall time; overall: filings per
CPU-second (issue 13's warm, in-process target is 50 per core).  Also prints the
one-time start-up cost (plugins, templates, compiling every rule file) and, for
comparison, a cold `filinglint check` of one seed in a new process.
Figures only: nothing here asserts on time.
"""

from __future__ import annotations

import gc
import os
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lint.engine.linter import Linter, LintOptions  # noqa: E402


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    seed_dir = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "fixtures" / "seeds"
    seeds = sorted(seed_dir.glob("*.txt"))
    t0 = time.perf_counter()
    linter = Linter(LintOptions())
    startup = time.perf_counter() - t0
    print(f"start-up (plugins, templates, rule compilation): {startup * 1000:.1f} ms, "
          f"{len(linter.registry.rules)} rules")
    gc.freeze()  # as the command line does after loading
    for s in seeds:  # warm: first-use imports and caches are start-up, not per filing
        linter.lint_file(str(s))
    per_file: dict[str, list[float]] = {s.name: [] for s in seeds}
    cpu_file: dict[str, list[float]] = {s.name: [] for s in seeds}
    findings = {}
    for _ in range(n):
        for s in seeds:
            t, c = time.perf_counter(), time.process_time()
            fr = linter.lint_file(str(s))
            cpu_file[s.name].append((time.process_time() - c) * 1000)
            per_file[s.name].append((time.perf_counter() - t) * 1000)
            findings[s.name] = len(fr.findings)
    all_ms = [x for v in per_file.values() for x in v]
    for name, times in per_file.items():
        print(f"  {name}: median {statistics.median(cpu_file[name]):.1f} ms CPU, "
              f"{statistics.median(times):.1f} ms wall  ({findings[name]} findings)")
    cpu = sum(statistics.median(v) for v in cpu_file.values())  # one pass over the seeds
    print(f"in-process: {len(seeds)} filings x {n} runs, {len(seeds) / cpu * 1000:.1f} filings per CPU-second "
          f"({cpu / len(seeds):.1f} ms CPU/filing); wall: median {statistics.median(all_ms):.1f} ms/filing, "
          f"mean {statistics.mean(all_ms):.1f} ms/filing (load average {os.getloadavg()[0]:.1f})")
    # Memory apart from timing: tracemalloc slows Python code several-fold.
    tracemalloc.start()
    for s in seeds:
        linter.lint_file(str(s))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"memory: peak traced allocation during one pass over the seeds {peak / 2**20:.1f} MiB; "
          f"process max RSS {rss:.0f} MiB")
    cli = [sys.executable, "-m", "lint", "check", str(seeds[0])]
    cold = []
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run(cli, cwd=ROOT, capture_output=True)
        cold.append(time.perf_counter() - t)
    print(f"cold `filinglint check {seeds[0].name}`: best {min(cold):.2f} s, median {statistics.median(cold):.2f} s")


if __name__ == "__main__":
    main()
