"""Reading numbers as the filings write them.

Values are ``Decimal`` and keep the number of decimals written, because a comparison
is only as exact as its least precise operand.  Irregular writings are parsed (a
reviewer can still see what was meant) but flagged, never silently "fixed":

* ``1,367.76``   thousands separators: valid
* ``125,27``     decimal comma: anomaly ``decimal-comma``
* ``186. 67``    space inside the number: anomaly ``space-in-number``
* ``１２５．２７`` full-width digits: anomaly ``fullwidth-digits``
* ``49.06`` with a zero-width space, RLM, BOM or combining mark inside, or written in
  Arabic-Indic digits: anomaly ``odd-character`` (the value is unambiguous: still read)

Some writings are not read as a value at all, because what was meant is unclear
(``49.06²``, ``(49.06)``, ``1e308``, ``NaN``) or the amount is implausible (more than
:data:`MAX_INT_DIGITS` digits before the point: no fiscal amount is that large, and
such a value would overflow the 28-digit Decimal arithmetic the rules use).
:func:`number_problem` says what is wrong with such a cell, for the F007 finding.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

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

NUMBER_START = re.compile(r"[-−\d]")  # the first character of every match of NUMBER_IN_TEXT


def _to_decimal(sign: str, int_part: str, frac: str | None) -> Decimal:
    text = int_part.replace(",", "") + (("." + frac) if frac else "")
    value = Decimal(text)
    return -value if sign in ("-", "−") else value


# Amounts larger than this many integer digits (10^15 万元 is a thousand times the world's
# GDP) are not read: a typo or garbage, and quantizing them would overflow Decimal's
# default 28-digit context.  Same for absurdly many decimals.
MAX_INT_DIGITS = 15
MAX_FRAC_DIGITS = 10

# Invisible format characters a copy from a web page or a PDF leaves inside numbers:
# soft hyphen, Arabic letter mark, zero-width space/joiners, LRM/RLM, bidi embeddings
# and isolates, word joiner, BOM.
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")


def _unodd(text: str) -> tuple[str, bool]:
    """``text`` without invisible characters and combining marks, other-script decimal
    digits (Arabic-Indic …) as ASCII; and whether anything changed."""
    if text.isascii():
        return text, False
    out = []
    for ch in _INVISIBLE.sub("", text):
        cat = unicodedata.category(ch)
        if cat in ("Mn", "Me"):
            continue
        if ch in "\u066b\u066c":  # Arabic decimal and thousands separators
            out.append("." if ch == "\u066b" else ",")
            continue
        # Other scripts' digits (Arabic-Indic …) are digits; the styled mathematical
        # ones (𝟏, beyond the BMP) are markers like ①.
        if cat == "Nd" and not ch.isascii() and not ("０" <= ch <= "９") and ord(ch) < 0x10000:
            out.append(str(unicodedata.decimal(ch)))
            continue
        out.append(ch)
    cleaned = "".join(out)
    return cleaned, cleaned != text


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
    norm, odd = _unodd(norm)
    if odd:
        norm = norm.strip()
        anomaly = anomaly or "odd-character"
    # Circled and superscript digits are markers, not amounts; NFKC below would
    # silently turn "①" into "1".
    if not norm.isascii() and any(unicodedata.category(ch) in ("No", "Nl") or (ch.isdigit() and not ch.isascii())
                                  for ch in norm):
        return None
    norm = unicodedata.normalize("NFKC", norm).strip()
    amount = _parse_clean(norm, raw, anomaly)
    if amount is None:
        return None
    digits = amount.value.adjusted() + 1 if amount.value else 1
    if digits > MAX_INT_DIGITS or amount.decimals > MAX_FRAC_DIGITS:
        return None  # implausible: reported by number_problem, never computed with
    return amount


def _parse_clean(norm: str, raw: str, anomaly: str | None) -> Amount | None:
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


_PARENTHESIZED = re.compile(r"^[(（]\s*(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)\s*[)）]$")
_EXPONENT = re.compile(r"^[-+]?(?:\d+\.?\d*|\.\d+)[eE][-+]?\d+$")
_NOT_A_NUMBER = re.compile(r"^(?:[-+]?(?:nan|inf|infinity)|#(?:DIV/0!|VALUE!|N/A|REF!|NUM!|NAME\?|NULL!))$", re.I)
_LONG_NUMBER = re.compile(r"^[-+−]?[\d,]+(?:\.\d+)?%?$")

PROBLEMS = {
    "odd-character": ("数字中夹有不可见字符、组合符号或非阿拉伯数字", "an invisible character, combining mark or "
                      "non-ASCII digit inside the number"),
    "superscript": ("数字中夹有上标或圈码字符，数值不明确", "a superscript or circled digit inside the number; "
                    "its value is unclear"),
    "parentheses": ("数字写在括号中（会计负数写法？），数值不明确", "a number in parentheses (an accounting negative?); "
                    "its value is unclear"),
    "exponent": ("数字使用科学计数法", "a number in scientific notation"),
    "not-a-number": ("单元格是非数值（NaN、Infinity 或表格公式错误）", "not a number (NaN, Infinity or a spreadsheet "
                     "error value)"),
    "implausible": (f"数字位数过多（整数部分超过 {MAX_INT_DIGITS} 位或小数超过 {MAX_FRAC_DIGITS} 位），不可能是金额",
                    f"too many digits for an amount (more than {MAX_INT_DIGITS} before or {MAX_FRAC_DIGITS} after "
                    f"the point)"),
}


@lru_cache(maxsize=1 << 14)
def number_problem(text: str) -> str | None:
    """What is odd about a cell that holds (or meant to hold) a number: a key of
    :data:`PROBLEMS`, or ``None`` for a plain number or text that is no number."""
    raw = text.strip()
    if not raw:
        return None
    if len(raw) > 4096:  # no need to parse it to see it is no amount
        return "implausible" if _LONG_NUMBER.match(raw) and ("." in raw or "," in raw) else None
    amount = parse_number(raw)
    if amount is not None:
        return "odd-character" if amount.anomaly == "odd-character" else None
    cleaned, odd = _unodd(raw.translate(_FULLWIDTH))
    cleaned = cleaned.strip()
    if not any(ch.isdigit() for ch in cleaned) and not _NOT_A_NUMBER.match(cleaned):
        return None
    if _NOT_A_NUMBER.match(cleaned):
        return "not-a-number"
    if _EXPONENT.match(cleaned):
        return "exponent"
    if _PARENTHESIZED.match(cleaned):
        return "parentheses"
    marks = [ch for ch in cleaned if unicodedata.category(ch) in ("No", "Nl")]
    if marks and any("0" <= ch <= "9" for ch in cleaned):
        rest = "".join(ch for ch in cleaned if ch not in marks)
        if _parse_clean(rest, raw, None) is not None:
            return "superscript"
    # A long run of digits without a point or separator is a code or an ID, not an amount.
    if _LONG_NUMBER.match(cleaned) and ("." in cleaned or "," in cleaned) and _parse_clean(cleaned, raw, None):
        return "implausible"
    return None


def find_numbers(text: str) -> list[tuple[int, int, Amount]]:
    """Numbers inside prose as ``(start, end, amount)`` with 0-based offsets into
    ``text``.  Full-width digits should be handled by the caller (see
    :func:`normalize_width`), which keeps offsets unchanged."""
    # The same matches as NUMBER_IN_TEXT.finditer, tried only where a number can start:
    # its look-behind at the front keeps the regex engine from skipping ahead by itself,
    # and prose is mostly characters that start nothing.
    found = []
    at, search, match = 0, NUMBER_START.search, NUMBER_IN_TEXT.match
    while (c := search(text, at)) is not None:
        m = match(text, c.start())
        if m is None:
            at = c.start() + 1
            continue
        number, percent = m.group("num", "pct")
        amount = parse_number(number + "%" if percent else number)
        if amount is not None:
            found.append((m.start(), m.end(), amount))
        at = m.end()
    return found


_HAS_FULLWIDTH = re.compile("[０-９．，％－＋]")


def normalize_width(text: str) -> str:
    """Full-width digits and signs to ASCII, one character for one, so offsets hold."""
    # translate() walks every character; most lines have nothing to fold.
    return text.translate(_FULLWIDTH) if _HAS_FULLWIDTH.search(text) else text


_CODE = re.compile(r"\d{3}(?:\d{2}){0,2}")


def is_code(text: str) -> bool:
    """A 功能分类 / 经济分类 code (3, 5 or 7 digits): a key, never an amount."""
    return _CODE.fullmatch(text.strip()) is not None


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
