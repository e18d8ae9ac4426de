"""Writing text filings (seeds, generated filings) as DOCX and XLSX, the way Word and
Excel hold them, for the DOCX/XLSX readers' tests.

:func:`text_to_docx` turns every text line into a paragraph (a blank line into an empty
paragraph) and every run of tab-separated lines into a Word table; header cells that a
text export shows as ``收入⇥⇥⇥支出⇥⇥`` become merged cells (``gridSpan``), a header
cell with a blank below it a vertical merge (``vMerge``).  With ``numbering=True`` the
markers ``一、`` ``（二）`` ``1.`` ``①`` ``第一部分`` are taken out of the text and
written as Word automatic numbering (``numbering.xml`` abstract lists, a new list
instance with ``startOverride`` wherever the printed sequence does not simply go on),
so the DOCX shows exactly the numbers of the text, but only a reader that renders
Word's numbering sees them.

:func:`filing_to_xlsx` writes a generated filing as a workbook: each table on its own
sheet with its title/unit/department lines above the grid, amounts as numbers with a
``#,##0.00`` (or ``0.00``) display format, the narrative on a first sheet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# Markers the H003 rule knows, as (regex, numFmt, value parser).
_CN = "一二三四五六七八九十"


def _cn_value(text: str) -> int | None:
    if not text or any(ch not in _CN for ch in text):
        return None
    if text == "十":
        return 10
    if len(text) == 1:
        return _CN.index(text) + 1
    if text.startswith("十") and len(text) == 2:
        return 10 + _CN.index(text[1]) + 1
    if len(text) == 2 and text[1] == "十":
        return (_CN.index(text[0]) + 1) * 10
    if len(text) == 3 and text[1] == "十":
        return (_CN.index(text[0]) + 1) * 10 + _CN.index(text[2]) + 1
    return None


_MARKERS = (
    (re.compile(r"^(第)([一二三四五六七八九十]{1,3})(部分)"), "chineseCounting"),
    (re.compile(r"^()([一二三四五六七八九十]{1,3})(、)"), "chineseCounting"),
    (re.compile(r"^([（(])([一二三四五六七八九十]{1,3})([)）])"), "chineseCounting"),
    (re.compile(r"^()(\d{1,2})([、.．](?!\d))"), "decimal"),
    (re.compile(r"^([（(])(\d{1,2})([)）])"), "decimal"),
    (re.compile(r"^()([①-⑳])()"), "decimalEnclosedCircle"),
)


def split_marker(text: str) -> tuple[str, str, int, str] | None:
    """``(lvlText, numFmt, value, rest)`` when ``text`` starts with a list marker."""
    for rx, fmt in _MARKERS:
        m = rx.match(text)
        if not m:
            continue
        raw = m.group(2)
        value = (ord(raw) - ord("①") + 1) if fmt == "decimalEnclosedCircle" else (
            int(raw) if fmt == "decimal" else _cn_value(raw))
        if not value:
            return None
        return f"{m.group(1)}%1{m.group(3)}", fmt, value, text[m.end():]
    return None


@dataclass
class _Lists:
    """Numbering definitions appended to the document's numbering part."""

    numbering: object  # the w:numbering element
    abstract: dict[tuple[str, str], int] = field(default_factory=dict)
    current: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)  # style -> numId, last value
    next_abstract: int = 100
    next_num: int = 100

    def num_for(self, lvl_text: str, fmt: str, value: int) -> int:
        key = (lvl_text, fmt)
        if key not in self.abstract:
            self.abstract[key] = self._add_abstract(lvl_text, fmt)
        cur = self.current.get(key)
        if cur is not None and value == cur[1] + 1:
            self.current[key] = (cur[0], value)
            return cur[0]
        num_id = self._add_num(self.abstract[key], value)
        self.current[key] = (num_id, value)
        return num_id

    def _add_abstract(self, lvl_text: str, fmt: str) -> int:
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        aid = self.next_abstract
        self.next_abstract += 1
        el = parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{aid}"><w:multiLevelType w:val="singleLevel"/>'
            f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:suff w:val="nothing"/><w:lvlText w:val="{lvl_text}"/><w:lvlJc w:val="left"/></w:lvl>'
            f"</w:abstractNum>")
        # abstractNum elements must precede the num elements
        first_num = self.numbering.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
        if first_num is not None:
            first_num.addprevious(el)
        else:
            self.numbering.append(el)
        return aid

    def _add_num(self, aid: int, start: int) -> int:
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        nid = self.next_num
        self.next_num += 1
        self.numbering.append(parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{nid}"><w:abstractNumId w:val="{aid}"/>'
            f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride></w:num>'))
        return nid


def _numbered(paragraph, lists: _Lists | None, text: str) -> None:
    """Write ``text`` into ``paragraph``, its list marker as automatic numbering."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    split = split_marker(text) if lists is not None else None
    if split is None:
        if text:
            paragraph.add_run(text)
        return
    lvl_text, fmt, value, rest = split
    num_id = lists.num_for(lvl_text, fmt, value)
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'))
    if rest:
        paragraph.add_run(rest)


def _is_amount(text: str) -> bool:
    return bool(re.fullmatch(r"-?[\d,，]+(\.\d+)?%?", text.replace(" ", ""))) and any(ch.isdigit() for ch in text)


def _add_table(doc, rows: list[list[str]], lists: _Lists | None, merge: bool) -> None:
    width = len(rows[0])
    table = doc.add_table(rows=len(rows), cols=width)
    for r, fields in enumerate(rows):
        for c, value in enumerate(fields):
            cell = table.cell(r, c)
            _numbered(cell.paragraphs[0], lists, value.strip())
    if not merge or len(rows) < 2:
        return
    # Header rows: those above the first row holding an amount.
    header = next((i for i, f in enumerate(rows) if any(_is_amount(x) for x in f)), 0)
    spanned: set[tuple[int, int]] = set()
    if header >= 1:  # the top row: a label over the blanks after it spans them
        top = rows[0]
        c = 0
        while c < width:
            end = c + 1
            while end < width and not top[end].strip():
                end += 1
            if top[c].strip() and end - c > 1 and (header >= 2 or end - c < width):
                table.cell(0, c).merge(table.cell(0, end - 1))
                spanned.update((0, k) for k in range(c, end))
            c = end
    for r in range(0, header - 1):  # a header cell over a blank one: merged down
        for c in range(width):
            if (r, c) in spanned or (r + 1, c) in spanned:
                continue
            if rows[r][c].strip() and not rows[r + 1][c].strip() and any(x.strip() for x in rows[r + 1]):
                table.cell(r, c).merge(table.cell(r + 1, c))
                spanned.update({(r, c), (r + 1, c)})


def text_to_docx(lines: list[str], path: str | Path, *, numbering: bool = True, merge: bool = True) -> Path:
    """Write text-export ``lines`` as a DOCX (see the module docstring)."""
    import docx

    doc = docx.Document()
    body = doc.element.body
    for p in list(body.iterchildren("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p")):
        body.remove(p)  # the template's empty first paragraph
    lists = _Lists(doc.part.numbering_part.element) if numbering else None
    pending: list[list[str]] = []

    def flush() -> None:
        while pending:
            width = len(pending[0])
            n = next((i for i, f in enumerate(pending) if len(f) != width), len(pending))
            _add_table(doc, pending[:n], lists, merge)
            del pending[:n]
            if pending:  # Word puts a paragraph between two tables; a text export shows none
                pass

    for raw in lines:
        line = re.sub(r"\[(?:bookmark|image):[^\]]*\]", "", raw).replace("\f", " ")
        if "\t" in line:
            pending.append(line.split("\t"))
            continue
        flush()
        p = doc.add_paragraph()
        _numbered(p, lists, line.strip())
    flush()
    out = Path(path)
    doc.save(out)
    return out


def numbered_docx(path: str | Path, abstract_xml: str, nums_xml: str,
                  paragraphs: list[tuple[str, int | str | None, int]],
                  styles: dict[str, int] | None = None) -> Path:
    """A DOCX whose numbering part holds exactly ``abstract_xml``/``nums_xml``;
    paragraphs are (text, numId or None, ilvl) or (text, "style:<id>", ilvl), and
    ``styles`` maps a paragraph style id to the numId it carries."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    d = docx.Document()
    body = d.element.body
    for p in list(body.iterchildren(f"{_W}p")):
        body.remove(p)
    numbering = d.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    for el in parse_xml(f"<w:x {nsdecls('w')}>{abstract_xml}{nums_xml}</w:x>"):
        numbering.append(el)
    for sid, num in (styles or {}).items():
        d.styles.element.append(parse_xml(
            f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="{sid}"><w:name w:val="{sid}"/>'
            f'<w:pPr><w:numPr><w:numId w:val="{num}"/></w:numPr></w:pPr></w:style>'))
    for text, num, ilvl in paragraphs:
        ppr = d.add_paragraph(text)._p.get_or_add_pPr()
        if isinstance(num, str) and num.startswith("style:"):
            ppr.append(parse_xml(f'<w:pStyle {nsdecls("w")} w:val="{num[6:]}"/>'))
            if ilvl:
                ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/></w:numPr>'))
        elif num is not None:
            ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr>'))
    path = Path(path)
    d.save(str(path))
    return path


def export_text(path: str | Path) -> list[str]:
    """What a naive export of the DOCX gives (python-docx's ``paragraph.text``, cells
    joined by tabs): every automatic number lost."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc = docx.Document(str(path))
    out: list[str] = []
    for item in doc.iter_inner_content():
        if isinstance(item, Paragraph):
            out.append(item.text)
        elif isinstance(item, Table):
            for row in item.rows:
                seen, cells = set(), []
                for cell in row.cells:
                    cells.append("" if id(cell._tc) in seen else cell.text)
                    seen.add(id(cell._tc))
                out.append("\t".join(cells))
    return out


# --------------------------------------------------------------------------- XLSX


def _number(text: str) -> Decimal | None:
    t = text.strip().replace(",", "")
    if not re.fullmatch(r"-?\d+(\.\d+)?", t):
        return None
    try:
        return Decimal(t)
    except InvalidOperation:
        return None


def text_to_xlsx(lines: list[str], path: str | Path, *, sheet_per_table: bool = True) -> tuple[Path, dict]:
    """Write text-export ``lines`` as a workbook: prose lines in column A, each run of
    tab rows as a grid, amounts as numbers shown with as many decimals as the text
    wrote (``#,##0.00`` when it had thousands separators).  With ``sheet_per_table``
    a new sheet starts at each table's title block (the prose lines right above it).

    Returns the path and ``where``: text line number -> (sheet, row) of the written row,
    and (line, field index) -> "A1" reference for tab rows."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "说明"
    where: dict = {}
    row = 0
    sheets = 1
    # Where sheets break: the first prose line of the block right above each table.
    starts: set[int] = set()
    if sheet_per_table:
        i = 0
        while i < len(lines):
            if "\t" in lines[i]:
                j = i - 1
                while j >= 0 and "\t" not in lines[j] and (i - j) <= 8:
                    j -= 1
                first = next((k for k in range(j + 1, i) if lines[k].strip()), i)
                if first > 0:
                    starts.add(first)
                while i < len(lines) and ("\t" in lines[i] or not lines[i].strip()):
                    i += 1
            else:
                i += 1
    for number, raw in enumerate(lines, start=1):
        if number - 1 in starts and row > 0:
            sheets += 1
            ws = wb.create_sheet(f"表{sheets - 1}")
            row = 0
        row += 1
        line = re.sub(r"\[(?:bookmark|image):[^\]]*\]", "", raw)
        if "\t" not in line:
            if line.strip():
                ws.cell(row=row, column=1, value=line.strip())
            where[number] = (ws.title, row)
            continue
        for c, value in enumerate(line.split("\t"), start=1):
            value = value.strip()
            cell = ws.cell(row=row, column=c)
            amount = _number(value)
            if amount is not None and not re.fullmatch(r"\d{3,7}", value):  # codes stay text
                cell.value = float(amount) if amount != amount.to_integral_value() or "." in value else int(amount)
                decimals = len(value.split(".")[1]) if "." in value else 0
                base = "#,##0" if "," in value else "0"
                cell.number_format = base + ("." + "0" * decimals if decimals else "")
            elif value:
                cell.value = value
                cell.number_format = "@"
            where[(number, c - 1)] = f"{ws.title}!{cell.coordinate}"
        where[number] = (ws.title, row)
    out = Path(path)
    wb.save(out)
    return out, where
