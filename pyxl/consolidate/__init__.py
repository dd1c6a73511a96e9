"""汇总: consolidate many departments' workbooks into one summary workbook.

Layer: above the workbook orchestrator (it reads files through workbook.LAYOUTS and
validates them with the rules), below the faces (cli, excel).

    result = rollup(["depts/"], jobs=2)
    result.departments        # pandas DataFrames: departments, projects, indicators, findings, files
    result.write("汇总.xlsx")  # the summary workbook (+ Parquet for tables too long for a sheet)
    result.write_json("汇总.json")
    write_feedback(result, "审核意见/")  # each department's workbook back, marked, with a 审核意见 sheet
"""

from __future__ import annotations

from .feedback import Feedback, write_feedback
from .result import Rollup
from .run import rollup

__all__ = ["Feedback", "Rollup", "rollup", "write_feedback"]
