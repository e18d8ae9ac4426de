"""Parsing rule files: the grammar (``grammar/assertions.lark``) loaded once, LALR with
an indentation post-lexer, and syntax errors turned into friendly messages that say,
in words, what was expected where."""

from __future__ import annotations

import functools
import os
from pathlib import Path

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from lark.indenter import DedentError, Indenter

from .. import cache
from ..errors import RuleFileError
from ..i18n import tr
from . import ast
from .errors import rule_error


def grammar_path() -> Path:
    """Where ``assertions.lark`` is: beside the installed package (the wheel puts it
    in ``lint/_grammar``) or at the top of a source checkout (``grammar/``)."""
    package = Path(__file__).resolve().parent.parent  # the `lint` package directory
    bundled = package / "_grammar" / "assertions.lark"
    if bundled.exists():
        return bundled
    return package.parent / "grammar" / "assertions.lark"


class _RuleIndenter(Indenter):
    NL_type = "_NL"
    OPEN_PAREN_types = ["_LPAR", "_LSQB"]
    CLOSE_PAREN_types = ["_RPAR", "_RSQB"]
    INDENT_type = "_INDENT"
    DEDENT_type = "_DEDENT"
    tab_len = 4

    def _process(self, stream):
        # As Indenter._process, but a stray closing bracket is left for the parser
        # to report (with its position) instead of failing an internal assert.
        token = None
        for token in stream:
            if token.type == self.NL_type:
                yield from self.handle_NL(token)
            else:
                yield token
            if token.type in self.OPEN_PAREN_types:
                self.paren_level += 1
            elif token.type in self.CLOSE_PAREN_types and self.paren_level > 0:
                self.paren_level -= 1
        while len(self.indent_level) > 1:
            self.indent_level.pop()
            yield Token.new_borrow_pos(self.DEDENT_type, "", token) if token else Token(self.DEDENT_type, "")


@functools.lru_cache(maxsize=None)
def get_parser() -> Lark:
    """The rule-file parser, built once per process; its LALR tables come from lark's
    cache (see :mod:`lint.cache`) when an earlier run built them."""
    grammar = grammar_path().read_text(encoding="utf-8")
    options = dict(parser="lalr", postlex=_RuleIndenter(), propagate_positions=True, maybe_placeholders=True)
    target = cache.path_for("lark", cache.key("lark-parser", grammar))
    if target is None:
        return Lark(grammar, **options)
    if target.exists():
        cache.mark_used(target)
        return Lark(grammar, cache=str(target), **options)
    # lark writes its cache file in place; write it under a private name and rename, so
    # parallel workers never read a half-written file.
    private = target.with_name(f".{os.getpid()}-{target.name}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        parser = Lark(grammar, cache=str(private), **options)
        os.replace(private, target)
        cache.prune(target.parent)
        return parser
    except OSError:  # unwritable cache directory: build without it
        return Lark(grammar, **options)


def parse_tree(text: str, source: str = "<rules>") -> Tree:
    """The raw lark tree of a rule file (mostly for debugging and tests)."""
    text = normalize_text(text)
    try:
        return get_parser().parse(text)
    except DedentError as exc:
        raise _dedent_error(exc, text, source) from None
    except UnexpectedInput as exc:
        raise syntax_error(exc, text, source) from None


def parse(text: str, source: str = "<rules>") -> ast.RuleFile:
    """Parse a rule file into its syntax tree (:mod:`lint.dsl.ast`).

    The tree is cached on disk by the file's text, its name and the grammar, so an
    unchanged rule file is parsed once, not at every start."""
    text = normalize_text(text)
    digest = cache.key("rules-ast", _grammar_text(), source, text)
    tree = cache.load("rules-ast", digest)
    if isinstance(tree, ast.RuleFile):
        return tree
    from .transformer import to_ast

    tree = to_ast(parse_tree(text, source), text, source)
    cache.store("rules-ast", digest, tree)
    return tree


@functools.lru_cache(maxsize=None)
def _grammar_text() -> str:
    return grammar_path().read_text(encoding="utf-8")


def normalize_text(text: str) -> str:
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return text if text.endswith("\n") else text + "\n"


# ---------------------------------------------------------------- syntax errors

# What each terminal is called in messages (Chinese message ids, through tr()).
_WORDS = {
    "NAME": "名称",
    "NUMBER": "数字",
    "PERCENT": "百分数",
    "STRING": "带引号的文字",
    "LONG_STRING": "三引号文字",
    "CODE": "规则代码（1–3 个大写字母加 3 位数字，如 T001）",
    "RULE_NAME": "规则名称（如 table.row-sum-mismatch）",
    "COMP_OP": "比较符号（== != < <= > >=）",
    "_NL": "换行",
    "_INDENT": "缩进的下一行",
    "_DEDENT": "缩进块结束",
    "$END": "文件结束",
}

_EXPRESSION_STARTS = {"NAME", "NUMBER", "STRING", "PERCENT", "_LPAR", "MINUS", "PLUS", "NOT"}
_OPERATORS = {"PLUS", "MINUS", "STAR", "SLASH", "COMP_OP", "AND", "OR", "IN", "DOT", "_LSQB", "WITHIN", "EXACT"}


def _terminal_words(name: str) -> str:
    if name in _WORDS:
        return tr(_WORDS[name])
    if name == "PERCENT_FIELDS_SUM_TO":
        return "'percent fields sum to'"
    try:
        pattern = get_parser().get_terminal(name).pattern
    except KeyError:
        return name
    value = pattern.value if pattern.type == "str" else name
    return f"'{value}'"


def _expected_words(expected: set[str]) -> str:
    """The tokens the parser would take, in words: ``表达式、':'`` (``an expression or ':'``)."""
    names = set(expected)
    words: list[str] = []
    if len(names & _EXPRESSION_STARTS) >= 3:
        names -= _EXPRESSION_STARTS
        words.append(tr("表达式"))
    if len(names & _OPERATORS) >= 3:
        names -= _OPERATORS
        words.append(tr("运算符"))
    for name in sorted(names, key=lambda n: (n.startswith("_") or n.startswith("$"), n)):
        words.append(_terminal_words(name))
    if len(words) <= 1:
        return "".join(words)
    return tr("{first}、{last}", first=tr("、").join(words[:-1]), last=words[-1])


def _found_words(token: Token) -> tuple[str, int, int, int]:
    """What was found, and where to put the caret (line, column, length)."""
    kind = token.type
    if kind in ("_INDENT", "_DEDENT"):
        line = getattr(token, "end_line", None) or token.line or 1
        col = getattr(token, "end_column", None) or 1
        return tr("多余的缩进") if kind == "_INDENT" else tr("缩进块提前结束"), line, col, 1
    if kind == "_NL":
        return tr("行尾"), token.line or 1, token.column or 1, 1
    if kind == "$END":
        return tr("文件结束"), token.line or 1, token.column or 1, 1
    text = str(token).splitlines()[0] if str(token) else ""
    return f"'{text}'", token.line or 1, token.column or 1, max(1, len(text))


def syntax_error(exc: UnexpectedInput, text: str, source: str) -> RuleFileError:
    """A friendly :class:`RuleFileError` for a lark parse error, in the run's language."""
    if isinstance(exc, UnexpectedToken):
        found, line, col, length = _found_words(exc.token)
        if exc.token.type in ("_DEDENT", "$END"):
            opener = _unclosed_bracket(text)
            if opener is not None:
                ch, oline, ocol = opener
                return rule_error(tr("语法错误：括号 '{bracket}' 没有闭合", bracket=ch), source, text, oline, ocol, 1)
        if str(exc.token) == "=":
            return rule_error(tr("语法错误：比较是否相等要写 '=='，不是 '='"), source, text, line, col, 1)
        try:  # the exact set of tokens the parser would take here
            expected = set(exc.interactive_parser.accepts()) if exc.interactive_parser else set(exc.expected)
        except Exception:  # pragma: no cover - fall back to lark's (larger) estimate
            expected = set(exc.expected or ())
        if exc.token.type == "_INDENT":
            msg = tr("语法错误：{found}，这一行不应比上一行缩进更多", found=found)
        else:
            msg = tr("语法错误：此处应为 {expected}，却是 {found}",
                     expected=_expected_words(expected or set(exc.expected or ())), found=found)
        return rule_error(msg, source, text, line, col, length)
    if isinstance(exc, UnexpectedCharacters):
        line, col = exc.line, exc.column
        lines = text.splitlines()
        char = lines[line - 1][col - 1] if 0 < line <= len(lines) and 0 < col <= len(lines[line - 1]) else "?"
        return rule_error(tr("语法错误：无法识别的字符 '{char}'", char=char), source, text, line, col, 1)
    if isinstance(exc, UnexpectedEOF):  # pragma: no cover - LALR reports $END as a token
        lines = text.splitlines() or [""]
        return rule_error(tr("语法错误：文件意外结束"), source, text, len(lines), len(lines[-1]) + 1)
    return rule_error(tr("语法错误：{error}", error=exc), source, text, getattr(exc, "line", 1) or 1,
                      getattr(exc, "column", 1) or 1)


def _unclosed_bracket(text: str) -> tuple[str, int, int] | None:
    """The first ( or [ never closed, ignoring strings and comments."""
    stack: list[tuple[str, int, int]] = []
    line, col, i, n = 1, 1, 0, len(text)
    while i < n:
        if text.startswith('"""', i):
            close = text.find('"""', i + 3)
            chunk = text[i: (close + 3 if close >= 0 else n)]
        elif text[i] == '"':
            close = text.find('"', i + 1)
            newline = text.find("\n", i + 1)
            stop = close + 1 if close >= 0 and (newline < 0 or close < newline) else (newline if newline >= 0 else n)
            chunk = text[i:stop]
        elif text[i] == "#":
            newline = text.find("\n", i)
            chunk = text[i: newline if newline >= 0 else n]
        else:
            ch = text[i]
            if ch in "([":
                stack.append((ch, line, col))
            elif ch in ")]" and stack:
                stack.pop()
            chunk = ch
        for ch in chunk:
            line, col = (line + 1, 1) if ch == "\n" else (line, col + 1)
        i += len(chunk)
    return stack[0] if stack else None


def _dedent_error(exc: DedentError, text: str, source: str) -> RuleFileError:
    # The Indenter does not say where; replay its bookkeeping to find the first line
    # whose indentation does not return to an enclosing level.
    stack = [0]
    depth = 0  # inside ( ) or [ ] indentation does not count
    in_long_string = False
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.lstrip(" \t")
        code = stripped.split("#", 1)[0] if '"' not in stripped else stripped
        starts_inside = depth > 0 or in_long_string
        if stripped.count('"""') % 2:
            in_long_string = not in_long_string
        depth = max(0, depth + code.count("(") + code.count("[") - code.count(")") - code.count("]"))
        if starts_inside or not stripped or stripped.startswith("#"):
            continue
        indent = raw[: len(raw) - len(stripped)]
        width = indent.count(" ") + indent.count("\t") * _RuleIndenter.tab_len
        if width > stack[-1]:
            stack.append(width)
            continue
        while width < stack[-1]:
            stack.pop()
        if width != stack[-1]:
            return rule_error(tr("缩进不一致：这一行的缩进与前面任何一层都对不上"), source, text, number, len(indent) + 1)
    return rule_error(tr("缩进不一致：{error}", error=exc), source, text, 1, 1)
