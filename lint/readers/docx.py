"""The DOCX reader: a Word filing's body as text lines, each with its paragraph or table cell.

Body paragraphs and tables are read in document order (headers, footers, footnotes and
text boxes are not content of the filing).  Word's automatic list numbering is rendered
the way Word shows it — ``一、``, ``（二）``, ``1.`` come from ``numbering.xml``, not from
the paragraph's text, and a plain-text export loses them, which made the numbering
checks report gaps the document does not have.  Tables become cell grids: a cell merged
across columns (``gridSpan``) or down rows (``vMerge``) has its text in its first grid
cell and the others blank, so columns stay where the header puts them.

Places: ``Place("docx", paragraph=n)`` for the n-th body paragraph (1-based, empty ones
counted, as ``python-docx``'s ``Document.paragraphs``), ``Place("docx", table=t, row=r,
column=c)`` for a table cell (1-based; ``c`` is the grid column).  Every paragraph is
one line and an empty paragraph a blank line, so a DOCX reads like its text export.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from ..errors import InputError
from ..i18n import tr
from ..model import Document, Place
from .layout import DocumentBuilder, clean
from .package import open_package

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


P, TBL, TR, TC, SDT, SDT_CONTENT = _w("p"), _w("tbl"), _w("tr"), _w("tc"), _w("sdt"), _w("sdtContent")
VAL = _w("val")
# Run content that is not text of the document: deleted revisions, the field codes
# behind a field's result, the fallback copy of alternate content, text boxes.
_SKIP = {_w("del"), _w("moveFrom"), _w("instrText"), _w("delInstrText"), _w("pPr"), _w("rPr"), _w("txbxContent"),
         f"{{{MC}}}Fallback", _w("footnoteReference"), _w("endnoteReference"), _w("commentReference")}


# --------------------------------------------------------------------------- numbering

_CN_DIGITS = "零一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _chinese(n: int, digits: str = _CN_DIGITS, units: str = "十百千") -> str:
    """一, 十, 十一, 二十, 一百零五 … (Word's chineseCounting / chineseCountingThousand)."""
    if n <= 0:
        return digits[0]
    if n >= 10000:
        return _chinese(n // 10000, digits, units) + "万" + (
            (digits[0] if n % 10000 < 1000 else "") + _chinese(n % 10000, digits, units) if n % 10000 else "")
    out, zero, started = [], False, False
    for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        d = n // power % 10
        if d == 0:
            zero = started
            continue
        if zero:
            out.append(digits[0])
            zero = False
        if not (d == 1 and power == 10 and not started):  # 十一, not 一十一
            out.append(digits[d])
        out.append(unit)
        started = True
    return "".join(out)


def _roman(n: int) -> str:
    out = []
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                       (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def _letter(n: int) -> str:  # Word: A … Z, AA … ZZ, AAA …
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else ""


def format_number(n: int, fmt: str) -> str:
    """The counter ``n`` written in Word's number format ``fmt`` (ST_NumberFormat)."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "taiwaneseCountingThousand",
               "japaneseCounting", "koreanCounting"):
        return _chinese(n)
    if fmt == "chineseLegalSimplified":
        return _chinese(n, _CN_LEGAL, "拾佰仟")
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(n))
    if fmt in ("ideographTraditional",):
        return _TIANGAN[(n - 1) % 10]
    if fmt in ("ideographZodiac",):
        return _DIZHI[(n - 1) % 12]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle"):
        return _CIRCLED[n - 1] if 0 < n <= len(_CIRCLED) else str(n)
    if fmt == "decimalEnclosedParen":
        return f"({n})"
    if fmt == "decimalEnclosedFullstop":
        return f"{n}."
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperLetter":
        return _letter(n)
    if fmt == "lowerLetter":
        return _letter(n).lower()
    if fmt in ("none", "bullet"):
        return ""
    return str(n)  # decimal and anything unknown: a plain number reads true


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    suffix: str = "tab"
    restart: int | None = None  # w:lvlRestart: restart after this (1-based) level; None = after any higher
    legal: bool = False  # w:isLgl: every level shown in decimal


@dataclass
class _Num:
    abstract: str
    overrides: dict[int, int] = field(default_factory=dict)  # ilvl -> startOverride
    levels: dict[int, _Level] = field(default_factory=dict)  # ilvl -> a level replaced outright


def _int(el, tag: str, default: int | None = None) -> int | None:
    child = el.find(_w(tag)) if el is not None else None
    if child is None:
        return default
    try:
        return int(child.get(VAL))
    except (TypeError, ValueError):
        return default


def _str(el, tag: str, default: str | None = None) -> str | None:
    child = el.find(_w(tag)) if el is not None else None
    if child is None:
        return default
    v = child.get(VAL)
    return default if v is None else v


def _parse_level(lvl) -> _Level:
    legal = lvl.find(_w("isLgl"))
    return _Level(start=_int(lvl, "start", 1), fmt=_str(lvl, "numFmt", "decimal"), text=_str(lvl, "lvlText", ""),
                  suffix=_str(lvl, "suff", "tab"), restart=_int(lvl, "lvlRestart"),
                  legal=legal is not None and legal.get(VAL, "true") not in ("0", "false", "off"))


class Numbering:
    """Word's list counters, advanced paragraph by paragraph in document order.

    Counters belong to the abstract list (``w:abstractNum``): two ``w:num`` instances of
    one abstract list continue each other, and an instance with a ``startOverride``
    restarts the level the first time it is used — what Word shows."""

    def __init__(self, numbering_el, styles_el):
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.nums: dict[str, _Num] = {}
        self.styles: dict[str, tuple[str | None, int | None, str | None]] = {}  # id -> numId, ilvl, basedOn
        self.counters: dict[str, list[int | None]] = {}
        self.style_links: dict[str, str] = {}  # abstractNumId -> list style whose numbering it uses
        self.applied: set[tuple[str, int]] = set()
        if numbering_el is not None:
            for a in numbering_el.findall(_w("abstractNum")):
                aid = a.get(_w("abstractNumId"))
                self.abstract[aid] = {
                    int(lvl.get(_w("ilvl"), "0")): _parse_level(lvl) for lvl in a.findall(_w("lvl"))}
                link = _str(a, "numStyleLink")
                if link:  # a list that takes its levels from a list style
                    self.style_links[aid] = link
            for n in numbering_el.findall(_w("num")):
                num = _Num(_str(n, "abstractNumId", "") or "")
                for o in n.findall(_w("lvlOverride")):
                    ilvl = int(o.get(_w("ilvl"), "0"))
                    start = _int(o, "startOverride")
                    if start is not None:
                        num.overrides[ilvl] = start
                    lvl = o.find(_w("lvl"))
                    if lvl is not None:
                        num.levels[ilvl] = _parse_level(lvl)
                num_id = n.get(_w("numId"))
                if num_id is not None:
                    self.nums[num_id] = num
        if styles_el is not None:
            for s in styles_el.findall(_w("style")):
                ppr = s.find(_w("pPr"))
                numpr = ppr.find(_w("numPr")) if ppr is not None else None
                self.styles[s.get(_w("styleId"))] = (_str(numpr, "numId"), _int(numpr, "ilvl"), _str(s, "basedOn"))

    def _style_numpr(self, style: str | None) -> tuple[str | None, int | None]:
        seen = set()
        while style and style not in seen:
            seen.add(style)
            num_id, ilvl, based = self.styles.get(style, (None, None, None))
            if num_id is not None:
                return num_id, ilvl
            style = based
        return None, None

    def _resolve(self, abstract: str) -> str:
        """The abstract list holding the levels: through ``numStyleLink`` to the list
        style's own list (Word's "list styles"), at most a few hops."""
        for _ in range(5):
            link = self.style_links.get(abstract)
            if link is None:
                break
            num_id, _ = self._style_numpr(link)
            target = self.nums.get(num_id or "")
            if target is None or target.abstract == abstract:
                break
            abstract = target.abstract
        return abstract

    def label(self, p) -> str:
        """The number Word shows before paragraph ``p`` ("" when it has none), with its
        separator (nothing after ``一、`` or ``（二）``, a space after ``1.``)."""
        ppr = p.find(_w("pPr"))
        numpr = ppr.find(_w("numPr")) if ppr is not None else None
        num_id, ilvl = _str(numpr, "numId"), _int(numpr, "ilvl")
        if num_id is None:
            s_num, s_ilvl = self._style_numpr(_str(ppr, "pStyle"))
            num_id = s_num
            ilvl = ilvl if ilvl is not None else s_ilvl
        if num_id is None or num_id == "0" or num_id not in self.nums:
            return ""
        ilvl = ilvl or 0
        num = self.nums[num_id]
        abstract = self._resolve(num.abstract)
        levels = {**self.abstract.get(abstract, {}), **num.levels}
        level = levels.get(ilvl)
        if level is None:
            return ""
        counters = self.counters.setdefault(abstract, [None] * 10)
        if ilvl >= len(counters):
            return ""
        if ilvl in num.overrides and (num_id, ilvl) not in self.applied:
            self.applied.add((num_id, ilvl))
            counters[ilvl] = num.overrides[ilvl]
        elif counters[ilvl] is None:
            counters[ilvl] = level.start
        else:
            counters[ilvl] += 1
        for deeper in range(ilvl + 1, len(counters)):
            # A deeper level restarts under this one unless its lvlRestart says it only
            # restarts under a higher level (or never: 0).
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or (restart > 0 and ilvl <= restart - 1):
                counters[deeper] = None
        if level.fmt == "bullet" or level.fmt == "none":
            return ""
        text = level.text or ""
        for k in range(9):
            token = f"%{k + 1}"
            if token not in text:
                continue
            lv = levels.get(k, _Level())
            value = counters[k] if counters[k] is not None else lv.start
            fmt = "decimal" if level.legal and k < ilvl else lv.fmt
            text = text.replace(token, format_number(value, fmt))
        if not text:
            return ""
        if level.suffix == "nothing":
            return text
        if level.suffix == "tab" and text[-1] in "、）)：":
            # Chinese markers stand against their text (一、部门职责) in every export;
            # a tab after "1." shows as a gap, kept as one space.
            return text
        return text + " "


# --------------------------------------------------------------------------- text


def _text(el) -> str:
    """The visible text under ``el``: runs, hyperlinks, fields' results, inserted
    revisions; not deleted text, field codes or hidden runs."""
    out: list[str] = []

    def walk(node) -> None:
        for child in node:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == _w("r"):
                rpr = child.find(_w("rPr"))
                vanish = rpr.find(_w("vanish")) if rpr is not None else None
                if vanish is not None and vanish.get(VAL, "true") not in ("0", "false", "off"):
                    continue
            if tag == _w("t"):
                out.append(child.text or "")
            elif tag in (_w("tab"), _w("ptab")):
                out.append(" ")
            elif tag in (_w("br"), _w("cr")):
                out.append(" ")
            elif tag == _w("noBreakHyphen"):
                out.append("-")
            elif tag == _w("sym"):
                char = child.get(_w("char"), "")
                try:
                    code = int(char, 16)
                    out.append(chr(code) if not 0xE000 <= code <= 0xF8FF else "")
                except ValueError:
                    pass
            elif tag == P:  # a paragraph nested in a cell's content control
                walk(child)
                out.append(" ")
            else:
                walk(child)

    walk(el)
    return "".join(out)


def _body_items(parent) -> Iterator:
    """Paragraphs and tables in document order, looking through content controls."""
    for child in parent:
        if child.tag in (P, TBL):
            yield child
        elif child.tag == SDT:
            content = child.find(SDT_CONTENT)
            if content is not None:
                yield from _body_items(content)
        elif child.tag in (_w("customXml"), _w("smartTag")):
            yield from _body_items(child)


def _children(parent, tag: str) -> Iterator:
    """``parent``'s children of ``tag``, looking through content controls and custom
    XML that wrap them (a table's rows, a row's cells)."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in (SDT, _w("customXml")):
            content = child.find(SDT_CONTENT) if child.tag == SDT else child
            if content is not None:
                yield from _children(content, tag)


def _rows(tbl) -> Iterator:
    return _children(tbl, TR)


def _cells(tr) -> Iterator:
    return _children(tr, TC)


class _Reader:
    def __init__(self, path: str, body, numbering: Numbering):
        self.builder = DocumentBuilder(path, "docx")
        self.numbering = numbering
        self.body = body
        self.paragraph = 0
        self.table = 0

    def paragraph_text(self, p) -> str:
        return clean(self.numbering.label(p) + _text(p))

    def read(self) -> Document:
        for item in _body_items(self.body):
            if item.tag == P:
                self.paragraph += 1
                text = self.paragraph_text(item)
                if text:
                    self.builder.text(text, Place("docx", paragraph=self.paragraph, text=text))
                else:
                    self.builder.blank()
            else:
                self.table += 1
                self.read_table(item)
        return self.builder.build()

    def cell_text(self, tc) -> str:
        parts = []
        for item in _body_items(tc):
            if item.tag == P:
                parts.append(self.paragraph_text(item))
            else:  # a table inside a cell: its text, row by row
                parts.extend(self.cell_text(c) for r in _rows(item) for c in _cells(r))
        return clean(" ".join(x for x in parts if x))

    def read_table(self, tbl) -> None:
        grid = tbl.find(_w("tblGrid"))
        width = len(grid.findall(_w("gridCol"))) if grid is not None else 0
        for r, row in enumerate(_rows(tbl), start=1):
            trpr = row.find(_w("trPr"))
            column = _int(trpr, "gridBefore", 0) or 0
            cells: list[tuple[str, Place | None]] = [("", None)] * column
            for tc in _cells(row):
                tcpr = tc.find(_w("tcPr"))
                span = max(_int(tcpr, "gridSpan", 1) or 1, 1)
                vmerge = tcpr.find(_w("vMerge")) if tcpr is not None else None
                continued = vmerge is not None and vmerge.get(VAL, "continue") == "continue"
                text = "" if continued else self.cell_text(tc)
                place = Place("docx", table=self.table, row=r, column=column + 1, text=text)
                cells.append((text, place))
                cells.extend(("", None) for _ in range(span - 1))
                column += span
            while len(cells) < width:  # gridAfter, or a short row: blank to the grid's width
                cells.append(("", None))
            if any(text for text, _ in cells):
                self.builder.row(cells)
            else:  # an empty row still takes a line, as in a text export
                self.builder.blank(len(cells))


def read_docx(path: str, encoding: str | None = None) -> Document:
    """Read a DOCX file; raise :class:`InputError` (one line) for anything else."""
    stream = open_package(path, "docx")
    try:
        import docx  # python-docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError:  # pragma: no cover - a dependency of the package
        raise InputError(tr("读取 DOCX 需要 python-docx"), path)
    try:
        document = docx.Document(stream)
        part = document.part
        try:
            numbering_el = part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            numbering_el = None
        try:
            styles_el = part.styles.element if part.styles is not None else None
        except (KeyError, NotImplementedError, AttributeError):
            styles_el = None
        body = document.element.body
    except PackageNotFoundError:
        raise InputError(tr("不是有效的 DOCX 文件"), path)
    except InputError:
        raise
    except Exception as exc:  # python-docx/lxml on a malformed package: one line, never a traceback
        raise InputError(tr("{kind} 文件无法解析，可能已损坏：{error}", kind="DOCX", error=f"{type(exc).__name__}: {exc}"), path)
    return _Reader(path, body, Numbering(numbering_el, styles_el)).read()


class DocxReader:
    """``filinglint_readers`` entry: Word documents."""

    name = "docx"
    suffixes = (".docx", ".docm")
    container_part = "word/document.xml"  # what a zip must hold to be read by this reader

    @staticmethod
    def read(path: str, encoding: str | None = None) -> Document:
        return read_docx(path, encoding)
