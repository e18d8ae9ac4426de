"""Render a generated filing (``synth.generator``) as a PDF with ruled tables.

reportlab draws it with the built-in CID font STSong-Light (no font files needed, so
it runs the same on every machine); PDFium maps it back to Unicode.  The layout has
what real filings have: paragraphs wrapped at the right margin with a two-character
first-line indent, ruled tables whose header cells are merged where the text export
leaves the following cells blank, long cell text wrapped inside its cell, tables
running over pages (optionally with the header rows repeated), a running header line
and ``- N -`` page numbers.

:func:`render` returns where everything was drawn: ``boxes[(line, col)]`` is
``(page, (x0, top, x1, bottom))`` for the table cell starting at that 1-based column
of that line of the text filing, and for every character of prose — the same
coordinates pdfplumber and filinglint use (points from the page's top-left).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

PAGE_W, PAGE_H = 595.0, 842.0
LEFT, RIGHT, TOP, BOTTOM = 56.0, 56.0, 60.0, 60.0
BODY = 10.5
CELL = 8.0
_NUMBER = re.compile(r"^-?[\d,]+\.\d+$")


@dataclass
class Rendered:
    path: Path
    pages: int = 0
    boxes: dict[tuple[int, int], tuple[int, tuple[float, float, float, float]]] = field(default_factory=dict)

    def box_of(self, line: int, col: int) -> tuple[int, tuple[float, float, float, float]]:
        """The drawn place of the cell or prose character at (line, col)."""
        return self.boxes[(line, col)]

    def span_box(self, line: int, col: int, end_col: int) -> tuple[int, tuple[float, float, float, float]]:
        """The union of the characters' boxes of a prose span (one page)."""
        got = [self.boxes[(line, c)] for c in range(col, end_col) if (line, c) in self.boxes]
        page = got[0][0]
        bs = [b for p, b in got if p == page]
        return page, (min(b[0] for b in bs), min(b[1] for b in bs), max(b[2] for b in bs), max(b[3] for b in bs))


def _width(text: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, FONT, size)


class _Writer:
    def __init__(self, path: Path, running_header: str):
        self.c = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H))
        self.c.setTitle("synthetic filing")
        self.page = 1
        self.y = TOP  # from the top
        self.header = running_header
        self._decorate()

    def _decorate(self):
        if self.header:
            self.c.setFont(FONT, 8)
            self.c.drawCentredString(PAGE_W / 2, PAGE_H - 30, self.header)
        self.c.setFont(FONT, 9)
        self.c.drawCentredString(PAGE_W / 2, 30, f"- {self.page} -")

    def new_page(self):
        self.c.showPage()
        self.page += 1
        self.y = TOP
        self._decorate()

    def room(self, h: float) -> bool:
        return self.y + h <= PAGE_H - BOTTOM

    def text(self, x: float, top: float, s: str, size: float):
        self.c.setFont(FONT, size)
        self.c.drawString(x, PAGE_H - (top + 0.88 * size), s)


def render(filing_text: str, path: Path, *, repeat_header: bool = False, running_header: str = "部门决算公开",
           ruled: bool = True) -> Rendered:
    """Draw ``filing_text``; ``ruled=False`` prints its tables without any ruling line
    (columns shown by alignment only: text left, amounts right, a wider gap)."""
    lines = filing_text.split("\n")
    out = Rendered(Path(path))
    w = _Writer(Path(path), running_header)
    i = 0
    while i < len(lines):
        if "\t" in lines[i]:
            rows = []
            while i < len(lines) and ("\t" in lines[i] or (not lines[i].strip() and i + 1 < len(lines)
                                                              and "\t" in lines[i + 1])):
                if lines[i].strip():
                    rows.append((i + 1, lines[i]))
                i += 1
            _table(w, rows, out, repeat_header, ruled)
            continue
        if lines[i].strip():
            _para(w, i + 1, lines[i], out)
        i += 1
    w.c.save()
    out.pages = w.page
    return out


def _para(w: _Writer, number: int, text: str, out: Rendered) -> None:
    size, lead = BODY, BODY * 1.6
    width = PAGE_W - LEFT - RIGHT
    lead_spaces = len(text) - len(text.lstrip(" "))
    col = lead_spaces + 1
    rest = text.strip()
    indent = 2 * size
    first = True
    while rest:
        avail = width - (indent if first else 0)
        n, acc = 0, 0.0
        while n < len(rest) and acc + _width(rest[n], size) <= avail:
            acc += _width(rest[n], size)
            n += 1
        n = max(n, 1)
        if not w.room(lead):
            w.new_page()
        x = LEFT + (indent if first else 0)
        chunk = rest[:n]
        w.text(x, w.y, chunk, size)
        for k, ch in enumerate(chunk):
            cw = _width(ch, size)
            if not ch.isspace():
                out.boxes[(number, col + k)] = (w.page, (x, w.y, x + cw, w.y + size))
            x += cw
        col += n
        rest = rest[n:]
        first = False
        w.y += lead
    w.y += 4


def _table(w: _Writer, rows: list[tuple[int, str]], out: Rendered, repeat_header: bool, ruled: bool = True) -> None:
    cells = [r.split("\t") for _, r in rows]
    ncol = max(len(c) for c in cells)
    cells = [c + [""] * (ncol - len(c)) for c in cells]
    width = PAGE_W - LEFT - RIGHT
    pad = 2.0 if ruled else 4.0  # text from the cell's edge (wider without rules, as Word's cell margins)
    # Header rows: those before the first row holding an amount.
    nhead = next((r for r, c in enumerate(cells) if any(_NUMBER.match(t.strip()) for t in c)), 0)
    nhead = min(nhead, 4)
    # Without rules, a header label spanning blank cells after it spills over them: it
    # does not widen its first column.
    spanning = set() if ruled else {(r, k) for r in range(nhead) for k in range(ncol - 1)
                                    if cells[r][k].strip() and not cells[r][k + 1].strip()}
    fs = CELL

    def needs() -> list[float]:
        got = [max((_width(c[k].strip(), fs) for r, c in enumerate(cells) if (r, k) not in spanning), default=0.0)
               + 2 + 2 * pad for k in range(ncol)]
        return [min(max(n, 24.0), 150.0) for n in got]

    need = needs()
    if not ruled and sum(need) > width:
        # A table printed without rules is set to fit: a smaller font, never an amount
        # or a code wrapped in its cell.
        fs = max(5.0, fs * width / sum(need) * 0.97)
        need = needs()
    scale = width / sum(need)
    colw = [n * scale for n in need]
    xs = [LEFT]
    for cw in colw:
        xs.append(xs[-1] + cw)

    def spans(r: int) -> list[tuple[int, int]]:
        """(first, last) column of each drawn cell: in a header row a text cell takes
        the blank cells that follow it."""
        c = cells[r]
        if r >= nhead:
            return [(k, k) for k in range(ncol)]
        out_, k = [], 0
        while k < ncol:
            j = k
            if c[k].strip():
                while j + 1 < ncol and not c[j + 1].strip():
                    j += 1
            out_.append((k, j))
            k = j + 1
        return out_

    def wrap(text: str, avail: float) -> list[str]:
        parts, cur = [], ""
        for ch in text:
            if cur and _width(cur + ch, fs) > avail:
                parts.append(cur)
                cur = ""
            cur += ch
        return parts + [cur] if cur else parts or [""]

    def draw_row(r: int, record: bool):
        line_no, raw = rows[r]
        col_of = []
        col = 1
        for t in raw.split("\t") + [""] * (ncol - len(raw.split("\t"))):
            lead = len(t) - len(t.lstrip())
            col_of.append(col + lead)
            col += len(t) + 1
        layout = []
        height = fs * 1.9
        for a, b in spans(r):
            text = cells[r][a].strip()
            wrapped = wrap(text, xs[b + 1] - xs[a] - 2 * pad)
            layout.append((a, b, wrapped))
            height = max(height, fs * 1.3 * len(wrapped) + fs * 0.6)
        if not w.room(height):
            w.new_page()
            if repeat_header and r >= nhead:
                for h in range(nhead):
                    draw_row(h, record=False)
        top = w.y
        c = w.c
        c.setLineWidth(0.6)
        for a, b, wrapped in layout:
            x0, x1 = xs[a], xs[b + 1]
            if ruled:
                c.rect(x0, PAGE_H - (top + height), x1 - x0, height, stroke=1, fill=0)
            ty = top + (height - fs * 1.3 * len(wrapped)) / 2 + 0.15 * fs
            for part in wrapped:
                if part:
                    tw = _width(part, fs)
                    tx = x1 - pad - tw if _NUMBER.match(part) else x0 + pad
                    w.text(tx, ty, part, fs)
                ty += fs * 1.3
            if record:
                out.boxes[(line_no, col_of[a])] = (w.page, (x0, top, x1, top + height))
        w.y = top + height

    for r in range(len(rows)):
        draw_row(r, record=True)
    w.y += 8


def scanned_pdf(path: Path) -> Path:
    """A page holding only a picture (a scan): no text layer."""
    from reportlab.lib.utils import ImageReader

    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - reportlab depends on pillow
        raise
    img = Image.new("L", (200, 100), 255)
    for x in range(20, 180):
        img.putpixel((x, 50), 0)
    c = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H))
    c.drawImage(ImageReader(img), 50, 500, 400, 200)
    c.showPage()
    c.save()
    return Path(path)


def encrypted_pdf(path: Path, text: str = "收入支出决算总表") -> Path:
    """A PDF that needs a password to open."""
    from reportlab.lib import pdfencrypt

    enc = pdfencrypt.StandardEncryption("user-secret", ownerPassword="owner-secret", canPrint=0)
    c = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H), encrypt=enc)
    c.setFont(FONT, 12)
    c.drawString(60, 700, text)
    c.showPage()
    c.save()
    return Path(path)


def hidden_text_pdf(path: Path) -> tuple[list[str], list[str]]:
    """One page holding, beside what it shows, text a viewer never displays — the ways
    producers leave it in real filings — and the (shown, hidden) lines.

    - text (and a ruled table) drawn inside a clipping path that leaves it out: the
      lines of the page before, set above the body's clip box, as one producer does;
    - text outside the media box, and text outside a crop box smaller than the media
      box (inside the media box, but cropped away);
    - a form XObject whose content is clipped in the form's own coordinates, placed
      by a matrix: its text is shown and must be kept.
    """
    shown = ["（八）负责本系统国有资产的管理工作。", "（九）完成上级交办的其他任务。", "机构设置情况说明",
             "本部门由机关本级和所属单位组成。"]
    hidden = ["（六）负责组织实施本区社区矫正工作。", "（七）负责推进公共法律服务体系建设。", "页面之外的文字。",
              "裁切框外的文字。", "隐藏表格行", "123.45"]
    c = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H))
    body = (LEFT, BOTTOM, PAGE_W - RIGHT, PAGE_H - 2 * TOP)  # x0, y0, x1, y1 (PDF space)
    c.setCropBox((0, 40, PAGE_W, PAGE_H - 40))
    c.setFont(FONT, BODY)
    c.drawString(LEFT, PAGE_H - 25, hidden[3])  # above the crop box, inside the media box
    c.drawString(LEFT, PAGE_H + 40, hidden[2])  # above the media box
    c.drawString(-300, 400, hidden[2])  # left of it
    c.saveState()
    p = c.beginPath()
    p.rect(body[0], body[1], body[2] - body[0], body[3] - body[1])
    c.clipPath(p, stroke=0, fill=0)
    # The page before's last lines, set above the clip box: in the file, never shown.
    c.drawString(LEFT + 2 * BODY, body[3] + 40, hidden[0])
    c.drawString(LEFT + 2 * BODY, body[3] + 20, hidden[1])
    # ... and a ruled table there too: neither its rules nor its cells are shown.
    c.setLineWidth(0.6)
    for k in range(3):
        c.rect(LEFT + 120 * k, body[3] + 55, 120, 18, stroke=1, fill=0)
    c.setFont(FONT, CELL)
    c.drawString(LEFT + 4, body[3] + 60, hidden[4])
    c.drawString(LEFT + 124, body[3] + 60, hidden[5])
    c.setFont(FONT, BODY)
    y = body[3] - 20
    for line in shown[:2]:
        c.drawString(LEFT + 2 * BODY, y, line)
        y -= 2 * BODY
    c.restoreState()
    # A form whose content is clipped in its own small coordinates, scaled up on the page.
    c.beginForm("cover", 0, 0, 72, 72)
    q = c.beginPath()
    q.rect(0, 0, 72, 72)
    c.clipPath(q, stroke=0, fill=0)
    c.setFont(FONT, 2.0)
    c.drawString(2, 40, shown[2])
    c.drawString(2, 30, shown[3])
    c.endForm()
    c.saveState()
    c.transform(6.0, 0, 0, 6.0, LEFT, 200)
    c.doForm("cover")
    c.restoreState()
    c.showPage()
    c.save()
    return shown, hidden
