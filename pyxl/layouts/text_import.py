"""Import published targets (text extracted from a PDF, like the seed) into the model.

The text has three kinds of content:

- sections headed 一、二、三…: 总体绩效目标 (a narrative: its lines are joined back
  together) and 分项绩效目标 (items numbered （一）（二）… each with a 绩效目标 and a
  绩效指标 sentence such as “受理案件数达到 560 件以上，案件结案率达到 76%”);
- one 项目支出绩效目标表 per project, found by its labels (项目编码, 预算项目名称, …);
- anything else (保障措施 and the like), which pyxl/v1 has no field for.

PDF extraction breaks table cells over lines ("聘用人员数" / "量"): each printed line
of a cell becomes a line of text, and cells that fit on one printed line share a text
line separated by spaces. Rows of the indicator table are rebuilt by choosing, among
the ways to cut the fragments into 三级指标 / 描述 / 指标值 / 依据, the one whose cells
wrap plausibly: every line of a wrapped cell but its last fills the column, and the
columns keep their widths from row to row (learned from the text itself in a first
pass). 一级 and 二级 names are recognised from the indicator framework.

Nothing is dropped silently: doubtful placements are reported as
``import-ambiguous``, repeated item numbers as ``import-numbering-duplicate``, and text
that has no place in pyxl/v1 is reported as not imported. The issues are in
``Department.read_issues`` (the rules turn them into findings).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise

from ..core.grammar import Kind, parse_target
from ..core.model import Department, Indicator, Project, ReadIssue, Target
from .form_spec import (
    COST_LEVEL2,
    FUNDING_SOURCES,
    LEVEL1_NAMES,
    LEVEL2_NAMES,
    header_kind,
    is_checkpoint,
    is_decoration,
    label_kind,
    norm,
    parse_purpose,
)

__all__ = ["import_text", "split_indicator_phrases"]

_SECTION_RE = re.compile(r"^\s*([一二三四五六七八九十]+)\s*[、.．]\s*(.*)$")
_ITEM_RE = re.compile(r"^\s*([（(][一二三四五六七八九十百\d]+[）)])\s*(.*)$")
_PART_RE = re.compile(r"(绩效目标|绩效指标)\s*[：:]")
_PAGE_RE = re.compile(r"^\s*(?:[-—–]\s*\d{1,4}\s*[-—–]|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?)\s*$")
_YEAR_RE = re.compile(r"(20\d\d)\s*年")
_PROJECT_KINDS = frozenset({"code", "name", "purpose", "plan", "actual", "goal", "goal_or_overall"})
_TABLE_KINDS = ("name", "description", "value", "basis")

# ---------------------------------------------------------------- tokens


@dataclass(frozen=True)
class _Tok:
    text: str
    line: int  # 1-based line of the source text
    first: bool  # first token on its line
    last: bool  # last token on its line

    @property
    def whole(self) -> bool:
        return self.first and self.last


_OP_ONLY = re.compile(r"^[≥≤<>=＞＜≧≦]+$")
_OP_WORDS = (
    "达到",
    "不低于",
    "不少于",
    "不高于",
    "不超过",
    "不大于",
    "不小于",
    "超过",
    "低于",
    "高于",
    "大于",
    "小于",
)
_NUMBER = re.compile(r"^[≥≤<>=＞＜≧≦]?\s*[0-9０-９]+(?:[.．][0-9０-９]+)?$")
_UNIT = re.compile(
    r"^(?:%|％|个工作日|工作日|人次|万人|万元|亿元|千元|元|小时|分钟|平方米|公里|人|件|次|天|个|项|户|家|台|套|篇|场|份|册|所|名|辆|"
    r"米|吨|日|月|年|批|期|座|处|笔|本|张|课时|学时)(?:及?以上|及?以下|以内)?$"
)


def _tokens(lines: list[tuple[int, str]]) -> list[_Tok]:
    """Space-separated parts of each line; a number keeps its unit ("14", "人" → "14 人")."""
    out: list[_Tok] = []
    for lineno, line in lines:
        parts = line.split()
        merged: list[str] = []
        for part in parts:
            if merged and (
                (_NUMBER.match(merged[-1]) and _UNIT.match(part))
                or ((_OP_ONLY.match(merged[-1]) or merged[-1] in _OP_WORDS)
                and part[:1].isdigit())
            ):
                merged[-1] = f"{merged[-1]} {part}"
            else:
                merged.append(part)
        for i, part in enumerate(merged):
            out.append(_Tok(part, lineno, i == 0, i == len(merged) - 1))
    return out


def _join(toks: list[_Tok]) -> str:
    """Fragments back into one cell's text: a line break inside a cell was only wrapping."""
    text = ""
    for i, t in enumerate(toks):
        if i and toks[i - 1].line == t.line:
            text += " "
        text += t.text
    return text


def _width(text: str) -> float:
    """Printed width in CJK characters; punctuation may hang into the margin, so it counts half."""
    w = 0.0
    for ch in text:
        if ch.isspace():
            w += 0.25
        elif unicodedata.east_asian_width(ch) in "WF" and not unicodedata.category(ch).startswith("P"):
            w += 1.0
        else:
            w += 0.5
    return w


# ---------------------------------------------------------------- the document


@dataclass
class _Reader:
    dept: Department
    lines: list[tuple[int, str]]  # (line number, text), blank lines and page numbers left out

    def issue(
        self, rule: str, line: int | None, project: str | None = None, path: str | None = None, **params: str
    ) -> None:
        where = f"第 {line} 行" if line else None
        self.dept.read_issues.append(ReadIssue(rule, dict(params), None, project, path, where))

    def ambiguous(
        self,
        line: int | None,
        value: str,
        reason: str,
        *,
        project: str | None = None,
        path: str | None = None,
    ) -> None:
        self.issue("import-ambiguous", line, project, path, value=value, reason=reason)


def import_text(
    text: str, *, name: str | None = None, code: str | None = None, year: int | None = None
) -> Department:
    """The department in published text; issues met on the way are in ``read_issues``."""
    dept = Department(name=name, code=code, year=year)
    lines = [(i, line.strip()) for i, line in enumerate(text.replace("\f", "\n").splitlines(), start=1)]
    lines = [(i, s) for i, s in lines if s and not _PAGE_RE.match(s)]
    reader = _Reader(dept, lines)
    blocks = _block_starts(lines)
    seed_like = blocks or any(
        (m := _SECTION_RE.match(s)) and "目标" in m.group(2) and ("总体" in m.group(2) or "分项" in m.group(2))
        for _, s in lines
    )
    if not seed_like:
        # other bodies' published tables (pipe rows, one cell per line, prose …): see text_tables
        from .text_tables import read_published

        if read_published(text, dept) is not None:
            return dept
    head = lines[: blocks[0]] if blocks else lines
    _sections(reader, head)
    for k, start in enumerate(blocks):
        end = blocks[k + 1] if k + 1 < len(blocks) else len(lines)
        project = _ProjectReader(reader, _tokens(lines[start:end]), len(dept.projects)).run()
        dept.projects.append(project)
    return dept


# ---------------------------------------------------------------- sections


def _block_starts(lines: list[tuple[int, str]]) -> list[int]:
    """Indexes of lines where a project table begins: its 项目编码 label, whole or wrapped ("项目"/"编码")."""

    def is_code(text: str) -> bool:
        found = label_kind(text)
        return found is not None and found[0] == "code"

    starts = []
    for i in range(len(lines)):
        words = [line.split() for _, line in lines[i : i + 3]]
        # the label's first lines stand alone; its last line may go on with the code and the name
        candidates = ["".join(w[0] for w in words[:k]) for k in range(1, len(words) + 1)
                      if all(len(w) == 1 for w in words[: k - 1])]
        if any(is_code(c) for c in candidates):
            starts.append(i)
    return starts


def _sections(reader: _Reader, lines: list[tuple[int, str]]) -> None:
    dept = reader.dept
    current: tuple[str, int, str] | None = None  # (kind, line, heading)
    body: list[tuple[int, str]] = []

    def flush() -> None:
        if current is None:
            if body:
                _preamble(reader, body)
            return
        kind, line, heading = current
        if kind == "overall":
            if dept.overall_goal is not None:
                reader.ambiguous(line, heading, "总体绩效目标出现两次，只导入了第一处")
            elif body:
                dept.overall_goal = "".join(s for _, s in body)
        elif kind == "targets":
            _targets(reader, body)
        elif body or heading:
            span = f"第 {body[0][0]}–{body[-1][0]} 行" if body else "无正文"
            reader.ambiguous(line, heading, f"pyxl/v1 中没有对应的栏目，这一部分（{span}）未导入")

    for lineno, s in lines:
        m = _SECTION_RE.match(s)
        if m:
            flush()
            heading = m.group(2).strip()
            h = norm(heading)
            kind = "overall" if "总体" in h else "targets" if "分项" in h else "other"
            current, body = (kind, lineno, heading), []
        else:
            body.append((lineno, s))
    flush()


def _preamble(reader: _Reader, body: list[tuple[int, str]]) -> None:
    """Lines before the first section: a title gives the year; anything else is reported."""
    for lineno, s in body:
        m = _YEAR_RE.search(s)
        if m and reader.dept.year is None:
            reader.dept.year = int(m.group(1))
        if "绩效目标" in s or ("绩效" in s and m):
            continue
        reader.ambiguous(lineno, s, "标题之外的文字，pyxl/v1 中没有对应的栏目，未导入")


# ---------------------------------------------------------------- 分项绩效目标


@dataclass
class _Item:
    numbering: str | None
    line: int
    goal: str | None = None
    goal_line: int | None = None
    indicators: list[tuple[str | None, str | None, int]] = field(default_factory=list)  # (name, value, line)
    ind_line: int | None = None
    loose: list[tuple[int, str]] = field(default_factory=list)  # text outside 绩效目标/绩效指标


def _targets(reader: _Reader, body: list[tuple[int, str]]) -> None:
    items: list[_Item] = []
    for lineno, s in body:
        m = _ITEM_RE.match(s)
        if m:
            items.append(_Item(m.group(1), lineno))
            s = m.group(2)
        elif not items:
            items.append(_Item(None, lineno))
        items[-1].loose.append((lineno, s))
    for item in items:
        _split_item(reader, item)
    seen: Counter[str] = Counter()
    for item in items:
        if item.numbering is not None:
            key = norm(item.numbering)
            seen[key] += 1
            if seen[key] > 1:
                reader.issue(
                    "import-numbering-duplicate",
                    item.line,
                    path="department.targets",
                    numbering=item.numbering,
                )
    prev: _Item | None = None
    for item in items:
        if (
            item.goal is None
            and item.indicators
            and prev is not None
            and prev.goal is not None
            and not prev.indicators
        ):
            # "（六）绩效指标：…" right after a goal that has none: they belong to that goal
            prev.indicators, item.indicators = item.indicators, []
            reader.ambiguous(
                item.line,
                f"{item.numbering or ''}绩效指标",
                f"没有对应的绩效目标，已归入上一条{prev.numbering or ''}“{_short(prev.goal)}”",
            )
        prev = item
    dept = reader.dept
    for item in items:
        if item.goal is None and not item.indicators:
            continue
        if item.goal is None:
            reader.ambiguous(item.line, item.numbering or "", "绩效指标没有对应的绩效目标")
        if not item.indicators:
            reader.ambiguous(item.goal_line or item.line, _short(item.goal), "绩效目标下没有绩效指标")
            dept.targets.append(Target(goal=item.goal, numbering=item.numbering))
            continue
        for name, value, line in item.indicators:
            path = f"department.targets[{len(dept.targets)}]"
            if value is None:
                reader.ambiguous(line, name or "", "找不到指标值", path=path)
            dept.targets.append(Target(goal=item.goal, indicator=name, value=value, numbering=item.numbering))


def _short(text: str | None, n: int = 16) -> str:
    text = text or ""
    return text if len(text) <= n else text[:n] + "…"


def _split_item(reader: _Reader, item: _Item) -> None:
    # Lines of one item joined back (a line break inside a sentence was only wrapping), with
    # the line each character came from, so that findings can name it.
    text, origin = "", []
    for lineno, s in item.loose:
        text += s
        origin += [lineno] * len(s)
    parts = list(_PART_RE.finditer(text))
    if not parts:
        if text.strip():
            reader.ambiguous(item.line, _short(text), "既不是“绩效目标：”也不是“绩效指标：”，未导入")
        return
    if parts[0].start() > 0 and text[: parts[0].start()].strip():
        reader.ambiguous(item.line, _short(text[: parts[0].start()]), "出现在“绩效目标：”之前，未导入")
    for k, m in enumerate(parts):
        end = parts[k + 1].start() if k + 1 < len(parts) else len(text)
        chunk = text[m.end() : end]
        line = origin[min(m.start(), len(origin) - 1)] if origin else item.line
        if m.group(1) == "绩效目标":
            goal = chunk.strip().rstrip("。；;").strip() or None
            if item.goal is not None:
                reader.ambiguous(
                    line, _short(goal), f"{item.numbering or ''}有两个绩效目标，第二个作为新的一条"
                )
            item.goal, item.goal_line = (goal if item.goal is None else item.goal), line
        else:
            phrases, doubts = split_indicator_phrases(chunk)
            item.indicators += [(n, v, line) for n, v in phrases]
            item.ind_line = line
            for value, reason in doubts:
                reader.ambiguous(line, value, reason)


_VALUE_AT_END = re.compile(
    r"(?P<value>(?:(?:不低于|不少于|不高于|不超过|不大于|不小于|达到|超过|低于|高于|大于|小于|控制在|保持在|"
    r"[≥≤><=＞＜≧≦])\s*)?[0-9０-９]+(?:[.．][0-9０-９]+)?\s*[%％]?"
    r"(?:\s*[-~～至到]\s*[0-9０-９]+(?:[.．][0-9０-９]+)?\s*[%％]?)?"
    r"\s*[\u4e00-\u9fa5]{0,4}?(?:及?以上|及?以下|以内)?)\s*$"
)
_COPULA = ("在", "为", "是")
_LEAD_VERBS = ("确保", "保证")
_NAME_SUFFIX = tuple("率度数量性额比次")


def split_indicator_phrases(text: str) -> tuple[list[tuple[str | None, str | None]], list[tuple[str, str]]]:
    """“A达到 560 件以上，B达到 76%、C和D达到 100%等。” → [(A, "达到 560 件以上"), …] and the doubts.

    The value is the number at the end of each phrase with its operator word or symbol and
    unit; a copula before it (“出勤率在 98%”) is not part of the value. Names that share one
    value (“C和D达到 100%”, “C、D达到 100%”) each get it, and that is reported as a doubt.
    """
    text = text.strip().rstrip("。；;，, ")
    if text.endswith("等"):
        text = text[:-1].rstrip()
    pieces = [p.strip() for p in re.split(r"[，,；;]", text) if p.strip()]
    parts: list[str] = []
    for p in pieces:
        sub = [s.strip() for s in p.split("、") if s.strip()]
        # "保全、查封次数达到…": a short part that is no indicator name belongs with the next
        k = 0
        while k < len(sub):
            if k + 1 < len(sub) and not _VALUE_AT_END.search(sub[k]) and not sub[k].endswith(_NAME_SUFFIX):
                sub[k + 1] = f"{sub[k]}、{sub[k + 1]}"
                del sub[k]
                continue
            k += 1
        parts += sub
    out: list[tuple[str | None, str | None]] = []
    doubts: list[tuple[str, str]] = []
    waiting: list[str] = []  # names without a value of their own, waiting for the next value
    for part in parts:
        m = _VALUE_AT_END.search(part)
        if not m or not m.group("value").strip():
            waiting.append(part)
            continue
        value = m.group("value").strip()
        name = part[: m.start("value")].rstrip()
        for cop in _COPULA:
            if name.endswith(cop) and len(name) > len(cop):
                name = name[: -len(cop)].rstrip()
                break
        names = _split_names(name)
        if len(names) > 1:
            doubts.append((value, f"“{'”和“'.join(names)}”共用一个指标值，已分别导入"))
        if waiting:
            doubts.append((value, f"“{'”“'.join(waiting)}”没有自己的指标值，已按“{value}”导入"))
            names = waiting + names
            waiting = []
        for n in names:
            out.append((_strip_lead(n) or None, value))
    for n in waiting:
        out.append((_strip_lead(n) or None, None))
    return out, doubts


def _split_names(name: str) -> list[str]:
    for sep in ("和", "及", "与"):
        if sep in name:
            left, _, right = name.rpartition(sep)
            if (
                left.endswith(_NAME_SUFFIX)
                and right.endswith(_NAME_SUFFIX)
                and len(left) > 1
                and len(right) > 1
            ):
                return [*_split_names(left), right]
    return [name]


def _strip_lead(name: str) -> str:
    for verb in _LEAD_VERBS:
        if name.startswith(verb) and len(name) > len(verb) + 1:
            return name[len(verb) :]
    return name


# ---------------------------------------------------------------- project tables


class _ProjectReader:
    def __init__(self, reader: _Reader, toks: list[_Tok], index: int) -> None:
        self.reader = reader
        self.toks = toks
        self.index = index  # position among the department's projects, for finding paths
        self.project = Project()

    def label_at(self, i: int, kinds: str) -> tuple[str, int] | None:
        """(kind, index after the label) when a label starts at token i: one token, or several
        whole-line tokens (a label cell wrapped over lines: "项目" / "编码")."""
        for k in (4, 3, 2, 1):
            if i + k > len(self.toks):
                continue
            seg = self.toks[i : i + k]
            if (k > 1 and not all(t.whole for t in seg[:-1])) or (k > 1 and not seg[-1].first):
                continue
            joined = "".join(t.text for t in seg)
            if kinds == "block":
                found = label_kind(joined)
                if found and not found[1] and found[0] in _PROJECT_KINDS:
                    return found[0], i + k
            else:
                kind = header_kind(joined)
                if kind:
                    return kind, i + k
        return None

    def run(self) -> Project:
        p = self.project
        fields: dict[str, list[_Tok]] = {}
        order: list[str] = []
        i = 0
        table_start = None
        header: list[str] = []
        while i < len(self.toks):
            found = self.label_at(i, "block")
            if found:
                kind = "goal" if found[0] == "goal_or_overall" else found[0]
                if kind in fields:
                    self.reader.ambiguous(self.toks[i].line, kind, "同一项目中该栏目出现两次，只导入了第一处")
                    kind = f"{kind}#dup"
                fields[kind], i = [], found[1]
                order.append(kind)
                continue
            hfound = self.label_at(i, "header")
            if hfound and hfound[0] == "level1":
                while hfound:
                    header.append(hfound[0])
                    i = hfound[1]
                    hfound = self.label_at(i, "header") if i < len(self.toks) else None
                table_start = i
                break
            if not order:
                self.reader.ambiguous(
                    self.toks[i].line, self.toks[i].text, "项目表中没有栏目标签的文字，未导入"
                )
            else:
                fields[order[-1]].append(self.toks[i])
            i += 1
        self.fill_fields(fields)
        if table_start is None:
            line = self.toks[-1].line if self.toks else None
            self.reader.issue(
                "layout-unrecognized", line, p.label, reason="项目表中找不到“一级指标…指标值”表头，指标未导入"
            )
            return p
        _TableReader(self.reader, p, header, self.toks[table_start:], self.index).run()
        return p

    def fill_fields(self, fields: dict[str, list[_Tok]]) -> None:
        p = self.project
        text = {k: (_join(v) or None) for k, v in fields.items() if not k.endswith("#dup")}
        p.code = text.get("code")
        p.name = text.get("name")
        p.goal = text.get("goal")
        for k, v in fields.items():
            if k.endswith("#dup") and v:
                self.reader.ambiguous(v[0].line, _short(_join(v)), "重复栏目的内容未导入", project=p.label)
        if "purpose" in text:
            parts = parse_purpose(text["purpose"])
            p.budget, p.purpose = parts.budget, parts.purpose
            line = fields["purpose"][0].line if fields["purpose"] else None
            for source, amount in parts.funding.items():
                p.funding[self.funding_name(source, amount, line)] = amount
        for key in ("plan", "actual"):
            if key in fields:
                target = p.spend_plan if key == "plan" else p.spend_actual
                self.schedule(fields[key], target)

    def funding_name(self, source: str, amount: str | None, line: int | None) -> str:
        """A funding source as printed, or the known source it was cut short from ("财政资" → 财政资金)."""
        if source in FUNDING_SOURCES:
            return source
        candidates = [s for s in FUNDING_SOURCES if s.startswith(source)] if len(source) >= 2 else []
        if candidates:
            full = candidates[0]
            others = f"（也可能是“{'”“'.join(candidates[1:])}”）" if len(candidates) > 1 else ""
            self.reader.ambiguous(
                line,
                f"{source} {amount or ''}".strip(),
                f"资金来源“{source}”不完整，按“{full}”导入{others}",
                project=self.project.label,
            )
            return full
        return source

    def schedule(self, toks: list[_Tok], target: dict[str, object]) -> None:
        months = [t for t in toks if is_checkpoint(t.text)]
        values = [t for t in toks if not is_checkpoint(t.text)]
        for m, v in zip(months, values, strict=False):
            target[norm(m.text)] = v.text
        if len(months) != len(values):
            line = toks[0].line if toks else None
            extra = months[len(values) :] or values[len(months) :]
            self.reader.ambiguous(
                line,
                " ".join(t.text for t in extra),
                f"支出节点 {len(months)} 个、数值 {len(values)} 个，多出的未导入",
                project=self.project.label,
            )


# ---------------------------------------------------------------- the indicator table


@dataclass(frozen=True)
class _Row:
    cells: dict[str, list[_Tok]]  # name / description / value / basis
    score: float
    doubts: tuple[str, ...]


_MAX = {"name": 4, "description": 6, "value": 4, "basis": 5}


class _TableReader:
    def __init__(
        self, reader: _Reader, project: Project, header: list[str], toks: list[_Tok], index: int
    ) -> None:
        self.index = index
        self.reader = reader
        self.project = project
        self.header = header
        self.cols = [k for k in _TABLE_KINDS if k in header]
        # the table ends at a title or note line (the next table's heading, a signature line)
        for k, t in enumerate(toks):
            if t.first and is_decoration(t.text):
                rest = [x for x in toks[k:] if not is_decoration(x.text)]
                if rest:
                    self.reader.ambiguous(
                        rest[0].line, _short(_join(rest)), "表格之后的文字，未导入", project=project.label
                    )
                toks = toks[:k]
                break
        self.toks = toks
        self.widths: dict[str, float] = {}

    def run(self) -> None:
        segments = self.segments()
        # first pass: learn each column's full width from the cells that wrap
        for _ in range(2):
            seen: dict[str, list[float]] = {k: [] for k in self.cols}
            for _, _, frags in segments:
                for row in self.parse(frags):
                    for key, cell in row.cells.items():
                        for t in cell[:-1]:
                            if cell[-1].line != t.line:
                                seen[key].append(round(_width(t.text) * 2) / 2)
            self.widths = {k: Counter(v).most_common(1)[0][0] for k, v in seen.items() if v}
        for level1, level2, frags in segments:
            for row in self.parse(frags):
                ind = Indicator(level1=level1, level2=level2)
                for key in self.cols:
                    cell = row.cells.get(key) or []
                    setattr(ind, key, _join(cell) or None)
                path = f"projects[{self.index}].indicators[{len(self.project.indicators)}]"
                for doubt in row.doubts:
                    first = next((c[0] for c in row.cells.values() if c), None)
                    self.reader.ambiguous(
                        first.line if first else None,
                        ind.name or "",
                        doubt,
                        project=self.project.label,
                        path=path,
                    )
                self.project.indicators.append(ind)

    # -- 一级 / 二级 markers split the fragments into runs of rows

    def marker_at(self, i: int) -> tuple[str, int] | None:
        for k in (3, 2, 1):
            if i + k > len(self.toks):
                continue
            seg = self.toks[i : i + k]
            if not seg[0].first or any(not t.whole for t in seg[:-1]) or (k > 1 and not seg[-1].first):
                continue
            joined = norm("".join(t.text for t in seg))
            if joined in LEVEL1_NAMES or joined in LEVEL2_NAMES:
                return joined, i + k
        return None

    def segments(self) -> list[tuple[str | None, str | None, list[_Tok]]]:
        marks: list[tuple[int, int, str]] = []
        i = 0
        while i < len(self.toks):
            m = self.marker_at(i)
            if m:
                marks.append((i, m[1], m[0]))
                i = m[1]
            else:
                i += 1
        out: list[tuple[str | None, str | None, list[_Tok]]] = []
        level1: str | None = None
        level2: str | None = None
        pos = 0
        for k, (start, end, name) in enumerate(marks):
            if start > pos:
                out.append((level1, level2, self.toks[pos:start]))
            next_name = marks[k + 1][2] if k + 1 < len(marks) and marks[k + 1][0] == end else None
            if self.is_level1(name, next_name, level1):
                level1, level2 = name, None
            else:
                level2 = name
            pos = end
        if pos < len(self.toks):
            out.append((level1, level2, self.toks[pos:]))
        return out

    @staticmethod
    def is_level1(name: str, next_name: str | None, current: str | None) -> bool:
        if name not in LEVEL1_NAMES:
            return False
        if name not in LEVEL2_NAMES:
            return True
        # 成本指标 / 满意度指标 are a 一级 in one framework and a 二级 in another
        if next_name is not None and next_name in LEVEL2_NAMES and next_name not in LEVEL1_NAMES:
            return name != "成本指标" or next_name in COST_LEVEL2
        return current is None

    # -- rows within a run: the most plausible cut

    def parse(self, frags: list[_Tok]) -> list[_Row]:
        """The best cut of a run's fragments into rows (dynamic programming over cut points)."""
        cut = _Cuts(self, frags)
        n = len(frags)
        best: list[tuple[float, list[_Row]] | None] = [None] * (n + 1)
        best[n] = (0.0, [])
        for i in range(n - 1, -1, -1):
            for row, j in cut.rows_from(i):
                after = best[j]
                if after is None:
                    continue
                total = row.score + after[0]
                current = best[i]
                if current is None or total > current[0]:
                    best[i] = (total, [row, *after[1]])
        done = best[0]
        return done[1] if done is not None else []

    def wrap_score(self, key: str, cell: list[_Tok]) -> float:
        """How plausibly these fragments are one cell wrapped over lines (0 best, negative worse)."""
        if len(cell) <= 1:
            if cell and key in self.widths and _width(cell[0].text) > self.widths[key] + 1:
                return -1.0  # wider than the column: it could not have fit on one line
            return 0.0
        widths = [_width(t.text) for t in cell]
        full = self.widths.get(key, max(widths[:-1]))
        penalty = -0.2 * (len(cell) - 1)
        for w in widths[:-1]:
            if abs(w - full) > 0.75:
                penalty -= 4.0
        if widths[-1] > full + 0.75:
            penalty -= 4.0
        return penalty


_VALUE_CHARS = frozenset(
    "以上下内及达到不低于少超过高大小于等控制在保持约万元亿千人次件天个项小时分钟户家台套篇场份册所名辆平方米公里吨日月年批期座处笔本张课学工作"
)


def _is_cjk(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF" and not unicodedata.category(ch).startswith("P")


@cache
def _value_kind(text: str) -> Kind:
    return parse_target(text).kind


def _similarity(a: str, b: str) -> float:
    from ..core.fuzzy import ratio

    return ratio(a, b) / 100.0


class _Cuts:
    """Scores of the ways to cut one run of fragments into rows, each piece computed once."""

    def __init__(self, table: _TableReader, frags: list[_Tok]) -> None:
        self.table = table
        self.frags = frags
        self.n = len(frags)
        # same_before[t]: how many of the boundaries before fragment t join two parts of one printed line
        self.same_before = [0]
        for x, y in pairwise(frags):
            self.same_before.append(self.same_before[-1] + (x.line == y.line))
        has = set(table.cols)
        self.max = {k: (_MAX[k] if k in has else 0) for k in _TABLE_KINDS}
        self.text = cache(self._text)
        self.wrap = cache(self._wrap)
        self.value = cache(self._value)
        self.pair = cache(self._pair)

    def one_cell(self, i: int, j: int) -> bool:
        """No two of frags[i:j] share a printed line: cells on one line are separate cells."""
        return j - i <= 1 or self.same_before[j - 1] - self.same_before[i] == 0

    def _text(self, i: int, j: int) -> str:
        return _join(self.frags[i:j])

    def _wrap(self, key: str, i: int, j: int) -> float:
        return self.table.wrap_score(key, self.frags[i:j])

    def _value(self, a: int, b: int) -> float | None:
        if a == b:
            return -20.0
        kind = _value_kind(self.text(a, b))
        if kind is Kind.UNPARSED or kind is Kind.EMPTY:
            return None
        score = {Kind.QUANTITATIVE: 1.0, Kind.NON_VALUE: 0.5, Kind.QUALITATIVE: -0.5}.get(kind, 0.0)
        if kind is Kind.QUANTITATIVE:
            # the grammar finds a number inside any text: words that are no unit or operator
            # wording are most likely another cell's
            score -= 0.5 * sum(1 for ch in self.text(a, b) if _is_cjk(ch) and ch not in _VALUE_CHARS)
        return score + self.wrap("value", a, b)

    def _pair(self, i: int, k: int, a: int) -> float:
        """三级指标 frags[i:k] and its description frags[k:a]: descriptions mostly restate the name."""
        score = self.wrap("name", i, k) + self.wrap("description", k, a)
        if "description" in self.table.cols:
            name, desc = self.text(i, k), self.text(k, a)
            if not desc:
                score -= 3
            elif desc == name:
                score += 2
            else:
                score += 2 * _similarity(name, desc)
        return score

    def rows_from(self, i: int) -> list[tuple[_Row, int]]:
        out = []
        n, mx, frags = self.n, self.max, self.frags
        for k in range(i + (1 if mx["name"] else 0), min(i + mx["name"], n) + 1):
            if not self.one_cell(i, k):
                break
            for a in range(k, min(k + mx["description"], n) + 1):
                if not self.one_cell(k, a):
                    break
                for b in range(a, min(a + _MAX["value"], n) + 1):
                    if not self.one_cell(a, b):
                        break
                    value = self.value(a, b)
                    if value is None:
                        continue
                    for j in range(b, min(b + mx["basis"], n) + 1):
                        if not self.one_cell(b, j):
                            break
                        if j < n and frags[j - 1].line == frags[j].line and j > i:
                            continue  # a row never ends in the middle of a printed line
                        score = self.pair(i, k, a) + value + self.wrap("basis", b, j)
                        if "basis" in self.table.cols and j == b:
                            score -= 3
                        cells = {"name": frags[i:k], "description": frags[k:a], "value": frags[a:b],
                                 "basis": frags[b:j]}
                        out.append((_Row(cells, score, ("找不到指标值",) if a == b else ()), j))
        if not out and i < n:
            # nothing fits: one row holding the rest, reported
            cells = {"name": frags[i:], "description": [], "value": [], "basis": []}
            out.append((_Row(cells, -100.0, ("无法拆分成指标的各栏，全部作为三级指标导入",)), n))
        return out
