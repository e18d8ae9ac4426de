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


@pytest.fixture(scope="session")
def synth():
    """The generator module: ``synth.generate(seed, template)``, ``synth.inject(…)`` …"""
    return _generator
