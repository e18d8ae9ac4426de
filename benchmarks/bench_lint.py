"""Lint every seed filing N times in one process; print ms per filing and peak memory.

    .venv/bin/python benchmarks/bench_lint.py [N] [SEED_DIR]

Also prints the one-time start-up cost (plugins, templates, compiling every rule
file) and, for comparison, a cold `filinglint check` of one seed in a new process.
Figures only: nothing here asserts on time.
"""

from __future__ import annotations

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
    per_file: dict[str, list[float]] = {s.name: [] for s in seeds}
    findings = {}
    for _ in range(n):
        for s in seeds:
            t = time.perf_counter()
            fr = linter.lint_file(str(s))
            per_file[s.name].append((time.perf_counter() - t) * 1000)
            findings[s.name] = len(fr.findings)
    all_ms = [x for v in per_file.values() for x in v]
    for name, times in per_file.items():
        print(f"  {name}: median {statistics.median(times):.1f} ms  ({findings[name]} findings)")
    print(f"in-process: {len(seeds)} filings x {n} runs, median {statistics.median(all_ms):.1f} ms/filing, "
          f"mean {statistics.mean(all_ms):.1f} ms/filing")
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
