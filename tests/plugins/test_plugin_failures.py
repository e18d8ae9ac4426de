"""Plugin code that exits, interrupts or answers with the wrong type is the plugin's
failure: a notice naming the plugin, exit 3, never the program's own exit or a crash."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from lint.cli import main
from lint.engine.linter import Linter, LintOptions

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "fixtures" / "seeds" / "000_98add52c02d21372.txt"


def _write(d: Path, name: str, body: str) -> str:
    (d / f"{name}.py").write_text(textwrap.dedent(body), encoding="utf-8")
    return name


def _check(capsys, *args):
    code = main(["check", "--no-entry-points", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("stmt", ["import sys; sys.exit(0)", "import sys; sys.exit(5)", "raise SystemExit",
                                  "raise KeyboardInterrupt"])
def test_exit_on_import_is_a_plugin_failure(plugin_dir, capsys, stmt):
    name = _write(plugin_dir, "fl_fail_import", stmt + "\n")
    code, out, err = _check(capsys, "-p", name, str(SEED))
    assert code == 3
    assert "fl_fail_import" in out and "加载失败" in out
    assert "T002" in out  # the run itself went on


@pytest.mark.parametrize("exc", ["SystemExit(0)", "KeyboardInterrupt()"])
def test_exit_in_a_hook_is_a_plugin_failure(plugin_dir, capsys, exc):
    name = _write(plugin_dir, "fl_fail_hook", f"""
        from lint.plugins import hookimpl

        @hookimpl
        def filinglint_extract_claims(document, tables):
            raise {exc}
    """)
    code, out, err = _check(capsys, "-p", name, "--format", "json", str(SEED))
    assert code == 3
    assert "fl_fail_hook" in out and "filinglint_extract_claims 出错" in out
    assert "fl_fail_hook" in err  # not only in the report


def test_exit_in_a_python_rule_is_a_rule_failure(plugin_dir, capsys):
    name = _write(plugin_dir, "fl_fail_rule", '''
        import sys
        from lint.engine.registry import Pack
        from lint.engine.rules import Rule
        from lint.plugins import hookimpl

        class Quits(Rule):
            """Exits.

            ## What it does
            Calls sys.exit.
            ## Why is this bad?
            It is a test.
            ## Example
            Any file.
            """
            code = "ZQ001"
            name = "test.quits"

            def check(self, ctx):
                sys.exit(0)

        @hookimpl
        def filinglint_packs():
            return [Pack("fl-quits", applies_to=("*",), python_rules=[Quits])]
    ''')
    code, out, err = _check(capsys, "-p", name, str(SEED))
    assert code == 3 and "ZQ001" in out and "SystemExit" in out


@pytest.mark.parametrize("hook, value", [
    ("filinglint_formatters", '["x"]'),
    ("filinglint_formatters", '{"x": 3}'),
    ("filinglint_packs", "[object()]"),
    ("filinglint_packs", '"core"'),
    ("filinglint_readers", "[object()]"),
    ("filinglint_table_layouts", "[1]"),
    ("filinglint_dsl_functions", "3"),
])
def test_hook_returning_wrong_type_is_a_notice_naming_the_plugin(plugin_dir, hook, value):
    name = _write(plugin_dir, "fl_fail_type", f"""
        from lint.plugins import hookimpl

        @hookimpl
        def {hook}():
            return {value}
    """)
    linter = Linter(LintOptions(plugins=[name], use_entry_points=False))
    msgs = [n.message for n in linter.notices if n.source == name]
    assert len(msgs) == 1 and hook in msgs[0] and "返回值类型不对" in msgs[0]
    assert "core" in linter.packs and "T002" in linter.registry.rules  # the rest loaded
    assert "text" in linter.formatters


@pytest.mark.parametrize("hook, value", [
    ("filinglint_detect_template", '"hunan-2020"'),
    ("filinglint_extract_claims", "[1, 2]"),
])
def test_per_filing_hook_returning_wrong_type_is_a_notice(plugin_dir, capsys, hook, value):
    name = _write(plugin_dir, "fl_fail_type2", f"""
        from lint.plugins import hookimpl

        @hookimpl
        def {hook}(document, tables):
            return {value}
    """)
    code, out, err = _check(capsys, "-p", name, str(SEED))
    assert code == 3 and "fl_fail_type2" in out and "返回值类型不对" in out
    assert "T002" in out


def test_a_formatter_that_raises_is_one_line_exit_3(plugin_dir, capsys):
    name = _write(plugin_dir, "fl_fail_fmt", """
        from lint.plugins import hookimpl

        def boom(result, rules, options):
            raise ValueError("formatter broke")

        @hookimpl
        def filinglint_formatters():
            return {"boom": boom}
    """)
    code, out, err = _check(capsys, "-p", name, "--format", "boom", str(SEED))
    assert code == 3
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "formatter broke" in err and "fl_fail_fmt" in err


@pytest.mark.parametrize("exc", ["ValueError('reader broke')", "SystemExit(0)"])
def test_a_reader_that_raises_loses_only_its_file(plugin_dir, tmp_path, capsys, exc):
    name = _write(plugin_dir, "fl_fail_reader", f"""
        from lint.plugins import hookimpl

        class Reader:
            name = "weird"
            suffixes = (".weird",)

            def read(self, path, encoding=None):
                raise {exc}

        @hookimpl
        def filinglint_readers():
            return [Reader()]
    """)
    bad = tmp_path / "x.weird"
    bad.write_text("anything", encoding="utf-8")
    code, out, err = _check(capsys, "-p", name, "--format", "json", str(bad), str(SEED))
    assert code == 2
    assert "x.weird" in err and "读取器 weird 无法读取此文件" in err and "Traceback" not in err
    assert '"T002"' in out  # the other file is still linted and reported
