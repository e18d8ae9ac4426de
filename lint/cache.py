"""A small on-disk cache for work that depends only on file contents: the parsed syntax
trees of rule files and lark's parser tables.  Start-up then skips building the LALR
parser (~0.5 s) and parsing the shipped rule files (~0.3 s).

Entries are pickles named by a SHA-256 over everything they depend on (the input text,
the grammar, filinglint's version, Python's version), so a stale entry is never read:
a changed input simply has a new key.  The directory is ``$FILINGLINT_CACHE_DIR``, else
``$XDG_CACHE_HOME/filinglint``, else ``~/.cache/filinglint``.  ``FILINGLINT_NO_CACHE=1``
turns the cache off.  The cache is only an optimization: an unwritable directory or a
damaged entry is ignored and the work is done again.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Callable

from . import __version__


def cache_dir() -> Path | None:
    """The cache directory, or ``None`` when caching is turned off."""
    if os.environ.get("FILINGLINT_NO_CACHE", "").strip() not in ("", "0"):
        return None
    explicit = os.environ.get("FILINGLINT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "filinglint"


def key(*parts: str | bytes) -> str:
    """A key over ``parts`` plus the tool's and Python's versions."""
    import hashlib  # (the modules this one needs load when used: --help imports it too)

    h = hashlib.sha256()
    for part in (__version__, sys.version, *parts):
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


_CODE_KEY: str | None = None


def code_key() -> str:
    """A key over filinglint's own modules and grammar (each file's name, size and
    modification time): an entry holding objects of filinglint's classes, built by its
    code, goes stale when that code changes, even without a new version number."""
    global _CODE_KEY
    if _CODE_KEY is None:
        import hashlib

        root = Path(__file__).resolve().parent
        h = hashlib.sha256()
        # The package (with lint/_grammar in a wheel), and grammar/ in a source checkout.
        for top in (root, root.parent / "grammar"):
            for dirpath, dirnames, filenames in os.walk(top):
                dirnames.sort()
                for name in sorted(filenames):
                    if name.endswith((".py", ".lark")):
                        path = os.path.join(dirpath, name)
                        st = os.stat(path)
                        h.update(f"{os.path.relpath(path, root)}\0{st.st_size}\0{st.st_mtime_ns}\n"
                                 .encode("utf-8", "surrogateescape"))
        _CODE_KEY = h.hexdigest()
    return _CODE_KEY


def path_for(kind: str, digest: str) -> Path | None:
    base = cache_dir()
    return None if base is None else base / f"{kind}-{digest[:40]}.pickle"


def load(kind: str, digest: str, shared: Callable[[Any], Any] | None = None) -> Any | None:
    """The object stored under ``kind``/``digest``, or ``None``.  ``shared`` gives back
    the live object for each token :func:`store`'s ``shared`` put in its place."""
    path = path_for(kind, digest)
    if path is None:
        return None
    import pickle

    try:
        with open(path, "rb") as fh:
            unpickler = pickle.Unpickler(fh)
            if shared is not None:
                unpickler.persistent_load = shared  # type: ignore[method-assign]
            return unpickler.load()
    except FileNotFoundError:
        return None
    except Exception:  # a damaged or foreign entry: drop it and recompute
        try:
            path.unlink()
        except OSError:
            pass
        return None


def store(kind: str, digest: str, value: Any, shared: Callable[[Any], Any] | None = None) -> None:
    """Store ``value`` (atomically: parallel workers may race to write the same entry).
    ``shared(obj)`` may name an object ``value`` refers to but that is not to be stored
    (one that lives in the process, e.g. a vocabulary): it returns a token, or ``None``
    to store the object itself."""
    path = path_for(kind, digest)
    if path is None:
        return
    import pickle
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pickle")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickler = pickle.Pickler(fh, protocol=pickle.HIGHEST_PROTOCOL)
                if shared is not None:
                    pickler.persistent_id = shared  # type: ignore[method-assign]
                pickler.dump(value)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except Exception:  # read-only home, full disk, unpicklable value: run uncached
        pass


class generated_code:
    """While loading, the methods ``dataclasses`` writes for each class (``__init__``,
    ``__repr__``, ``__eq__`` …, as source text it compiles: ~0.5 ms a class, ~70 ms of
    a cold start over filinglint's ~150 dataclasses) are compiled once and kept, as
    Python keeps modules' bytecode in ``.pyc`` files::

        with cache.generated_code():
            ...  # imports that define dataclasses

    The text is compiled exactly as ``exec`` in ``dataclasses`` would (same file name,
    no inherited ``__future__`` flags), so the functions are the same; the cache is one
    ``marshal`` file per Python version.  Without a cache directory this does nothing."""

    def __init__(self) -> None:
        self.table: dict[str, Any] = {}
        self.added = 0
        self.path: Path | None = None

    def __enter__(self) -> "generated_code":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def start(self) -> "generated_code":
        import builtins
        import dataclasses
        import marshal

        base = cache_dir()
        if base is None or hasattr(dataclasses, "exec"):  # off, or already inside one
            return self
        self.path = base / f"dataclass-code-{key('dataclass-code', str(marshal.version))[:40]}.marshal"
        try:
            with open(self.path, "rb") as fh:
                table = marshal.load(fh)
            if isinstance(table, dict):
                self.table = table
        except Exception:  # missing, damaged or foreign: start empty
            self.table = {}
        table, real_exec = self.table, builtins.exec

        def cached_exec(source, globals=None, locals=None, /):
            if isinstance(source, str):
                code = table.get(source)
                if code is None:
                    code = table[source] = compile(source, "<string>", "exec", dont_inherit=True)
                    self.added += 1
                source = code
            return real_exec(source, globals, locals)

        dataclasses.exec = cached_exec  # type: ignore[attr-defined]  # found before builtins.exec
        return self

    def stop(self) -> None:
        """Stop caching (again: nothing) and store what was compiled new."""
        import dataclasses
        import marshal

        if self.path is None:
            return
        path, self.path = self.path, None
        if getattr(dataclasses, "exec", None) is not None:
            del dataclasses.exec  # type: ignore[attr-defined]
        if not self.added or len(self.table) > 20000:  # nothing new, or something generates without end
            return
        import tempfile

        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".marshal")
            try:
                with os.fdopen(fd, "wb") as fh:
                    marshal.dump(self.table, fh)
                os.replace(tmp, path)
            except BaseException:
                os.unlink(tmp)
                raise
        except Exception:
            pass
