"""Text checks: goals copied between projects, typos between an indicator and its
description, descriptions that only repeat the name, indicator blocks copied verbatim."""

from __future__ import annotations

from collections.abc import Iterator

from ..core.findings import Finding
from ..core.fuzzy import distance, opcodes, ratio
from ..core.model import Department, Indicator
from ._where import bare, is_blank, project_ref, squash, text_of, where
from .catalog import GoalDuplicate, IndicatorCopied, IndicatorTextMismatch, IndicatorTextRedundant
from .registry import Context, register

__all__ = ["check_copied_indicators", "check_goal_duplicates", "check_indicator_text", "describe_diff"]


# Texts are compared on their first characters only: similarity is quadratic in length
# (a 32,767-character goal costs ~70 ms per pair), and hostile workbooks may be full of them.
COMPARE_CHARS = 1000


@register
def check_goal_duplicates(dept: Department, ctx: Context) -> Iterator[Finding]:
    threshold = float(ctx.config["text.goal_duplicate_similarity"])
    min_length = int(ctx.config["text.goal_min_length"])
    seen: list[tuple[int, str]] = []  # earlier projects with a comparable goal
    for j, p in enumerate(dept.projects):
        goal = squash(p.goal)[:COMPARE_CHARS]
        if len(goal) < min_length:
            continue
        best: tuple[float, int] | None = None
        for i, other in seen:
            score = ratio(goal, other, score_cutoff=threshold)
            if score and (best is None or score > best[0]):
                best = (score, i)
        if best is not None:
            score, i = best
            yield GoalDuplicate.finding(
                loc=where(p, "goal"),
                project=p.label,
                path=f"projects[{j}].goal",
                other=project_ref(dept.projects[i]),
                score=score,
            )
        seen.append((j, goal))


def describe_diff(name: str, description: str) -> str:
    """What changed from the name to the description: “查”→“拆”, 描述多了“的”…"""
    parts = []
    for tag, i1, i2, j1, j2 in opcodes(name, description):
        if tag == "replace":
            parts.append(f"“{name[i1:i2]}”→“{description[j1:j2]}”")
        elif tag == "delete":
            parts.append(f"描述少了“{name[i1:i2]}”")
        elif tag == "insert":
            parts.append(f"描述多了“{description[j1:j2]}”")
    return "，".join(parts)


@register
def check_indicator_text(dept: Department, ctx: Context) -> Iterator[Finding]:
    min_similarity = float(ctx.config["text.typo_min_similarity"])
    max_edits = int(ctx.config["text.typo_max_edits"])
    for i, p in enumerate(dept.projects):
        for j, ind in enumerate(p.indicators):
            if is_blank(ind.name) or is_blank(ind.description):
                continue
            name = bare(str(ind.name))[:COMPARE_CHARS]
            description = bare(str(ind.description))[:COMPARE_CHARS]
            if not name or not description:
                continue
            base = f"projects[{i}].indicators[{j}]"
            if name == description:
                yield IndicatorTextRedundant.finding(
                    loc=where(ind, "description"),
                    project=p.label,
                    path=f"{base}.description",
                    name=text_of(ind.name),
                )
                continue
            if ratio(name, description) < min_similarity:
                continue
            if distance(name, description, score_cutoff=max_edits) > max_edits:
                continue
            # A substituted character is the mark of a typo; words only added or left out
            # ("精准性" → "的精准性") are a description elaborating on the name.
            if not any(op[0] == "replace" for op in opcodes(name, description)):
                continue
            yield IndicatorTextMismatch.finding(
                loc=where(ind, "description"),
                project=p.label,
                path=f"{base}.description",
                name=text_of(ind.name),
                description=text_of(ind.description),
                diff=describe_diff(name, description),
            )


def _key(ind: Indicator) -> tuple[str, ...] | None:
    key = (
        squash(ind.level1),
        squash(ind.level2),
        squash(ind.name),
        squash(ind.description),
        squash(text_of(ind.value)),
    )
    return key if any(key) else None


@register
def check_copied_indicators(dept: Department, ctx: Context) -> Iterator[Finding]:
    min_block = max(1, int(ctx.config["text.copied_min_block"]))
    keys = [[_key(ind) for ind in p.indicators] for p in dept.projects]
    index: dict[tuple[str, ...], list[tuple[int, int]]] = {}  # key → (project, position), earlier projects
    seen: set[tuple[tuple[str, ...] | None, ...]] = set()
    for j, p in enumerate(dept.projects):
        mine = keys[j]
        k = 0
        while k < len(mine):
            best_len, best_project = 0, -1
            current = mine[k]
            for pi, m in index.get(current, ()) if current is not None else ():
                theirs = keys[pi]
                n = 0
                while (
                    k + n < len(mine)
                    and m + n < len(theirs)
                    and mine[k + n] is not None
                    and mine[k + n] == theirs[m + n]
                ):
                    n += 1
                if n > best_len:
                    best_len, best_project = n, pi
            if best_len >= min_block:
                yield IndicatorCopied.finding(
                    loc=where(p.indicators[k], "name"),
                    project=p.label,
                    path=f"projects[{j}].indicators[{k}].name",
                    count=best_len,
                    other=project_ref(dept.projects[best_project]),
                )
                k += best_len
            else:
                k += 1
        # a project identical to an earlier one adds no new candidates (and would only slow this down)
        whole = tuple(mine)
        if whole not in seen:
            seen.add(whole)
            for m, key in enumerate(mine):
                if key is not None:
                    index.setdefault(key, []).append((j, m))
