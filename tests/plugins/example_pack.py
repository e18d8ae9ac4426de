"""The example third-party pack (tests/example_plugin), made visible for one test only.

It is never installed into the environment (the README's setup must not put a test pack
into the user's ``filinglint rules`` and SARIF).  Instead a distribution's metadata
(``*.dist-info`` with the pack's own entry points, read from its pyproject.toml) is
written to a temporary directory put on ``sys.path``: ``importlib.metadata`` then finds
the ``filinglint`` entry point exactly as it would for an installed pack."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PLUGIN_DIR = Path(__file__).resolve().parents[1] / "example_plugin"


@contextmanager
def example_pack_visible(tmp_dir: Path) -> Iterator[dict[str, str]]:
    """Within the block, the example pack is an entry point of group ``filinglint``;
    yields those entry points (name -> module)."""
    project = tomllib.loads((PLUGIN_DIR / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    eps = project["entry-points"]["filinglint"]
    info = tmp_dir / f"{project['name'].replace('-', '_')}-{project['version']}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n",
                                   encoding="utf-8")
    (info / "entry_points.txt").write_text(
        "[filinglint]\n" + "".join(f"{k} = {v}\n" for k, v in eps.items()), encoding="utf-8")
    sys.path[:0] = [str(tmp_dir), str(PLUGIN_DIR)]
    try:
        yield dict(eps)
    finally:
        for p in (str(tmp_dir), str(PLUGIN_DIR)):
            if p in sys.path:
                sys.path.remove(p)
        for name in [m for m in sys.modules if m.split(".")[0] in set(eps.values())]:
            del sys.modules[name]
