"""Streaming report writers: a report is written file by file as the run goes.

A *report writer* is built once per run and asked for text three times over::

    writer = Writer(rules, options)
    out.write(writer.begin())
    for file_result in results:          # in the order the files were given
        out.write(writer.file(file_result))
    out.write(writer.end(notices))       # every tool notice of the run

so the run never holds more than one file's result (and its source lines) at a time.
Each method returns a string or an iterable of strings (written in turn: a long tail,
such as a summary of every file, need not be built in memory as one string).
A formatter registered through ``filinglint_formatters`` may be

* a writer class (has ``begin``, ``file`` and ``end``), or
* a function ``format(result, rules, options) -> str`` carrying its writer class as
  ``format.stream`` (the built-in ones: see :func:`whole_report`), or
* a plain function ``format(result, rules, options) -> str`` (the older protocol):
  :func:`open_writer` then collects every file's result and calls it once at the end,
  which works but keeps the whole run in memory.
"""

from __future__ import annotations

import json
import tempfile
import textwrap
from typing import Any, Callable, Iterable, Iterator, Protocol, Sequence

from ..model import FileResult, RunResult, ToolNotice
from .options import FormatOptions


class ReportWriter(Protocol):
    """What a streaming formatter implements (see the module docstring)."""

    def __init__(self, rules: dict[str, Any], options: FormatOptions) -> None: ...

    def begin(self) -> str | Iterable[str]: ...

    def file(self, result: FileResult) -> str | Iterable[str]: ...

    def end(self, notices: Sequence[ToolNotice]) -> str | Iterable[str]: ...


def text_of(part: str | Iterable[str]) -> str:
    return part if isinstance(part, str) else "".join(part)


def is_writer_class(obj: Any) -> bool:
    return isinstance(obj, type) and all(callable(getattr(obj, m, None)) for m in ("begin", "file", "end"))


def whole_report(writer: type) -> Callable[..., str]:
    """The classic ``format(result, rules, options) -> str`` for a writer class: the same
    bytes a streamed run writes, produced in one call."""

    def format_report(result: RunResult, rules: dict[str, Any], options: FormatOptions) -> str:
        w = writer(rules, options)
        parts = [text_of(w.begin())]
        parts.extend(text_of(w.file(fr)) for fr in result.files)
        parts.append(text_of(w.end(result.notices)))
        return "".join(parts)

    format_report.stream = writer  # type: ignore[attr-defined]
    format_report.__doc__ = writer.__doc__
    format_report.__name__ = f"format_{getattr(writer, 'name', writer.__name__.lower())}"
    return format_report


class _Buffered:
    """Adapter for a plain formatter function: keeps every file's result, formats at the end."""

    def __init__(self, function: Callable[..., str], rules: dict[str, Any], options: FormatOptions):
        self.function, self.rules, self.options = function, rules, options
        self.files: list[FileResult] = []

    def begin(self) -> str:
        return ""

    def file(self, result: FileResult) -> str:
        self.files.append(result)
        return ""

    def end(self, notices: Sequence[ToolNotice]) -> str:
        return self.function(RunResult(self.files, list(notices)), self.rules, self.options)


def open_writer(formatter: Any, rules: dict[str, Any], options: FormatOptions) -> ReportWriter:
    """A writer for any registered formatter (class, function with ``.stream``, or function)."""
    if is_writer_class(formatter):
        return formatter(rules, options)
    stream = getattr(formatter, "stream", None)
    if is_writer_class(stream):
        return stream(rules, options)
    return _Buffered(formatter, rules, options)


class LazyFormatter:
    """A formatter named by ``"module:attribute"`` and imported when first used, so a
    run that writes text never imports SARIF's object model."""

    def __init__(self, target: str):
        self.target = target

    def resolve(self) -> Any:
        from importlib import import_module

        module, _, attr = self.target.partition(":")
        return getattr(import_module(module), attr)

    def __call__(self, result: RunResult, rules: dict[str, Any], options: FormatOptions) -> str:
        return self.resolve()(result, rules, options)

    @property
    def stream(self) -> Any:
        return getattr(self.resolve(), "stream", None)


class Spool:
    """Small per-file records a report lists after its results (the JSON ``files``, the
    SARIF artifacts), kept in a temporary file rather than in memory: a run over
    300,000 filings holds none of them."""

    def __init__(self) -> None:
        self._fh: Any = None
        self.count = 0

    def add(self, item: Any) -> None:
        if self._fh is None:
            self._fh = tempfile.TemporaryFile("w+", encoding="utf-8")
        self._fh.write(json.dumps(item, ensure_ascii=False) + "\n")
        self.count += 1

    def __iter__(self) -> Iterator[Any]:
        if self._fh is None:
            return
        self._fh.seek(0)
        for line in self._fh:
            yield json.loads(line)

    def json_chunks(self, indent: int) -> Iterator[str]:
        """The items as the JSON list ``json.dumps(items, indent=2)`` writes at nesting
        ``indent`` (spaces before the key holding the list)."""
        if not self.count:
            yield "[]"
            return
        pad = " " * (indent + 2)
        for n, item in enumerate(self):
            yield ("[\n" if n == 0 else ",\n") + textwrap.indent(json.dumps(item, ensure_ascii=False, indent=2), pad)
        yield "\n" + " " * indent + "]"

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
