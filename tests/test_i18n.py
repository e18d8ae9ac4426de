"""Message catalogs (lint/i18n.py): complete, compiled, one language per run."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from lint import i18n
from lint.i18n import compile_catalog, po_path, tr

LINT = Path(__file__).resolve().parents[1] / "lint"
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _catalog() -> dict[str, str]:
    from babel.messages.pofile import read_po

    with po_path("en").open("rb") as f:
        return {m.id: m.string for m in read_po(f, locale="en") if m.id}


def _ids_in_code() -> dict[str, str]:
    """Every literal message id passed to tr() in lint/, and the values of the word
    tables (``_WORDS``/``_LABELS`` dicts) that go through it, with where each is."""
    out = {}
    for path in sorted(LINT.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict)
                    and any(isinstance(t, ast.Name) and t.id in ("_WORDS", "_LABELS") for t in node.targets)):
                for v in node.value.values:
                    if isinstance(v, ast.Constant) and isinstance(v.value, str):
                        out.setdefault(v.value, f"{path.relative_to(LINT.parent)}:{v.lineno}")
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "tr"
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                out.setdefault(node.args[0].value, f"{path.relative_to(LINT.parent)}:{node.lineno}")
    return out


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_committed_mo_is_compiled_from_the_po():
    import gettext
    import io

    committed = gettext.GNUTranslations(io.BytesIO(po_path("en").with_suffix(".mo").read_bytes()))
    fresh = gettext.GNUTranslations(io.BytesIO(compile_catalog("en")))
    strip = lambda c: {k: v for k, v in c.items() if k != ""}  # noqa: E731 - the header holds dates
    assert strip(committed._catalog) == strip(fresh._catalog) == {k: v for k, v in _catalog().items()}, \
        "lint/locale/en/LC_MESSAGES/filinglint.mo is stale: run python -m lint.i18n"


def test_every_message_in_the_code_has_an_english_translation_with_the_same_fields():
    catalog = _catalog()
    ids = _ids_in_code()
    assert len(ids) >= 30
    missing = [f"{where}: {mid!r}" for mid, where in ids.items() if not catalog.get(mid)]
    assert not missing, "untranslated (add to lint/locale/en/LC_MESSAGES/filinglint.po):\n" + "\n".join(missing)
    for mid, where in ids.items():
        assert _fields(catalog[mid]) == _fields(mid), where


def test_english_messages_are_english():
    bad = {mid: s for mid, s in _catalog().items() if CJK.search(s)}
    assert not bad


def test_tr_picks_the_language_and_fills_fields():
    assert tr("第 {n} 页", "en", n=3) == "page 3"
    assert tr("第 {n} 页", "zh", n=3) == "第 3 页"
    assert tr("没有这条消息 {x}", "en", x=1) == "没有这条消息 1"  # untranslated: the id itself
    before = i18n.language()
    try:
        i18n.set_language("en")
        assert tr("应为") == "expected"
        i18n.set_language("zh")
        assert tr("应为") == "应为"
    finally:
        i18n.set_language(before)


SEED0 = Path(__file__).resolve().parents[1] / "fixtures" / "seeds" / "000_98add52c02d21372.txt"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cli_messages_are_in_one_language(lang, tmp_path, capsys):
    from lint.cli import main

    args = ["check", str(SEED0), "--format", "nosuchformat"] + (["--lang", "en"] if lang == "en" else [])
    assert main(args) == 2
    err = capsys.readouterr().err.replace(str(SEED0), "")
    if lang == "en":
        assert "unknown format 'nosuchformat' (known:" in err and not CJK.search(err)
    else:
        assert "未知的输出格式 'nosuchformat'（可用：" in err and "unknown" not in err
    missing = tmp_path / "缺失.txt"
    assert main(["check", str(missing), "--lang", lang]) == 2
    err = capsys.readouterr().err.replace(str(missing), "")
    assert ("no such file" in err and not CJK.search(err)) if lang == "en" else ("文件不存在" in err and "no such" not in err)


def test_help_follows_lang(capsys):
    from lint.cli import main

    with pytest.raises(SystemExit):
        main(["check", "--help", "--lang", "en"])
    out = capsys.readouterr().out
    assert "record the current findings as a baseline" in out and "基线" not in out
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    assert "把当前的问题记为基线" in capsys.readouterr().out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_previous_encoding_and_internal_error_lines_are_in_one_language(lang, tmp_path, capsys, monkeypatch):
    from lint import cli

    flag = ["--lang", lang]
    assert cli.main(["check", str(SEED0), "--previous", str(tmp_path / "none.txt"), *flag]) == 2
    previous = capsys.readouterr().err.replace(str(tmp_path / "none.txt"), "")
    assert cli.main(["check", str(SEED0), "--encoding", "klingon", *flag]) == 2
    encoding = capsys.readouterr().err

    def boom(argv):
        cli.set_language(lang)
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "_main", boom)
    assert cli.main(["check", str(SEED0)]) == 3
    internal = capsys.readouterr().err
    assert "RuntimeError: boom" in internal and "FILINGLINT_DEBUG=1" in internal
    if lang == "en":
        assert "no such file" in previous and "unknown encoding 'klingon'" in encoding
        assert "internal error, run incomplete" in internal
        assert not CJK.search(previous + encoding + internal)
    else:
        assert "文件不存在" in previous and "未知的编码 'klingon'" in encoding and "内部错误，运行未完成" in internal
        assert not re.search(r"no such|unknown|internal error", previous + encoding + internal)


def test_recognition_reasons_follow_lang(tmp_path):
    """A file's status reason, detection reasons and unread tables (JSON ``files``) are
    in the run's language; only the filing's own words (quoted titles, phrases) stay."""
    import json

    from lint.cli import main

    seed = next(SEED0.parent.glob("001_*.txt"))
    out = {}
    for lang in ("zh", "en"):
        main(["check", str(seed), "--format", "json", "--lang", lang, "-o", str(tmp_path / f"{lang}.json")])
        (out[lang],) = json.loads((tmp_path / f"{lang}.json").read_text(encoding="utf-8"))["files"]
    zh, en = out["zh"], out["en"]
    assert zh["status"] == en["status"] == "partial" and len(zh["unread"]) == len(en["unread"]) >= 1
    assert zh["reason"].startswith("叙述型报告（绩效自评），表样 ") and "个表格未能识别，未检查" in zh["reason"]
    assert en["reason"].startswith("narrative report (performance self-evaluation), template ")
    assert "tables not recognized, not checked" in en["reason"] and not CJK.search(en["reason"])
    assert all("未能识别" in u for u in zh["unread"])
    quoted = re.compile(r"“[^”]*”")
    assert all(u.startswith("the table from line ") and not CJK.search(quoted.sub("", u)) for u in en["unread"])
    kind = [r for r in en["reasons"] if r.startswith("kind ")]
    assert kind == ["kind performance self-evaluation (cover: 绩效自评报告)"]
    assert "类型 绩效自评（封面：绩效自评报告）" in zh["reasons"] and "报告年度 2020" in zh["reasons"]
    assert "report year 2020" in en["reasons"]
