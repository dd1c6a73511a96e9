Attribute VB_Name = "pyxl_rollup"
' pyxl: the button of the summary workbook (rollup of budget performance targets).
'
' PyxlRollup rolls up again the folder named in cell E1 of the first sheet
' (relative to this workbook's folder) and fills this workbook with the result:
' the same as "pyxl rollup FOLDER -o SUMMARY.xlsx" on the command line. Every
' department workbook is read and validated; none is modified.
'
' Needs Python with pyxl and xlwings, and the xlwings add-in ("xlwings addin
' install", or "pyxl excel-setup"); desktop Excel only (xlwings Lite cannot read
' a local folder). The summary workbook pyxl writes (.xlsm) carries this module
' and the button; see README (section on rollup).
'
' This file is ASCII on purpose: the VBA editor reads .bas files in the system
' code page. Chinese text is built with ChrW.
Option Explicit

Public Sub PyxlRollup()
    RunPyxl "import pyxl.excel; pyxl.excel.rollup()"
End Sub

Private Sub RunPyxl(ByVal PythonCommand As String)
    On Error GoTo NoAddin
    Application.Run "'xlwings.xlam'!RunPython", PythonCommand
    Exit Sub
NoAddin:
    Dim Reason As String
    Reason = Err.Description
    On Error Resume Next
    ' also in the summary's note line: a message box is easily dismissed unread
    ThisWorkbook.Worksheets(ChrW(&H90E8) & ChrW(&H95E8) & ChrW(&H6C47) & ChrW(&H603B)).Range("A2").Value = NotFoundMessage()
    MsgBox NotFoundMessage() & vbCrLf & vbCrLf & Reason, vbExclamation, "pyxl"
End Sub

Private Function NotFoundMessage() As String
    NotFoundMessage = ChrW(&H65E0) & ChrW(&H6CD5) & ChrW(&H8C03) & ChrW(&H7528) & " xlwings" & ChrW(&H3002) & _
        ChrW(&H8BF7) & ChrW(&H5B89) & ChrW(&H88C5) & " Python 3.11 " & ChrW(&H6216) & _
        ChrW(&H66F4) & ChrW(&H65B0) & ChrW(&H7248) & ChrW(&H672C) & ChrW(&HFF0C) & ChrW(&H5728) & _
        ChrW(&H547D) & ChrW(&H4EE4) & ChrW(&H63D0) & ChrW(&H793A) & ChrW(&H7B26) & ChrW(&H4E2D) & _
        ChrW(&H8FD0) & ChrW(&H884C) & " pip install pyxl-jixiao xlwings " & ChrW(&H548C) & _
        " xlwings addin install" & ChrW(&HFF08) & ChrW(&H6216) & ChrW(&H8FD0) & ChrW(&H884C) & _
        " pyxl excel-setup" & ChrW(&HFF09) & ChrW(&HFF0C) & ChrW(&H7136) & ChrW(&H540E) & _
        ChrW(&H91CD) & ChrW(&H65B0) & ChrW(&H6253) & ChrW(&H5F00) & " Excel" & ChrW(&H3002) & _
        ChrW(&H8BE6) & ChrW(&H89C1) & " docs/excel.md" & ChrW(&H3002)
End Function
