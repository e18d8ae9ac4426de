"""Cold start: how long a new `filinglint` process takes, against bare Python and against
importing the libraries a check needs anyway.

    .venv/bin/python benchmarks/bench_start.py [RUNS]

Each command runs RUNS times (default 9), interleaved so machine load hits all alike;
the best and median wall times are printed with their ratio to the reference.  One
warm-up run of each fills the bytecode and filinglint caches first: "cold" means a new
process, not a new machine.  Figures only: nothing here asserts on time.

The bytecode cache is allowed for these runs (PYTHONDONTWRITEBYTECODE is removed from
the environment), as on a user's machine: without it every module of filinglint is
compiled from source at each start.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "fixtures" / "seeds" / "000_98add52c02d21372.txt"
PY = sys.executable

COMMANDS = {
    "python -c pass": [PY, "-c", "pass"],
    "filinglint --version": [PY, "-m", "lint", "--version"],
    "filinglint --help": [PY, "-m", "lint", "--help"],
    "filinglint rules": [PY, "-m", "lint", "rules"],
    "filinglint explain T001": [PY, "-m", "lint", "explain", "T001"],
    "import pandas, lark, pluggy": [PY, "-c", "import pandas, lark, pluggy"],
    "filinglint check SEED": [PY, "-m", "lint", "check", "-j", "1", str(SEED)],
}
REFERENCE = {
    "filinglint --version": "python -c pass",
    "filinglint --help": "python -c pass",
    "filinglint rules": "import pandas, lark, pluggy",
    "filinglint explain T001": "import pandas, lark, pluggy",
    "filinglint check SEED": "import pandas, lark, pluggy",
}


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    cpu: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for name, cmd in COMMANDS.items():  # warm-up: bytecode and filinglint caches
        subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True)
    for _ in range(runs):
        for name, cmd in COMMANDS.items():
            t, r = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True)
            times[name].append(time.perf_counter() - t)
            r2 = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[name].append(r2.ru_utime + r2.ru_stime - r.ru_utime - r.ru_stime)
    print(f"cold start, best / median of {runs} runs (load average {os.getloadavg()[0]:.1f}):")
    for name, ts in times.items():
        line = f"  {name:<28} best {min(ts) * 1000:7.1f} ms   median {statistics.median(ts) * 1000:7.1f} ms"
        ref = REFERENCE.get(name)
        if ref:
            line += (f"   = {min(ts) / min(times[ref]):.2f}x / {statistics.median(ts) / statistics.median(times[ref]):.2f}x"
                     f" of `{ref}`")
        print(line)
    # CPU time is what the start costs; wall time also says how busy the machine was.
    print("CPU time (user+sys), best:")
    for name, ts in cpu.items():
        line = f"  {name:<28} {min(ts) * 1000:7.1f} ms"
        ref = REFERENCE.get(name)
        if ref:
            line += f"   = {min(ts) / min(cpu[ref]):.2f}x of `{ref}`"
        print(line)


if __name__ == "__main__":
    main()
