Attribute VB_Name = "pyxl"
' pyxl: the buttons of the department workbook (budget performance targets).
'
' PyxlValidate runs the same checks as "pyxl validate" on this workbook: problem
' cells are highlighted, each gets a note, and the sheet of results is refreshed.
' PyxlClear removes every highlight and note pyxl made (your own notes stay).
'
' Needs Python with pyxl and xlwings, and the xlwings add-in ("xlwings addin
' install"). RunPython is called by name through Application.Run, so the
' workbook needs no VBA reference to the add-in. Assign PyxlValidate and
' PyxlClear to the two buttons; see docs/excel.md.
'
' This file is ASCII on purpose: the VBA editor reads .bas files in the system
' code page. Chinese text is built with ChrW, the button captions are set in Excel.
Option Explicit

Public Sub PyxlValidate()
    RunPyxl "import pyxl.excel; pyxl.excel.validate()"
End Sub

Public Sub PyxlClear()
    RunPyxl "import pyxl.excel; pyxl.excel.clear()"
End Sub

Private Sub RunPyxl(ByVal PythonCommand As String)
    On Error GoTo NoAddin
    Application.Run "'xlwings.xlam'!RunPython", PythonCommand
    Exit Sub
NoAddin:
    MsgBox NotFoundMessage() & vbCrLf & vbCrLf & Err.Description, vbExclamation, "pyxl"
End Sub

Private Function NotFoundMessage() As String
    NotFoundMessage = ChrW(&H65E0) & ChrW(&H6CD5) & ChrW(&H8C03) & ChrW(&H7528) & " xlwings" & ChrW(&H3002) & _
        ChrW(&H8BF7) & ChrW(&H786E) & ChrW(&H8BA4) & ChrW(&H5DF2) & ChrW(&H8FD0) & _
        ChrW(&H884C) & " xlwings addin install " & ChrW(&H5E76) & ChrW(&H91CD) & ChrW(&H65B0) & _
        ChrW(&H6253) & ChrW(&H5F00) & " Excel" & ChrW(&HFF0C) & ChrW(&H4E14) & " xlwings " & _
        ChrW(&H9009) & ChrW(&H9879) & ChrW(&H5361) & ChrW(&H4E2D) & ChrW(&H7684) & _
        " Interpreter" & ChrW(&HFF08) & "Python " & ChrW(&H8DEF) & ChrW(&H5F84) & _
        ChrW(&HFF09) & ChrW(&H6B63) & ChrW(&H786E) & ChrW(&H3002) & ChrW(&H8BE6) & _
        ChrW(&H89C1) & " docs/excel.md" & ChrW(&H3002)
End Function
