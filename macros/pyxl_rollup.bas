Attribute VB_Name = "pyxl_rollup"
' pyxl: the button of the summary workbook (rollup of budget performance targets).
'
' PyxlRollup rolls up again the folder named in cell E1 of the first sheet
' (relative to this workbook's folder) and fills this workbook with the result:
' the same as "pyxl rollup FOLDER -o SUMMARY.xlsx" on the command line. Every
' department workbook is read and validated; none is modified.
'
' Needs Python with pyxl and xlwings, and the xlwings add-in ("xlwings addin
' install"); desktop Excel only (xlwings Lite cannot read a local folder).
' Assign PyxlRollup to the button; see README (section on rollup).
'
' This file is ASCII on purpose: the VBA editor reads .bas files in the system
' code page. Chinese text is built with ChrW, the button caption is set in Excel.
Option Explicit

Public Sub PyxlRollup()
    RunPyxl "import pyxl.excel; pyxl.excel.rollup()"
End Sub

Private Sub RunPyxl(ByVal PythonCommand As String)
    On Error GoTo NoAddin
    Application.Run "'xlwings.xlam'!RunPython", PythonCommand
    Exit Sub
NoAddin:
    MsgBox ChrW(&H65E0) & ChrW(&H6CD5) & ChrW(&H8C03) & ChrW(&H7528) & " xlwings (xlwings addin install)" & _
        vbCrLf & vbCrLf & Err.Description, vbExclamation, "pyxl"
End Sub
