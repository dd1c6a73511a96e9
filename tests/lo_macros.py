"""Open an .xlsm in LibreOffice through Python-UNO, list its Basic modules and buttons, run macros.

Run by the system Python (/usr/bin/python3, which has the ``uno`` module; the test venv
does not):

    /usr/bin/python3 tests/lo_macros.py BOOK.xlsm SHEET!CELL MACRO [MACRO …]

It starts its own soffice (private profile with macro security "low" and VBA import
on, a free local port), loads the book with MacroExecutionMode ALWAYS_EXECUTE_NO_WARN,
and prints one JSON object:

    {"libraries": {lib: {module: source}},
     "buttons": {sheet: [{"label", "name", "events": [[listener, event, script], …]}]},
     "runs": [{"macro", "error", "cell"}]}   # "cell": the value of SHEET!CELL after the macro

The runner lives in tests/ (what it drives is LibreOffice, not pyxl).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Filter/Import/VBA"><prop oor:name="Load" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Filter/Import/VBA"><prop oor:name="Executable" oor:op="fuse"><value>true</value></prop></item>
</oor:items>
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _connect(port: int, proc: subprocess.Popen, timeout: float = 120.0):  # type: ignore[type-arg]
    import uno

    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.time() + timeout
    while True:
        try:
            return resolver.resolve(f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext")
        except Exception:
            if proc.poll() is not None or time.time() > deadline:
                raise
            time.sleep(0.5)


def _prop(name: str, value: object):
    from com.sun.star.beans import PropertyValue

    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def _cell_value(doc, ref: str) -> object:
    sheet, cell = ref.split("!")
    c = doc.Sheets.getByName(sheet).getCellRangeByName(cell)
    return c.getString() if c.getType().value == "TEXT" or c.getString() else c.getValue()


def _libraries(doc) -> dict:
    out = {}
    libs = doc.BasicLibraries
    for lib in libs.getElementNames():
        libs.loadLibrary(lib)
        container = libs.getByName(lib)
        out[lib] = {m: container.getByName(m) for m in container.getElementNames()}
    return out


def _buttons(doc) -> dict:
    out: dict = {}
    for i in range(doc.Sheets.getCount()):
        sheet = doc.Sheets.getByIndex(i)
        forms = sheet.DrawPage.Forms
        found = []
        for f in range(forms.getCount()):
            form = forms.getByIndex(f)
            for c in range(form.getCount()):
                model = form.getByIndex(c)
                events = [[e.ListenerType, e.EventMethod, e.ScriptCode] for e in form.getScriptEvents(c)]
                found.append({"label": getattr(model, "Label", None), "name": model.Name, "events": events})
        if found:
            out[sheet.Name] = found
    return out


def main() -> None:
    book, probe, macros = Path(sys.argv[1]).resolve(), sys.argv[2], sys.argv[3:]
    profile = Path(tempfile.mkdtemp(prefix="pyxl-lo-uno-"))
    (profile / "user").mkdir()
    (profile / "user" / "registrymodifications.xcu").write_text(SETTINGS, encoding="utf-8")
    port = _free_port()
    soffice = shutil.which("soffice") or "soffice"
    proc = subprocess.Popen(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--invisible", "--norestore",
         "--nologo", "--nodefault", f"--accept=socket,host=127.0.0.1,port={port};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    result: dict = {}
    try:
        ctx = _connect(port, proc)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        from com.sun.star.document.MacroExecMode import ALWAYS_EXECUTE_NO_WARN

        doc = desktop.loadComponentFromURL(
            book.as_uri(), "_blank", 0, (_prop("Hidden", True), _prop("MacroExecutionMode", ALWAYS_EXECUTE_NO_WARN))
        )
        result["libraries"] = _libraries(doc)
        result["buttons"] = _buttons(doc)
        result["runs"] = []
        provider = doc.getScriptProvider()
        for macro in macros:
            run: dict = {"macro": macro, "error": None}
            try:
                script = provider.getScript(macro)
                script.invoke((), (), ())
            except Exception as exc:  # the test reads the error
                run["error"] = f"{type(exc).__name__}: {getattr(exc, 'Message', exc)}"
            run["cell"] = _cell_value(doc, probe)
            result["runs"].append(run)
        doc.close(True)
    finally:
        try:
            if "desktop" in locals():
                desktop.terminate()
        except Exception:
            pass
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(profile, ignore_errors=True)
    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    os.environ.setdefault("SAL_USE_VCLPLUGIN", "svp")
    main()
