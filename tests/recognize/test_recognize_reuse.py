"""What the recognizer keeps between passes and between filings: the title index of a
set of specs, one document's title work and panels, pandas frames made directly.  Each
must give what working it out afresh gives, and must not outlive what it serves."""

from __future__ import annotations

import dataclasses
import gc
import weakref
from pathlib import Path

import numpy as np

from lint.model import Document
from lint.readers.text import read_text_file
from lint.recognize import layouts, recognize_tables, titles

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "fixtures" / "seeds"


def _same_specs_new_objects(specs):
    """The same table definitions as new spec objects sharing their panel specs, as
    ``TemplateLibrary.all_table_specs`` makes them when it merges titles."""
    return {tid: dataclasses.replace(spec, titles=tuple(spec.titles)) for tid, spec in specs.items()}


def _shape(tables) -> list:
    return [(t.id, t.title, t.number, t.span, t.unit, t.department, list(t.notes),
             {name: (p.rows, p.columns, p.values.to_dict(), p.headers) for name, p in t.panels.items()})
            for t in tables]


def test_second_pass_reuses_the_first_pass_panels_and_reads_the_same(library):
    spec = library.get("hunan-2020")
    doc = read_text_file(SEEDS / "000_98add52c02d21372.txt")
    first = recognize_tables(doc, spec.tables, spec.numbering)
    second = recognize_tables(doc, _same_specs_new_objects(spec.tables), spec.numbering)
    assert len(first) >= 5
    # the rows were not parsed again: the very panels of the first pass
    assert all(a.panels[n] is b.panels[n] for a, b in zip(first, second) for n in a.panels)
    fresh = recognize_tables(read_text_file(SEEDS / "000_98add52c02d21372.txt"),
                             _same_specs_new_objects(spec.tables), spec.numbering)
    assert _shape(second) == _shape(fresh)


def test_panels_are_read_again_once_the_first_pass_tables_are_gone(library):
    spec = library.get("hunan-2020")
    doc = read_text_file(SEEDS / "000_98add52c02d21372.txt")
    first = recognize_tables(doc, spec.tables, spec.numbering)
    kept = _shape(first)
    refs = [weakref.ref(p) for t in first for p in t.panels.values()]
    del first
    gc.collect()
    assert all(r() is None for r in refs)  # the recognizer held them only weakly
    again = recognize_tables(doc, spec.tables, spec.numbering)
    assert _shape(again) == kept


def test_a_changed_document_is_recognized_afresh(library):
    spec = library.get("hunan-2020")
    doc = read_text_file(SEEDS / "000_98add52c02d21372.txt")
    whole = recognize_tables(doc, spec.tables, spec.numbering)
    half = Document(doc.path, doc.encoding, doc.lines, doc.blocks[: len(doc.blocks) // 2])
    part = recognize_tables(half, spec.tables, spec.numbering)
    assert len(part) < len(whole)
    assert all(t.span.line <= half.blocks[-1].line for t in part)


def test_title_index_is_built_once_per_set_of_specs(library):
    spec = library.get("hunan-2020")
    index = titles.title_index(spec.tables)
    assert titles.title_index(dict(spec.tables)) is index  # same specs, another dict
    assert titles.title_index(_same_specs_new_objects(spec.tables)) is not index
    assert index.needs_biao
    assert index.match("本部门2025年收入与支出情况说明如下") is None
    assert index.match("公开02表 收入决算表") is not None


def test_title_match_cache_stays_bounded(library):
    index = titles.title_index(library.get("hunan-2020").tables)
    for i in range(titles._MATCH_CACHE + 50):
        assert index.match(f"第{i}张统计表") is None
    assert len(index._cache) <= titles._MATCH_CACHE


def test_direct_frames_are_pandas_own():
    assert layouts._direct_works()
    keys, cols = ["2010101", "合计"], ["total", "basic"]
    grid = np.empty((2, 2), dtype=object)
    grid[:] = [["a", None], [None, "b"]]
    direct = layouts._direct_frame(grid, layouts._direct_index(keys), layouts._direct_index(cols))
    public = layouts._public_frame(grid, layouts._public_index(keys), layouts._public_index(cols))
    assert direct.equals(public) and direct.index.equals(public.index) and direct.columns.equals(public.columns)
    assert direct.loc["合计", "basic"] == "b" and direct.dtypes.tolist() == public.dtypes.tolist()
    assert repr(direct) == repr(public)
