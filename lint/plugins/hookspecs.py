"""Every hook filinglint calls.  All names start with ``filinglint_``.

The built-in formatters, the text reader and every rule pack shipped with filinglint
implement these same hooks; there is no private door.  Hooks are always called with
keyword arguments.  Unless a spec says ``firstresult``, every plugin's answer is
collected into a list (``None`` answers are dropped by pluggy).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from . import hookspec

if TYPE_CHECKING:  # pragma: no cover
    from ..engine.registry import Pack
    from ..recognize.templates import TemplateMatch
    from ..model import Claim, Document, Table


# ----------------------------------------------------------------- contributions


@hookspec
def filinglint_packs() -> "list[Pack]":
    """Contribute rule packs.

    Return a list of :class:`lint.engine.registry.Pack`: each names its rule files
    (DSL), its Python rule classes, its table-template files and its data files (for
    example the narrative subject map).  Two packs defining the same rule code is an
    error reported at load time."""


@hookspec
def filinglint_table_layouts() -> "dict[str, Callable[..., Any]]":
    """Contribute table layouts: ``{layout_name: parse_function}``.

    A template table names its layout (``classified``, ``two-sided``, ``economic-panels``,
    ``single-row`` are built in).  A parse function receives
    ``(blocks, spec, context)`` and returns the table's panels (see
    :mod:`lint.recognize.layouts`)."""


@hookspec
def filinglint_readers() -> "list[Any]":
    """Contribute readers: objects with ``name``, ``suffixes`` (tuple of file suffixes)
    and ``read(path, encoding) -> Document``; optionally ``sniff(head) -> bool``,
    ``container_part`` (a zip member) or ``ole_stream`` (an OLE2 stream) that mark a
    file as this reader's whatever its name (``lint.readers.select_reader``)."""


@hookspec
def filinglint_formatters() -> "dict[str, Callable[..., str]]":
    """Contribute output formats: ``{name: formatter}``.

    Reports are *streamed*: the run writes each file's part as soon as that file is
    linted, so memory stays flat however many files a run covers.  A formatter is
    either

    * a writer class (preferred), built as ``Writer(rules, options)`` once per run, with
      ``begin() -> str``, ``file(result: FileResult) -> str`` (called once per file, in
      the order the files were given) and ``end(notices: list[ToolNotice]) -> str``; or
    * a function ``format(result: RunResult, rules: dict[str, RuleMeta],
      options: FormatOptions) -> str`` (the original protocol, still accepted: the
      run then keeps every file's result and calls it once at the end).  A function
      may carry its writer class as ``format.stream`` to be streamed too;
      :func:`lint.report.stream.whole_report` makes such a function from a writer.

    See :mod:`lint.report.stream` and the built-in ``TextWriter``/``JsonWriter``/
    ``SarifWriter``.  A writer must not keep ``result.source_lines`` after ``file``.

    A writer class that draws the filing's tables sets ``wants_tables = True``: the run
    then fills ``FileResult.snapshots`` (:class:`lint.model.TableSnapshot`: title and
    rows of cell texts with their columns), as for the built-in ``HtmlWriter``.
    ``FileResult.suppressed`` holds the findings a configured suppression took out
    (with its reason); only formats that can say so (SARIF) should show them."""


@hookspec
def filinglint_dsl_functions() -> "dict[str, Any]":
    """Contribute functions callable from rule files: ``{name: DslFunction}``.

    The DSL's static checker knows them by name and arity, so a rule that calls an
    unknown function fails at load time with file, line and column."""


# ----------------------------------------------------------------- per filing


@hookspec
def filinglint_detect_template(document: "Document", tables: "list[Table]") -> "TemplateMatch | None":
    """Say how well this plugin's template fits the filing.

    Return a :class:`lint.recognize.templates.TemplateMatch` (template id, pack names to
    enable, a score and the reasons) or ``None``.  The highest score wins; the reasons
    are shown by ``--verbose`` and stored in the SARIF run properties."""


@hookspec
def filinglint_extract_claims(document: "Document", tables: "list[Table]") -> "list[Claim]":
    """Read typed claims (amounts, shares, changes, completion rates …) from the
    narrative of ``document``.  Each plugin's claims are concatenated."""
