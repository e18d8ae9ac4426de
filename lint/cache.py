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

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any

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
    h = hashlib.sha256()
    for part in (__version__, sys.version, *parts):
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def path_for(kind: str, digest: str) -> Path | None:
    base = cache_dir()
    return None if base is None else base / f"{kind}-{digest[:40]}.pickle"


def load(kind: str, digest: str) -> Any | None:
    """The object stored under ``kind``/``digest``, or ``None``."""
    path = path_for(kind, digest)
    if path is None:
        return None
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except FileNotFoundError:
        return None
    except Exception:  # a damaged or foreign entry: drop it and recompute
        try:
            path.unlink()
        except OSError:
            pass
        return None


def store(kind: str, digest: str, value: Any) -> None:
    """Store ``value`` (atomically: parallel workers may race to write the same entry)."""
    path = path_for(kind, digest)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pickle")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except Exception:  # read-only home, full disk, unpicklable value: run uncached
        pass
