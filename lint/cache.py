"""A small on-disk cache for work that depends only on file contents: the parsed syntax
trees of rule files and lark's parser tables.  Start-up then skips building the LALR
parser (~0.5 s) and parsing the shipped rule files (~0.3 s).

Entries are pickles named by a SHA-256 over everything they depend on (the input text,
the grammar, filinglint's version, Python's version), so a stale entry is never read:
a changed input simply has a new key.  The directory is ``$FILINGLINT_CACHE_DIR``, else
``$XDG_CACHE_HOME/filinglint``, else ``~/.cache/filinglint``.  ``FILINGLINT_NO_CACHE=1``
turns the cache off.  The cache is only an optimization: an unwritable directory or a
damaged entry is ignored and the work is done again.

Every change of the code or the rule files makes new entries; the old ones are never
read again.  So the directory is kept to :data:`MAX_ENTRIES` files: whenever an entry
is written and there are more, the least recently used go (an entry read is marked used
at most once an hour, so reading stays a read).
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
        _CODE_KEY = tree_key(Path(__file__).resolve().parent)
    return _CODE_KEY


def tree_key(root: Path) -> str:
    """The key of the package at ``root``: its ``.py`` and ``.lark`` files (lint/_grammar
    in a wheel), and those of ``grammar/`` beside it (a source checkout)."""
    import hashlib

    h = hashlib.sha256()
    for top in (root, root.parent / "grammar"):
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith((".py", ".lark")):
                    path = os.path.join(dirpath, name)
                    st = os.stat(path)
                    h.update(f"{os.path.relpath(path, root)}\0{st.st_size}\0{st.st_mtime_ns}\n"
                             .encode("utf-8", "surrogateescape"))
    return h.hexdigest()


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
            value = unpickler.load()
            mark_used(path, fh.fileno())
            return value
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
        prune(path.parent)
    except Exception:  # read-only home, full disk, unpicklable value: run uncached
        pass


MAX_ENTRIES = 400  # a release's entries are a few dozen; a developer's edits make hundreds
_USED_EVERY = 3600.0  # seconds: how stale a used entry's time may get before it is renewed


def mark_used(path: Path, fd: int | None = None) -> None:
    """Renew the modification time of an entry just read (open as ``fd``, if given),
    if older than an hour: it is the entry's last use, which :func:`prune` keeps the
    newest of."""
    import time

    try:
        now = time.time()
        if now - (os.fstat(fd) if fd is not None else os.stat(path)).st_mtime > _USED_EVERY:
            os.utime(path, (now, now))
    except OSError:  # a read-only cache still serves
        pass


def prune(base: Path, limit: int | None = None) -> int:
    """Delete the least recently used entries of the cache directory ``base`` beyond
    ``limit`` (:data:`MAX_ENTRIES`), and temporary files a killed process left behind
    (older than an hour).  Returns how many files went.  Only files this module writes
    are touched; other workers racing on the same files are harmless (a missing entry
    is recomputed)."""
    import time

    limit = MAX_ENTRIES if limit is None else limit
    entries: list[tuple[float, str]] = []
    removed = 0
    try:
        with os.scandir(base) as it:
            for e in it:
                name = e.name
                if not name.endswith((".pickle", ".marshal")) or not e.is_file(follow_symlinks=False):
                    continue
                try:
                    mtime = e.stat(follow_symlinks=False).st_mtime
                except OSError:
                    continue
                if name.startswith(".tmp-"):
                    if time.time() - mtime > _USED_EVERY:
                        removed += _unlink(e.path)
                    continue
                entries.append((mtime, e.path))
    except OSError:
        return removed
    if len(entries) > limit:
        entries.sort()
        for _, path in entries[:len(entries) - limit]:
            removed += _unlink(path)
    return removed


def _unlink(path: str) -> int:
    try:
        os.unlink(path)
        return 1
    except OSError:
        return 0


_MAX_STARTUP_ENTRIES = 20000


class generated_code:
    """While loading, code Python generates at run time is made once and kept, as it
    keeps modules' bytecode in ``.pyc`` files::

        with cache.generated_code():
            ...  # imports that define dataclasses and compile regular expressions

    * the methods ``dataclasses`` writes for each class (``__init__``, ``__repr__``,
      ``__eq__`` …, source text it compiles: ~0.5 ms a class, ~70 ms of a cold start
      over filinglint's ~150 dataclasses), compiled exactly as ``exec`` in
      ``dataclasses`` would (same file name, no inherited ``__future__`` flags);
    * the programs of regular expressions (~300 patterns, ~45 ms): what the regex
      compiler hands to ``_sre.compile`` for a pattern and flags is kept, and given to
      it again next time.

    The functions and patterns are the same as without the cache.  One ``marshal``
    file per Python version; without a cache directory this does nothing."""

    def __init__(self) -> None:
        self.tables: dict[str, dict] = {"dataclass": {}, "re": {}}
        self.added = 0
        self.used: set = set()  # (table, key) of every entry this run asked for
        self.path: Path | None = None
        self._undo: list[Callable[[], None]] = []

    def __enter__(self) -> "generated_code":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def start(self) -> "generated_code":
        import dataclasses
        import marshal

        base = cache_dir()
        if base is None or hasattr(dataclasses, "exec"):  # off, or already inside one
            return self
        # filinglint's own code is in the key: how entries are packed may change with it.
        self.path = base / f"startup-code-{key('startup-code', str(marshal.version), code_key())[:40]}.marshal"
        try:
            with open(self.path, "rb") as fh:
                tables = marshal.loads(fh.read())  # (marshal.load reads a file object piecemeal: 40x slower)
                mark_used(self.path, fh.fileno())
            if isinstance(tables, dict) and all(isinstance(tables.get(k), dict) for k in self.tables):
                self.tables = tables
        except Exception:  # missing, damaged or foreign: start empty
            pass
        self._hook_dataclasses(dataclasses)
        self._hook_regex()
        return self

    def _hook_dataclasses(self, dataclasses: Any) -> None:
        import builtins

        table, real_exec = self.tables["dataclass"], builtins.exec

        def cached_exec(source, globals=None, locals=None, /):
            if isinstance(source, str):
                self.used.add(("dataclass", source))
                code = table.get(source)
                if code is None:
                    code = table[source] = compile(source, "<string>", "exec", dont_inherit=True)
                    self.added += 1
                source = code
            return real_exec(source, globals, locals)

        dataclasses.exec = cached_exec  # type: ignore[attr-defined]  # found before builtins.exec
        self._undo.append(lambda: delattr(dataclasses, "exec"))

    def _hook_regex(self) -> None:
        import marshal
        import re

        compiler = getattr(re, "_compiler", None) or sys.modules.get("sre_compile")
        real_compile, sre = getattr(compiler, "compile", None), getattr(compiler, "_sre", None)
        if real_compile is None or sre is None or not callable(getattr(sre, "compile", None)):
            return  # not the regex compiler this knows: patterns compile as usual
        table = self.tables["re"]

        class Capture:
            """Stands in for ``_sre`` while one pattern compiles, keeping what it is given."""

            args: tuple | None = None

            def __getattr__(self, name: str) -> Any:
                return getattr(sre, name)

            def compile(self, *args: Any) -> Any:
                self.args = args
                return sre.compile(*args)

        def cached_compile(p, flags=0):
            if not isinstance(p, (str, bytes)) or flags & re.DEBUG:
                return real_compile(p, flags)
            k = (p, int(flags))
            self.used.add(("re", k))
            args = table.get(k)
            if args is not None:
                try:
                    return sre.compile(*(_unpacked(a) for a in args))
                except Exception:  # an entry written by other code: compiled afresh below
                    del table[k]
            capture = Capture()
            compiler._sre = capture
            try:
                pattern = real_compile(p, flags)
            finally:
                compiler._sre = sre
            if capture.args is not None and capture.args[0] == p:
                # Flags and opcodes come as int subclasses (RegexFlag, named constants):
                # kept as the plain ints they are, which marshal holds.
                args = tuple(_packed(a) for a in _plain_ints(capture.args))
                try:
                    marshal.dumps(args)
                except ValueError:  # something marshal cannot hold: compiled afresh each time
                    return pattern
                table[k] = args
                self.added += 1
            return pattern

        compiler.compile = cached_compile

        def undo() -> None:
            compiler.compile = real_compile

        self._undo.append(undo)

    def stop(self) -> None:
        """Stop caching (again: nothing) and store what was made new."""
        import marshal

        if self.path is None:
            return
        path, self.path = self.path, None
        while self._undo:
            self._undo.pop()()
        if not self.added:
            return
        if sum(map(len, self.tables.values())) > _MAX_STARTUP_ENTRIES:  # older code's entries: only this run's kept
            self.tables = {name: {k: v for k, v in table.items() if (name, k) in self.used}
                           for name, table in self.tables.items()}
        import tempfile

        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".marshal")
            try:
                with os.fdopen(fd, "wb") as fh:
                    marshal.dump(self.tables, fh)
                os.replace(tmp, path)
            except BaseException:
                os.unlink(tmp)
                raise
            prune(path.parent)
        except Exception:  # read-only home, full disk, or a value marshal cannot hold
            pass


def _plain_ints(value: Any) -> Any:
    """``value`` with every int subclass inside (lists, tuples, dicts) made a plain int."""
    if isinstance(value, int) and type(value) not in (int, bool):
        return int(value)
    if isinstance(value, list):
        return [_plain_ints(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_plain_ints(v) for v in value)
    if isinstance(value, dict):
        return {k: _plain_ints(v) for k, v in value.items()}
    return value


_PACKED = "\x00array-I"


def _packed(value: Any) -> Any:
    """A regex program (a list of ints, up to thousands long) as bytes: marshal loads
    one bytes object ~10x faster than as many int objects."""
    if isinstance(value, list) and value and all(type(v) is int for v in value):
        from array import array

        try:
            return (_PACKED, array("I", value).tobytes())
        except OverflowError:  # a code beyond 32 bits: kept as the list
            return value
    return value


def _unpacked(value: Any) -> Any:
    if type(value) is tuple and len(value) == 2 and value[0] == _PACKED:
        from array import array

        return array("I", value[1]).tolist()
    return value
