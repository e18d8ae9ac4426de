"""Reading numbers as the filings write them.

Values are ``Decimal`` and keep the number of decimals written, because a comparison
is only as exact as its least precise operand.  Irregular writings are parsed (a
reviewer can still see what was meant) but flagged, never silently "fixed":

* ``1,367.76``   thousands separators: valid
* ``125,27``     decimal comma: anomaly ``decimal-comma``
* ``186. 67``    space inside the number: anomaly ``space-in-number``
* ``１２５．２７`` full-width digits: anomaly ``fullwidth-digits``
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Iterator

from .model import Amount

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，％－＋", "0123456789.,%-+")

_SIGN = r"[-+−]?"
_THOUSANDS = re.compile(rf"^({_SIGN})(\d{{1,3}}(?:,\d{{3}})+)(?:\.(\d+))?(%?)$")
_PLAIN = re.compile(rf"^({_SIGN})(\d+)(?:\.(\d+))?(%?)$")
_DECIMAL_COMMA = re.compile(rf"^({_SIGN})(\d+),(\d{{1,2}})(%?)$")
_SPACED = re.compile(rf"^({_SIGN})(\d+)\s*\.\s+(\d+)(%?)$|^({_SIGN})(\d+)\s+\.\s*(\d+)(%?)$")

# A number inside prose.  Thousands groups first so "1,367.76" is one number; a decimal
# comma is only taken when exactly one or two digits follow and no digit comes next.
NUMBER_IN_TEXT = re.compile(
    r"(?<![\d.,])"
    r"(?P<num>[-−]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\s\d+|\d+,\d{1,2}(?![\d,])|\d+(?:\.\d+)?))"
    r"(?P<pct>\s*%)?"
)


def _to_decimal(sign: str, int_part: str, frac: str | None) -> Decimal:
    text = int_part.replace(",", "") + (("." + frac) if frac else "")
    value = Decimal(text)
    return -value if sign in ("-", "−") else value


@lru_cache(maxsize=1 << 16)  # pure; tables repeat the same few texts (0.00 …) many times
def parse_number(text: str) -> Amount | None:
    """Parse a whole cell or token as a number; ``None`` when it is not one."""
    raw = text.strip()
    if not raw:
        return None
    anomaly = None
    norm = raw.translate(_FULLWIDTH)
    if norm != raw:
        anomaly = "fullwidth-digits"
    # Circled, superscript and other-script digits are markers, not amounts; NFKC
    # below would silently turn "①" into "1".
    if not norm.isascii() and any(unicodedata.category(ch) in ("No", "Nl") or (ch.isdigit() and not ch.isascii())
                                  for ch in norm):
        return None
    norm = unicodedata.normalize("NFKC", norm).strip()
    try:
        m = _PLAIN.match(norm)
        if m:
            sign, ip, frac, pct = m.groups()
            return Amount(_to_decimal(sign, ip, frac), len(frac or ""), raw, anomaly, bool(pct))
        m = _THOUSANDS.match(norm)
        if m:
            sign, ip, frac, pct = m.groups()
            return Amount(_to_decimal(sign, ip, frac), len(frac or ""), raw, anomaly, bool(pct))
        m = _DECIMAL_COMMA.match(norm)
        if m:
            sign, ip, frac, pct = m.groups()
            return Amount(_to_decimal(sign, ip, frac), len(frac), raw, "decimal-comma", bool(pct))
        m = _SPACED.match(norm)
        if m:
            g = [x for x in m.groups() if x is not None]
            if len(g) == 3:  # sign was empty and dropped by the filter
                g = [""] + g
            sign, ip, frac, pct = g[0], g[1], g[2], g[3] if len(g) > 3 else ""
            return Amount(_to_decimal(sign, ip, frac), len(frac), raw, "space-in-number", bool(pct))
    except InvalidOperation:  # pragma: no cover - the regexes only admit digits
        return None
    return None


def find_numbers(text: str) -> Iterator[tuple[int, int, Amount]]:
    """Numbers inside prose as ``(start, end, amount)`` with 0-based offsets into
    ``text``.  Full-width digits should be handled by the caller (see
    :func:`normalize_width`), which keeps offsets unchanged."""
    for m in NUMBER_IN_TEXT.finditer(text):
        token = m.group("num") + ("%" if m.group("pct") else "")
        amount = parse_number(token)
        if amount is None:
            continue
        yield m.start(), m.end(), amount


_HAS_FULLWIDTH = re.compile("[０-９．，％－＋]")


def normalize_width(text: str) -> str:
    """Full-width digits and signs to ASCII, one character for one, so offsets hold."""
    # translate() walks every character; most lines have nothing to fold.
    return text.translate(_FULLWIDTH) if _HAS_FULLWIDTH.search(text) else text


def is_code(text: str) -> bool:
    """A 功能分类 / 经济分类 code (3, 5 or 7 digits): a key, never an amount."""
    return bool(re.fullmatch(r"\d{3}(?:\d{2}){0,2}", text.strip()))


def fmt(value: Decimal | None, decimals: int = 2) -> str:
    """Render a value for messages: fixed decimals, no exponent."""
    if value is None:
        return "（空）"
    q = Decimal(1).scaleb(-decimals)
    # Filers round half up (1.005 -> 1.01); messages should show what they would write.
    return str(value.quantize(q, rounding=ROUND_HALF_UP))


# Powers of ten from a table's unit to 万元, the unit narratives and messages use.
_TO_WANYUAN = {"元": -4, "千元": -1, "万元": 0, "万": 0, "百万元": 2, "亿元": 4}


def in_wanyuan(amount: Amount, unit: str | None) -> Amount:
    """``amount`` stated in ``unit`` (a table's 单位) expressed in 万元, keeping how
    precisely it was written: 12,345.67 元 is 1.234567 万元 with a rounding of 0.000005."""
    exp = _TO_WANYUAN.get((unit or "万元").strip(), 0)
    if exp == 0:
        return amount
    return Amount(amount.value.scaleb(exp), amount.decimals - exp, amount.text, amount.anomaly, amount.percent)
