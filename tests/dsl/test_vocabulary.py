"""The vocabulary the static checker accepts, built from the table templates."""

from __future__ import annotations

from lint.dsl import BUILTINS, DslFunction, Vocabulary
from lint.recognize.templates import TemplateLibrary


def test_tables_panels_columns_and_aliases(vocab):
    assert sorted(t for t in vocab.tables if t.startswith("table")) == [f"table0{i}" for i in range(1, 10)]
    t03 = vocab.tables["table03"]
    assert t03.single_panel and t03.main.name == "main"
    assert list(t03.main.columns) == ["total", "basic", "project", "upper", "business", "subsidiary"]
    assert t03.main.column_name("basic") == "基本支出"
    assert t03.main.rows["total"] == ("合计", "总计")
    t01 = vocab.tables["table01"]
    assert list(t01.panels) == ["income", "expense"] and not t01.single_panel
    assert t01.column_name("income", "amount") == "决算数"
    assert "non_fiscal_balance" in t01.panels["income"].rows
    assert vocab.tables["table06"].main.rows["personnel"] == ("人员经费合计", "人员经费")
    assert vocab.tables["table06"].classification == "economic"
    assert set(vocab.tables["table09"].numbers) == {"09"}


def test_union_over_templates_keeps_every_column():
    lib = TemplateLibrary()
    lib.add({"template": {"id": "base", "abstract": True},
             "tables": {"table03": {"titles": ["支出决算表"], "columns": [{"key": "total", "names": ["合计"]}]}}})
    lib.add({"template": {"id": "region", "extends": "base"},
             "tables": {"table03": {"titles": ["支出决算表"], "columns": [
                 {"key": "total", "names": ["本年支出合计"]}, {"key": "extra", "names": ["其他"]}]}},
             "numbering": {"table03": "3"}})
    v = Vocabulary.from_library(lib)
    cols = v.tables["table03"].main.columns
    assert list(cols) == ["total", "extra"] and cols["total"] == ("合计", "本年支出合计")
    assert v.tables["table03"].numbers == ("3",)


def test_functions_are_builtins_plus_plugins(library):
    assert set(Vocabulary.from_library(library).functions) == set(BUILTINS)
    f = DslFunction("growth", 2, 2, lambda a, b: a / b - 1, doc="growth rate")
    v = Vocabulary.from_library(library, {"growth": f})
    assert v.functions["growth"] is f and v.functions["sum"] is BUILTINS["sum"]
    assert f.arity_text() == "2" and BUILTINS["round"].arity_text() == "1–2" and BUILTINS["sum"].arity_text() == "1+"
