from pathlib import Path

import pytest

from lint.engine.linter import Linter, LintOptions

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus_results():
    """``get(name)``: the default linter's result for a corpus file, read in place and
    linted once for every test that asks (the corpus tests of several modules)."""
    linter = Linter(LintOptions())
    cache: dict = {}

    def get(name):
        if name not in cache:
            cache[name] = linter.lint_file(str(CORPUS / name))
        return cache[name]
    return get
