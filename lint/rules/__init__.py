"""filinglint's own rule packs, as ``lint.rules.<pack>`` (``core``, ``hunan``, …).

The source tree keeps them in the top-level ``rules/`` directory; the wheel ships that
directory here, inside filinglint's namespace, so installing filinglint never puts a
top-level ``rules`` package into site-packages (another project's ``rules`` would
collide with it).  Running from a checkout, this package reaches the checkout's
``rules/`` directory, so ``lint.rules.core`` is the same module in both cases."""

from pathlib import Path

_HERE = Path(__file__).resolve().parent
if not (_HERE / "core" / "__init__.py").is_file():  # a checkout, not an installed wheel
    _ROOT = _HERE.parents[1]
    # Only the project's own checkout: beside an installed lint/ there may be some other
    # project's top-level rules/ package, which must never be picked up.
    if (_ROOT / "pyproject.toml").is_file() and (_ROOT / "rules" / "core" / "__init__.py").is_file():
        __path__.append(str(_ROOT / "rules"))  # type: ignore[name-defined]  # noqa: F821
