"""Plugin discovery, -p, fault isolation and duplicate codes."""

from __future__ import annotations

import importlib.metadata
import textwrap
from pathlib import Path

import pytest

from lint.engine.linter import Linter, LintOptions
from lint.errors import PluginError
from lint.plugins.manager import load_plugins

try:
    from .example_pack import example_pack_visible
except ImportError:  # tests/ not imported as a package
    from example_pack import example_pack_visible

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "fixtures" / "seeds" / "000_98add52c02d21372.txt"


def _write(d: Path, name: str, body: str) -> None:
    (d / f"{name}.py").write_text(textwrap.dedent(body), encoding="utf-8")


def test_builtin_packs_come_through_entry_points():
    eps = {ep.name: ep.value for ep in importlib.metadata.entry_points(group="filinglint")}
    assert {"builtin", "core", "hunan", "sichuan", "performance"} <= set(eps)
    loaded = load_plugins()
    assert not loaded.notices
    assert {"builtin", "core", "hunan", "sichuan", "performance"} <= set(loaded.names)


def test_example_pack_is_not_installed_in_the_environment():
    # the README's setup installs filinglint only: a test pack must never show up in
    # the user's `filinglint rules` or SARIF (it is made visible per test instead)
    eps = {ep.name for ep in importlib.metadata.entry_points(group="filinglint")}
    assert "example" not in eps
    assert "example" not in Linter(LintOptions()).packs


@pytest.fixture
def example_pack(tmp_path):
    with example_pack_visible(tmp_path / "site") as eps:
        yield eps


def test_example_pack_discovered_through_entry_point_and_fires(tmp_path, example_pack):
    eps = {ep.name: ep.value for ep in importlib.metadata.entry_points(group="filinglint")}
    assert eps.get("example") == "filinglint_example"
    linter = Linter(LintOptions())
    assert "example" in linter.packs and "EX101" in linter.registry.rules
    lines = [
        "项目支出明细表", "公开10表", "单位：万元", "部门：某某县某某局",
        "项目\t\t预算数\t执行数\t结余",
        "功能分类科目编码\t科目名称\t\t\t",
        "栏次\t\t1\t2\t3",
        "合计\t\t10.00\t12.00\t-2.00",
        "201\t一般公共服务支出\t10.00\t12.00\t-2.00",
        "202\t外交支出\t5.00\t3.00\t1.00",
    ]
    f = tmp_path / "county.txt"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = linter.lint_file(str(f))
    assert result.template == "example-county" and "example" in result.packs
    codes = [(x.code, x.location.span.line) for x in result.findings]
    assert ("EX101", 9) in codes
    # the DSL rule of the pack: 5.00 - 3.00 = 2.00, not 1.00 (line 10)
    assert any(c == "EX001" and line == 10 for c, line in codes)


def test_dash_p_loads_a_module_for_one_run(plugin_dir):
    _write(plugin_dir, "fl_test_extra", """
        from lint.engine.registry import Pack
        from lint.engine.rules import Rule
        from lint.plugins import hookimpl

        class AlwaysOne(Rule):
            '''示例规则：每个文件报告一次。

            ## What it does
            Reports once per file.
            ## Why is this bad?
            It is a test.
            ## Example
            Any file.
            '''
            code = "ZZ001"
            name = "test.always"
            def check(self, ctx):
                yield self.finding(ctx, ctx.document.blocks[0].span, "一次", "once")

        @hookimpl
        def filinglint_packs():
            return [Pack(name="extra", applies_to=("*",), python_rules=[AlwaysOne])]
    """)
    linter = Linter(LintOptions(plugins=["fl_test_extra"]))
    assert "ZZ001" in linter.registry.rules
    assert any(f.code == "ZZ001" for f in linter.lint_file(str(SEED)).findings)
    assert "ZZ001" not in Linter(LintOptions()).registry.rules


def test_plugin_failing_at_load_is_a_notice_and_the_rest_runs(plugin_dir):
    _write(plugin_dir, "fl_test_broken", "raise RuntimeError('boom at import')\n")
    linter = Linter(LintOptions(plugins=["fl_test_broken"]))
    assert any("fl_test_broken" in n.message and "boom at import" in n.message for n in linter.notices)
    result = linter.lint_file(str(SEED))
    assert any(f.code.startswith("T") for f in result.findings)


def test_rule_raising_at_check_time_is_isolated(plugin_dir):
    _write(plugin_dir, "fl_test_raises", """
        from lint.engine.registry import Pack
        from lint.engine.rules import Rule
        from lint.plugins import hookimpl

        class Explodes(Rule):
            '''会出错的规则。

            ## What it does
            Raises.
            ## Why is this bad?
            Test.
            ## Example
            Any.
            '''
            code = "ZZ002"
            name = "test.explodes"
            def check(self, ctx):
                raise ValueError("kaboom")
                yield

        @hookimpl
        def filinglint_packs():
            return [Pack(name="raises", applies_to=("*",), python_rules=[Explodes])]

        @hookimpl
        def filinglint_extract_claims(document, tables):
            raise KeyError("claims broke")
    """)
    linter = Linter(LintOptions(plugins=["fl_test_raises"]))
    result = linter.lint_file(str(SEED))
    messages = [n.message for n in linter.notices]
    assert any("ZZ002" in m and "kaboom" in m for m in messages)
    assert any("filinglint_extract_claims" in m and "claims broke" in m for m in messages)
    assert any(f.code.startswith("T") for f in result.findings)  # the other rules ran


def test_two_packs_defining_the_same_code_is_a_clear_error(plugin_dir):
    _write(plugin_dir, "fl_test_dupe", """
        from lint.engine.registry import Pack
        from lint.engine.rules import Rule
        from lint.plugins import hookimpl

        class Clash(Rule):
            '''与核心规则重名。

            ## What it does
            Clashes.
            ## Why is this bad?
            Test.
            ## Example
            Any.
            '''
            code = "T001"
            name = "test.clash"
            def check(self, ctx):
                return []

        @hookimpl
        def filinglint_packs():
            return [Pack(name="dupe", python_rules=[Clash])]
    """)
    with pytest.raises(PluginError) as err:
        Linter(LintOptions(plugins=["fl_test_dupe"]))
    assert "T001" in str(err.value) and "'core'" in str(err.value) and "'dupe'" in str(err.value)


def test_misspelled_hook_is_reported(plugin_dir):
    _write(plugin_dir, "fl_test_typo", """
        from lint.plugins import hookimpl

        @hookimpl
        def filinglint_pack():
            return []
    """)
    loaded = load_plugins(["fl_test_typo"])
    assert any("filinglint_pack" in n.message for n in loaded.notices)


def test_entry_points_are_cached_and_a_newly_installed_plugin_is_found(tmp_path, monkeypatch):
    """The entry points come from the cache while nothing is installed or removed; a
    distribution appearing on the import path is a new key, so its plugin loads."""
    import importlib.metadata

    from lint.plugins import manager

    monkeypatch.setenv("FILINGLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("FILINGLINT_NO_CACHE", raising=False)
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    importlib.invalidate_caches()
    before = manager._entry_points()
    assert ("core", "lint.rules.core") in before
    real = importlib.metadata.entry_points
    monkeypatch.setattr(importlib.metadata, "entry_points", lambda: (_ for _ in ()).throw(AssertionError("read")))
    assert manager._entry_points() == before  # served from the cache
    monkeypatch.setattr(importlib.metadata, "entry_points", real)
    (site / "fl_fakeplug.py").write_text("", encoding="utf-8")
    dist = site / "fl_fakeplug-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: fl-fakeplug\nVersion: 1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text("[filinglint]\nfakeplug = fl_fakeplug\n", encoding="utf-8")
    importlib.invalidate_caches()
    after = manager._entry_points()
    assert ("fakeplug", "fl_fakeplug") in after and set(before) < set(after)
    loaded = manager.load_plugins()
    assert "fakeplug" in dict(loaded.pm.list_name_plugin())
