"""The PDF reader reads what a viewer shows: text (and rulings) outside the page's
visible box or outside their clipping path are in the file but not content."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from lint.model import BlockKind
from lint.readers.pdf import read_pdf

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from synth import pdf as synth_pdf  # noqa: E402

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus directory {CORPUS} absent")


@pytest.fixture(scope="module")
def hidden(tmp_path_factory):
    path = tmp_path_factory.mktemp("hidden") / "hidden.pdf"
    shown, hidden = synth_pdf.hidden_text_pdf(path)
    return read_pdf(str(path)), shown, hidden


def test_text_outside_the_page_the_crop_box_or_its_clip_is_left_out(hidden):
    doc, shown, gone = hidden
    text = "\n".join(doc.lines)
    for s in gone:
        assert s not in text, s
    # What the page shows is read once each, in order.
    assert [ln for ln in doc.lines if ln.strip()] == shown


def test_a_table_clipped_away_is_no_table(hidden):
    doc, _, _ = hidden
    assert not [b for b in doc.blocks if b.kind is BlockKind.ROW]


def test_text_in_a_form_clipped_in_its_own_coordinates_keeps_its_page_box(hidden):
    """The form's clip (0..72 in form space) is mapped by the form's matrix: the text it
    shows (scaled 6x, at the page's lower left) is kept, with its box on the page."""
    doc, shown, _ = hidden
    line = doc.lines.index(shown[2]) + 1
    boxes = [p.box for _, _, p in doc.places[line]]
    x0, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
    assert synth_pdf.LEFT <= x0 <= synth_pdf.LEFT + 20
    assert synth_pdf.PAGE_H - 200 - 6 * 45 < top < synth_pdf.PAGE_H - 200


@needs_corpus
@pytest.mark.parametrize("name", ["sh-putuo-justice-2026-dept-budget.pdf", "sh-putuo-commerce-2025-dept-budget.pdf"])
def test_corpus_items_clipped_away_on_the_next_page_are_read_once(name):
    """These filings repeat the last lines of a page at the top of the next one, clipped
    out of its body: the numbered items are read once each."""
    import re
    from collections import Counter

    doc = read_pdf(str(CORPUS / name))
    items = Counter(ln for ln in doc.lines if re.match(r"^(?:（[一二三四五六七八九十]+）|\d+、)", ln) and len(ln) > 12)
    assert len(items) >= 5 and max(items.values()) == 1, [k[:12] for k, v in items.items() if v > 1]
