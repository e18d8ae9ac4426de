"""Readers: a file on disk -> :class:`lint.model.Document`.

Readers are contributed through the ``filinglint_readers`` hook; the plain-text reader
here is the built-in one."""

from .text import read_text_file, decode_bytes, split_blocks

__all__ = ["read_text_file", "decode_bytes", "split_blocks"]
