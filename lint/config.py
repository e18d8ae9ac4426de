"""Configuration: ``[tool.filinglint]`` in pyproject.toml or a ``filinglint.toml``, the
nearest one found from the working directory upward.  Command-line options override it.

    [tool.filinglint]
    select = ["T", "X"]
    ignore = ["H003"]
    extend-select = ["N001"]
    fail-on = "warning"
    lang = "zh"
    packs = ["hunan"]
    rules = ["my.rules"]          # relative to the config file
    plugins = ["my_pack"]
    [tool.filinglint.severity]
    N002 = "note"
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from .errors import UsageError
from .model import Severity

_KEYS = {"select", "ignore", "extend-select", "severity", "fail-on", "lang", "format", "packs", "pack",
         "rules", "plugins", "encoding", "template"}


@dataclass
class Config:
    path: str | None = None
    values: dict = field(default_factory=dict)

    def get(self, key: str, default=None):
        return self.values.get(key, default)


def find_config(start: Path | None = None) -> Config:
    here = (start or Path.cwd()).resolve()
    for d in (here, *here.parents):
        own = d / "filinglint.toml"
        if own.is_file():
            return _load(own, table=None)
        py = d / "pyproject.toml"
        if py.is_file():
            cfg = _load(py, table=("tool", "filinglint"))
            if cfg.values:
                return cfg
    return Config()


def load_config(path: str) -> Config:
    p = Path(path)
    if not p.is_file():
        raise UsageError("配置文件不存在 (config file not found)", path)
    return _load(p, table=("tool", "filinglint") if p.name == "pyproject.toml" else None)


def _load(path: Path, table: tuple[str, ...] | None) -> Config:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        col = getattr(exc, "colno", None)
        raise UsageError(f"配置文件语法错误 (config syntax error): {exc}", str(path), line, col)
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"无法读取配置文件 (cannot read config): {exc}", str(path))
    values = raw
    for key in table or ():
        values = values.get(key, {}) if isinstance(values, dict) else {}
    unknown = sorted(set(values) - _KEYS)
    if unknown:
        raise UsageError(f"未知的配置项 {', '.join(unknown)} (unknown config keys; known: {', '.join(sorted(_KEYS))})",
                         str(path))
    base = path.parent
    if "rules" in values:
        values["rules"] = [str((base / r).resolve()) for r in values["rules"]]
    return Config(str(path), dict(values))


def parse_severity(value: str, where: str) -> Severity:
    try:
        return Severity(value)
    except ValueError:
        raise UsageError(f"{where}: 严重级别应为 error/warning/note，实际为 {value!r} (severity must be error, warning or note)")
