"""The on-disk cache of parsed rule files and lark's parser tables (lint/cache.py)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from lint import cache
from lint.dsl import parser

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "rules" / "core" / "tables.rules"


def test_parse_is_served_from_the_cache_and_keyed_by_text(tmp_path, monkeypatch):
    monkeypatch.setenv("FILINGLINT_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("FILINGLINT_NO_CACHE", raising=False)
    text = RULES.read_text(encoding="utf-8")
    first = parser.parse(text, str(RULES))
    entries = sorted(tmp_path.glob("rules-ast-*.pickle"))
    assert len(entries) == 1
    calls = []
    monkeypatch.setattr(parser, "parse_tree", lambda *a: calls.append(a))  # a cache hit never parses
    assert parser.parse(text, str(RULES)) == first
    assert calls == []
    monkeypatch.undo()
    monkeypatch.setenv("FILINGLINT_CACHE_DIR", str(tmp_path))
    # A changed file is a new key, never the stale tree.
    changed = parser.parse(text.replace("rule ", "rule  ", 1), str(RULES))
    assert len(sorted(tmp_path.glob("rules-ast-*.pickle"))) == 2
    assert changed == first  # same rules, different bytes: same tree, separate entry


def test_a_damaged_entry_is_dropped_and_recomputed(tmp_path, monkeypatch):
    monkeypatch.setenv("FILINGLINT_CACHE_DIR", str(tmp_path))
    text = RULES.read_text(encoding="utf-8")
    tree = parser.parse(text, str(RULES))
    (entry,) = tmp_path.glob("rules-ast-*.pickle")
    entry.write_bytes(b"not a pickle")
    assert parser.parse(text, str(RULES)) == tree
    assert entry.read_bytes() != b"not a pickle"


def test_cache_can_be_turned_off_or_unwritable(tmp_path, monkeypatch):
    monkeypatch.setenv("FILINGLINT_NO_CACHE", "1")
    assert cache.cache_dir() is None
    cache.store("x", "k", 1)
    assert cache.load("x", "k") is None
    monkeypatch.delenv("FILINGLINT_NO_CACHE")
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("FILINGLINT_CACHE_DIR", str(blocker / "sub"))  # a file where a directory should be
    cache.store("x", "k", 1)  # no exception
    assert cache.load("x", "k") is None


def test_lark_parser_tables_are_cached(tmp_path):
    code = "from lint.dsl.parser import get_parser; get_parser()"
    env = {"FILINGLINT_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    for _ in range(2):  # the first run writes the tables, the second loads them
        proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        assert "Failed to load" not in proc.stderr
    assert len(list(tmp_path.glob("lark-*.pickle"))) == 1
    assert not list(tmp_path.glob(".*"))  # no half-written private file left behind


def _vocab(monkeypatch):
    """A vocabulary built from the shipped templates, without touching the cache."""
    from lint.engine.linter import Linter, LintOptions

    with monkeypatch.context() as m:
        m.setenv("FILINGLINT_NO_CACHE", "1")
        return Linter(LintOptions(use_entry_points=False)).vocab


def _run_all(rules, vocab):
    """What the rules find on a seed: the compiled objects must behave the same."""
    from lint.engine.linter import Linter, LintOptions

    linter = Linter(LintOptions(use_entry_points=False))
    result = linter.lint_file(str(ROOT / "fixtures" / "seeds" / "000_98add52c02d21372.txt"))
    return [(f.code, f.location.span, f.message.zh) for f in result.findings if f.code in {r.code for r in rules}]


def test_compiled_rules_are_served_from_the_cache_with_this_processs_vocabulary(tmp_path, monkeypatch):
    from lint import dsl

    monkeypatch.setenv("FILINGLINT_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("FILINGLINT_NO_CACHE", raising=False)
    vocab, other = _vocab(monkeypatch), _vocab(monkeypatch)
    first = dsl.load_rule_file(RULES, vocab, pack="core")
    (entry,) = tmp_path.glob("rules-compiled-*.pickle")
    compiled = []
    real = dsl.compile_rules
    monkeypatch.setattr(dsl, "compile_rules", lambda *a, **k: compiled.append(a) or real(*a, **k))
    again = dsl.load_rule_file(RULES, vocab, pack="core")
    assert compiled == []  # a hit compiles nothing
    assert [r.meta for r in again] == [r.meta for r in first] and len(first) > 5
    assert all(r.vocab is vocab for r in again)  # the vocabulary is reattached, not a stored copy
    assert repr([r.statements for r in again]) == repr([r.statements for r in first])
    # Another vocabulary (other templates or plugin functions) is another key.
    other.functions = {**other.functions, "twice": dsl.DslFunction("twice", 1, 1, abs)}
    dsl.load_rule_file(RULES, other, pack="core")
    assert len(compiled) == 1 and len(list(tmp_path.glob("rules-compiled-*.pickle"))) == 2
    # A damaged entry is recompiled and rewritten.
    entry.write_bytes(b"\x80\x05garbage")
    assert [r.meta for r in dsl.load_rule_file(RULES, vocab, pack="core")] == [r.meta for r in first]
    assert len(compiled) == 2 and entry.read_bytes()[:2] != b"\x80\x05g"


def test_a_rule_file_with_an_error_is_never_cached_and_reports_every_time(tmp_path, monkeypatch):
    from lint import dsl
    from lint.errors import RuleFileError

    monkeypatch.setenv("FILINGLINT_CACHE_DIR", str(tmp_path))
    bad = tmp_path / "bad.rules"
    bad.write_text(RULES.read_text(encoding="utf-8").replace("assert ", "assert nosuchtable.x == ", 1),
                   encoding="utf-8")
    vocab = _vocab(monkeypatch)
    messages = []
    for _ in range(2):
        try:
            dsl.load_rule_file(bad, vocab, pack="core")
        except RuleFileError as exc:
            messages.append(exc.render())
    assert len(messages) == 2 and messages[0] == messages[1] and "nosuchtable" in messages[0]
    assert not list(tmp_path.glob("rules-compiled-*.pickle"))


def test_cached_and_uncached_rules_find_the_same(tmp_path, monkeypatch):
    """A whole linter loaded from a warm cache finds exactly what one without a cache finds."""
    from lint import dsl

    monkeypatch.setenv("FILINGLINT_NO_CACHE", "1")
    rules = dsl.load_rule_file(RULES, _vocab(monkeypatch), pack="core")
    cold = _run_all(rules, None)
    monkeypatch.delenv("FILINGLINT_NO_CACHE")
    monkeypatch.setenv("FILINGLINT_CACHE_DIR", str(tmp_path))
    _run_all(rules, None)  # fills the cache
    assert list(tmp_path.glob("rules-compiled-*.pickle"))
    warm = _run_all(rules, None)
    assert warm == cold and cold


def test_the_code_key_follows_the_packages_modules_and_grammar(tmp_path):
    import os

    package, grammar = tmp_path / "lint", tmp_path / "grammar"
    (package / "dsl").mkdir(parents=True)
    grammar.mkdir()
    module, lark_file = package / "dsl" / "compiler.py", grammar / "assertions.lark"
    module.write_text("x = 1\n")
    lark_file.write_text("start: NAME\n")
    (package / "notes.txt").write_text("not code")
    key = cache.tree_key(package)
    assert key == cache.tree_key(package)
    (package / "notes.txt").write_text("other text: not code either")
    assert cache.tree_key(package) == key
    for path in (module, lark_file):  # an edited module or grammar: entries built by the old ones are not read
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
        changed = cache.tree_key(package)
        assert changed != key
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
        assert cache.tree_key(package) == key
    assert cache.code_key() == cache.code_key()  # the installed package's, computed once


def _define():
    import dataclasses

    @dataclasses.dataclass(frozen=True, order=True)
    class Point:
        x: int
        y: "list[int]" = dataclasses.field(default_factory=list)

    return Point


def test_dataclass_methods_compiled_from_the_cache_are_the_same(tmp_path, monkeypatch):
    import dataclasses
    import inspect

    monkeypatch.setenv("FILINGLINT_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("FILINGLINT_NO_CACHE", raising=False)
    plain = _define()
    with cache.generated_code() as first:
        filled = _define()
    assert first.added > 0 and not hasattr(dataclasses, "exec")  # the hook is gone afterwards
    (entry,) = tmp_path.glob("startup-code-*.marshal")
    with cache.generated_code() as second:
        served = _define()
    assert second.added == 0  # every method came from the file
    for cls in (filled, served):
        p = cls(1, [2])
        assert (p.x, p.y, repr(p), p == cls(1, [2]), p < cls(2)) == (1, [2], repr(plain(1, [2])), True, True)
        with pytest.raises(dataclasses.FrozenInstanceError):
            p.x = 3
        # Same signatures and annotations as without the cache (no inherited __future__ flags).
        assert inspect.signature(cls.__init__) == inspect.signature(plain.__init__)
        assert cls.__init__.__annotations__ == plain.__init__.__annotations__
    # A damaged file is ignored (and replaced), the cache off means no file and no hook.
    entry.write_bytes(b"\x00garbage")
    with cache.generated_code() as third:
        assert _define()(1).x == 1
    assert third.added > 0 and entry.read_bytes() != b"\x00garbage"
    monkeypatch.setenv("FILINGLINT_NO_CACHE", "1")
    with cache.generated_code():
        assert not hasattr(dataclasses, "exec")
        assert _define()(5).x == 5


PATTERNS = [(r"(?P<year>(?:19|20)\d{2})\s*年度?", 0), (r"^\s*([一二三四五六七八九十]+)、(.*)$", re.M),
            (r"[\u3000\s]+|（单位：万元）", re.I), (rb"%PDF-\d\.\d", 0), (r"""
                (?P<amount>\d{1,3}(?:,\d{3})*(?:\.\d+)?)  # thousands separators
                \s*(?P<unit>万元|元)""", re.X), (r"(a)|b", re.S | re.A)]
TEXTS = ["2024年度部门预算", "一、收入\n二、支出", "1,367.76 万元", b"%PDF-1.7", "（单位：万元）", "ab"]


def _behaviour(patterns):
    out = []
    for (p, flags), compiled in zip(PATTERNS, patterns):
        assert compiled.pattern == p
        texts = [t for t in TEXTS if isinstance(t, type(p))]
        out.append((compiled.flags, compiled.groups, dict(compiled.groupindex),
                    [[m.span() + m.groups() for m in compiled.finditer(t)] for t in texts]))
    return out


def test_regex_programs_from_the_cache_behave_as_compiled_ones(tmp_path, monkeypatch):
    monkeypatch.setenv("FILINGLINT_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("FILINGLINT_NO_CACHE", raising=False)
    compiler = re._compiler if hasattr(re, "_compiler") else sys.modules["sre_compile"]
    real = compiler.compile
    expected = _behaviour([real(p, f) for p, f in PATTERNS])
    with cache.generated_code() as first:
        made = [compiler.compile(p, f) for p, f in PATTERNS]
    assert compiler.compile is real  # restored
    assert first.added >= len(PATTERNS)
    with cache.generated_code() as second:
        served = [compiler.compile(p, f) for p, f in PATTERNS]
    assert second.added == 0  # every program came from the file
    assert _behaviour(made) == _behaviour(served) == expected and any(m for *_, m in expected)


def test_startup_code_file_drops_old_entries_when_it_grows_too_large(tmp_path, monkeypatch):
    monkeypatch.setenv("FILINGLINT_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("FILINGLINT_NO_CACHE", raising=False)
    monkeypatch.setattr(cache, "_MAX_STARTUP_ENTRIES", 5)
    with cache.generated_code() as run:
        run.tables["re"].update({(f"old{i}", 0): ("x",) for i in range(10)})  # left by older code
        _define()
    with cache.generated_code() as again:
        pass
    assert again.tables["re"] == {} and again.tables["dataclass"]  # this run's kept, the old ones gone


def test_template_files_parse_from_the_cache_and_errors_are_never_stored(tmp_path, monkeypatch):
    from lint.errors import PluginError
    from lint.recognize import templates

    monkeypatch.setenv("FILINGLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("FILINGLINT_NO_CACHE", raising=False)
    source = next((ROOT / "rules" / "core" / "templates").glob("*.toml"))
    first = templates.TemplateLibrary()
    spec = first.load_file(source)
    assert list((tmp_path / "cache").glob("template-toml-*.pickle"))

    def refuse(text):
        raise AssertionError("parsed again")

    monkeypatch.setattr(templates.tomllib, "loads", refuse)
    again = templates.TemplateLibrary().load_file(source)
    assert again == spec
    monkeypatch.undo()
    monkeypatch.setenv("FILINGLINT_CACHE_DIR", str(tmp_path / "cache"))
    bad = tmp_path / "bad.toml"
    bad.write_text("[template\nid = 1\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(PluginError) as err:
            templates.TemplateLibrary().load_file(bad)
        assert "bad.toml" in err.value.render()
    assert len(list((tmp_path / "cache").glob("template-toml-*.pickle"))) == 1


def test_a_regex_entry_the_compiler_refuses_is_compiled_afresh(tmp_path, monkeypatch):
    import re

    monkeypatch.setenv("FILINGLINT_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("FILINGLINT_NO_CACHE", raising=False)
    pattern = r"(?P<amount>\d+\.\d{2})万元-damaged-entry-test"
    with cache.generated_code() as codes:
        # An entry packed by other code (say, an older filinglint sharing the cache).
        codes.tables["re"][(pattern, 0)] = ("not", "a", "program")
        compiled = re.compile(pattern)
    assert compiled.match("12.50万元-damaged-entry-test").group("amount") == "12.50"
    assert codes.tables["re"][(pattern, 0)] != ("not", "a", "program")  # replaced by a good one


def _aged(path: Path, seconds_ago: float) -> None:
    import os
    import time

    t = time.time() - seconds_ago
    os.utime(path, (t, t))


def test_prune_keeps_the_most_recently_used_entries_and_nothing_else_is_touched(tmp_path):
    for i in range(6):
        entry = tmp_path / f"rules-ast-{i:040x}.pickle"
        entry.write_bytes(b"x")
        _aged(entry, 10_000 - i * 100)  # entry 5 is the newest
    (tmp_path / "notes.txt").write_text("a user's file")
    stale_tmp = tmp_path / ".tmp-abc.pickle"
    stale_tmp.write_bytes(b"half")
    _aged(stale_tmp, 7200)
    fresh_tmp = tmp_path / ".tmp-def.pickle"  # another process is writing it now
    fresh_tmp.write_bytes(b"half")
    assert cache.prune(tmp_path, limit=4) == 3
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == [".tmp-def.pickle", "notes.txt", *(f"rules-ast-{i:040x}.pickle" for i in (2, 3, 4, 5))]
    assert cache.prune(tmp_path, limit=4) == 0
    assert cache.prune(tmp_path / "missing", limit=4) == 0  # no directory: nothing to do, no error


def test_a_read_entry_counts_as_used_and_survives_pruning(tmp_path, monkeypatch):
    monkeypatch.setenv("FILINGLINT_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("FILINGLINT_NO_CACHE", raising=False)
    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)
    cache.store("k", "old", "kept because read")
    cache.store("k", "other", 2)
    old, other = cache.path_for("k", "old"), cache.path_for("k", "other")
    _aged(old, 9000)
    _aged(other, 5000)
    assert cache.load("k", "old") == "kept because read"  # renews its time: now the newest
    cache.store("k", "a", 3)
    cache.store("k", "b", 4)  # the fourth entry: the least recently used one goes
    assert len(list(tmp_path.glob("k-*.pickle"))) == 3
    assert old.exists() and not other.exists()
    assert cache.load("k", "old") == "kept because read"
