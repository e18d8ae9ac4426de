"""The built-in readers are registered lazily (lint/plugins/builtin.py): what chooses a
reader must be what the reader classes themselves say."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from lint.plugins.builtin import LazyReader, filinglint_readers

ROOT = Path(__file__).resolve().parents[2]

HEADS = [b"%PDF-1.7\n", b"junk\n%PDF-1.4", b"PK\x03\x04rest", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"",
         "部门决算".encode("utf-8"), b"%PDF", b"\xef\xbb\xbf2020\t1.00"]


@pytest.mark.parametrize("lazy", [r for r in filinglint_readers() if isinstance(r, LazyReader)],
                         ids=lambda r: r.name)
def test_lazy_reader_chooses_as_the_real_one(lazy):
    real = lazy.resolve()
    assert (lazy.name, tuple(lazy.suffixes)) == (real.name, tuple(real.suffixes))
    assert getattr(lazy, "container_part", None) == getattr(real, "container_part", None)
    assert getattr(lazy, "ole_stream", None) == getattr(real, "ole_stream", None)
    assert hasattr(lazy, "sniff") == hasattr(real, "sniff")
    if hasattr(real, "sniff"):
        assert [lazy.sniff(h) for h in HEADS] == [real.sniff(h) for h in HEADS]
        assert any(real.sniff(h) for h in HEADS)


def test_checking_a_text_file_imports_no_other_reader(tmp_path):
    code = ("import sys; from lint.cli import main; rc = main(['check', '-j', '1', sys.argv[1]]); "
            "print(sorted(m for m in sys.modules if m.startswith('lint.readers.')), file=sys.stderr)")
    seed = ROOT / "fixtures" / "seeds" / "000_98add52c02d21372.txt"
    p = subprocess.run([sys.executable, "-c", code, str(seed)], cwd=ROOT, capture_output=True, text=True)
    loaded = p.stderr.strip().splitlines()[-1]
    for module in ("pdf", "docx", "xlsx", "xls"):
        assert f"'lint.readers.{module}'" not in loaded, loaded
    assert "'lint.readers.text'" in loaded
    assert "000_98add52c02d21372.txt:" in p.stdout  # the file was linted and reported

