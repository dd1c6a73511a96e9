"""Synthetic departments for tests and benchmarks, with known totals.

Deterministic for a given seed. Budgets are whole 元 expressed in 万元 so that
reconciliation against the generator's own figures is exact.
"""

from __future__ import annotations

import random

from .framework import FRAMEWORK
from .model import Department, Indicator, Project, Target

__all__ = ["generate_department"]

_NAMES = ("办公设备购置", "信息化运维", "业务培训", "差旅费", "物业管理", "专项调研", "宣传印刷", "车辆运行维护",
          "法律援助", "档案数字化", "安全生产检查", "公共服务补助")
_VALUES = ("≥95%", "≥90%", "=100%", "100%", "≤3个工作日", "≥120次", "14人", "达到", "≤{cost}万元", "90%-95%")
_CHECKPOINTS = ("3月底", "6月底", "10月底", "12月底")
_PLAN = ("25%", "50%", "75%", "100%")


def generate_department(
    n_projects: int = 20,
    n_indicators: int = 14,
    *,
    seed: int = 0,
    name: str | None = None,
    code: str | None = None,
) -> Department:
    rng = random.Random(seed)
    code = code or f"{100000 + seed % 900000}"
    dept = Department(
        name=name or f"测试单位{seed:04d}",
        code=code,
        year=2026,
        overall_goal="围绕年度重点工作，保障机构正常运转，提升公共服务质量和效率。",
        targets=[Target(numbering=f"（{i + 1}）", goal=f"年度工作目标{i + 1}", indicator=f"重点任务完成率{i + 1}",
                        value="≥90%") for i in range(3)],
    )
    levels = [(l1, l2) for l1, l2s in FRAMEWORK.items() for l2 in l2s]
    for p in range(n_projects):
        yuan = rng.randint(10_000, 5_000_000)  # whole 元
        budget = yuan / 10_000
        fiscal_yuan = rng.randint(0, yuan)
        proj = Project(
            code=f"{code}{p + 1:04d}",
            name=f"{_NAMES[p % len(_NAMES)]}{p + 1}",
            purpose=f"用于{_NAMES[p % len(_NAMES)]}相关支出。",
            budget=budget,
            funding={"财政资金": fiscal_yuan / 10_000, "其他资金": (yuan - fiscal_yuan) / 10_000},
            spend_plan=dict(zip(_CHECKPOINTS, _PLAN, strict=True)),
            goal=f"完成{_NAMES[p % len(_NAMES)]}{p + 1}项目年度任务，编号{seed}-{p}，保障资金使用规范高效。",
        )
        for i in range(n_indicators):
            l1, l2 = levels[i % len(levels)]
            value = _VALUES[(i + p) % len(_VALUES)].format(cost=f"{budget:g}")
            proj.indicators.append(Indicator(
                level1=l1, level2=l2, name=f"{l2[:-2]}指标{p + 1}-{i + 1}",
                description=f"项目{p + 1}第{i + 1}项指标的口径说明（{l2}）",
                value=value, basis=("计划标准", "行业标准", "历史标准", "其他")[i % 4],
            ))
        dept.projects.append(proj)
    return dept
