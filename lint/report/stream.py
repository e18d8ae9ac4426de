"""Streaming report writers: a report is written file by file as the run goes.

A *report writer* is built once per run and asked for text three times over::

    writer = Writer(rules, options)
    out.write(writer.begin())
    for file_result in results:          # in the order the files were given
        out.write(writer.file(file_result))
    out.write(writer.end(notices))       # every tool notice of the run

so the run never holds more than one file's result (and its source lines) at a time.
A formatter registered through ``filinglint_formatters`` may be

* a writer class (has ``begin``, ``file`` and ``end``), or
* a function ``format(result, rules, options) -> str`` carrying its writer class as
  ``format.stream`` (the built-in ones: see :func:`whole_report`), or
* a plain function ``format(result, rules, options) -> str`` (the older protocol):
  :func:`open_writer` then collects every file's result and calls it once at the end,
  which works but keeps the whole run in memory.
"""

from __future__ import annotations

from typing import Any, Callable, Protocol, Sequence

from ..model import FileResult, RunResult, ToolNotice
from .options import FormatOptions


class ReportWriter(Protocol):
    """What a streaming formatter implements (see the module docstring)."""

    def __init__(self, rules: dict[str, Any], options: FormatOptions) -> None: ...

    def begin(self) -> str: ...

    def file(self, result: FileResult) -> str: ...

    def end(self, notices: Sequence[ToolNotice]) -> str: ...


def is_writer_class(obj: Any) -> bool:
    return isinstance(obj, type) and all(callable(getattr(obj, m, None)) for m in ("begin", "file", "end"))


def whole_report(writer: type) -> Callable[..., str]:
    """The classic ``format(result, rules, options) -> str`` for a writer class: the same
    bytes a streamed run writes, produced in one call."""

    def format_report(result: RunResult, rules: dict[str, Any], options: FormatOptions) -> str:
        w = writer(rules, options)
        parts = [w.begin()]
        parts.extend(w.file(fr) for fr in result.files)
        parts.append(w.end(result.notices))
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
