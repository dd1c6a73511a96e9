// The Python side of the page: loads Pyodide and pyxl from this site only, then answers
// {id, op, args} messages from pyxl.js with {id, ok, ...}. Runs in a module worker so the
// page stays responsive (and its progress indicator moving) while Python works.
import { loadPyodide } from "./pyodide/pyodide.mjs";

const here = (path) => new URL(path, import.meta.url).href;
const say = (msg) => self.postMessage(msg);
let py = null;
let glue = null;

async function start() {
  const t0 = performance.now();
  const stages = {};
  const lap = (() => { let t = t0; return (name) => { const now = performance.now(); stages[name] = now - t; t = now; }; })();
  say({ type: "progress", stage: "runtime", text: "正在加载 Python 运行环境…" });
  py = await loadPyodide({ indexURL: here("./pyodide/"), packages: [] });
  lap("runtime");
  const manifest = await (await fetch(here("./manifest.json"))).json();
  const site = py.runPython("import site; site.getsitepackages()[0]");
  const native = new Set(manifest.native || []);
  say({ type: "progress", stage: "wheels", text: `正在安装 pyxl 及其依赖（${manifest.wheels.length} 个）…` });
  // fetched together (from this site), unpacked as they arrive
  await Promise.all(manifest.wheels.map(async (wheel) => {
    if (native.has(wheel)) {
      // compiled for Pyodide (python-calamine): loadPackage also loads its shared library. Optional:
      // without it pyxl reads values through openpyxl, with the same results.
      try { await py.loadPackage(here(`./wheels/${wheel}`), { messageCallback: () => {}, checkIntegrity: false }); }
      catch (err) { console.warn(`pyxl: ${wheel} not loaded, using the pure-Python path`, err); }
      return;
    }
    const response = await fetch(here(`./wheels/${wheel}`));
    if (!response.ok) throw new Error(`无法加载 ${wheel}（HTTP ${response.status}）`);
    py.unpackArchive(await response.arrayBuffer(), "wheel", { extractDir: site });
  }));
  lap("wheels");
  say({ type: "progress", stage: "import", text: "正在导入 pyxl…" });
  // What validating one file runs, imported now so that the first file does not pay for it.
  // Not openpyxl nor xlsxwriter: with python-calamine validate needs neither (the package writer
  // marks the file); openpyxl is imported when a file is read without calamine, xlsxwriter by 汇总.
  glue = py.pyimport("pyxl.web.glue");
  glue.warm_up();
  lap("import");
  const version = py.runPython("import sys, pyxl; from pyxl.backends.readers import available_reader; "
    + "f'Python {sys.version.split()[0]} · pyxl {pyxl.__version__} · 读取：{available_reader()}'");
  say({ type: "ready", version, ms: performance.now() - t0, stages });
  // The page is usable now; while the user picks files, validate the site's example once (the
  // first validate of a fresh interpreter is slower: caches, patterns). A file given before this
  // ends waits for it, which costs about what its own first run would have.
  try {
    const example = await fetch(here(`./${manifest.samples.example.url}`));
    if (example.ok) glue.warm_up(new Uint8Array(await example.arrayBuffer()));
  } catch (err) { console.warn("pyxl: warm-up skipped", err); }
  say({ type: "warmed", ms: performance.now() - t0 });
}

// A Python answer is a tuple (JSON text, bytes or None): the JSON parsed, the bytes copied out.
function unpack(result) {
  try {
    const answer = JSON.parse(result.get(0));
    const data = result.get(1);
    if (data !== undefined && data !== null) {
      const buffer = data.getBuffer("u8");
      try { answer.workbook = buffer.data.slice(); } finally { buffer.release(); data.destroy(); }
    }
    return answer;
  } finally {
    result.destroy();
  }
}

// Test hook (window.pyxl.test.crashNext): the next validate or rollup meets a fatal WebAssembly
// error instead of doing its work — a real trap (the `unreachable` instruction), handed to
// Pyodide's own fatal-error handler as Pyodide does when WebAssembly aborts under Python. After
// it this Pyodide refuses every call, as after a real out-of-memory abort.
let crashNext = false;
const UNREACHABLE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 7, 5, 1, 1,
  102, 0, 0, 10, 5, 1, 3, 0, 0, 11]);  // (module (func (export "f") unreachable))
function maybeCrash() {
  if (!crashNext) return;
  crashNext = false;
  try { new WebAssembly.Instance(new WebAssembly.Module(UNREACHABLE)).exports.f(); }
  catch (trap) { if (py._api && py._api.fatal_error) py._api.fatal_error(trap); throw trap; }
}

const ops = {
  validate: ({ bytes, name, asOf }) => { maybeCrash(); return unpack(glue.validate(bytes, name, asOf || null)); },
  rollup: ({ files, asOf }, id) => {
    maybeCrash();
    // per file, while Python works: postMessage from inside the call reaches the page at once
    const progress = (done, total, name) => say({ type: "rollup-progress", id, done, total, name });
    return unpack(glue.rollup(files.map((f) => [f.name, f.bytes]), asOf || null, progress));
  },
  crashNext: () => { crashNext = true; return { ok: true }; },
  python: ({ code }) => { const r = py.runPython(code); return { ok: true, value: r?.toJs ? r.toJs() : r }; },
};

const started = start().catch((err) => { say({ type: "failed", text: String(err && err.message || err) }); throw err; });

self.onmessage = async (event) => {
  const { id, op, args } = event.data;
  try {
    await started;
    const answer = ops[op](args, id);
    const transfer = answer.workbook ? [answer.workbook.buffer] : [];
    self.postMessage({ type: "answer", id, answer }, transfer);
  } catch (err) {
    // A Python exception the glue did not catch is a bug, but Pyodide is still usable; anything
    // else (out of memory inside WebAssembly) leaves it broken: ask the page for a fresh worker.
    const fatal = !(err && err.type);  // a PythonError carries the exception's type
    say({ type: "answer", id, answer: { ok: false, rule: "file-unreadable",
      message: "处理该文件时出错，其他文件不受影响", detail: String(err && err.message || err).slice(0, 500) }, fatal });
  }
};
