import sys

import pytest

# Modules the plugin tests write and import; dropped after each test so the next one
# imports its own version.
_TEST_PLUGIN_PREFIXES = ("fl_test_", "fl_fail_")


@pytest.fixture
def plugin_dir(tmp_path, monkeypatch):
    """A directory on sys.path where a test writes plugin modules."""
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    for name in [m for m in sys.modules if m.startswith(_TEST_PLUGIN_PREFIXES)]:
        del sys.modules[name]
