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


@hookimpl
def filinglint_readers():
    from ..readers.docx import DocxReader
    from ..readers.xls import XlsReader
    from ..readers.xlsx import XlsxReader

    from ..readers.pdf import PdfReader

    return [TextReader(), DocxReader(), XlsxReader(), XlsReader(), PdfReader()]


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
