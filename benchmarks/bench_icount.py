"""Instructions per warm filing, counted by valgrind: a figure that does not depend on
the machine's load or clock (CPU time on a shared machine easily varies by half).

    .venv/bin/python benchmarks/bench_icount.py [--rev REV ...] [--rounds N]

For this checkout (and for each ``--rev``, exported from git into a temporary
directory) it runs, under ``valgrind --tool=cachegrind``, a process that loads the
linter, lints the seed filings once (warm-up) and then ``1`` and ``1 + N`` more times;
the difference divided by ``N`` × the number of seeds is the cost of one warm filing,
start-up excluded.  Needs valgrind (Debian: ``apt-get install valgrind``); prints a
one-line reason and exits 2 without it.  Figures only: nothing asserts on them.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_CHILD = """
import gc, sys
root, rounds = sys.argv[1], int(sys.argv[2])
sys.path.insert(0, root)
from pathlib import Path
from lint.engine.linter import Linter, LintOptions
linter = Linter(LintOptions())
seeds = sorted(Path(root, "fixtures", "seeds").glob("*.txt"))
for s in seeds:
    linter.lint_file(str(s))
gc.freeze()  # as the command line does after loading
for _ in range(rounds):
    for s in seeds:
        linter.lint_file(str(s))
"""


def instructions(tree: Path, rounds: int) -> int:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    out = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
                          sys.executable, "-c", _CHILD, str(tree), str(rounds)],
                         capture_output=True, text=True, env=env, cwd=tree)
    m = re.search(r"I\s+refs:\s+([\d,]+)", out.stderr)
    if out.returncode != 0 or not m:
        sys.exit(f"bench_icount: the run under valgrind failed in {tree}: {out.stderr.strip()[-300:]}")
    return int(m.group(1).replace(",", ""))


def per_filing(tree: Path, rounds: int) -> float:
    seeds = len(list((tree / "fixtures" / "seeds").glob("*.txt")))
    # A first run (not counted) fills the start-up caches of a freshly exported tree:
    # the two counted runs must start alike for their difference to be the filings'.
    subprocess.run([sys.executable, "-c", _CHILD, str(tree), "0"], capture_output=True, cwd=tree,
                   env={**os.environ, "PYTHONHASHSEED": "0"})
    return (instructions(tree, 1 + rounds) - instructions(tree, 1)) / (rounds * seeds)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rev", action="append", default=[], help="also count this git revision (repeatable)")
    ap.add_argument("--rounds", type=int, default=2, help="extra passes over the seeds (default 2)")
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("bench_icount: valgrind is not installed (Debian: apt-get install valgrind)")
    trees = [("this checkout", ROOT, None)]
    for rev in args.rev:
        tmp = Path(tempfile.mkdtemp(prefix="filinglint-rev-"))
        archive = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True)
        if archive.returncode != 0:
            sys.exit(f"bench_icount: git archive {rev}: {archive.stderr.decode(errors='replace').strip()}")
        subprocess.run(["tar", "-x", "-C", str(tmp)], input=archive.stdout, check=True)
        trees.append((rev, tmp, tmp))
    try:
        for name, tree, _ in trees:
            print(f"{name}: {per_filing(tree, args.rounds) / 1e6:.0f} M instructions per warm filing")
    finally:
        for _, _, tmp in trees:
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
