"""Mutants of filings for fuzzing: damaged the ways files get damaged in the wild.

Every mutant is ``Mutant(name, data, ops)``: the bytes to write and the list of
operations that made them (printed when a mutant breaks something, so it can be made
again from the same seed).  A mutant is a function of ``(source, seed)`` only.

Text filings (:func:`text_mutant`) get line edits (dropped, doubled, swapped, cut,
tabs added or removed), numbers replaced by strange ones (26+ digits, ``1e308``,
``NaN``, ``(49.06)``, superscripts), odd Unicode put inside (zero-width space, RLM,
bidi override, combining mark, BOM, Arabic-Indic digits, control bytes), and byte
damage (flipped, inserted, deleted bytes, truncation, a change of encoding).

DOCX/XLSX (:func:`zip_mutant`) get the same text edits inside one XML part, XML
damage (a cut, an unclosed tag, an entity), or damage to the zip itself.  PDFs
(:func:`pdf_bytes_mutant`) get byte damage and truncation; mutants of their text are
made by rendering a text mutant (see ``benchmarks/fuzz.py``).
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from dataclasses import dataclass, field

ODD_CHARS = ["\u200b", "\u200f", "\u202e", "\u0301", "\ufeff", "\u0664", "\u00b2", "\u2460", "\x1b[31m", "\x07",
             "\r", "\u2028", "\x0b", "\x00", "\ufffd", "\U0001f4b0", "\u3000", "\xa0", "\u00ad", "�"]
STRANGE_NUMBERS = ["1" * 26 + ".00", "9" * 40, "12345678901234567890123456789.12", "1e308", "-1E-400", "NaN",
                   "Infinity", "-inf", "(49.06)", "（1,234.00）", "49.06\u00b2", "4\u0301 9.06", "0.000000000001",
                   "-0", "+0.00", "1,2,3,4", "12,34", "１２３．４５", "\u0664\u0669.\u0660\u0666", "#DIV/0!",
                   "999999999999999.99", "1" * 400, "--5", "5-", ".5", "5.", "1.2.3", "٫", "%", "100%%"]
JUNK = ["合计\t\t", "公开03表", "栏次\t1\t2", "单位：万元", "部门：", "总计\t0\t0", "\t", "一、", "（一）",
        "2020年度", "本年收入合计", "占比 101%", "增长 -0%", "较上年增加万元"]
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


@dataclass
class Mutant:
    name: str
    data: bytes
    ops: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- text edits


def mutate_lines(lines: list[str], rng: random.Random, n: int, ops: list[str]) -> list[str]:
    """``n`` random edits of the lines (a list of str, without line ends)."""
    lines = list(lines)
    for _ in range(n):
        if not lines:
            lines.append(rng.choice(JUNK))
            ops.append("refill")
            continue
        i = rng.randrange(len(lines))
        op = rng.choice(["drop", "dup", "swap", "cut", "tab", "untab", "number", "number", "odd", "odd", "junk",
                         "drop-run", "long-line"])
        line = lines[i]
        if op == "drop":
            del lines[i]
        elif op == "drop-run":
            del lines[i:i + rng.randint(2, 30)]
        elif op == "dup":
            lines.insert(i, line)
        elif op == "swap":
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "cut":
            lines[i] = line[: rng.randrange(len(line) + 1)]
        elif op == "tab":
            j = rng.randrange(len(line) + 1)
            lines[i] = line[:j] + "\t" + line[j:]
        elif op == "untab":
            lines[i] = line.replace("\t", "", 1)
        elif op == "number":
            nums = list(_NUMBER.finditer(line))
            new = rng.choice(STRANGE_NUMBERS)
            if nums:
                m = rng.choice(nums)
                lines[i] = line[:m.start()] + new + line[m.end():]
            else:
                lines[i] = line + "\t" + new
            op = f"number={new!r}"
        elif op == "odd":
            ch = rng.choice(ODD_CHARS)
            j = rng.randrange(len(line) + 1)
            lines[i] = line[:j] + ch + line[j:]
            op = f"odd={ch!r}"
        elif op == "long-line":  # a long row or sentence, bounded so CI stays quick
            unit = rng.choice(["49.06\t", "增长 5%，", "合计", "a"])
            lines[i] = line + unit * rng.randint(50, 2000)
        else:
            lines[i] = line + rng.choice(JUNK)
        ops.append(f"{op}@{i + 1}")
    return lines


def mutate_bytes(data: bytes, rng: random.Random, n: int, ops: list[str]) -> bytes:
    """``n`` random byte-level damages."""
    b = bytearray(data)
    for _ in range(n):
        if not b:
            b += bytes([rng.randrange(256)])
            ops.append("refill-byte")
            continue
        op = rng.choice(["flip", "flip", "insert", "delete", "truncate", "zero"])
        i = rng.randrange(len(b))
        if op == "flip":
            b[i] ^= 1 << rng.randrange(8)
        elif op == "insert":
            b[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 4)))
        elif op == "delete":
            del b[i:i + rng.randint(1, 8)]
        elif op == "truncate":
            del b[i:]
        else:
            b[i] = 0
        ops.append(f"byte-{op}@{i}")
    return bytes(b)


def text_mutant(name: str, text: str, seed: int) -> Mutant:
    """A damaged text filing: line edits, then (sometimes) an encoding change and byte damage."""
    rng = random.Random(seed)
    ops: list[str] = []
    lines = mutate_lines(text.split("\n"), rng, rng.randint(1, 12), ops)
    body = "\n".join(lines)
    enc = rng.choices(["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-8-crlf"], [10, 1, 2, 1, 1])[0]
    if enc == "utf-8-crlf":
        data = body.replace("\n", "\r\n").encode("utf-8", "surrogatepass")
    else:
        try:
            data = body.encode(enc)
        except UnicodeEncodeError:  # gb18030 cannot hold a lone NUL-free oddity: keep utf-8
            enc = "utf-8"
            data = body.encode("utf-8", "surrogatepass")
    ops.append(f"enc={enc}")
    if rng.random() < 0.35:
        data = mutate_bytes(data, rng, rng.randint(1, 3), ops)
    return Mutant(f"{name}-{seed}", data, ops)


# --------------------------------------------------------------------------- office and pdf


def zip_mutant(name: str, data: bytes, seed: int) -> Mutant:
    """A damaged DOCX/XLSX: edits inside an XML part, broken XML, or a damaged zip."""
    rng = random.Random(seed)
    ops: list[str] = []
    kind = rng.choices(["xml-text", "xml-break", "zip-bytes"], [6, 2, 2])[0]
    if kind == "zip-bytes":
        return Mutant(f"{name}-{seed}", mutate_bytes(data, rng, rng.randint(1, 3), ops), ["zip-bytes", *ops])
    src = zipfile.ZipFile(io.BytesIO(data))
    parts = [i.filename for i in src.infolist()
             if i.filename.endswith(".xml") and ("document" in i.filename or "sheet" in i.filename
                                                 or "sharedStrings" in i.filename)]
    part = rng.choice(parts)
    xml = src.read(part).decode("utf-8")
    if kind == "xml-text":
        # edit only text between tags, so the XML stays well formed
        pieces = re.split(r"(<[^>]*>)", xml)
        texts = [i for i, p in enumerate(pieces) if p and not p.startswith("<")]
        for _ in range(rng.randint(1, 8)):
            if not texts:
                break
            i = rng.choice(texts)
            sub_ops: list[str] = []
            edited = mutate_lines([pieces[i]], rng, 1, sub_ops)
            new = "".join(edited).replace("&", "&amp;").replace("<", "&lt;")
            # XML 1.0 cannot hold most control characters: a writer would not emit them
            pieces[i] = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", new)
            ops.append(f"{part}:{sub_ops[-1] if sub_ops else 'edit'}")
        xml = "".join(pieces)
    else:
        op = rng.choice(["cut", "unclosed", "entity", "doctype"])
        if op == "cut":
            xml = xml[: rng.randrange(len(xml))]
        elif op == "unclosed":
            j = rng.randrange(len(xml))
            xml = xml[:j] + "<w:p><w:r>" + xml[j:]
        elif op == "entity":
            j = rng.randrange(len(xml))
            xml = xml[:j] + "&undefined;" + xml[j:]
        else:
            xml = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>' + xml.split("?>", 1)[-1]
        ops.append(f"{part}:xml-{op}")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, xml.encode("utf-8") if info.filename == part else src.read(info.filename))
    return Mutant(f"{name}-{seed}", out.getvalue(), ops)


def pdf_bytes_mutant(name: str, data: bytes, seed: int) -> Mutant:
    """A damaged PDF: flipped, inserted or deleted bytes, or truncation."""
    rng = random.Random(seed)
    ops: list[str] = []
    return Mutant(f"{name}-{seed}", mutate_bytes(data, rng, rng.randint(1, 4), ops), ops)


# --------------------------------------------------------------------------- the check


def check_batch(paths: list[str], extra_args: tuple[str, ...] = (), stats: dict | None = None) -> tuple[int, list[str]]:
    """Lint ``paths`` in one in-process run (JSON report) and return ``(exit code,
    problems)``: an exception escaping the CLI (a traceback), an exit code outside
    {0, 1, 2}, a tool notice (a rule or reader crashed), or an input that the report
    does not account for (neither a file entry nor an input notice)."""
    import contextlib
    import json
    import traceback

    from lint.cli import main

    out, err = io.StringIO(), io.StringIO()
    problems: list[str] = []
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["check", "--no-entry-points", "--format", "json", "--jobs", "1", *extra_args, *paths])
    except BaseException:  # noqa: BLE001 - anything escaping main is what we look for
        return -1, ["exception escaped the CLI:\n" + traceback.format_exc()]
    if "Traceback" in err.getvalue():
        problems.append("traceback on stderr:\n" + err.getvalue()[-2000:])
    if code not in (0, 1, 2):
        problems.append(f"exit code {code}")
    try:
        report = json.loads(out.getvalue())
    except ValueError:
        return code, problems + [f"output is not JSON: {out.getvalue()[:300]!r}"]
    for n in report.get("notices", []):
        if n.get("kind", "tool") != "input":
            problems.append(f"tool notice: {n.get('path')}: {n['message'][:500]}")
        elif "reader failed" in n["message"] or "无法读取此文件" in n["message"]:  # a reader bug caught by the engine's safety net
            problems.append(f"reader failed: {n.get('path')}: {n['message'][:500]}")
    if stats is not None:  # how the inputs ended: linted (with or without findings) or refused
        read = {f["path"] for f in report.get("files", []) if f.get("status", "linted") == "linted"}
        stats["linted"] = stats.get("linted", 0) + len(read)
        stats["refused"] = stats.get("refused", 0) + len(set(paths) - read)
        stats["findings"] = stats.get("findings", 0) + len(report.get("findings", []))
    seen = {f["path"] for f in report.get("files", [])}
    seen |= {n["path"] for n in report.get("notices", []) if n.get("kind") == "input"}
    missing = [p for p in paths if p not in seen]
    if missing:
        problems.append(f"inputs missing from the report: {missing}")
    return code, problems


def pdf_text_mutant(name: str, text: str, seed: int, render, work) -> Mutant:
    """A PDF drawn from a damaged text (line edits, strange numbers, odd Unicode): what a
    badly made filing looks like as a PDF.  ``render(text, path)`` is
    ``tests/synth/pdf.render``; control characters are left out (no PDF shows them)."""
    rng = random.Random(seed)
    path = work / f"{name}-{seed}.src.pdf"
    for attempt in range(5):  # the test renderer cannot draw every damaged table: draw another
        ops: list[str] = ["pdf-from-text"]
        lines = mutate_lines(text.split("\n"), rng, rng.randint(1, 8), ops)
        body = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", "\n".join(lines))
        try:
            render(body, path)
            break
        except (ValueError, IndexError, KeyError):
            continue
    else:
        render(text, path)
        ops = ["pdf-from-text", "unmutated"]
    data = path.read_bytes()
    path.unlink()
    return Mutant(f"{name}-{seed}", data, ops)
