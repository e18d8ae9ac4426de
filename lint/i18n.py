"""Messages in one language per run, from gettext catalogs.

The engine's own messages (command line, errors, readers, engine notices, report words)
are written in Chinese in the code — Chinese is the default language and the message
id — and translated to English by ``lint/locale/en/LC_MESSAGES/filinglint.po``::

    raise UsageError(tr("未知的输出格式 {fmt}（已知：{known}）", fmt=fmt, known=known))

``tr`` looks the id up in the catalog of the run's language (``set_language``, called
by the command line and by each linter, so worker processes follow ``--lang`` too) and
fills the ``{name}`` fields.  A message without a translation falls back to the id.

The compiled ``filinglint.mo`` is committed beside the ``.po`` so nothing has to be
built at install time; ``python -m lint.i18n`` rebuilds it (Babel, a test dependency)
and a test fails when it is out of date.  Findings carry both languages themselves
(:class:`lint.model.Message`) and do not go through here.
"""

from __future__ import annotations

import gettext
from pathlib import Path
from typing import Any

DOMAIN = "filinglint"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("zh", "en")

_language = "zh"
_catalogs: dict[str, gettext.NullTranslations] = {}


def _catalog(lang: str) -> gettext.NullTranslations:
    if lang not in _catalogs:
        if lang == "zh":  # the ids are the Chinese messages
            _catalogs[lang] = gettext.NullTranslations()
        else:
            _catalogs[lang] = gettext.translation(DOMAIN, str(LOCALE_DIR), languages=[lang], fallback=True)
    return _catalogs[lang]


def set_language(lang: str | None) -> None:
    """Use ``lang`` (``zh`` or ``en``) for every message from now on in this process."""
    global _language
    _language = "en" if lang == "en" else "zh"


def language() -> str:
    return _language


def tr(msgid: str, lang: str | None = None, /, **fields: Any) -> str:
    """``msgid`` in ``lang`` (default: the run's language), ``{name}`` fields filled."""
    text = _catalog(lang or _language).gettext(msgid)
    return text.format(**fields) if fields else text


def po_path(lang: str = "en") -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def compile_catalog(lang: str = "en") -> bytes:
    """The ``.mo`` bytes for ``lang``'s ``.po`` (needs Babel: a development tool)."""
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path(lang).open("rb") as f:
        catalog = read_po(f, locale=lang)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def main() -> None:  # python -m lint.i18n: rebuild the committed .mo files
    for lang in LANGUAGES:
        if lang != "zh" and po_path(lang).is_file():
            po_path(lang).with_suffix(".mo").write_bytes(compile_catalog(lang))
            print(f"compiled {po_path(lang).with_suffix('.mo')}")


if __name__ == "__main__":
    main()
