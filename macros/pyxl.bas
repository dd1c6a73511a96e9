Attribute VB_Name = "pyxl"
' pyxl: the buttons of the department workbook (budget performance targets).
'
' PyxlValidate runs the same checks as "pyxl validate" on this workbook: problem
' cells are highlighted, each gets a note, and the sheet of results is refreshed.
' PyxlClear removes every highlight and note pyxl made (your own notes stay).
' PyxlSelfTest needs no Python: it says in cell A2 of the results sheet that
' macros run in this workbook.
'
' Needs Python with pyxl and xlwings, and the xlwings add-in ("xlwings addin
' install", or "pyxl excel-setup"). RunPython is called by name through
' Application.Run, so the workbook needs no VBA reference to the add-in. The
' workbooks pyxl writes (.xlsm) carry this module and the buttons; see docs/excel.md.
'
' This file is ASCII on purpose: the VBA editor reads .bas files in the system
' code page. Chinese text is built with ChrW.
Option Explicit

Public Sub PyxlValidate()
    RunPyxl "import pyxl.excel; pyxl.excel.validate()"
End Sub

Public Sub PyxlClear()
    RunPyxl "import pyxl.excel; pyxl.excel.clear()"
End Sub

Public Sub PyxlSelfTest()
    ShowInResults MacrosRunMessage()
End Sub

Private Sub RunPyxl(ByVal PythonCommand As String)
    On Error GoTo NoAddin
    Application.Run "'xlwings.xlam'!RunPython", PythonCommand
    Exit Sub
NoAddin:
    Dim Reason As String
    Reason = Err.Description
    ' also where the results appear: a message box is easily dismissed unread
    ShowInResults NotFoundMessage()
    MsgBox NotFoundMessage() & vbCrLf & vbCrLf & Reason, vbExclamation, "pyxl"
End Sub

Private Sub ShowInResults(ByVal Text As String)
    On Error Resume Next
    ThisWorkbook.Worksheets(ResultsSheetName()).Range("A2").Value = Text
End Sub

Private Function ResultsSheetName() As String
    ResultsSheetName = ChrW(&H6821) & ChrW(&H9A8C) & ChrW(&H7ED3) & ChrW(&H679C)
End Function

Private Function MacrosRunMessage() As String
    MacrosRunMessage = ChrW(&H5B8F) & ChrW(&H5DF2) & ChrW(&H542F) & ChrW(&H7528) & ChrW(&HFF1A) & "pyxl " & _
        ChrW(&H5B8F) & ChrW(&H6A21) & ChrW(&H5757) & ChrW(&H53EF) & ChrW(&H4EE5) & ChrW(&H8FD0) & _
        ChrW(&H884C) & ChrW(&H3002)
End Function

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
