"""Published prose: 【一级-二级】 headings, each followed by "指标1:名称(指标值)" items.

A project is the name above its 【项目概况】 (or its first heading), with the amount after
it; 【总体目标】 / 【项目概况】 sections give its goal and purpose.
"""

from __future__ import annotations

import re

from ..core.model import Department, Indicator, Project
from .columns import classify, clean_level, is_page_end, stated_unit
from .form_spec import norm

__all__ = ["PROSE_HEAD", "PROSE_ITEM", "read_prose"]

PROSE_HEAD = re.compile(r"^【\s*(?P<l1>[^】\-—–－]+?)\s*[-—–－]\s*(?P<l2>[^】]+?)\s*】\s*$")
PROSE_ITEM = re.compile(r"^指标\s*\d+\s*[:：]\s*(?P<body>.+)$")
_NUMBER = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")


def read_prose(text: str, dept: Department) -> None:
    """【一级-二级】 headings and "指标N:名称(指标值)" items; a project is the name above its
    【项目概况】 (or its first heading), with the amount after it."""
    cells = [(i, s.strip()) for i, s in enumerate(text.splitlines(), start=1) if s.strip()]
    unit = None
    project: Project | None = None
    level: tuple[str | None, str | None] = (None, None)
    section: str | None = None
    for k, (_, s) in enumerate(cells):
        unit = stated_unit(s) or unit
        head = PROSE_HEAD.match(s)
        bracket = re.match(r"^【\s*([^】]+?)\s*】\s*[:：]?\s*(.*)$", s)
        if (bracket and not head) or (head and project is None):
            if project is None or (bracket and norm(bracket.group(1)) == "项目概况"):
                project = _prose_project(cells, k, dept)
                level, section = (None, None), None
            if bracket and not head:
                section = norm(bracket.group(1))
                rest = bracket.group(2).strip()
                if rest:
                    _prose_text(project, section, rest)
                continue
        if head:
            level, section = (clean_level(head.group("l1")), clean_level(head.group("l2"))), "indicators"
            continue
        if project is None:
            continue
        item = PROSE_ITEM.match(s)
        if item and section == "indicators":
            name, value = _name_value(item.group("body"))
            project.indicators.append(Indicator(level1=level[0], level2=level[1], name=name, value=value))
        elif section and section != "indicators" and not is_page_end(s):
            _prose_text(project, section, s)


def _prose_project(cells: list[tuple[int, str]], k: int, dept: Department) -> Project:
    """The project a 【…】 block belongs to: the nearest name above it (an amount right after)."""
    name = budget = None
    for j in range(k - 1, max(-1, k - 8), -1):
        s = cells[j][1]
        if s.startswith("【"):
            break
        if _NUMBER.match(s):
            budget = budget if budget is not None else s
            continue
        if re.fullmatch(r"[0-9A-Za-z\-]+", s):
            continue  # a unit or project code
        name = s
        break
    p = Project(name=name, budget=budget)
    dept.projects.append(p)
    return p


def _prose_text(p: Project, section: str, text: str) -> None:
    role = classify(section)
    attr = {"purpose": "purpose", "goal": "goal", "long_term_goal": "goal"}.get(role.role if role else "")
    if section in ("项目概况", "项目内容"):
        attr = "purpose"
    if attr is None:
        return
    old = getattr(p, attr)
    setattr(p, attr, text if old is None else old + text)


def _name_value(body: str) -> tuple[str, str | None]:
    """"机柜数量(≥77台)" → ("机柜数量", "≥77台"): the value is the last bracket."""
    body = body.strip()
    if body.endswith((")", "）")):
        depth = 0
        for i in range(len(body) - 1, -1, -1):
            ch = body[i]
            if ch in ")）":
                depth += 1
            elif ch in "(（":
                depth -= 1
                if depth == 0:
                    name, value = body[:i].strip(), body[i + 1 : -1].strip()
                    return name, value or None
    return body, None


