"""The assertion language of rule files: parse, check names, compile, evaluate.

A rule file (suffix ``.rules``) holds rules such as::

    rule T001 table.row-sum-mismatch
      severity: error
      summary: "支出决算表每行：本年支出合计应等于各支出列之和"
      assert table03.total == table03.basic + table03.project + table03.upper
    end

:func:`compile_rules` / :func:`load_rule_file` turn one into :class:`CompiledRule`
objects, whose ``check(ctx)`` yields findings.  Names are checked against a
:class:`Vocabulary` built from the table templates, so a typo fails at load time with
file, line, column and a "did you mean …?".  See docs/dsl.md for the language.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import RuleFileError
from ..i18n import tr
from .compiler import Compiler
from .functions import BUILTINS, DslFunction
from .parser import grammar_path, parse
from .rule import CompiledRule
from .vocabulary import Vocabulary

__all__ = [
    "BUILTINS", "CompiledRule", "DslFunction", "Vocabulary", "compile_rules", "grammar_path",
    "load_rule_file", "parse",
]


def compile_rules(text: str, source: str, vocab: Vocabulary, pack: str = "") -> list[CompiledRule]:
    """Compile the rules in ``text`` (``source`` names the file in messages and in
    each rule's ``origin``).  Raises :class:`lint.errors.RuleFileError`."""
    tree = parse(text, source)
    from .parser import normalize_text

    return Compiler(vocab, normalize_text(text), source, pack).compile_file(tree)


def load_rule_file(path: str | Path, vocab: Vocabulary, pack: str = "") -> list[CompiledRule]:
    """Read and compile one ``.rules`` file (UTF-8)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RuleFileError(tr("规则文件不是 UTF-8 编码：{reason}", reason=exc.reason), str(path)) from None
    except OSError as exc:
        raise RuleFileError(tr("无法读取规则文件：{error}", error=exc.strerror or exc), str(path)) from None
    return compile_rules(text, str(path), vocab, pack)
