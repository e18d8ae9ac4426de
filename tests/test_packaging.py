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
    # Every pack of the source tree's rules/ is shipped, under filinglint's own namespace.
    packs = sorted(p.name for p in (ROOT / "rules").iterdir() if (p / "__init__.py").is_file())
    assert {"core", "hunan", "sichuan", "performance"} <= set(packs)
    for pack in packs:
        for f in sorted((ROOT / "rules" / pack).rglob("*")):
            if f.is_file() and f.suffix in (".py", ".rules", ".toml"):
                assert f"lint/rules/{f.relative_to(ROOT / 'rules').as_posix()}" in names, f
    # No top-level `rules` package: it would collide with any other project's `rules`.
    assert not [n for n in names if n.split("/")[0] == "rules"]
    assert {n.split("/")[0] for n in names} == {"lint", "-".join(wheel.name.split("-")[:2]) + ".dist-info"}
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    eps = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "[filinglint]" in eps and "core = lint.rules.core" in eps and "filinglint = lint.cli:main" in eps
    # Each pack's entry point names a module the wheel ships.
    section = eps.split("[filinglint]", 1)[1].split("\n[", 1)[0]
    for line in filter(None, (x.strip() for x in section.splitlines())):
        module = line.split("=", 1)[1].strip().split(":")[0]
        assert module.startswith("lint."), line
        as_path = module.replace(".", "/")
        assert f"{as_path}/__init__.py" in names or f"{as_path}.py" in names, line
    # Installed into a separate directory, run from elsewhere: the checkout is not used.
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    env = {**os.environ, "PYTHONPATH": str(target)}
    probe = subprocess.run([sys.executable, "-c", "import lint, lint.rules.core as c; print(lint.__file__); print(c.__file__)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert len(probe.stdout.splitlines()) == 2
    assert all(str(target) in line for line in probe.stdout.splitlines())
    assert not (target / "rules").exists()
    # Another project's top-level `rules` package installed beside filinglint is left alone.
    other = tmp_path / "other"
    (other / "rules").mkdir(parents=True)
    (other / "rules" / "__init__.py").write_text("raise ImportError('not filinglint')\n")
    env = {**env, "PYTHONPATH": os.pathsep.join([str(target), str(other)])}
    seed = ROOT / "fixtures" / "seeds" / "000_98add52c02d21372.txt"
    p = subprocess.run([sys.executable, "-m", "lint", "check", "--select", "T", str(seed)], cwd=tmp_path, env=env,
                       capture_output=True, text=True)
    assert p.returncode == 1, p.stderr
    assert ":157:" in p.stdout
