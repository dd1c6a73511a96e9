"""xlwings Lite: the 校验 and 清除标记 scripts of the department workbook.

Paste this file into the xlwings Lite editor (main.py) and requirements.txt beside
it into its requirements.txt tab. The scripts then appear in the add-in's run
list; on the 校验结果 sheet, two shapes linked to J1 and J2 run them as buttons
(see docs/excel.md).

Each script is a thin call into pyxl: the same checks as ``pyxl validate`` on the
command line. They are ``async`` because xlwings Lite can read a note's text only
asynchronously (pyxl keeps the user's own notes and replaces only its own).
"""

import xlwings as xw
from xlwings import script

import pyxl.excel


@script(button="[pyxl_validate]校验结果!J1", show_taskpane=True)
async def 校验(book: xw.Book):
    report = await pyxl.excel.validate_async(book)
    c = report.counts
    print(f"校验完成：错误 {c['error']}，警告 {c['warning']}，提示 {c['info']}（详见“校验结果”表）")


@script(button="[pyxl_clear]校验结果!J2", show_taskpane=True)
async def 清除标记(book: xw.Book):
    await pyxl.excel.clear_async(book)
    print("已清除 pyxl 的标记和批注（您自己的批注保持不变）")
