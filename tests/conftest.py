"""Fixtures shared by all tests: where the seed filings are, and the synthetic
filing generator (``tests/synth/generator.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest

try:  # tests/ may or may not be a package, depending on how pytest imports it
    from .synth import generator as _generator
except ImportError:
    from synth import generator as _generator

TESTS_DIR = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The real filings kept as fixtures (``fixtures/seeds``)."""
    return TESTS_DIR.parent / "fixtures" / "seeds"


@pytest.fixture(scope="module")
def library():
    """The core 决算 templates and the Hunan pack's (tests of recognition and of the
    rules on the seeds; a module needing other templates defines its own)."""
    from lint.recognize.templates import TemplateLibrary

    lib = TemplateLibrary()
    lib.load_file(TESTS_DIR.parent / "rules/core/templates/final-accounts.toml")
    for f in sorted((TESTS_DIR.parent / "rules/hunan/templates").glob("*.toml")):
        lib.load_file(f)
    return lib


@pytest.fixture(scope="session")
def synth():
    """The generator module: ``synth.generate(seed, template)``, ``synth.inject(…)`` …"""
    return _generator
