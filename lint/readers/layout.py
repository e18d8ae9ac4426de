"""Laying a non-text source out as text lines, remembering where each stretch came from.

The PDF, DOCX and XLSX readers all end here: they hand over paragraphs (one line each)
and table rows (cells joined by tabs, as in a text export), each piece with its
:class:`~lint.model.Place`.  The result is an ordinary :class:`~lint.model.Document`,
so the one recognizer and every rule serve every format, while ``Document.places``
lets a finding found on a laid-out line be reported on its page and box, paragraph
or sheet cell.
"""

from __future__ import annotations

from typing import Sequence

from ..model import Block, BlockKind, CellText, Document, Place, Span

# Characters that would split or shift a laid-out line: a cell's own tabs and line
# breaks become spaces (a two-line header cell reads as one header).
_FLATTEN = str.maketrans({"\t": " ", "\n": " ", "\r": " ", "\f": " ", "\x0b": " "})


def clean(text: str) -> str:
    return " ".join(text.translate(_FLATTEN).split())


class DocumentBuilder:
    """Collects paragraphs and table rows in reading order; ``build()`` makes the Document."""

    def __init__(self, path: str, format: str):
        self.path = path
        self.format = format
        self.lines: list[str] = []
        self.blocks: list[Block] = []
        self.places: dict[int, tuple[tuple[int, int, Place], ...]] = {}

    def text(self, text: str, place: Place | Sequence[tuple[str, Place]]) -> None:
        """One line of prose.  ``place`` is the whole line's place, or the line given as
        pieces ``[(text, place), …]`` (PDF words) joined with single spaces where the
        source had a gap."""
        if isinstance(place, Place):
            line = clean(text)
            if not line:
                return
            number = self._add_line(line)
            self.places[number] = ((1, len(line) + 1, place),)
        else:
            pieces = [(clean(t), p) for t, p in place if clean(t)]
            if not pieces:
                return
            line = " ".join(t for t, _ in pieces)
            number = self._add_line(line)
            segments, col = [], 1
            for t, p in pieces:
                segments.append((col, col + len(t), p))
                col += len(t) + 1
            self.places[number] = tuple(segments)
        self.blocks.append(Block(BlockKind.TEXT, number, line))

    def row(self, cells: Sequence[tuple[str, Place | None]]) -> None:
        """One table row: cells in column order (blank cells kept, so columns stay put)."""
        texts = [clean(t) for t, _ in cells]
        if not any(texts):
            return
        if len(texts) == 1:  # a one-cell row is not a row: keep a tab so it stays one
            texts.append("")
            cells = [*cells, ("", None)]
        line = "\t".join(texts)
        number = self._add_line(line)
        out, segments, col = [], [], 1
        for t, (_, place) in zip(texts, cells):
            out.append(CellText(t, Span.on_line(number, col, len(t))))
            if place is not None:
                segments.append((col, col + max(len(t), 1), place))
            col += len(t) + 1
        self.places[number] = tuple(segments)
        self.blocks.append(Block(BlockKind.ROW, number, line, tuple(out)))

    def blank(self, cells: int = 1) -> None:
        """An empty paragraph (a blank line), or an empty table row of ``cells`` cells
        (its tabs kept: a text export writes them, and an empty row does not end a
        table).  Either is a line without a block, as the text reader makes it."""
        self._add_line("\t" * (cells - 1))

    def break_(self) -> None:
        """A page or section break: a blank line, as in a text export."""
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def _add_line(self, line: str) -> int:
        self.lines.append(line)
        return len(self.lines)

    def build(self, encoding: str = "") -> Document:
        return Document(path=self.path, encoding=encoding or self.format, lines=self.lines, blocks=self.blocks,
                        places=self.places, format=self.format)
