"""The on-disk cache of parsed rule files and lark's parser tables (lint/cache.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
