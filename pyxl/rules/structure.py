# SCRATCH STUB (never committed): a few located findings to exercise marks
from ..findings import Finding, Severity
from .engine import register

@register
def _stub(dept, ctx):
    for p in dept.projects:
        for i, ind in enumerate(p.indicators):
            v = ind.value
            loc = ind.loc.get("value")
            if loc is None:
                continue
            if v is None:
                yield Finding("field-missing", Severity.ERROR, "指标值为空", "填写指标值", loc.sheet, loc.cell, p.code)
            elif isinstance(v, str) and "%" in v and "≥" not in v and "=" not in v and "≤" not in v:
                yield Finding("target-operator-missing", Severity.INFO, "缺少运算符", "", loc.sheet, loc.cell, p.code)
            elif isinstance(v, str) and "实际" in v:
                yield Finding("target-unquantified", Severity.WARNING, "未量化", "写明数值", loc.sheet, loc.cell, p.code)
        b = p.loc.get("budget")
        if b is not None and isinstance(p.budget, str) and "元" in p.budget:
            yield Finding("amount-unit-suspect", Severity.ERROR, "单位可疑 =1+1", "", b.sheet, b.cell, p.code)
