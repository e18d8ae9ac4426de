"""The engine's own plugin: the text reader, the output formats, claim extraction.

Registered through the ``filinglint`` entry-point group like any third-party plugin."""

from __future__ import annotations

from ..model import Document
from ..readers.text import SUPPORTED_SUFFIXES, read_text_file
from . import hookimpl


class TextReader:
    name = "text"
    suffixes = SUPPORTED_SUFFIXES

    @staticmethod
    def read(path: str, encoding: str | None = None) -> Document:
        return read_text_file(path, encoding)


class LazyReader:
    """A reader whose module is imported when a file of its format is first read, so a
    run over text files never imports the PDF, Word and Excel readers (~40 ms of a
    start).  What chooses a reader (``name``, ``suffixes``, ``container_part``,
    ``ole_stream`` and the ``sniff`` of the first bytes) is given here;
    tests/plugins/test_builtin_readers.py checks it against the real reader classes."""

    def __init__(self, target: str, name: str, suffixes: tuple[str, ...], *,
                 sniff=None, container_part: str | None = None, ole_stream: str | None = None):
        self.target, self.name, self.suffixes = target, name, suffixes
        if sniff is not None:
            self.sniff = sniff
        if container_part is not None:
            self.container_part = container_part
        if ole_stream is not None:
            self.ole_stream = ole_stream
        self._reader = None

    def resolve(self):
        if self._reader is None:
            from importlib import import_module

            module, _, attr = self.target.partition(":")
            self._reader = getattr(import_module(module), attr)()
        return self._reader

    def read(self, path: str, encoding: str | None = None) -> Document:
        return self.resolve().read(path, encoding)

    def __repr__(self) -> str:
        return f"<{self.name} reader, {self.target}>"


def _pdf_head(head: bytes) -> bool:
    return b"%PDF-" in head[:1024]  # as lint.readers.pdf.PdfReader.sniff


def _ole_head(head: bytes) -> bool:
    from ..readers.package import OLE_MAGIC  # as lint.readers.xls.XlsReader.sniff

    return head.startswith(OLE_MAGIC)


@hookimpl
def filinglint_readers():
    return [
        TextReader(),
        LazyReader("lint.readers.docx:DocxReader", "docx", (".docx", ".docm"), container_part="word/document.xml"),
        LazyReader("lint.readers.doc:DocReader", "doc", (".doc", ".wps"), ole_stream="WordDocument"),
        LazyReader("lint.readers.xlsx:XlsxReader", "xlsx", (".xlsx", ".xlsm"), container_part="xl/workbook.xml"),
        LazyReader("lint.readers.xls:XlsReader", "xls", (".xls", ".et"), sniff=_ole_head),
        LazyReader("lint.readers.pdf:PdfReader", "pdf", (".pdf",), sniff=_pdf_head),
    ]


@hookimpl
def filinglint_formatters():
    from ..report.stream import LazyFormatter

    formats = {"text": "text:format_text", "json": "json:format_json", "jsonl": "json:format_jsonl",
               "sarif": "sarif:format_sarif", "html": "html:format_html", "github": "github:format_github"}
    return {name: LazyFormatter(f"lint.report.formatters.{where}") for name, where in formats.items()}


@hookimpl
def filinglint_extract_claims(document, tables):
    from ..recognize.claims import extract_claims

    return extract_claims(document)
