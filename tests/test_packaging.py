"""The built wheel carries the rule packs, templates and grammar, and works installed."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_contains_packs_and_grammar_and_runs(tmp_path):
    out = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(out), str(ROOT)], check=True, capture_output=True)
    [wheel] = list(out.glob("filinglint-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "lint/_grammar/assertions.lark" in names
    for required in ("rules/core/tables.rules", "rules/core/crosstable.rules",
                     "rules/core/templates/final-accounts.toml", "rules/hunan/templates/hunan-2020.toml",
                     "rules/hunan/templates/hunan-2018.toml", "rules/sichuan/templates/sichuan-2020.toml",
                     "rules/core/subjects.toml"):
        assert required in names, required
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    eps = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "[filinglint]" in eps and "core = rules.core" in eps and "filinglint = lint.cli:main" in eps
    # Installed into a separate directory, run from elsewhere: the checkout is not used.
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    env = {**os.environ, "PYTHONPATH": str(target)}
    probe = subprocess.run([sys.executable, "-c", "import lint, rules; print(lint.__file__); print(rules.__file__)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert all(str(target) in line for line in probe.stdout.splitlines())
    seed = ROOT / "fixtures" / "seeds" / "000_98add52c02d21372.txt"
    p = subprocess.run([sys.executable, "-m", "lint", "check", "--select", "T", str(seed)], cwd=tmp_path, env=env,
                       capture_output=True, text=True)
    assert p.returncode == 1, p.stderr
    assert ":157:" in p.stdout
