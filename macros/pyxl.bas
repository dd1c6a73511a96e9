Attribute VB_Name = "pyxl"
' pyxl: the buttons of the department workbook (budget performance targets).
'
' PyxlValidate runs the same checks as "pyxl validate" on this workbook: problem
' cells are highlighted, each gets a note, and the sheet of results is refreshed.
' PyxlClear removes every highlight and note pyxl made (your own notes stay).
'
' Needs Python with pyxl and xlwings installed, and RunPython from xlwings:
' either the xlwings add-in ("xlwings addin install") with a reference to it
' (VBA editor: Tools > References > xlwings), or the standalone xlwings module.
' Assign PyxlValidate and PyxlClear to the two buttons. See docs/excel.md.
' This file is kept ASCII on purpose: the VBA editor reads .bas files in the
' system code page, so Chinese text belongs in the button captions instead.
Option Explicit

Public Sub PyxlValidate()
    RunPython "import pyxl.excel; pyxl.excel.validate()"
End Sub

Public Sub PyxlClear()
    RunPython "import pyxl.excel; pyxl.excel.clear()"
End Sub
