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
from .functions import BUILTINS, DslFunction
from .rule import CompiledRule
from .vocabulary import Vocabulary

__all__ = [
    "BUILTINS", "CompiledRule", "DslFunction", "Vocabulary", "compile_rules", "grammar_path",
    "load_rule_file", "parse",
]


def __getattr__(name: str):
    # The parser (lark) and the compiler load when a rule file is compiled: a start
    # whose rule files all come from the cache (see _cached_compile) needs neither.
    if name in ("parse", "grammar_path"):
        from . import parser

        return getattr(parser, name)
    if name == "Compiler":
        from .compiler import Compiler

        return Compiler
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def compile_rules(text: str, source: str, vocab: Vocabulary, pack: str = "") -> list[CompiledRule]:
    """Compile the rules in ``text`` (``source`` names the file in messages and in
    each rule's ``origin``).  Raises :class:`lint.errors.RuleFileError`."""
    from .compiler import Compiler
    from .parser import normalize_text, parse

    tree = parse(text, source)

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
    return _cached_compile(text, str(path), vocab, pack)


def _cached_compile(text: str, source: str, vocab: Vocabulary, pack: str) -> list[CompiledRule]:
    """:func:`compile_rules`, its result kept in the on-disk cache (lint/cache.py): a
    start then loads the compiled rules (~2 ms) instead of compiling them (~40 ms).
    The key covers the file's text and name, the pack, the vocabulary it was checked
    against, the language and filinglint's code and grammar; the vocabulary and its functions are
    not stored but reattached, so the loaded rules share this process's own.  Only a
    successful compile is stored: a file with an error is compiled, and reports it,
    every time."""
    from .. import cache
    from ..i18n import language

    if cache.cache_dir() is None:
        return compile_rules(text, source, vocab, pack)
    digest = cache.key("rules-compiled", text, source, pack, _vocab_key(vocab), language(), cache.code_key())
    functions = {id(f): name for name, f in vocab.functions.items()}

    def shared(obj):
        if obj is vocab:
            return ("vocab",)
        name = functions.get(id(obj))
        return ("function", name) if name is not None else None

    def restore(token):
        return vocab if token == ("vocab",) else vocab.functions[token[1]]

    rules = cache.load("rules-compiled", digest, restore)
    if isinstance(rules, list) and all(isinstance(r, CompiledRule) and r.vocab is vocab for r in rules):
        return rules
    rules = compile_rules(text, source, vocab, pack)
    cache.store("rules-compiled", digest, rules, shared)
    return rules


def _vocab_key(vocab: Vocabulary) -> str:
    """What the compiler may have read from ``vocab``, as text (reprs of plain data;
    functions by name, arity, result type and where they are defined)."""
    functions = sorted(
        (name, f.min_args, f.max_args, f.returns, getattr(f.fn, "__module__", None), getattr(f.fn, "__qualname__", None))
        for name, f in vocab.functions.items())
    return repr((vocab.tables, functions))
