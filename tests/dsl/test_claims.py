"""Claims from the narrative, as rules see them (hand-built Claim objects)."""

from __future__ import annotations

from lint.model import Claim

from .conftest import T03_COLUMNS, table03_rows

SHARE_RULE = '''rule N900 narrative.share
  message: "{where}：{subject}占比写为 {percent}，按金额计算应为 {expected}"
  message_en: "{where_en}: {subject} is said to be {percent}, the amounts give {expected}"
  for each claim in claims(kind="share"):
    assert claim.percent == claim.amount / table03.total.total
'''


def test_claim_values_by_role_with_their_own_locations(run, filing):
    filing.table("table03", "03", {"main": (T03_COLUMNS, table03_rows("0.00"))})
    good = filing.claim("其中：基本支出 49.25 万元，占 39.3%；", "share", {"amount": "49.25", "percent": "39.3%"},
                        subject="基本支出", base="本年支出合计")
    bad = filing.claim("项目支出 76.21 万元，占 61.7%。", "share", {"amount": "76.21", "percent": "61.7%"},
                       subject="项目支出", base="本年支出合计")
    filing.claims += [good, bad]
    (f,) = run(SHARE_RULE, filing)
    assert f.message.zh == f"第{bad.span.line}行（项目支出）：项目支出占比写为 61.7%，按金额计算应为 60.74%"
    assert f.message.en == f"line {bad.span.line} (项目支出): 项目支出 is said to be 61.7%, the amounts give 60.74%"
    assert f.location.span == bad.spans["percent"]
    assert f.location.label == f"第{bad.span.line}行 percent 61.7%"
    related = {loc.label: loc.span for loc in f.related}
    assert related[f"第{bad.span.line}行 amount 76.21"] == bad.spans["amount"]
    assert related["公开03表 合计 本年支出合计"] == filing.tables[0].main.cell("合计", "total").span
    assert f.expected == "60.74%" and f.actual == "61.70%"


def test_claim_filters_text_attributes_and_missing_roles(run, filing):
    filing.table("table03", "03", {"main": (T03_COLUMNS, table03_rows("0.00"))})
    filing.claims += [
        filing.claim("基本支出 49.25 万元", "amount", {"amount": "49.25"}, subject="基本支出"),
        filing.claim("项目支出 70.00 万元", "amount", {"amount": "70.00"}, subject="项目支出"),
        filing.claim("占 39.3%", "share", {"percent": "39.3%"}, subject="基本支出"),  # no amount: skipped
    ]
    text = '''rule N901 narrative.amount
  for each claim in claims(kind="amount", subject="项目支出"):
    assert claim.amount == table03.total.project
  for each claim in claims(kind="share"):
    assert claim.amount > 0
  for each claim in claims():
    assert claim.kind in ("amount", "share")
    assert claim.subject != "其他"
'''
    (f,) = run(text, filing)
    assert f.actual == "70.00" and f.expected == "76.21"
    assert f.message.zh.startswith(f"第{filing.claims[1].span.line}行（项目支出）：")


def parts_claim(filing, percents: list[str]) -> Claim:
    parts = tuple(filing.claim(f"第{i}项，占 {p}", "share", {"percent": p}, subject=f"第{i}项")
                  for i, p in enumerate(percents, start=1))
    return Claim("parts", parts[0].span, "…", parts=parts)


def test_percent_fields_sum_to_100(run, filing):
    filing.claims += [
        parts_claim(filing, ["39.3%", "60.7%", "0%"]),      # exactly 100
        parts_claim(filing, ["99%", "0%", "1%"]),           # integers: 100
        parts_claim(filing, ["39.3%", "60.6%"]),            # 99.9, within 0.05 + 0.05
        parts_claim(filing, ["39.3%", "60.5%"]),            # 99.8: beyond rounding
        parts_claim(filing, ["33%", "33%", "33%"]),         # 99, within 3 × 0.5
        parts_claim(filing, ["30%", "30%", "30%"]),         # 90
    ]
    findings = run("rule N902 narrative.percent-parts\n  percent fields sum to 100\n", filing)
    assert [(f.expected, f.actual) for f in findings] == [("100.00%", "99.80%"), ("100.00%", "90.00%")]
    f = findings[0]
    group = filing.claims[3]
    assert f.location.span == group.parts[0].spans["percent"]
    assert [loc.span for loc in f.related] == [group.parts[1].spans["percent"]]
    assert f.properties["tolerance"] == "0.10%"


def test_percent_groups_need_every_part_to_state_a_percent(run, filing):
    group = parts_claim(filing, ["40%", "40%"])
    no_pct = filing.claim("其余部分 20 万元", "amount", {"amount": "20"})
    filing.claims.append(Claim("parts", group.span, "…", parts=(*group.parts, no_pct)))
    assert run("rule N902 p\n  percent fields sum to 100\n", filing) == []


def test_nested_part_groups_are_checked(run, filing):
    inner = parts_claim(filing, ["50%", "40%"])
    outer = Claim("share", inner.span, "…", parts=(inner,))
    filing.claims.append(outer)
    (f,) = run("rule N902 p\n  percent fields sum to 100%\n", filing)
    assert f.actual == "90.00%"


def test_claim_parts_are_iterable(run, filing):
    filing.claims.append(parts_claim(filing, ["60%", "50%"]))
    text = '''rule N903 p
  for each claim in claims(kind="parts"):
    for each part in claim.parts:
      assert part.percent <= 55%
'''
    (f,) = run(text, filing)
    assert f.actual == "60.00%" and f.expected == "55.00%"
