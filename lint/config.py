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
    [[tool.filinglint.suppress]]  # validated here; applied by the report
    rule = "T002"
    file = "reports/*.txt"
    match = "2010399"
    reason = "…why this is not a mistake (required)"

Every key is checked against :data:`SCHEMA` (type, allowed values, unknown keys): a bad
value is a one-line error naming the file, the key and its line, exit 2.
"""

from __future__ import annotations

import codecs
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from .errors import UsageError
from .i18n import tr
from .model import Severity

# --------------------------------------------------------------------------- schema
#
# Every key the configuration may hold, with its type and allowed values.  A value of
# the wrong type is an error naming the file and key (a string where a list belongs is
# never iterated character by character); so is an unknown key.  To add a key, add a
# ``Key`` here: the validator, the error messages and docs/configuration derive from it.

_CODE = re.compile(r"^(?:ALL|[A-Z]{1,3}[0-9]{0,3})$")
_LEVELS = ("error", "warning", "note")


@dataclass(frozen=True)
class Key:
    """One configuration key.

    ``kind``: ``str``, ``int``, ``bool``, ``list`` (of strings), ``table`` (string ->
    string) or ``tables`` (an array of tables whose fields are ``fields``).  ``choices``
    limits string values (or table values); ``pattern`` is a regex every string must
    match, described by ``pattern_doc``."""

    kind: str
    doc: str
    choices: tuple[str, ...] = ()
    pattern: re.Pattern | None = None
    pattern_doc: str = ""
    fields: dict[str, "Key"] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    one_or_list: bool = False  # a single string is accepted for a one-item list
    check: Callable[[Any], str | None] | None = None  # extra check: an error text or None


def _encoding(value: str) -> str | None:
    try:
        codecs.lookup(value)
    except LookupError:
        return tr("未知的编码 {value}", value=repr(value))
    return None


# words that go through tr() in the error messages (English in the .po)
_WORDS = {"str": "字符串", "int": "整数", "bool": "布尔值", "list": "字符串列表", "table": "表",
          "tables": "表的数组（[[…]]）", "code": "规则代码或前缀，如 T、T00、T001、ALL", "format": "格式名"}
_CODES = dict(pattern=_CODE, pattern_doc=_WORDS["code"])

SCHEMA: dict[str, Key] = {
    "select": Key("list", "只运行这些规则代码或前缀 (rule codes or prefixes to run)", **_CODES),
    "ignore": Key("list", "忽略这些规则 (codes or prefixes to skip)", **_CODES),
    "extend-select": Key("list", "在 select 之外追加 (codes or prefixes added to select)", **_CODES),
    "severity": Key("table", "按规则代码或前缀覆盖级别 (per-code severity)", choices=_LEVELS, **_CODES),
    "fail-on": Key("str", "达到该级别即以 1 退出 (exit 1 at or above this level)", choices=_LEVELS),
    "lang": Key("str", "消息语言 (message language)", choices=("zh", "en")),
    "format": Key("str", "输出格式，如 text、json、sarif (output format)",
                  pattern=re.compile(r"^[A-Za-z0-9_.-]+$"), pattern_doc=_WORDS["format"]),
    "packs": Key("list", "强制启用的规则包 (packs to force)", one_or_list=True),
    "pack": Key("list", "同 packs (same as packs)", one_or_list=True),
    "rules": Key("list", "追加的 DSL 规则文件，相对配置文件 (rule files, relative to the config file)",
                 one_or_list=True),
    "plugins": Key("list", "加载的插件模块 (plugin modules to load)", one_or_list=True),
    "encoding": Key("str", "输入编码 (input encoding)", check=_encoding),
    "template": Key("str", "强制使用的表样 (template id to force)"),
    # Suppressions with a stated reason (their behaviour lives with the report; this
    # is the shape only):  [[tool.filinglint.suppress]]  rule = "T002"
    #   file = "reports/*.txt"  match = "2010399"  reason = "…why this is not a mistake"
    "suppress": Key("tables", "有理由的抑制 (suppressions, each with a reason)", fields={
        "rule": Key("str", "规则代码或前缀 (rule code or prefix)", **_CODES),
        "file": Key("str", "文件 glob，相对配置文件 (file glob)"),
        "match": Key("str", "问题所在行、位置或消息须含的文字 (text the finding's line, place or message must contain)"),
        "reason": Key("str", "为什么这不是错误（必填）(why this is not a mistake; required)",
                      check=lambda v: None if v.strip() else tr("理由不能为空")),
    }, required=("rule", "reason")),
}

def _key_line(text: str, key: str) -> int | None:
    """The line where ``key`` is set (tomllib keeps no positions); best effort."""
    m = re.search(rf"^[ \t]*(?:\[\[?[^\]]*\]?\][ \t]*)?\"?{re.escape(key)}\"?[ \t]*=", text, re.M)
    if m is None:
        m = re.search(rf"^[ \t]*\[+[^\]]*\b{re.escape(key)}\b[^\]]*\]+", text, re.M)
    return text.count("\n", 0, m.start()) + 1 if m else None


def _typed(value: Any, kind: str) -> bool:
    if kind == "str":
        return isinstance(value, str)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "list":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == "table":
        return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
    if kind == "tables":
        return isinstance(value, list) and all(isinstance(v, dict) for v in value)
    raise AssertionError(kind)  # pragma: no cover - a schema typo


def validate(values: dict, path: str, text: str = "", prefix: str = "") -> dict:
    """Check ``values`` against :data:`SCHEMA`; return them normalized (one string for a
    one-or-list key becomes a list).  The first problem raises :class:`UsageError` naming
    ``path``, the key (``severity.T001``, ``suppress[2].reason``) and, when it can be
    found, its line."""
    return _validate(values, SCHEMA, path, text, prefix, ())


def _validate(values: dict, schema: dict[str, Key], path: str, text: str, prefix: str,
              required: tuple[str, ...]) -> dict:
    def fail(key: str, problem: str, line_key: str | None = None):
        raise UsageError(tr("配置项 {key}：{problem}", key=prefix + key, problem=problem), path,
                         _key_line(text, line_key or key.split(".")[0].split("[")[0]) if text else None)

    from difflib import get_close_matches

    out = {}
    for key, value in values.items():
        spec = schema.get(key)
        if spec is None:
            hint = get_close_matches(key, list(schema), 1)
            known = ", ".join(sorted(schema))
            fail(key, tr("未知的配置项，是否想写 {hint}？已知的配置项：{known}", hint=hint[0], known=known) if hint
                 else tr("未知的配置项；已知的配置项：{known}", known=known))
        if spec.one_or_list and isinstance(value, str):
            value = [value]
        if not _typed(value, spec.kind):
            fail(key, tr("应为{kind}，实际为 {found} {value}", kind=tr(_WORDS[spec.kind]),
                         found=type(value).__name__, value=_short(value)))
        if spec.kind == "tables":
            value = [_validate(item, spec.fields, path, text, f"{prefix}{key}[{i}].", spec.required)
                     for i, item in enumerate(value)]
        else:
            items = {"str": lambda: [(key, value)], "list": lambda: [(key, v) for v in value],
                     "table": lambda: [(f"{key}.{k}", v) for k, v in value.items()]}.get(spec.kind, lambda: [])()
            for where, v in items:
                if spec.kind == "table" and spec.pattern is not None and not spec.pattern.match(where.split(".", 1)[1]):
                    fail(where, tr("键应为{what}", what=tr(spec.pattern_doc)), key)
                if spec.choices and v not in spec.choices:
                    fail(where, tr("应为 {choices} 之一，实际为 {value}", choices=", ".join(spec.choices),
                                   value=_short(v)), key)
                if spec.pattern is not None and spec.kind != "table" and not spec.pattern.match(v):
                    fail(where, tr("应为{what}，实际为 {value}", what=tr(spec.pattern_doc), value=_short(v)), key)
                if spec.check is not None and (problem := spec.check(v)):
                    fail(where, problem, key)
        out[key] = value
    for key in required:
        if key not in values:
            fail(key, tr("缺少必填项"), prefix.split("[")[0])
    return out


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


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
        raise UsageError(tr("配置文件不存在"), path)
    return _load(p, table=("tool", "filinglint") if p.name == "pyproject.toml" else None)


def _load(path: Path, table: tuple[str, ...] | None) -> Config:
    try:
        text = path.read_text(encoding="utf-8")
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        col = getattr(exc, "colno", None)
        raise UsageError(tr("配置文件语法错误：{error}", error=exc), str(path), line, col)
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(tr("无法读取配置文件：{error}", error=exc), str(path))
    values = raw
    for key in table or ():
        values = values.get(key, {}) if isinstance(values, dict) else {}
    if not isinstance(values, dict):  # e.g. tool.filinglint = 3
        raise UsageError(tr("配置 [tool.filinglint] 应为表"), str(path))
    if table:  # find key lines inside [tool.filinglint…] only, keeping line numbers
        start = max(text.find("[tool.filinglint"), 0)
        text = "\n" * text.count("\n", 0, start) + text[start:]
    values = validate(values, str(path), text)
    base = path.parent
    if "rules" in values:
        values["rules"] = [str((base / r).resolve()) for r in values["rules"]]
    return Config(str(path), dict(values))


def parse_severity(value: str, where: str) -> Severity:
    try:
        return Severity(value)
    except ValueError:
        raise UsageError(tr("{where}：严重级别应为 error、warning 或 note，实际为 {value}", where=where, value=repr(value)))
