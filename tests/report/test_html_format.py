"""--format html: one self-contained page, checked in a real headless Chromium."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from browser import load, parse, screenshot

from lint.cli import main

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "fixtures" / "seeds").glob("*.txt"))
SEED0 = ROOT / "fixtures" / "seeds" / "000_98add52c02d21372.txt"


def _report(tmp_path: Path, filing: Path, fmt: str, *extra: str) -> Path:
    out = tmp_path / f"report.{fmt}"
    assert main(["check", str(filing), "--format", fmt, "-o", str(out), *extra]) in (0, 1, 3)
    return out


def _findings(tmp_path: Path, filing: Path, *extra: str) -> list[dict]:
    return json.loads(_report(tmp_path, filing, "json", *extra).read_text(encoding="utf-8"))["findings"]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_every_finding_is_listed_and_its_cells_highlighted_in_chromium(seed, tmp_path):
    records = _findings(tmp_path, seed)
    page = _report(tmp_path, seed, "html")
    html = page.read_text(encoding="utf-8")
    # self-contained: nothing fetched from anywhere
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    dom, console = load(page, tmp_path / "profile")
    assert console == []  # no errors, no messages at all
    assert dom.find_all("html")[0].attrs.get("data-ready") == "1"  # the page's script ran

    items = dom.find_all("li", cls="finding")
    assert [(li.attrs["data-rule"], li.attrs["data-severity"]) for li in items] == [
        (r["code"], r["severity"]) for r in records]
    assert len(records) > 0
    highlighted = 0
    for li, record in zip(items, records):
        assert record["message"] in li.text
        if record["expected"] is not None:
            assert record["expected"] in li.find_all(cls="expected")[0].text
        cell_id = li.attrs.get("data-cell")
        if cell_id is None:
            continue
        cell = dom.by_id(cell_id)
        assert cell is not None and cell.tag == "td"
        assert {"hl-primary", "on"} <= cell.classes and li.attrs["id"] in cell.attrs["data-findings"].split()
        assert cell.parent.attrs["data-line"] == str(record["line"])
        highlighted += 1
        links = [a.attrs["href"][1:] for n in li.find_all(cls="related") for a in n.find_all("a")]
        assert len(links) <= len(record["related"])
        for target in map(dom.by_id, links):  # related cells carry the related style and point back
            assert target.classes & {"hl-related", "hl-primary"}
            assert li.attrs["id"] in target.attrs["data-findings"].split()
    # every finding on a table row (a tab-separated line) has its cell drawn and marked
    source = seed.read_text(encoding="utf-8").splitlines()
    on_rows = [li for li, r in zip(items, records) if "\t" in source[r["line"] - 1]]
    assert all("data-cell" in li.attrs for li in on_rows)
    assert highlighted == len(on_rows)

    summary = dom.by_id("summary")
    counts = {n.attrs["data-severity"]: int(n.attrs["data-count"]) for n in summary.find_all(cls="count")}
    assert counts == {s: sum(r["severity"] == s for r in records) for s in ("error", "warning", "note")}
    assert len(summary.find_all("svg")[0].find_all("rect")) == len({r["code"] for r in records})


def test_seed_000_marks_the_duplicated_cell_and_the_cells_it_was_checked_against(tmp_path):
    dom, console = load(_report(tmp_path, SEED0, "html"), tmp_path / "profile")
    assert console == []
    (li,) = [li for li in dom.find_all("li", cls="finding") if li.attrs["data-rule"] == "T002"]
    cell = dom.by_id(li.attrs["data-cell"])
    assert cell.text.startswith("49.06") and "hl-primary" in cell.classes
    row = cell.parent
    assert row.attrs["data-line"] == "157" and row.find_all("td")[0].text.startswith("2010399")
    related = [n for n in dom.find_all("td", cls="hl-related") if li.attrs["id"] in n.attrs["data-findings"].split()]
    assert len(related) >= 3  # 本年支出合计, 项目支出 and the 基本支出 of 20103 / 2010301 at least
    assert any(a.attrs.get("href") == f"#{li.attrs['id']}" for a in cell.find_all("a"))
    assert "应为" in li.text and "0.00" in li.find_all(cls="expected")[0].text
    assert li.find_all("details")  # the rule's explanation


def test_english_report(tmp_path):
    dom, console = load(_report(tmp_path, SEED0, "html", "--lang", "en"), tmp_path / "profile")
    assert console == [] and dom.find_all("html")[0].attrs["lang"] == "en"
    assert "Summary" in dom.by_id("summary").text
    assert any("expected" in n.text for n in dom.find_all(cls="expected"))


PAYLOAD_SCRIPT = "<script>document.documentElement.setAttribute('data-pwned','script')</script>"
PAYLOAD_IMG = "\"><img src=x onerror=\"document.documentElement.setAttribute('data-pwned','img')\">"


def test_filing_text_with_markup_renders_as_text(tmp_path):
    lines = SEED0.read_text(encoding="utf-8").splitlines()
    label = "其他政府办公厅（室）及相关机构事务支出"
    assert label in lines[156]
    lines[156] = lines[156].replace(label, label + PAYLOAD_SCRIPT + PAYLOAD_IMG)
    lines.insert(2, "说明" + PAYLOAD_IMG + PAYLOAD_SCRIPT)
    filing = tmp_path / "xss.txt"
    filing.write_text("\n".join(lines) + "\n", encoding="utf-8")
    page = _report(tmp_path, filing, "html")
    dom, console = load(page, tmp_path / "profile")
    assert console == []
    root = dom.find_all("html")[0]
    assert "data-pwned" not in root.attrs
    assert dom.find_all("img") == []
    assert len(dom.find_all("script")) == 1  # the report's own
    cells = [td for td in dom.find_all("td") if PAYLOAD_SCRIPT in td.text]
    assert cells and all(PAYLOAD_IMG in td.text for td in cells)  # shown as the text it is
    assert any(PAYLOAD_SCRIPT in li.text for li in dom.find_all("li", cls="finding"))


def test_screenshot(tmp_path):
    from PIL import Image

    page = _report(tmp_path, SEED0, "html")
    png = tmp_path / "report.png"
    assert screenshot(page, png, tmp_path / "profile") == []
    assert png.is_file() and png.stat().st_size > 20_000
    with Image.open(png) as im:
        assert im.size == (1280, 2000)
        colors = im.convert("RGB").getcolors(maxcolors=1 << 20)
        assert colors is not None and len(colors) > 50  # text, badges, chart: not a blank page
        # the summary's severity badges are drawn in their colours (error red)
        assert any(c[1] == (0xC6, 0x28, 0x28) and c[0] > 50 for c in colors)


def test_dom_parser_sees_what_chromium_wrote():
    dom = parse('<p id="a" class="x y">1<b>2</b><br>3</p>')
    assert dom.by_id("a").text == "123" and dom.by_id("a").classes == {"x", "y"}


CORPUS = ROOT / ".." / "shared" / "corpus"


def _pdf_with_placed_findings(tmp_path: Path) -> tuple[Path, list[dict]]:
    """The first corpus PDF (in name order) with findings placed on its pages."""
    for pdf in sorted(CORPUS.glob("*.pdf"))[:8]:
        records = _findings(tmp_path, pdf)
        placed = [r for r in records if (r.get("place") or {}).get("box")]
        if placed:
            return pdf, records
    pytest.fail("no corpus PDF gave a finding with a page box")


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present (CI has it)")
def test_corpus_pdf_pages_are_drawn_with_the_boxes_of_their_findings(tmp_path):
    import base64
    import io

    from PIL import Image

    pdf, records = _pdf_with_placed_findings(tmp_path)
    page = _report(tmp_path, pdf, "html")
    dom, console = load(page, tmp_path / "profile")
    assert console == []
    items = dom.find_all("li", cls="finding")
    assert [li.attrs["data-rule"] for li in items] == [r["code"] for r in records]
    figures = {f.attrs["data-page"]: f for f in dom.find_all("figure", cls="page")}
    checked = 0
    for li, record in zip(items, records):
        place = record.get("place") or {}
        if not place.get("box") or str(place["page"]) not in figures:
            continue
        figure = figures[str(place["page"])]
        rects = [r for r in figure.find_all("rect", cls="box-primary") if li.attrs["id"] in r.attrs["data-findings"]]
        assert len(rects) == 1
        x0, top, x1, bottom = place["box"]
        assert float(rects[0].attrs["x"]) == pytest.approx(x0, abs=0.01)
        assert float(rects[0].attrs["y"]) == pytest.approx(top, abs=0.01)
        assert float(rects[0].attrs["height"]) == pytest.approx(bottom - top, abs=0.01)
        checked += 1
    assert checked > 0
    for figure in figures.values():  # each page is an embedded PNG of the page's proportions
        (image,) = figure.find_all("image")
        head, _, data = image.attrs["href"].partition(",")
        assert head == "data:image/png;base64"
        with Image.open(io.BytesIO(base64.b64decode(data))) as im:
            w, h = im.size
            view = figure.find_all("svg")[0].attrs["viewbox" if "viewbox" in figure.find_all("svg")[0].attrs
                                                   else "viewBox"].split()
            assert w >= 500 and abs(w / h - float(view[2]) / float(view[3])) < 0.02
            assert len(im.convert("L").getcolors(maxcolors=1 << 16) or ()) > 2  # not a blank page


def test_filters_preset_from_the_link_hide_other_findings_and_their_highlights(tmp_path):
    page = _report(tmp_path, SEED0, "html")
    dom, console = load(page, tmp_path / "profile", fragment="severity=error&rule=T002")
    assert console == []
    items = dom.find_all("li", cls="finding")
    shown = [li for li in items if "hidden" not in li.classes]
    assert [li.attrs["data-rule"] for li in shown] == ["T002"] and len(items) > 1
    assert dom.by_id("filter-rule") is not None
    on = {fid for n in dom.find_all(cls="on") for fid in n.attrs["data-findings"].split()}
    assert shown[0].attrs["id"] in on
    hidden_with_cells = [li for li in items if "hidden" in li.classes and "data-cell" in li.attrs]
    assert hidden_with_cells  # other findings mark cells too …
    for li in hidden_with_cells:  # … but their cells are no longer lit unless T002 shares them
        cell = dom.by_id(li.attrs["data-cell"])
        assert ("on" in cell.classes) == (shown[0].attrs["id"] in cell.attrs["data-findings"].split())
    unfiltered, _ = load(page, tmp_path / "profile")
    assert not [li for li in unfiltered.find_all("li", cls="finding") if "hidden" in li.classes]


def test_worker_processes_give_the_same_report(tmp_path):
    seeds = [str(SEEDS[0]), str(SEEDS[3])]
    one, two = tmp_path / "one.html", tmp_path / "two.html"
    main(["check", *seeds, "--format", "html", "-o", str(one), "--jobs", "1"])
    main(["check", *seeds, "--format", "html", "-o", str(two), "--jobs", "2"])
    assert one.read_bytes() == two.read_bytes()
    assert one.read_text(encoding="utf-8").count('class="filing-table"') >= 10  # snapshots came back from workers
