"""PDF filings: prose lines and ruled tables, each piece with its page and box.

pypdfium2 (BSD/Apache, PDFium) does all the parsing: it is several times faster than
pdfminer-based extraction (pdfplumber; see ``benchmarks/bench_pdf.py``).  Table
geometry is computed here from the ruling segments PDFium reports: segments on one
line are snapped together (pdfplumber's 3 pt tolerances), rulings that cross form one
grid, and grid positions no ruling separates form one (merged) cell.

The page is laid out the way a text export of the filing reads
(:class:`~lint.readers.layout.DocumentBuilder`):

- characters are grouped into lines by their baseline band, so a number set in
  another font on a slightly shifted baseline stays in its sentence, and no space is
  put between CJK and digits unless the source has a real gap;
- a line wrapped at the right margin is joined to the next one (one paragraph, one
  line, as Word's exports have it); wide gaps split a line in two (``部门：…`` on the
  left, ``单位：万元`` on the right are two preamble lines);
- ruled tables become rows of tab-joined cells; a merged cell's text stands in its
  first grid cell, the others are blank; text wrapped inside a cell is joined;
- tables printed without rulings are read from alignment — columns of right-aligned
  amounts under a header — conservatively (:func:`_borderless_tables`);
- only what a viewer shows is read: text and rulings outside the visible page box or
  their clipping path are left out (:func:`_page_objects`);
- running headers, footers and page numbers are dropped; a table that goes on over the
  next page is one table (a repeated header row or title is dropped).
"""

from __future__ import annotations

import bisect
import ctypes
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..i18n import tr
from ..model import Block, BlockKind, Document, Place
from .layout import DocumentBuilder, clean

# Bounds that keep a hostile file (a million objects, a hundred thousand pages) from
# taking the machine: far above any real filing.
MAX_PAGES = 3000
MAX_OBJECTS_PER_PAGE = 200_000
MAX_OBJECTS = 2_000_000  # in all pages together
MAX_CHARS = 5_000_000

_SNAP = 3.0  # pdfplumber's default tolerances (points)
_MIN_EDGE = 3.0


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF or 0x3000 <= o <= 0x303F


@dataclass(slots=True)
class Char:
    text: str
    x0: float
    x1: float
    base: float  # baseline, from the page's top
    size: float
    space_before: bool = False  # a real (not synthesized) space precedes it
    top: float = field(init=False)  # the line band the character stands in
    bottom: float = field(init=False)
    cjk: bool = field(init=False)

    def __post_init__(self):
        self.top = self.base - 0.85 * self.size
        self.bottom = self.base + 0.15 * self.size
        self.cjk = _is_cjk(self.text)


@dataclass
class Line:
    """Prose characters sharing a baseline band, left to right."""

    chars: list[Char]
    page: int
    top: float = 0.0
    bottom: float = 0.0
    x0: float = 0.0
    x1: float = 0.0
    size: float = 0.0
    _text: str | None = None
    _pieces: list | None = None

    def __post_init__(self):
        self.chars.sort(key=lambda c: c.x0)
        self.top = min(c.top for c in self.chars)
        self.bottom = max(c.bottom for c in self.chars)
        self.x0 = self.chars[0].x0
        self.x1 = max(c.x1 for c in self.chars)
        self.size = Counter(round(c.size) for c in self.chars).most_common(1)[0][0] or 10.0

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = "".join(s + t for t, _, s in self.pieces())
        return self._text

    def pieces(self) -> list[tuple[str, tuple[float, float, float, float], str]]:
        if self._pieces is None:
            self._pieces = self._words()
        return self._pieces

    def _words(self) -> list[tuple[str, tuple[float, float, float, float], str]]:
        """Words: (text, box, separator before it).  A word breaks where the script
        changes (CJK / other) or at a gap; the separator is a space only where the
        source has one (a real space, or a gap between non-CJK words)."""
        out: list[tuple[str, tuple[float, float, float, float], str]] = []
        cur: list[Char] = []
        sep = ""

        def flush():
            if cur:
                box = (cur[0].x0, min(c.top for c in cur), max(c.x1 for c in cur), max(c.bottom for c in cur))
                out.append(("".join(c.text for c in cur), _round(box), sep))

        prev: Char | None = None
        for c in self.chars:
            if prev is not None:
                gap = c.x0 - prev.x1
                em = max(prev.size, c.size, 1.0)
                space = c.space_before or gap > (1.0 if prev.cjk or c.cjk else 0.3) * em
                if space or prev.cjk != c.cjk:
                    flush()
                    cur, sep = [], (" " if space else "")
            cur.append(c)
            prev = c
        flush()
        return out


@dataclass
class Table:
    page: int
    box: tuple[float, float, float, float]
    xs: list[float]  # column boundaries
    rows: list[list[tuple[str, tuple[float, float, float, float] | None]]]
    pages: list[int] = field(default_factory=list)
    # ids of the cells whose text runs to the cell's right edge (it may wrap on)
    full: set[int] = field(default_factory=set)
    # a table read without rulings: the right edges of its columns of amounts, and the
    # characters of its header taken from the foot of the page before
    anchors: list[float] = field(default_factory=list)
    carried: list = field(default_factory=list)

    @property
    def top(self) -> float:
        return self.box[1]


def _round(box) -> tuple[float, float, float, float]:
    return tuple(round(v, 1) for v in box)  # type: ignore[return-value]


# --------------------------------------------------------------------------- pdfium


class _Frame:
    """PDF user space (y up, maybe rotated by /Rotate) -> the page as displayed,
    measured from its top-left corner, as pdfplumber reports it."""

    def __init__(self, page):
        self.left, self.bottom, right, top = page.get_mediabox()
        self.w, self.h = right - self.left, top - self.bottom
        self.rot = page.get_rotation() % 360
        self.width, self.height = (self.h, self.w) if self.rot in (90, 270) else (self.w, self.h)
        # The part of the page a viewer shows: the media box cut to the crop box.  Text
        # outside it is in the file but never displayed.
        self.visible = (0.0, 0.0, self.width, self.height)
        self.shown = _page_bbox(page)  # the same in PDF user space
        if self.shown is not None:
            self.visible = self.rect(*self.shown)

    def pt(self, x: float, y: float) -> tuple[float, float]:
        x, y = x - self.left, y - self.bottom
        if self.rot == 90:
            return y, x
        if self.rot == 180:
            return self.w - x, y
        if self.rot == 270:
            return self.h - y, self.w - x
        return x, self.h - y

    def rect(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        (ax, ay), (bx, by) = self.pt(left, bottom), self.pt(right, top)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


def _page_bbox(page) -> tuple[float, float, float, float] | None:
    """The page's media box cut to its crop box, in PDF user space (PDFium's
    ``FPDF_GetPageBoundingBox``), or None when PDFium cannot tell."""
    import pypdfium2.raw as raw

    r = raw.FS_RECTF()
    if not raw.FPDF_GetPageBoundingBox(page.raw, ctypes.byref(r)):
        return None
    left, bottom, right, top = min(r.left, r.right), min(r.bottom, r.top), max(r.left, r.right), max(r.bottom, r.top)
    return (left, bottom, right, top) if right - left > 1 and top - bottom > 1 else None


def _open(path: str):
    import pypdfium2 as pdfium

    try:
        with open(path, "rb") as fh:
            head = fh.read(1024)
            fh.seek(0, 2)
            size = fh.tell()
            fh.seek(max(0, size - 4096))
            tail = fh.read()
    except OSError as exc:
        raise InputError(tr("无法读取文件：{error}", error=exc.strerror), path) from None
    if b"%PDF" not in head:
        raise InputError(tr("不是 PDF 文件"), path)
    if b"%%EOF" not in tail:
        raise InputError(tr("PDF 文件不完整（被截断）"), path)
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == 4:  # FPDF_ERR_PASSWORD
            raise InputError(tr("PDF 已加密，需要密码才能读取"), path) from None
        raise InputError(tr("PDF 文件已损坏，无法解析：{error}", error=exc), path) from None


def _page_chars(page, textpage, frame: _Frame, hidden: dict[int, tuple] | None = None) -> list[Char]:
    """The page's characters as displayed.  ``hidden`` maps the text objects that
    stand partly or wholly outside their clipping path (:func:`_page_objects`) to
    that path's box: their characters outside it are not shown and are left out."""
    import pypdfium2.raw as raw

    n = textpage.count_chars()
    if n <= 0:
        return []
    tp = textpage.raw
    text = textpage.get_text_range()
    if len(text) != n:  # surrogate pairs: fall back to one call per character
        text = "".join(chr(raw.FPDFText_GetUnicode(tp, k) or 32) for k in range(n))
    rect = raw.FS_RECTF()
    x, y = ctypes.c_double(), ctypes.c_double()
    mat = raw.FS_MATRIX()
    prect, px, py, pmat = ctypes.byref(rect), ctypes.byref(x), ctypes.byref(y), ctypes.byref(mat)
    matrix = raw.FPDFText_GetMatrix
    loose, origin, fsize, generated = (raw.FPDFText_GetLooseCharBox, raw.FPDFText_GetCharOrigin,
                                       raw.FPDFText_GetFontSize, raw.FPDFText_IsGenerated)
    out: list[Char] = []
    pending_space = False
    last_size = 0.0
    last_height = -1.0
    upright = frame.rot == 0
    left, top = frame.left, frame.bottom + frame.h
    vx0, vy0, vx1, vy1 = frame.visible
    text_object = _api().text_object if hidden else None
    for k in range(n):
        ch = text[k]
        if ch.isspace() or ch == "\x00" or ch == "\ufffe":
            if ch == " " and not generated(tp, k):
                pending_space = True
            continue
        loose(tp, k, prect)
        origin(tp, k, px, py)
        height = rect.top - rect.bottom
        if height != last_height:  # same font and size give the same loose box height
            size = fsize(tp, k)
            matrix(tp, k, pmat)  # the font size is in text space: scale it to the page
            size *= (mat.c * mat.c + mat.d * mat.d) ** 0.5 or 1.0
            if size <= 1.0:
                size = height or last_size or 10.0
            last_size, last_height = size, height
        else:
            size = last_size
        if upright:
            x0, x1, base = rect.left - left, rect.right - left, top - y.value
        else:
            x0, _, x1, _ = frame.rect(rect.left, rect.bottom, rect.right, rect.top)
            base = frame.pt(x.value, y.value)[1]
        if not (vx0 - 1 <= (x0 + x1) / 2 <= vx1 + 1 and vy0 <= base - 0.3 * size <= vy1):
            pending_space = False
            continue  # off the page (or cropped away): not shown, not content
        if text_object is not None and (clip := hidden.get(text_object(tp, k))) is not None:
            cx, cy = (rect.left + rect.right) / 2, (rect.bottom + rect.top) / 2
            if not (clip[0] - 1 <= cx <= clip[2] + 1 and clip[1] - 1 <= cy <= clip[3] + 1):
                pending_space = False
                continue  # clipped away: not shown
        out.append(Char(ch, x0, x1, base, size, pending_space))
        pending_space = False
    return out


def _page_edges(paths: list, frame: _Frame) -> list[dict]:
    """Horizontal and vertical ruling segments of the page's visible path objects
    (:func:`_page_objects`), as pdfplumber edge dicts."""
    import pypdfium2.raw as raw

    edges: list[dict] = []
    height = frame.height
    vx0, vy0, vx1, vy1 = frame.visible

    def add(x0: float, top: float, x1: float, bottom: float):
        x0, x1 = max(x0, vx0), min(x1, vx1)
        top, bottom = max(top, vy0), min(bottom, vy1)
        if x1 < x0 or bottom < top:
            return  # off the page
        if x1 - x0 >= bottom - top:
            if x1 - x0 >= _MIN_EDGE:
                y = (top + bottom) / 2
                edges.append({"orientation": "h", "x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0,
                              "height": 0.0, "doctop": y, "y0": height - y, "y1": height - y})
        elif bottom - top >= _MIN_EDGE:
            xm = (x0 + x1) / 2
            edges.append({"orientation": "v", "x0": xm, "x1": xm, "top": top, "bottom": bottom, "width": 0.0,
                          "height": bottom - top, "doctop": top, "y0": height - bottom, "y1": height - top})

    px, py = ctypes.c_float(), ctypes.c_float()
    for handle, (left, bottom, right, top), in_form in paths:
        w, h = right - left, top - bottom
        if w <= 2.0 or h <= 2.0:  # a line or a thin filled bar: one segment
            add(*frame.rect(left, bottom, right, top))
            continue
        if in_form:  # inside a form: take the outline of its box
            for x0, b, x1, t in ((left, top, right, top), (left, bottom, right, bottom),
                                 (left, bottom, left, top), (right, bottom, right, top)):
                add(*frame.rect(x0, b, x1, t))
            continue
        m = raw.FS_MATRIX()
        raw.FPDFPageObj_GetMatrix(handle, ctypes.byref(m))
        nseg = raw.FPDFPath_CountSegments(handle)
        if nseg > 4096:  # a drawing, not a ruling
            continue
        start = prev = None
        for i in range(nseg):
            seg = raw.FPDFPath_GetPathSegment(handle, i)
            raw.FPDFPathSegment_GetPoint(seg, ctypes.byref(px), ctypes.byref(py))
            pt = (m.a * px.value + m.c * py.value + m.e, m.b * px.value + m.d * py.value + m.f)
            kind = raw.FPDFPathSegment_GetType(seg)
            if kind == raw.FPDF_SEGMENT_MOVETO:
                start = prev = pt
                continue
            if kind == raw.FPDF_SEGMENT_LINETO and prev is not None:
                _axis_edge(add, frame.pt(*prev), frame.pt(*pt))
            prev = pt
            if raw.FPDFPathSegment_GetClose(seg) and start is not None:
                _axis_edge(add, frame.pt(*pt), frame.pt(*start))
                prev = start
    return edges


class _Api:
    """The few PDFium calls made once per page object or character, typed to take and
    return plain addresses (ints): pypdfium2's pointer wrappers cost more than the
    calls.  Built once, on first use."""

    def __init__(self):
        import pypdfium2.raw as raw

        def proto(fn, restype, *argtypes):
            return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(fn, ctypes.c_void_p).value)

        vp, i = ctypes.c_void_p, ctypes.c_int
        fp = ctypes.POINTER(ctypes.c_float)
        self.clip_path = proto(raw.FPDFPageObj_GetClipPath, vp, vp)
        self.count_paths = proto(raw.FPDFClipPath_CountPaths, i, vp)
        self.count_segments = proto(raw.FPDFClipPath_CountPathSegments, i, vp, i)
        self.segment = proto(raw.FPDFClipPath_GetPathSegment, vp, vp, i, i)
        self.point = proto(raw.FPDFPathSegment_GetPoint, i, vp, fp, fp)
        self.text_object = proto(raw.FPDFText_GetTextObject, vp, vp, i)


_API: _Api | None = None


def _api() -> _Api:
    global _API
    if _API is None:
        _API = _Api()
    return _API


_NO_CLIP = (-1e9, -1e9, 1e9, 1e9)


def _page_objects(page, shown: tuple[float, float, float, float] | None) -> tuple[list, dict[int, tuple]]:
    """The page's objects that matter to the layout, walked once (forms included):

    - its path objects as (handle, page-space bounds, inside a form?), leaving out
      those wholly outside their clipping path (not drawn);
    - the text objects that stand partly or wholly outside their clipping path, as
      {address: the clip's box in page space}; their characters outside it are not
      shown (a producer may leave a neighbouring page's text on a page, clipped away).

    ``shown`` is the page's visible box (PDF user space): a clip holding all of it
    hides nothing the page does not.  A clip is taken as the box of its paths' points
    (a curve's control points included), the intersection of its paths' boxes and of
    the clips of the forms around it: never smaller than what it shows, so nothing
    shown is ever dropped.  PDFium's C API is called directly (the object wrappers
    cost more than the work)."""
    import pypdfium2.raw as raw

    api = _api()
    l, b, r, t = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    pl, pb, pr, pt = ctypes.byref(l), ctypes.byref(b), ctypes.byref(r), ctypes.byref(t)
    get_type, bounds = raw.FPDFPageObj_GetType, raw.FPDFPageObj_GetBounds
    PATH, FORM, TEXT = raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM, raw.FPDF_PAGEOBJ_TEXT
    clip_path, count_paths, segment = api.clip_path, api.count_paths, api.segment
    paths: list = []
    hidden: dict[int, tuple] = {}
    # Objects share clips: one box per clip (and form context).  A clip's path data is
    # shared by the objects it clips, so the address of its paths' first points says
    # which clip it is.  None: the clip hides nothing of the page.
    contexts: dict[tuple, dict] = {}

    def walk(count: int, get, handle, matrix, outer, depth: int):
        boxes = contexts.setdefault((matrix, outer), {})
        for i in range(count):
            obj = get(handle, i)
            kind = get_type(obj)
            if kind != TEXT and kind != PATH and kind != FORM:
                continue
            clip = outer
            handle_ = clip_path(obj)
            if handle_:
                n = count_paths(handle_)
                if n > 0:  # else no path (a clip by text only) or an error: nothing known
                    key = segment(handle_, 0, 0) if n == 1 else tuple(segment(handle_, p, 0) for p in range(n))
                    clip = boxes.get(key, boxes)
                    if clip is boxes:
                        clip = boxes[key] = _tight(_clip_box(api, handle_, n, matrix, outer), shown)
            if kind == FORM:
                if depth < 3:
                    m = raw.FS_MATRIX()
                    raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(m))
                    inner = (m.a, m.b, m.c, m.d, m.e, m.f)
                    if matrix is not None:
                        inner = _compose(inner, matrix)
                    walk(raw.FPDFFormObj_CountObjects(obj), raw.FPDFFormObj_GetObject, obj, inner, clip, depth + 1)
                continue
            if clip is None and kind == TEXT:
                continue
            if not bounds(obj, pl, pb, pr, pt):
                continue
            box = (l.value, b.value, r.value, t.value)
            if matrix is not None:
                box = _map_box(matrix, box)
            if kind == TEXT:
                if not (clip[0] - 1 <= box[0] and box[2] <= clip[2] + 1 and clip[1] - 1 <= box[1]
                        and box[3] <= clip[3] + 1):
                    hidden[ctypes.cast(obj, ctypes.c_void_p).value] = clip
            elif clip is None or (box[0] <= clip[2] + 1 and clip[0] - 1 <= box[2]
                                  and box[1] <= clip[3] + 1 and clip[1] - 1 <= box[3]):
                paths.append((obj, box, depth > 0))

    walk(raw.FPDFPage_CountObjects(page.raw), raw.FPDFPage_GetObject, page.raw, None, None, 0)
    return paths, hidden


def _tight(clip: tuple, shown) -> tuple | None:
    """``clip``, or None when it holds the whole visible page (it hides nothing more)."""
    if shown is not None and clip[0] <= shown[0] and clip[1] <= shown[1] and clip[2] >= shown[2] \
            and clip[3] >= shown[3]:
        return None
    return clip


def _clip_box(api: _Api, clip, n: int, matrix, outer) -> tuple:
    """The box (page space) a clip with ``n`` paths leaves visible, cut to ``outer``."""
    x = ctypes.c_float()
    y = ctypes.c_float()
    px, py = ctypes.pointer(x), ctypes.pointer(y)
    x0, y0, x1, y1 = outer or _NO_CLIP
    for p in range(n):
        xs, ys = [], []
        for s in range(min(api.count_segments(clip, p), 4096)):
            seg = api.segment(clip, p, s)
            if seg and api.point(seg, px, py):
                xs.append(x.value)
                ys.append(y.value)
        if not xs:
            continue
        box = (min(xs), min(ys), max(xs), max(ys))
        if matrix is not None:
            box = _map_box(matrix, box)
        x0, y0, x1, y1 = max(x0, box[0]), max(y0, box[1]), min(x1, box[2]), min(y1, box[3])
    return (x0, y0, x1, y1)


def _compose(a, b):
    """The affine map doing ``a`` then ``b`` (PDF matrices (a b c d e f))."""
    a0, a1, a2, a3, a4, a5 = a
    b0, b1, b2, b3, b4, b5 = b
    return (a0 * b0 + a1 * b2, a0 * b1 + a1 * b3, a2 * b0 + a3 * b2, a2 * b1 + a3 * b3,
            a4 * b0 + a5 * b2 + b4, a4 * b1 + a5 * b3 + b5)


def _map_box(m, box):
    xs, ys = [], []
    for x, y in ((box[0], box[1]), (box[2], box[3]), (box[0], box[3]), (box[2], box[1])):
        xs.append(m[0] * x + m[2] * y + m[4])
        ys.append(m[1] * x + m[3] * y + m[5])
    return min(xs), min(ys), max(xs), max(ys)


def _axis_edge(add, a, b) -> None:
    """Points already on the displayed page (y down)."""
    (ax, ay), (bx, by) = a, b
    if abs(ay - by) < 1.0 or abs(ax - bx) < 1.0:
        add(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))


# --------------------------------------------------------------------------- layout


def _cluster(values: list[float], tol: float = 1.5) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


def _index(bounds: list[float], v: float) -> int:
    """Index of the bound nearest to ``v`` (``bounds`` sorted)."""
    i = bisect.bisect_left(bounds, v)
    if i == 0:
        return 0
    if i == len(bounds):
        return i - 1
    return i if bounds[i] - v < v - bounds[i - 1] else i - 1


def _band_lines(chars: list[Char]) -> list[list[Char]]:
    """Group characters into lines: a character joins the line whose band it overlaps
    most (at least half its height); the band is that of the line's first characters,
    so a number on a shifted baseline rejoins its sentence without chaining lines."""
    lines: list[tuple[float, float, list[Char]]] = []
    prev: Char | None = None
    last = 0
    for c in sorted(chars, key=lambda c: (c.base, c.x0)):
        if prev is not None and c.base == prev.base and c.size == prev.size:
            lines[last][2].append(c)  # same baseline as the character before: same line
            continue
        prev = c
        top, bottom = c.top, c.bottom
        best, score = None, 0.5
        for i in range(len(lines) - 1, max(-1, len(lines) - 4), -1):
            lt, lb, _ = lines[i]
            ov = min(lb, bottom) - max(lt, top)
            r = ov / max(min(lb - lt, bottom - top), 0.1)
            if r > score:
                best, score = i, r
        if best is None:
            lines.append((top, bottom, [c]))
            last = len(lines) - 1
        else:
            lines[best][2].append(c)
            last = best
    return [cs for _, _, cs in lines]


def _split_wide(cs: list[Char]) -> list[list[Char]]:
    """A line with a wide gap is two lines (``部门：…`` … ``单位：万元``)."""
    cs = sorted(cs, key=lambda c: c.x0)
    parts, cur = [], [cs[0]]
    for a, b in zip(cs, cs[1:]):
        if b.x0 - a.x1 > 3.0 * max(a.size, b.size, 1.0) and a.text not in "：:":  # "部门：  X" stays one
            parts.append(cur)
            cur = []
        cur.append(b)
    parts.append(cur)
    return parts


_NUMERIC = set("0123456789.,%-")


def _fills(chars: list[Char], right: float) -> bool:
    """Does the cell's last text line run to its right edge (text wrapped on)?"""
    last = max(c.base for c in chars)
    line = [c for c in chars if last - c.base < 0.3 * c.size]
    return max(c.x1 for c in line) >= right - 1.5 * max(c.size for c in line)


def _cell_text(chars: list[Char]) -> str:
    """A cell's text: its lines top to bottom, joined (no space between CJK, nor inside
    a number wrapped in a narrow cell)."""
    bases = [c.base for c in chars]
    if max(bases) - min(bases) < 0.3 * chars[0].size:  # one line: the usual case
        lines = [sorted(chars, key=lambda c: c.x0)]
    else:
        lines = sorted((sorted(cs, key=lambda c: c.x0) for cs in _band_lines(chars)), key=lambda cs: cs[0].base)
    text = ""
    for cs in lines:
        t, prev = "", None
        for c in cs:
            if prev is not None and (c.space_before or c.x0 - prev.x1 > (1.0 if prev.cjk or c.cjk else 0.3)
                                     * max(prev.size, c.size, 1.0)):
                t += " "
            t += c.text
            prev = c
        if text and t and (cs[0].space_before or (
                text[-1].isascii() and text[-1].isalnum() and t[0].isascii() and t[0].isalnum()
                and not (text[-1] in _NUMERIC and t[0] in _NUMERIC))):  # a number wrapped in its cell: no space
            text += " "
        text += t
    return text


def _merge_segments(segs: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """(position, start, end) segments on lines within _SNAP of each other snapped to
    one line (their mean) and joined where they touch or overlap (within _SNAP)."""
    out: list[tuple[float, float, float]] = []
    segs = sorted(segs)
    i = 0
    while i < len(segs):
        j = i
        while j + 1 < len(segs) and segs[j + 1][0] - segs[j][0] <= _SNAP:
            j += 1
        group = segs[i:j + 1]
        pos = sum(g[0] for g in group) / len(group)
        spans = sorted((g[1], g[2]) for g in group)
        a, b = spans[0]
        for c, d in spans[1:]:
            if c <= b + _SNAP:
                b = max(b, d)
            else:
                out.append((pos, a, b))
                a, b = c, d
        out.append((pos, a, b))
        i = j + 1
    return [o for o in out if o[2] - o[1] >= _MIN_EDGE]


def _grids(edges: list[dict]):
    """Ruled grids on a page: (column bounds, row bounds, owner) where owner maps each
    grid position (row, col) to its cell (first row, first col, box, end row) — a cell
    spans the grid positions no ruling separates (a merged cell)."""
    hs = _merge_segments([(e["top"], e["x0"], e["x1"]) for e in edges if e["orientation"] == "h"])
    vs = _merge_segments([(e["x0"], e["top"], e["bottom"]) for e in edges if e["orientation"] == "v"])
    if len(hs) < 2 or len(vs) < 2:
        return
    # Groups of rulings that cross one another: one table each.
    parent = list(range(len(hs) + len(vs)))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    by_y = sorted(range(len(hs)), key=lambda i: hs[i][0])
    ys_sorted = [hs[i][0] for i in by_y]
    for vi, (x, top, bottom) in enumerate(vs):
        lo = bisect.bisect_left(ys_sorted, top - _SNAP)
        hi = bisect.bisect_right(ys_sorted, bottom + _SNAP)
        for hi_ in by_y[lo:hi]:
            y, x0, x1 = hs[hi_]
            if x0 - _SNAP <= x <= x1 + _SNAP:
                parent[find(len(hs) + vi)] = find(hi_)
    groups: dict[int, tuple[list, list]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for i, v in enumerate(vs):
        groups.setdefault(find(len(hs) + i), ([], []))[1].append(v)
    for g_h, g_v in sorted(groups.values(), key=lambda g: (min(h[0] for h in g[0]) if g[0] else 0)):
        if len(g_h) < 2 or len(g_v) < 2:
            continue
        xs = _cluster([v[0] for v in g_v], 1.0)
        ys = _cluster([h[0] for h in g_h], 1.0)
        # Only the part where both kinds of rulings are: between the outer lines.
        x_lo, x_hi = max(xs[0], min(h[1] for h in g_h) - _SNAP), min(xs[-1], max(h[2] for h in g_h) + _SNAP)
        y_lo, y_hi = max(ys[0], min(v[1] for v in g_v) - _SNAP), min(ys[-1], max(v[2] for v in g_v) + _SNAP)
        xs = [x for x in xs if x_lo - 0.5 <= x <= x_hi + 0.5]
        ys = [y for y in ys if y_lo - 0.5 <= y <= y_hi + 0.5]
        if len(xs) < 3 or len(ys) < 2:  # one column: a frame around text
            continue
        nr, nc = len(ys) - 1, len(xs) - 1
        v_at: dict[int, list[tuple[float, float]]] = {}
        for x, top, bottom in g_v:
            v_at.setdefault(_index(xs, x), []).append((top, bottom))
        h_at: dict[int, list[tuple[float, float]]] = {}
        for y, x0, x1 in g_h:
            h_at.setdefault(_index(ys, y), []).append((x0, x1))

        def ruled(spans, a: float, b: float) -> bool:
            return any(s0 - _SNAP <= a and s1 + _SNAP >= b for s0, s1 in spans or ())

        cell = list(range(nr * nc))

        def root(a: int) -> int:
            while cell[a] != a:
                cell[a] = cell[cell[a]]
                a = cell[a]
            return a

        for r in range(nr):
            for k in range(nc):
                if k + 1 < nc and not ruled(v_at.get(k + 1), ys[r], ys[r + 1]):
                    cell[root(r * nc + k + 1)] = root(r * nc + k)
                if r + 1 < nr and not ruled(h_at.get(r + 1), xs[k], xs[k + 1]):
                    cell[root((r + 1) * nc + k)] = root(r * nc + k)
        spans: dict[int, list[int]] = {}
        for r in range(nr):
            for k in range(nc):
                a = root(r * nc + k)
                sp = spans.setdefault(a, [r, k, r, k])
                sp[0], sp[1] = min(sp[0], r), min(sp[1], k)
                sp[2], sp[3] = max(sp[2], r), max(sp[3], k)
        owner: dict[tuple[int, int], tuple] = {}
        for r in range(nr):
            for k in range(nc):
                r0, c0, r1, c1 = spans[root(r * nc + k)]
                owner[(r, k)] = (r0, c0, (xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1]), r1 + 1)
        yield xs, ys, owner


def _tables(edges: list[dict], chars: list[Char], page_no: int) -> tuple[list[Table], list[Char]]:
    """Ruled tables on a page, and the characters outside them."""
    if len(edges) < 4:
        return [], chars
    found: list[Table] = []
    rest = chars
    captions: list[Char] = []
    for xs, ys, owner in _grids(edges):
        full: set[int] = set()
        box = (xs[0], ys[0], xs[-1], ys[-1])
        nr, nc = len(ys) - 1, len(xs) - 1
        inside: dict[tuple[int, int], list[Char]] = {}
        outside: list[Char] = []
        left, top, right, bottom = box[0] - 1, box[1] - 1, box[2] + 1, box[3] + 1
        bisect_right = bisect.bisect_right
        for ch in rest:
            cx, cy = (ch.x0 + ch.x1) / 2, ch.base - 0.35 * ch.size
            if not (left <= cx <= right and top <= cy <= bottom):
                outside.append(ch)
                continue
            r = min(max(bisect_right(ys, cy) - 1, 0), nr - 1)
            k = min(max(bisect_right(xs, cx) - 1, 0), nc - 1)
            own = owner.get((r, k))
            if own is not None:
                r, k = own[0], own[1]
            inside.setdefault((r, k), []).append(ch)
        rest = outside
        rows = []
        for r in range(nr):
            row = []
            for k in range(nc):
                cs = inside.get((r, k))
                own = owner.get((r, k))
                cell_box = _round(own[2]) if own and own[:2] == (r, k) else (
                    _round((xs[k], ys[r], xs[k + 1], ys[r + 1])) if not own else None)
                if cs:
                    cell = (_cell_text(cs), cell_box)
                    row.append(cell)
                    if cell_box is not None and _fills(cs, cell_box[2]):
                        full.add(id(cell))
                else:
                    row.append(("", cell_box))
            rows.append(row)
        # A row that holds only the title, unit, 部门 or table-number lines (Jiangsu
        # prints them inside the frame, sometimes in the frame of the table before) is
        # prose, not a row: it splits the grid into the table before and the one after.
        # A last full-width row holding a note is prose too.
        segments: list[list[int]] = [[]]
        for r in range(nr):
            pos = _caption(owner, inside, r, nc, first=True)
            if pos:
                for p_ in pos:
                    captions.extend(inside.pop(p_))
                segments.append([])
            else:
                segments[-1].append(r)
        last = segments[-1] or next((g_ for g_ in reversed(segments) if g_), [])
        if last and (pos := _caption(owner, inside, last[-1], nc, first=False)):
            captions.extend(inside.pop(pos[0]))
            last.pop()
        for seg in segments:
            if not seg:
                continue
            sub_rows = [rows[r] for r in seg]
            sub_owner = {(i, k): o for i, r in enumerate(seg) for k in range(nc) if (o := owner.get((r, k)))}
            sub_xs = list(xs)
            _drop_unused_columns(sub_rows, sub_xs, sub_owner)
            sub_box = (box[0], ys[seg[0]], box[2], ys[seg[-1] + 1])
            found.append(Table(page_no, _round(sub_box), sub_xs, sub_rows, [page_no] * len(sub_rows), full))
    return found, rest + captions


_CAPTION = re.compile(r"单\s*位\s*[:：]|部\s*门\s*[:：]|公开\s*\d+\s*表|^表\s*[一二三四五六七八九十\d]+$|表$")


def _caption(owner: dict, inside: dict, r: int, nc: int, first: bool) -> list[tuple[int, int]]:
    """The grid positions of row ``r`` if the row is really a caption (title, unit, 部门
    or table-number lines; a note in the last row), else []."""
    filled = {owner.get((r, k), (r, k, None))[:2] for k in range(nc)}
    filled = sorted(p for p in filled if inside.get(p))
    if not filled or any(p[0] != r for p in filled):
        return []
    for pos in filled:
        own = owner.get(pos)
        if own is not None and own[3] - own[0] > 1:
            return []  # a cell spanning rows is a header, not a caption
    texts = ["".join(c.text for c in sorted(inside[p], key=lambda c: (c.base, c.x0))) for p in filled]
    if not first:
        return filled if len(filled) == 1 and re.match(r"^\s*(?:注|备注|说明)\s*[:：]", texts[0]) else []
    if len(filled) > 1:  # 部门：| 江苏省… | 单位：万元 in cells of their own
        joined = "".join(texts)
        return filled if (re.search(r"(?:单\s*位|部\s*门)\s*[:：]", joined)
                          and not any(_AMOUNT.match(t) for t in texts)) else []
    own = owner.get(filled[0])
    full = own is not None and all(owner.get((r, k)) is own for k in range(nc))
    return filled if (full and len(_band_lines(inside[filled[0]])) > 1) or _CAPTION.search(texts[0]) else []


_AMOUNT = re.compile(r"^[-\d,.]+%?$")


def _drop_unused_columns(rows: list, xs: list[float], owner: dict) -> None:
    """Column boundaries no remaining cell uses (they served only a caption row that
    was taken out) are dropped with the blank cells right of them."""
    nc = len(xs) - 1
    used = {0, nc}
    for r in range(len(rows)):
        for k in range(nc):
            o = owner.get((r, k))
            if o is None:
                used |= {k, k + 1}
            else:
                used |= {_index(xs, o[2][0]), _index(xs, o[2][2])}
    for b in sorted(set(range(1, nc)) - used, reverse=True):
        for row in rows:
            if not row[b][0]:
                del row[b]
            else:  # never expected: keep the text, lose only the boundary
                row[b - 1] = (row[b - 1][0] + row[b][0], row[b - 1][1])
                del row[b]
        del xs[b]
    # A blank sliver at either edge (a frame a little off the table's own rules) is no column.
    while len(xs) > 3 and xs[-1] - xs[-2] < 20.0 and not any(row[-1][0] for row in rows):
        for row in rows:
            del row[-1]
        del xs[-1]
    while len(xs) > 3 and xs[1] - xs[0] < 20.0 and not any(row[0][0] for row in rows):
        for row in rows:
            del row[0]
        del xs[0]


def _bisect(bounds: list[float], v: float) -> int:
    """The band ``bounds[i] <= v < bounds[i+1]`` holding ``v`` (clamped to the bands)."""
    return min(max(bisect.bisect_right(bounds, v) - 1, 0), len(bounds) - 2)


# --------------------------------------------------------------------------- borderless tables

# An amount as tables print it: thousands separators or decimals (a bare integer is a
# code, a year or a row number, never enough to make a column of amounts).
_AMOUNT_CELL = re.compile(r"^[-−]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)%?$")
_FIGURE = re.compile(r"\d[.,]\d")
_PROSE_MARK = re.compile(r"[。；;！？!?，]")  # sentence punctuation: a cell never has it


@dataclass
class _Field:
    """A run of a band's characters between gaps wider than a cell's padding."""

    chars: list[Char]
    x0: float
    x1: float
    text: str
    amount: bool


@dataclass
class _Band:
    chars: list[Char]
    fields: list[_Field]
    top: float
    bottom: float
    base: float
    size: float

    @property
    def amounts(self) -> int:
        return sum(f.amount for f in self.fields)

    @property
    def row_like(self) -> bool:
        """Could this band be a row (or a header row) of a table drawn without rules?
        No sentence punctuation, no caption (title, 单位, 部门)."""
        return not any(_PROSE_MARK.search(f.text) or _CAPTION.search(f.text) for f in self.fields)


def _band(cs: list[Char]) -> _Band:
    cs = sorted(cs, key=lambda c: c.x0)
    runs = [[cs[0]]]
    for a, b in zip(cs, cs[1:]):
        if b.x0 - a.x1 > 0.6 * max(a.size, b.size, 1.0):
            runs.append([])
        runs[-1].append(b)
    fields = []
    for run in runs:
        text = _cell_text(run)
        fields.append(_Field(run, run[0].x0, max(c.x1 for c in run), text, bool(_AMOUNT_CELL.match(text.strip()))))
    return _Band(cs, fields, min(c.top for c in cs), max(c.bottom for c in cs), min(c.base for c in cs),
                 max(c.size for c in cs))


def _borderless_tables(chars: list[Char], page_no: int, follows: Table | None = None,
                       furniture: float = 0.0, carried: list[_Band] | None = None) -> tuple[list[Table], list[Char]]:
    """Tables printed without rulings, read from alignment alone, and the characters
    left over.

    A table is a run of consecutive bands (lines) that read as rows — no sentence
    punctuation, no caption — holding at least three rows with amounts in two or
    more columns, where the amounts of every column end at one x position (right-
    aligned, within 1.5 pt), under a header of one to three lines of labels (one with
    two or more of them).  Columns are the runs of x positions the body's cells cover;
    every cell of a body row must fall in a column of its own.  Anything less is
    left as prose: a table read where there is none makes findings out of sentences,
    which is worse than a table not read.

    ``follows`` is a table without rulings that ended the page before: rows at the top
    of this page (below ``furniture``, the running header's zone) whose amounts end
    at its columns' edges go on with it, with or without a repeated header.  ``carried``
    are lines of labels the page before ended with (:func:`_foot_header`): rows at
    the top of this page with no header of their own may have that one."""
    if len(chars) < 20:
        return [], chars
    bands = [_band(cs) for cs in sorted(_band_lines(chars), key=lambda cs: min(c.base for c in cs))]
    found: list[Table] = []
    taken: set[int] = set()
    i = 0
    while i < len(bands):
        if not (bands[i].row_like and bands[i].amounts):
            i += 1
            continue
        # The run of row-like bands around this body row, each close under the one before.
        lo = i
        while lo > 0 and bands[lo - 1].row_like and _close(bands[lo - 1], bands[lo]):
            lo -= 1
        hi = i
        while hi + 1 < len(bands) and bands[hi + 1].row_like and _close(bands[hi], bands[hi + 1]):
            hi += 1
        first_run = all(b.bottom < furniture for b in bands[:lo])
        table = _read_borderless(bands, lo, hi, page_no, follows if first_run else None)
        if table is None and first_run and carried and follows is None:
            local = carried + bands[lo:hi + 1]
            table = _read_borderless(local, 0, len(local) - 1, page_no, None, len(carried))
            if table is not None:
                t, used = table
                t.carried = [c for b in carried for c in b.chars]
                table = t, [lo + u - len(carried) for u in used if u >= len(carried)]
        follows = carried = None
        if table is None:
            i = hi + 1
            continue
        t, used = table
        found.append(t)
        taken.update(used)
        i = max(used) + 1
    if not found:
        return [], chars
    rest = [c for k, b in enumerate(bands) if k not in taken for c in b.chars]
    return found, rest


def _foot_header(chars: list[Char], tables: list[Table], height: float) -> list[_Band]:
    """The lines of labels a page ends with, under a caption or title (a table's header
    the page broke from its rows): row-like, without amounts, one of them with two or
    more labels; nothing but the page's footer below them.  Else []."""
    if not chars:
        return []
    bands = [_band(cs) for cs in sorted(_band_lines(chars), key=lambda cs: min(c.base for c in cs))]
    bands = [b for b in bands if b.top < 0.95 * height and not _PAGE_NUMBER.match("".join(f.text for f in b.fields))]
    out: list[_Band] = []
    for b in reversed(bands):
        if not (b.row_like and b.amounts == 0) or (out and not _close(b, out[0])):
            break
        out.insert(0, b)
    if not out or len(out) > 6 or not any(len(b.fields) >= 2 for b in out):
        return []
    if any(t.box[3] > out[0].top for t in tables):
        return []
    return out


def _close(a: _Band, b: _Band) -> bool:
    return 0 < b.base - a.base <= 3.0 * max(a.size, b.size)


def _read_borderless(bands: list[_Band], lo: int, hi: int, page_no: int,
                     follows: Table | None = None, carried: int = 0) -> tuple[Table, list[int]] | None:
    """The table in the run ``bands[lo:hi+1]`` of row-like bands, if it is one (see
    :func:`_borderless_tables`), with the indexes of the bands it took.  The first
    ``carried`` bands are from the foot of the page before (a header only)."""
    with_amounts = [k for k in range(lo, hi + 1) if bands[k].amounts >= 1]
    if follows is not None and with_amounts:
        return _read_continued(bands, lo, hi, with_amounts, page_no, follows)
    if len(with_amounts) < 3:
        return None
    first, last = with_amounts[0], with_amounts[-1]
    body = list(range(first, last + 1))
    if len(with_amounts) < 0.4 * len(body):
        return None
    # Amount columns: the right edges the amounts share.
    edges = sorted(((f.x1, f) for k in body for f in bands[k].fields if f.amount), key=lambda e: e[0])
    clusters: list[list[_Field]] = []
    for x, f in edges:
        if clusters and x - clusters[-1][-1].x1 <= 1.5:
            clusters[-1].append(f)
        else:
            clusters.append([f])
    # Two columns of amounts in three rows, or one beside labels.
    full = [c for c in clusters if len(c) >= 3]
    if not ((len(full) >= 2 and sum(bands[k].amounts >= 2 for k in with_amounts) >= 3) or len(full) == 1):
        return None
    # Columns: the runs of x positions the body's cells cover (an amount column from the
    # left of its widest amount to the edge they share).
    spans: list[tuple[float, float, int]] = [(min(f.x0 for f in c), c[-1].x1, 1) for c in clusters]
    spans += [(f.x0, f.x1, 0) for k in body for f in bands[k].fields if not f.amount]
    spans.sort()
    cols: list[list[float]] = []  # [x0, x1, amount columns merged in]
    for x0, x1, amount in spans:
        if cols and x0 <= cols[-1][1]:
            cols[-1][1] = max(cols[-1][1], x1)
            cols[-1][2] += amount
        else:
            cols.append([x0, x1, amount])
    if any(c[2] > 1 for c in cols):
        return None  # text running across two columns of amounts: no clear columns
    if len(cols) < 2:
        return None
    starts = [c[0] for c in cols]

    def column(f: _Field) -> int:
        return max(bisect.bisect_right(starts, f.x0 + 0.01) - 1, 0)

    for k in body:
        at = [column(f) for f in bands[k].fields]
        if len(set(at)) != len(at):
            return None  # two cells of one row in one column
    # The header: up to three row-like bands of labels right above the body, one of
    # them with two or more labels over the columns.
    header: list[int] = []
    k = first - 1
    while k >= lo and len(header) < 8 and bands[k].amounts == 0:
        b = bands[k]
        if any(_FIGURE.search(f.text) for f in b.fields):
            break  # a label holding an amount is a sentence's piece, not a header
        if b.fields[0].x0 < cols[0][0] - 3 * b.size or b.fields[-1].x1 > cols[-1][1] + 3 * b.size:
            break  # wider than the table: not its header
        header.insert(0, k)
        k -= 1
    while header and len(bands[header[0]].fields) < 2:
        header.pop(0)  # a lone label above the header is a title, not a header line
    if not header or not any(cols[_header_column(cols, f)][2] for k in header for f in bands[k].fields):
        return None  # no header, or none of its labels heads a column of amounts
    # Rows of labels only after the last row of amounts (``其他收入`` under ``小计``) are
    # rows while they follow at the rows' pitch and each label stands inside a column.
    pitch = _pitch(bands, body)
    while body[-1] < hi and bands[body[-1] + 1].amounts == 0 and \
            bands[body[-1] + 1].base - bands[body[-1]].base <= 1.25 * pitch and \
            all(any(c[0] - 1 <= f.x0 and f.x1 <= c[1] + 1 for c in cols) for f in bands[body[-1] + 1].fields):
        body.append(body[-1] + 1)
    xs = [cols[0][0] - 1.0] + [(a[1] + b[0]) / 2 for a, b in zip(cols, cols[1:])] + [cols[-1][1] + 1.0]
    # A label wrapped in its cell stands on lines of its own, closer to its row's
    # amounts (set mid-height) than rows are to one another: those lines join the row.
    if carried and not (header and header[0] < carried and body[0] >= carried):
        return None
    groups = _header_rows(bands, header, body) + _wrapped_rows(bands, body)
    rows = []
    pages = []
    for group in groups:
        pages.append(page_no - 1 if group[0] < carried else page_no)
        top, bottom = min(bands[k].top for k in group), max(bands[k].bottom for k in group)
        row: list = [("", _round((xs[c], top, xs[c + 1], bottom))) for c in range(len(cols))]
        parts: dict[int, list[Char]] = {}
        for k in group:
            for f in bands[k].fields:
                parts.setdefault(_header_column(cols, f) if k in header else column(f), []).extend(f.chars)
        for c, cs in parts.items():
            row[c] = (_cell_text(cs), row[c][1])
        rows.append(row)
    top, bottom = bands[header[0] if not carried else body[0]].top, bands[body[-1]].bottom
    t = Table(page_no, _round((xs[0], top, xs[-1], bottom)), xs, rows, pages,
              anchors=[c[-1].x1 for c in clusters])
    return t, header + body


def _read_continued(bands: list[_Band], lo: int, hi: int, with_amounts: list[int], page_no: int,
                    follows: Table) -> tuple[Table, list[int]] | None:
    """The rows heading a page that go on with ``follows`` (a table without rulings
    ending the page before): every amount ends at one of its columns' right edges
    (within 2 pt), every label starts inside one of its columns, no two cells of a row
    share a column.  Laid out on its columns, so the page parts join."""
    xs = follows.xs
    if not all(any(abs(f.x1 - a) <= 2.0 for a in follows.anchors) for k in with_amounts
               for f in bands[k].fields if f.amount):
        return None
    first, last = with_amounts[0], with_amounts[-1]
    if any(bands[k].amounts for k in range(lo, first)):
        return None
    head = list(range(lo, first))  # a repeated header (dropped when the parts join)
    body = list(range(first, last + 1))

    def column(f: _Field) -> int | None:
        x = f.x1 - 0.5 if f.amount else f.x0 + 0.5
        return _bisect(xs, x) if xs[0] - 2 <= x <= xs[-1] + 2 else None

    for k in head + body:
        at = [column(f) for f in bands[k].fields]
        if None in at or len(set(at)) != len(at):
            return None
    groups = [[k] for k in head] + _wrapped_rows(bands, body)
    rows = []
    for group in groups:
        top, bottom = min(bands[k].top for k in group), max(bands[k].bottom for k in group)
        row: list = [("", _round((xs[c], top, xs[c + 1], bottom))) for c in range(len(xs) - 1)]
        parts: dict[int, list[Char]] = {}
        for k in group:
            for f in bands[k].fields:
                parts.setdefault(column(f), []).extend(f.chars)
        for c, cs in parts.items():
            row[c] = (_cell_text(cs), row[c][1])
        rows.append(row)
    top, bottom = bands[(head or body)[0]].top, bands[body[-1]].bottom
    t = Table(page_no, _round((xs[0], top, xs[-1], bottom)), list(xs), rows, [page_no] * len(rows),
              anchors=list(follows.anchors))
    return t, head + body


def _pitch(bands: list[_Band], body: list[int]) -> float:
    """The usual distance between the baselines of rows: of two rows with amounts one
    right under the other (else the least between two rows with amounts)."""
    amounts = [k for k in body if bands[k].amounts]
    pairs = [(a, b) for a, b in zip(amounts, amounts[1:])]
    pitches = sorted(bands[b].base - bands[a].base for a, b in pairs if b == a + 1)
    if pitches:
        return pitches[len(pitches) // 2]
    return min((bands[b].base - bands[a].base for a, b in pairs), default=0.0)


def _header_rows(bands: list[_Band], header: list[int], body: list[int]) -> list[list[int]]:
    """Header bands grouped into rows: a band closer to the one before than three
    quarters of the body's row pitch is another line of the same header row (labels
    wrapped in their cells, one-line labels set mid-height beside them)."""
    pitch = _pitch(bands, body)
    groups: list[list[int]] = []
    for k in header:
        if groups and bands[k].base - bands[groups[-1][-1]].base < 0.75 * pitch:
            groups[-1].append(k)
        else:
            groups.append([k])
    return groups


def _wrapped_rows(bands: list[_Band], body: list[int]) -> list[list[int]]:
    """The body's bands grouped into rows: a band without amounts closer to the nearest
    band with amounts than three quarters of the rows' usual pitch is a line of that
    row (a label wrapped in its cell); any other band is a row."""
    amounts = [k for k in body if bands[k].amounts]
    pitch = _pitch(bands, body)
    owner = {k: k for k in body}
    for k in body:
        if bands[k].amounts:
            continue
        near = min(amounts, key=lambda a: abs(bands[a].base - bands[k].base))
        if abs(bands[near].base - bands[k].base) < 0.75 * pitch:
            owner[k] = near
    groups: dict[int, list[int]] = {}
    for k in body:
        groups.setdefault(owner[k], []).append(k)
    return [groups[k] for k in sorted(groups)]


def _header_column(cols: list[list[float]], f: _Field) -> int:
    """The column a header label stands for: the first it overlaps (a label spanning
    several columns heads them from the first, as a merged cell's text stands in its
    first cell), else the next one to its right (a label set at the left of its cell,
    over amounts set at the right), else the last."""
    for c, (x0, x1, _) in enumerate(cols):
        if f.x0 < x1 and f.x1 > x0:
            return c
    return next((c for c, col in enumerate(cols) if col[0] > f.x0), len(cols) - 1)


# --------------------------------------------------------------------------- reader

_PAGE_NUMBER = re.compile(r"^(?:[-—–－~\s]*\d{1,4}[-—–－~\s]*|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+"
                          r"|page\s*\d+(?:\s*of\s*\d+)?)$", re.I)
_ENUM = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十\d]+）|\(\d+\)|\d+[、.．](?!\d)|第[一二三四五六七八九十]+部分)")


@dataclass
class _Page:
    number: int
    height: float
    width: float
    items: list  # Line | Table, in reading order


def read_pdf(path: str) -> Document:
    doc = _open(path)
    try:
        n = len(doc)
        if n > MAX_PAGES:
            raise InputError(tr("PDF 页数过多（{n} 页，上限 {limit}）", n=n, limit=MAX_PAGES), path)
        pages: list[_Page] = []
        total = 0
        objects = 0
        follows: Table | None = None  # a table without rulings ending the page before
        carried: list[_Band] | None = None  # the header lines it ended with, if no table
        for i in range(n):
            page = doc[i]
            try:
                nobj = page.count_objects() if hasattr(page, "count_objects") else _count_objects(page)
                objects += nobj
                if objects > MAX_OBJECTS:
                    raise InputError(tr("PDF 对象过多（超过 {limit} 个）", limit=MAX_OBJECTS), path)
                if nobj > MAX_OBJECTS_PER_PAGE:
                    raise InputError(tr("第 {page} 页对象过多（{count} 个，上限 {limit}）", page=i + 1,
                                        count=nobj, limit=MAX_OBJECTS_PER_PAGE), path)
                frame = _Frame(page)
                paths, hidden = _page_objects(page, frame.shown)
                textpage = page.get_textpage()
                chars = _page_chars(page, textpage, frame, hidden)
                textpage.close()
                total += len(chars)
                if total > MAX_CHARS:
                    raise InputError(tr("PDF 文本过多（超过 {limit} 个字符）", limit=MAX_CHARS), path)
                if not chars:
                    pages.append(_Page(i + 1, frame.height, frame.width, []))
                    follows = carried = None
                    continue
                edges = _page_edges(paths, frame)
            finally:
                page.close()
            tables, rest = _tables(edges, chars, i + 1)
            borderless, rest = _borderless_tables(rest, i + 1, follows, 0.12 * frame.height, carried)
            for t in borderless:
                if t.carried and pages:  # its header was read as the last lines of the page before
                    ids = {id(c) for c in t.carried}
                    pages[-1].items = [it for it in pages[-1].items
                                       if not (isinstance(it, Line) and any(id(c) in ids for c in it.chars))]
                    t.page = i
            # A table without rulings that ends this page may go on at the top of the next.
            follows = max(borderless, key=lambda t: t.box[3]) if borderless else None
            if follows is not None and (follows.box[3] < 0.6 * frame.height
                                        or any(t.box[3] > follows.box[3] for t in tables)
                                        or any(follows.box[3] < c.top < 0.88 * frame.height for c in rest)):
                follows = None
            tables += borderless
            carried = _foot_header(rest, tables, frame.height) if follows is None else None
            lines = _lines_and_unruled_rows(tables, rest, i + 1)
            items = sorted([*lines, *tables], key=lambda it: (round(it.top), getattr(it, "x0", 0.0)))
            pages.append(_Page(i + 1, frame.height, frame.width, items))
    except InputError:
        raise
    except (OSError, RuntimeError, ArithmeticError) as exc:  # PDFium on a damaged object: one line, never a traceback
        raise InputError(tr("PDF 文件已损坏，无法解析：{error}", error=f"{type(exc).__name__}: {exc}"), path) from None
    finally:
        doc.close()
    if total == 0:
        raise InputError(tr("没有文本层，请先做 OCR"), path)
    _drop_running(pages)
    return _emit(path, pages)


def _row_from_chars(t: Table, chars: list[Char]) -> list | None:
    """The characters of one text band as a row of ``t`` when they fall in two or more
    of its columns and none crosses a column boundary (a row drawn without rules),
    else None."""
    xs = t.xs
    if len(xs) - 1 != len(t.rows[-1]):
        return None
    cols: dict[int, list[Char]] = {}
    for c in chars:
        if c.x0 < xs[0] - 2 or c.x1 > xs[-1] + 2:
            return None
        k = _bisect(xs, (c.x0 + c.x1) / 2)
        if c.x0 < xs[k] - 1 or c.x1 > xs[k + 1] + 1:
            return None
        cols.setdefault(k, []).append(c)
    if len(cols) < 2:
        return None
    # Text running on across a column boundary (a title over the next table) is not
    # cells: the parts must stand apart.
    parts = sorted((min(c.x0 for c in cs), max(c.x1 for c in cs), max(c.size for c in cs)) for cs in cols.values())
    if any(b[0] - a[1] < 1.0 * max(a[2], b[2]) for a, b in zip(parts, parts[1:])):
        return None
    texts = {k: _cell_text(cs) for k, cs in cols.items()}
    if _CAPTION.search("".join(texts[k] for k in sorted(texts))) or any(_CAPTION.search(t) for t in texts.values()):
        return None  # the 部门 / 单位 / title lines of the next table
    top, bottom = min(c.top for c in chars), max(c.bottom for c in chars)
    row: list = [("", _round((xs[k], top, xs[k + 1], bottom))) for k in range(len(xs) - 1)]
    for k, t in texts.items():
        row[k] = (t, row[k][1])
    return row


def _lines_and_unruled_rows(tables: list[Table], chars: list[Char], page_no: int) -> list[Line]:
    """Prose lines of a page; a text band right below a table whose characters fall
    in distinct columns of it is one more row of that table (its last rows drawn
    without rules)."""
    bands = sorted((cs for cs in _band_lines(chars)), key=lambda cs: min(c.base for c in cs))
    bottoms = {id(t): t.box[3] for t in tables}
    lines: list[Line] = []
    for cs in bands:
        top, bottom = min(c.top for c in cs), max(c.bottom for c in cs)
        size = max(c.size for c in cs)
        done = False
        for t in tables:
            last = bottoms.get(id(t))
            if last is None or not (last - 2 <= top <= last + 2.5 * size):
                continue
            row = _row_from_chars(t, cs)
            if row is not None:
                t.rows.append(row)
                t.pages.append(page_no)
                bottoms[id(t)] = bottom
                t.box = (t.box[0], t.box[1], t.box[2], bottom)
                done = True
                break
        if not done:
            lines.extend(Line(p, page_no) for p in _split_wide(cs))
            bottoms = {k: v for k, v in bottoms.items() if v > bottom}  # prose closes the tables above
    return lines


def _count_objects(page) -> int:
    import pypdfium2.raw as raw

    return raw.FPDFPage_CountObjects(page.raw)


def _norm(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _drop_running(pages: list[_Page]) -> None:
    """Drop page numbers and running headers/footers: lone numbers in the top or
    bottom margin, and margin lines that repeat (digits aside) on several pages."""
    def margin(p: _Page) -> list[Line]:
        lines = [it for it in p.items if isinstance(it, Line)]
        out = []
        for ln in lines:
            first = all(not isinstance(it, Table) or it.top > ln.top for it in p.items) and \
                all(o.top >= ln.top - 1 for o in lines)
            last = all(not isinstance(it, Table) or it.box[3] < ln.top for it in p.items) and \
                all(o.top <= ln.top + 1 for o in lines)
            if (first and ln.top < 0.12 * p.height) or (last and ln.bottom > 0.85 * p.height):
                out.append(ln)
        return out

    margins = {p.number: margin(p) for p in pages}
    seen = Counter(_norm(ln.text) for ms in margins.values() for ln in {_norm(x.text): x for x in ms}.values())
    repeat = max(3, len(pages) // 3)
    for p in pages:
        drop = {id(ln) for ln in margins[p.number]
                if _PAGE_NUMBER.match(ln.text.strip()) or (seen[_norm(ln.text)] >= repeat and len(pages) >= 3)}
        # A page that ends high up (a short last page of a part) still ends with its
        # number: a lone last line giving about this page's number.
        lines = [it for it in p.items if isinstance(it, Line)]
        if lines and isinstance(p.items[-1], Line):
            ln = max(lines, key=lambda x: x.top)
            m = re.fullmatch(r"[-—–－~\s]*(\d{1,4})[-—–－~\s]*", ln.text.strip())
            if m and p.number - 6 <= int(m.group(1)) <= p.number + 1 and ln is p.items[-1]:
                drop.add(id(ln))
        p.items = [it for it in p.items if id(it) not in drop]


def _continues(prev: Table, nxt: Table) -> list[int] | None:
    """If ``nxt`` goes on with ``prev``'s columns: for each of its columns, the column of
    ``prev`` it falls in (its boundaries are some of ``prev``'s, the outer ones equal,
    allowing for a page shifted a little).  Else None."""
    shift = nxt.xs[0] - prev.xs[0]
    tol = 5.0  # rules of one table on two pages: a few points apart at most
    if abs(shift) > 20 or abs(nxt.xs[-1] - prev.xs[-1] - shift) > tol:
        return None
    at = []
    for x in nxt.xs:
        k = _index(prev.xs, x - shift)
        if abs(prev.xs[k] - (x - shift)) > tol:
            return None
        at.append(k)
    if any(b <= a for a, b in zip(at, at[1:])):
        return None
    return at[:-1]


def _spread(row: list, at: list[int], width: int) -> list:
    """A row put into a grid of ``width`` columns, its cell i at column ``at[i]``."""
    out: list = [("", None)] * width
    for c, cell in zip(at, row):
        out[c] = cell
    return out


def _row_texts(row) -> tuple[str, ...]:
    return tuple(re.sub(r"\s+", "", t) for t, _ in row)


def _emit(path: str, pages: list[_Page]) -> Document:
    # Stream of items; a table running on over the next page is merged into one.
    stream: list = []
    for p in pages:
        items = list(p.items)
        last = next((x for x in reversed(stream) if x is not None), None)
        # The last rows of a table may run onto the next page without rules: the text
        # bands heading that page that fit the table's columns are its rows.
        prev_page = pages[p.number - 2] if p.number >= 2 else None
        while (isinstance(last, Table) and items and isinstance(items[0], Line) and prev_page is not None
               and last.box[3] > 0.7 * prev_page.height and last.pages[-1] == p.number - 1):
            band = [x for x in items if isinstance(x, Line) and abs(x.top - items[0].top) < 2]
            if len(band) < len([x for x in items[:len(band)] if isinstance(x, Line)]):
                break
            row = _row_from_chars(last, [c for x in band for c in x.chars])
            if row is None:
                break
            last.rows.append(row)
            last.pages.append(p.number)
            items = [x for x in items if not any(x is b for b in band)]
        if isinstance(last, Table) and items:
            prev: Table = last
            # Lines before the next page's first table that repeat lines standing just
            # before the previous part (a repeated title or unit line) or say 续表.
            j = 0
            before = {_norm(x.text) for x in stream[-8:-1] if isinstance(x, Line)}
            while j < len(items) and isinstance(items[j], Line) and (
                    _norm(items[j].text) in before or re.fullmatch(r"[（(]?续表?[0-9一二三四五六七八九十]*[)）]?",
                                                                  items[j].text.strip())):
                j += 1
            if (j < len(items) and isinstance(items[j], Table) and _continues(prev, items[j]) is None
                    and (back := _continues(items[j], prev)) is not None):
                # The part before has fewer columns (its rows all merged cells, e.g. only
                # the first header row stood at the foot of the page): widen it.
                width = len(items[j].xs) - 1
                prev.rows = [_spread(row, back, width) for row in prev.rows]
                prev.xs = [x - items[j].xs[0] + prev.xs[0] for x in items[j].xs]
            if j < len(items) and isinstance(items[j], Table) and (at := _continues(prev, items[j])) is not None:
                nxt: Table = items[j]
                width = len(prev.xs) - 1
                if at != list(range(width)):  # fewer columns (merged cells): put them in place
                    for n, row in enumerate(nxt.rows):
                        new_row: list = [("", None)] * width
                        for c, cell in zip(at, row):
                            new_row[c] = cell
                        nxt.rows[n] = new_row
                k = 0
                while k < min(4, len(nxt.rows), len(prev.rows)) and _row_texts(nxt.rows[k]) == _row_texts(prev.rows[k]):
                    k += 1
                # A row broken by the page: its cells' text ran to their right edge on
                # this page and goes on in the same cells, alone, on the next.
                last_row = prev.rows[-1]
                if k < len(nxt.rows) and len(nxt.rows[k]) == len(last_row):
                    filled = [c for c, (t, _) in enumerate(nxt.rows[k]) if t]
                    if filled and all(id(last_row[c]) in prev.full and not _AMOUNT.match(nxt.rows[k][c][0])
                                      and not _ENUM.match(nxt.rows[k][c][0]) for c in filled):
                        for c in filled:
                            last_row[c] = (last_row[c][0] + nxt.rows[k][c][0], last_row[c][1])
                        k += 1
                prev.full |= nxt.full
                prev.rows.extend(nxt.rows[k:])
                prev.pages.extend([nxt.page] * len(nxt.rows[k:]))
                items = items[j + 1:]
        if stream:
            stream.append(None)  # page break
        stream.extend(items)

    for it in stream:
        if isinstance(it, Table):
            _drop_blank_columns(it)

    # Join prose lines wrapped at the right margin into paragraphs.
    right = _right_margin(pages)
    left = _left_margin(pages)
    builder = _Builder(path, "pdf")
    para: list[Line] = []

    def flush():
        if not para:
            return
        pieces = []
        for n, ln in enumerate(para):
            for m, (text, box, sep) in enumerate(ln.pieces()):
                if m == 0 and n > 0:
                    prev_text = pieces[-1][0]
                    sep = " " if (ln.chars[0].space_before or (prev_text[-1].isascii() and prev_text[-1].isalnum()
                                                              and text[0].isascii() and text[0].isalnum()
                                                              and not (prev_text[-1] in _NUMERIC
                                                                       and text[0] in _NUMERIC))) else ""
                pieces.append((text, Place("pdf", ln.page, box, text=text), sep))
        builder.words(pieces)
        para.clear()

    prev_line: Line | None = None
    for it in stream:
        if it is None:
            continue  # a page break does not end a paragraph
        if isinstance(it, Table):
            flush()
            builder.break_()
            for row, page in zip(it.rows, it.pages):
                builder.row([(t, Place("pdf", page, box, text=t) if box else None) for t, box in row])
            builder.break_()
            prev_line = None
            continue
        if para and prev_line is not None and _wraps(prev_line, it, right, left):
            para.append(it)
        else:
            flush()
            para.append(it)
        prev_line = it
    flush()
    doc = builder.build("pdf")
    doc.metadata["pages"] = len(pages)
    return doc


def _drop_blank_columns(table: Table) -> None:
    """A column with no text in any row of the whole table (the sliver between a frame
    drawn round the page and the table's own rules) is not a column."""
    if not table.rows:
        return
    n = max(len(r) for r in table.rows)
    keep = [k for k in range(n) if any(k < len(r) and r[k][0] for r in table.rows)]
    if len(keep) == n or len(keep) < 2:
        return
    table.rows = [[r[k] for k in keep if k < len(r)] for r in table.rows]


def _right_margin(pages: list[_Page]) -> dict[int, float]:
    out = {}
    for p in pages:
        xs = sorted(it.x1 for it in p.items if isinstance(it, Line))
        out[p.number] = xs[int(len(xs) * 0.9)] if xs else p.width
    return out


def _left_margin(pages: list[_Page]) -> dict[int, float]:
    out = {}
    for p in pages:
        xs = Counter(round(it.x0) for it in p.items if isinstance(it, Line))
        out[p.number] = min((x for x, n in xs.items() if n >= 2), default=min(xs, default=0))
    return out


def _wraps(a: Line, b: Line, right: dict[int, float], left: dict[int, float]) -> bool:
    """Does ``b`` continue the paragraph ``a`` ends with?"""
    if abs(a.size - b.size) > 1.5 or not a.text or not b.text:
        return False
    if a.x1 < right[a.page] - 4.0 * a.size:
        return False  # a short line ends its paragraph (a number that did not fit leaves a gap)
    if b.x0 > left[b.page] + 0.8 * b.size or _ENUM.match(b.text):
        return False  # indented: a new paragraph
    if a.text[-1] in "。！？!?":
        return False
    if a.page == b.page and b.top - a.bottom > 1.2 * a.size:
        return False
    return True


class _Builder(DocumentBuilder):
    def words(self, pieces: list[tuple[str, Place, str]]) -> None:
        """One prose line from words, each with the separator that goes before it
        ("" between CJK and digits set apart only by font, " " at a real gap)."""
        pieces = [(clean(t), p, s) for t, p, s in pieces if clean(t)]
        if not pieces:
            return
        line, segments = "", []
        for t, p, s in pieces:
            if line:
                line += s
            segments.append((len(line) + 1, len(line) + 1 + len(t), p))
            line += t
        number = self._add_line(line)
        self.places[number] = tuple(segments)
        self.blocks.append(Block(BlockKind.TEXT, number, line))


class PdfReader:
    """Reads ``.pdf`` filings (and PDF content under any name, via :meth:`sniff`)."""

    name = "pdf"
    suffixes = (".pdf",)

    @staticmethod
    def sniff(head: bytes) -> bool:
        """Is this the start of a PDF file?  (``%PDF-`` within the first KiB, as
        readers accept junk before the header.)"""
        return b"%PDF-" in head[:1024]

    @staticmethod
    def read(path: str, encoding: str | None = None) -> Document:
        return read_pdf(str(Path(path)) if not isinstance(path, str) else path)
